import { ActorRef } from '../wish/types';

// The in-kind ledger: goods the community received, and where every unit went. Each kind of item
// (name and unit, per community) is one event stream, `<itemId>:<seq>`, appended by unique insert at
// version + 1 like a wish's: two allocations at once never both take the last unit, and every figure
// is a fold of the events.

export const CONDITIONS = ['new', 'good', 'used'] as const;
export type Condition = (typeof CONDITIONS)[number];
export const ADJUST_REASONS = ['damaged', 'expired', 'lost', 'found', 'counted'] as const;
export type AdjustReason = (typeof ADJUST_REASONS)[number];

/** Who gave it: a name as the worker wrote it, and the donor or directory entry when known. */
export interface Giver {
  name: string;
  /** `tg:<id>` of a donor who gave through the bot: told what their gift became. */
  donorId?: string;
  resourceId?: string;
  /** Counted but never named in public. */
  anonymous?: boolean;
}

/** Where an allocation goes: a wish (fulfilled from stock), a resident or household, a surplus offer. */
export type Destination = { kind: 'wish'; wishId: string } | { kind: 'resident'; label: string } | { kind: 'surplus'; offerId: string };

/** Units drawn from each receipt (lot), so a giver can be told what their gift became. */
export type Draw = Array<{ lot: number; quantity: number }>;

interface Base {
  id: string;
  itemId: string;
  seq: number;
  at: Date;
  actor: ActorRef;
}

export type StockEventBody =
  | { type: 'received'; communityId: string; name: string; unit: string; quantity: number; from: Giver; condition: Condition; expiry?: Date; photoFileId?: string }
  | { type: 'allocated'; allocationId: string; quantity: number; to: Destination; draw: Draw }
  | { type: 'distributed'; allocationId: string; quantity: number; recipients?: number }
  | { type: 'confirmed'; allocationId: string }
  /** What an allocation did not use goes back to the lots it came from. */
  | { type: 'returned'; allocationId: string; quantity: number; draw: Draw }
  | { type: 'transferred'; quantity: number; toCommunityId: string; draw: Draw }
  | { type: 'adjusted'; delta: number; reason: AdjustReason; note?: string; draw: Draw };

export type StockEvent = StockEventBody & Base;

export interface Lot {
  lot: number;
  from: Giver;
  quantity: number;
  remaining: number;
  condition: Condition;
  expiry?: Date;
  receivedAt: Date;
  /** Units of this lot handed over, and to how many households or wishes. */
  distributed: number;
  recipients: number;
}

export interface Allocation {
  id: string;
  quantity: number;
  to: Destination;
  draw: Draw;
  status: 'allocated' | 'distributed' | 'confirmed' | 'returned';
  /** Handed over so far (a surplus offer hands over what was taken). */
  distributed: number;
  at: Date;
}

export interface StockState {
  itemId: string;
  communityId: string;
  name: string;
  unit: string;
  version: number;
  lots: Lot[];
  allocations: Allocation[];
  /** On the shelf: not allocated, not gone. */
  available: number;
  /** Set aside for a wish, a resident or a surplus offer, not yet handed over. */
  allocated: number;
  received: number;
  distributed: number;
  transferred: number;
  adjustedIn: number;
  adjustedOut: number;
  updatedAt: Date;
}

export type StockCommand =
  | { type: 'receive'; communityId: string; name: string; unit: string; quantity: number; from: Giver; condition: Condition; expiry?: Date; photoFileId?: string }
  | { type: 'allocate'; quantity: number; to: Destination }
  | { type: 'distribute'; allocationId: string; quantity?: number; recipients?: number }
  | { type: 'confirm'; allocationId: string }
  | { type: 'return'; allocationId: string; quantity?: number }
  | { type: 'transfer'; quantity: number; toCommunityId: string }
  | { type: 'adjust'; delta: number; reason: AdjustReason; note?: string };
