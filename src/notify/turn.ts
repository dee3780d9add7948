// The turn rules: when this instance may dispatch outbox items, until when, and when to decide again.
// Pure: the caller asks the slot leases and passes in what it learned.
//
// Time is cut into slots of `slotMs`; whoever inserted a slot's lease (`sender:<slot start>`) holds
// that slot. Near the end of its slot (`aheadMs` before) the holder asks for the next one, so sending
// never pauses while it keeps winning. If someone else has the next slot, the holder stops dispatching
// `guardMs` before its slot ends, so that what it sent is mostly answered and recorded before the next
// holder reads the outbox. Mostly, not always: a call still in flight when the turn passes can overlap
// the next holder's turn (a slow Bot API, a slow database, a stalled process), and the next holder
// then reads that item as still pending. The overlap is harmless because every call is made under a
// send fence (fences.ts): the next holder cannot send an item whose fence is still held, however
// late the previous holder's answer comes. The turns only keep two senders from pacing the same
// chats against Telegram's limits at once.

export interface TurnTiming {
  slotMs: number;
  /** Stop dispatching this long before a slot ends when the next slot is someone else's. */
  guardMs: number;
  /** Ask for the next slot this long before the current one ends. */
  aheadMs: number;
}

/** Guard 2 s and asking 3 s ahead for the default 10 s slot; proportionally less for short slots. */
export function turnTiming(slotMs: number): TurnTiming {
  if (!(slotMs > 0)) throw new Error(`slotMs must be positive, got ${slotMs}`);
  const guardMs = Math.min(2000, slotMs * 0.3);
  return { slotMs, guardMs, aheadMs: guardMs + Math.min(1000, slotMs * 0.2) };
}

export interface TurnView {
  now: number;
  /** The slot the leases were asked about (the one containing the time of asking). */
  slot: { start: number; end: number };
  /** Whether this instance holds that slot. */
  holdsSlot: boolean;
  /** Whether it holds the slot after it; undefined while not asked. */
  holdsNext?: boolean;
}

export type TurnPlan =
  /** Not our turn (or no longer): dispatch nothing, and decide again at `until`. */
  | { kind: 'wait'; until: number }
  /** Our slot ends soon: ask for the next slot, then plan again with the answer. */
  | { kind: 'ask-next' }
  /** Dispatch until `sendUntil` (no call starts at or after it), and decide again at `decideAt` at the latest. */
  | { kind: 'send'; sendUntil: number; decideAt: number };

/** Once the next slot's answer is in, the plan is to send or to wait. */
export function planTurn(timing: TurnTiming, view: TurnView & { holdsNext: boolean }): Exclude<TurnPlan, { kind: 'ask-next' }>;
export function planTurn(timing: TurnTiming, view: TurnView): TurnPlan;
export function planTurn(timing: TurnTiming, view: TurnView): TurnPlan {
  const { now, slot, holdsSlot, holdsNext } = view;
  // The answers were about a slot that has ended meanwhile: ask again about the current one.
  if (now >= slot.end) return { kind: 'wait', until: now };
  if (!holdsSlot) return { kind: 'wait', until: slot.end };
  if (holdsNext === undefined) {
    if (slot.end - now <= timing.aheadMs) return { kind: 'ask-next' };
    return { kind: 'send', sendUntil: slot.end, decideAt: slot.end - timing.aheadMs };
  }
  if (holdsNext) return { kind: 'send', sendUntil: slot.end + timing.slotMs - timing.guardMs, decideAt: slot.end };
  const sendUntil = slot.end - timing.guardMs;
  if (now >= sendUntil) return { kind: 'wait', until: slot.end };
  return { kind: 'send', sendUntil, decideAt: sendUntil };
}
