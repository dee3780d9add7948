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
  /** The intake it was drafted from: the resident's own request, so publishing waits for their yes. */
  intakeId?: string;
  /** Where the resident is: an area of the community's tree (src/domain/resources/types.ts), for matching. */
  areaId?: string;
  /** For a service: the skill it needs (one of SKILLS in src/domain/resources/types.ts), for matching. */
  skill?: string;
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
  /** The residents linked to this wish through the bot (`tg:<telegram id>`): they decide what is published. */
  residents?: string[];
  /** Publishing waits for the resident's yes: they were linked (or it came from their intake) while it was a draft. */
  consentRequired?: boolean;
  /** The resident's latest answer for each purpose (see consent.ts). */
  consents?: Partial<Record<ConsentPurpose, ConsentRecord>>;
  /** The last time the resident was shown the card and asked: its event's seq and the card's text. */
  consentAsked?: { seq: number; card: string };
  /** The resident asked to be erased: their details are gone and the card stays redacted. */
  residentErased?: boolean;
  updatedAt: Date;
}

/**
 * What a resident may agree to, one by one: keeping their details, publishing the card to the
 * groups, sharing their contact with the donor who takes the wish, photos.
 */
export const CONSENT_PURPOSES = ['store', 'publish', 'contact', 'photos'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/**
 * `given`: yes. `changes`: not yet, they asked for changes (publish only). `private`: keep it out of
 * the groups (publish only: donors the worker invites still see it). `withdrawn`: yes taken back.
 */
export type ConsentAnswer = 'given' | 'changes' | 'private' | 'withdrawn';
/** `resident`: their own press in the bot. `in_person`: a worker recorded what they said face to face, with a note. */
export type ConsentVia = 'resident' | 'in_person';

export interface ConsentRecord {
  answer: ConsentAnswer;
  via: ConsentVia;
  at: Date;
  /** The event that recorded it. */
  seq: number;
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
  | { type: 'message'; from: MessageParty; text: string; key: string; pledgeId?: string; to?: MessageRecipient; fromName?: string }
  /** A resident followed their link to this wish (or a worker linked them): from now on they decide what is published. */
  | { type: 'resident_linked'; residentId: string }
  /** The resident was shown `card`, exactly as the groups would see it, and asked whether to publish it. */
  | { type: 'consent_asked'; card: string }
  /**
   * The resident's answer for one purpose. `card`: the text they answered about (publish); `note`: how a
   * worker heard it in person.
   */
  | { type: 'consent'; purpose: ConsentPurpose; answer: ConsentAnswer; via: ConsentVia; card?: string; note?: string }
  /** The resident's details were erased at their request: the wish stays as an anonymous record. */
  | { type: 'resident_erased'; residentId: string };

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
  | { type: 'message'; from: MessageParty; text: string; key: string; pledgeId?: string; to?: MessageRecipient; fromName?: string }
  | { type: 'link_resident'; residentId: string }
  /** Show the resident `card` (rendered by the caller in their language) and ask. */
  | { type: 'ask_consent'; card: string }
  /** `askedSeq`: which request a resident's press answers (a card changed since is asked again). */
  | { type: 'consent'; purpose: ConsentPurpose; answer: ConsentAnswer; via: ConsentVia; askedSeq?: number; note?: string }
  | { type: 'erase_resident'; residentId: string };

export type WishCommandType = WishCommand['type'];
