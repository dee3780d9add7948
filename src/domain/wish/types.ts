export const CATEGORIES = ['goods', 'cash', 'service'] as const;
export type Category = (typeof CATEGORIES)[number];

export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const WISH_STATUSES = [
  'draft',
  'open',
  'partially_pledged',
  'fully_pledged',
  'fulfilled',
  'expired',
  'cancelled',
] as const;
export type WishStatus = (typeof WISH_STATUSES)[number];

/** Published and not yet fulfilled, expired or cancelled: what the groups show and the jobs watch. */
export const LIVE_STATUSES: readonly WishStatus[] = ['open', 'partially_pledged', 'fully_pledged'];

/** Where a wish is in its life; `status` adds how much of it is pledged. */
export type Lifecycle = 'draft' | 'published' | 'fulfilled' | 'expired' | 'cancelled';

export const PLEDGE_STATUSES = ['active', 'delivered', 'confirmed', 'withdrawn', 'released'] as const;
export type PledgeStatus = (typeof PLEDGE_STATUSES)[number];

/** Pledges in these states hold a share of the target. */
export const LIVE_PLEDGE_STATUSES: readonly PledgeStatus[] = ['active', 'delivered', 'confirmed'];

/** `auditor`: a community committee's read-only token. */
export type ActorKind = 'admin' | 'worker' | 'auditor' | 'donor' | 'resident' | 'system';

/** Who asks. Workers and auditors carry the communities they serve; residents the wishes they are linked to. */
export interface Actor {
  kind: ActorKind;
  id: string;
  name?: string;
  /** The Telegram user behind the actor, when there is one (a person in the bot, a token's owner). */
  telegramId?: number;
  communityIds?: string[];
  wishIds?: string[];
}

/** What an event records of its actor: no scopes, just who. */
export interface ActorRef {
  kind: ActorKind;
  id: string;
  name?: string;
}

export interface Beneficiary {
  /** The only thing a group ever sees, e.g. "elderly resident, Building 3". */
  alias: string;
  /** Private: for workers only. */
  notes?: string;
  contact?: string;
  /** Private: the resident's name, which the alias must not repeat. */
  name?: string;
}

export interface WishDraft {
  communityId: string;
  title: string;
  description: string;
  category: Category;
  /** A whole number: items, currency units or visits. */
  target: number;
  /** What the items are counted in ("bags", "袋"), for goods and services; none for cash. */
  unit?: string;
  deadline: Date;
  urgency: Urgency;
  beneficiary: Beneficiary;
  /** The worker who follows the wish: confirms deliveries, hears about it. Else the community's workers. */
  workerTelegramId?: number;
}

/** What a worker may change once a wish exists. */
export interface WishChanges {
  title?: string;
  description?: string;
  deadline?: Date;
  urgency?: Urgency;
  alias?: string;
}

export interface DonorRef {
  donorId: string;
  /** The name to show; absent when the donor chose anonymity. */
  displayName?: string;
  anonymous?: boolean;
}

export interface Pledge {
  /** The id of the event that made it: `<wishId>:<seq>`. */
  id: string;
  donorId: string;
  /** Who recorded it, when not the donor themselves (staff pledging on a donor's behalf). */
  pledgedBy?: string;
  displayName?: string;
  anonymous: boolean;
  amount: number;
  status: PledgeStatus;
  pledgedAt: Date;
  deliveredAt?: Date;
  confirmedAt?: Date;
  closedAt?: Date;
}

export interface WishState extends WishDraft {
  id: string;
  code: string;
  codeNumber: number;
  createdBy: ActorRef;
  createdAt: Date;
  publishedAt?: Date;
  closedAt?: Date;
  lifecycle: Lifecycle;
  status: WishStatus;
  /** Sum of live pledges. */
  pledged: number;
  pledges: Pledge[];
  /** The seq of the last event folded in. */
  version: number;
  /** The keys (Telegram update ids) of the latest relayed messages: a redelivered update records nothing twice. */
  messageKeys?: string[];
  updatedAt: Date;
}

export type WishEventBody =
  | { type: 'created'; wish: WishDraft & { code: string } }
  | { type: 'published' }
  | { type: 'pledged'; donorId: string; displayName?: string; anonymous: boolean; amount: number }
  | { type: 'withdrawn'; pledgeId: string; reason?: string }
  | { type: 'released'; pledgeId: string; reason: string }
  | { type: 'delivered'; pledgeId: string }
  /** `fulfils`: decide found that this confirmation completes the wish (absent on events recorded before it was kept). */
  /**
   * `handedOver`: staff recorded that the goods were handed over directly, so no delivery was
   * marked first. Who confirmed is the event's `actor`.
   */
  | { type: 'confirmed'; pledgeId: string; fulfils?: boolean; handedOver?: boolean }
  | { type: 'edited'; changes: WishChanges }
  | { type: 'cancelled'; reason?: string }
  | { type: 'expired' }
  /**
   * A message relayed through the bot between a resident or a donor and the wish's worker. Changes
   * nothing about the wish. `pledgeId`: the donor's pledge it is about. `to`: whom a worker's answer
   * goes to; `fromName`: the worker's first name, as the answer is signed. `key`: what makes it once.
   */
  | { type: 'message'; from: MessageParty; text: string; key: string; pledgeId?: string; to?: MessageRecipient; fromName?: string };

/** Who is talking in a wish's conversation. */
export type MessageParty = 'resident' | 'donor' | 'worker';
export interface MessageRecipient {
  kind: 'resident' | 'donor';
  /** The recipient's actor id (`tg:<telegram id>`). */
  id: string;
}

export type WishEventType = WishEventBody['type'];

export type WishEvent = WishEventBody & {
  /** `<wishId>:<seq>`: inserting it is the decision. */
  id: string;
  wishId: string;
  seq: number;
  at: Date;
  actor: ActorRef;
};

export type WishCommand =
  | { type: 'publish' }
  | { type: 'claim'; donor: DonorRef }
  | { type: 'pledge'; donor: DonorRef; amount: number }
  | { type: 'withdraw'; pledgeId: string; reason?: string }
  | { type: 'release'; pledgeId: string; reason: string }
  | { type: 'deliver'; pledgeId: string }
  /** `handedOver`: staff saw it handed over directly; confirms a pledge not marked delivered. */
  | { type: 'confirm'; pledgeId: string; handedOver?: boolean }
  | { type: 'edit'; changes: WishChanges }
  | { type: 'cancel'; reason?: string }
  | { type: 'expire' }
  /** Relay a message (see the `message` event): from the actor, in the role `from`. */
  | { type: 'message'; from: MessageParty; text: string; key: string; pledgeId?: string; to?: MessageRecipient; fromName?: string };

export type WishCommandType = WishCommand['type'];
