// Send fences: exactly one sender may call the Bot API for an outbox item at a time, even when the
// sending turn changes hands while a call is in flight.
//
// Before a call for an item, the sender inserts the fence `<itemId>#<generation>` (a unique insert: the
// one exclusive decision every engine makes atomically), with an `until` time. Only the sender that
// inserted it calls; one that finds it taken leaves the item alone. The item's `generation` says which
// fence its next attempt takes, and only a fence holder ever writes it: after a failed attempt (a
// retry) or one given up unused, the holder moves the item to the next generation.
//
// A fence whose `until` has passed while its item is still pending, at that same generation, means its
// holder died (or hung) mid-attempt. The next sender then takes the next generation, again by unique
// insert, so exactly one of them carries on. Hence, after a crash, only the items that were in flight
// can be sent twice. For that to hold between live senders, a holder must be done well before `until`:
// each call is cut off after `callTimeoutMs`, no call starts later than `until - 2 x callTimeoutMs`
// (one timeout for the call, one more to record its answer), and `until` is the holder's clock plus
// `fenceMs`. Instances' clocks must agree to well within that slack.
import { SendFence } from '../db/fence-store';
import { OutboxItem } from '../domain/outbox';

export const DEFAULT_FENCE_MS = 60_000;
export const DEFAULT_CALL_TIMEOUT_MS = 15_000;

export interface FenceDeps {
  store: { tryTake(fence: SendFence): Promise<boolean>; get(itemId: string, generation: number): Promise<SendFence | null> };
  /** The item as stored now (one read by _id), to tell a dead holder's fence from a finished one. */
  outbox: { get(id: string): Promise<OutboxItem | null> };
  holderId: string;
  clock: () => Date;
  fenceMs?: number;
  callTimeoutMs?: number;
}

export type FenceTake =
  /** Ours: calls for this item may start until `callDeadline`. */
  | { kind: 'held'; generation: number; until: number; callDeadline: number }
  /** Another sender holds it (an attempt in flight there) until `until`. */
  | { kind: 'busy'; generation: number; until: number }
  /** The item is no longer pending: someone sent it or gave up on it. */
  | { kind: 'settled' }
  /** Its holder rescheduled it (a retry): not due before `notBefore`. */
  | { kind: 'not-due'; notBefore: number };

export type Fences = ReturnType<typeof createFences>;

export function createFences(deps: FenceDeps) {
  const fenceMs = deps.fenceMs ?? DEFAULT_FENCE_MS;
  const callTimeoutMs = deps.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  if (!(callTimeoutMs > 0 && fenceMs > 2 * callTimeoutMs)) {
    throw new Error(`send fences must outlive two call timeouts (one to call, one to record): fenceMs ${fenceMs}, callTimeoutMs ${callTimeoutMs}`);
  }
  const now = () => deps.clock().getTime();

  return {
    fenceMs,
    callTimeoutMs,
    /**
     * Takes the fence for the item's next attempt: the generation it was read with, or, past fences of
     * dead holders, the first free one after. Never decides by updating or deleting a fence.
     */
    async take(item: Pick<OutboxItem, 'id' | 'generation'>): Promise<FenceTake> {
      let generation = item.generation ?? 0;
      // Each step passes one expired fence of a dead holder; this many in a row means something else is wrong.
      for (let step = 0; step < 100; step++) {
        const takenAt = now();
        const until = takenAt + fenceMs;
        if (await deps.store.tryTake({ itemId: item.id, generation, holder: deps.holderId, createdAt: new Date(takenAt), until: new Date(until) })) {
          return { kind: 'held', generation, until, callDeadline: until - 2 * callTimeoutMs };
        }
        const fence = await deps.store.get(item.id, generation);
        // Gone between the insert and the read: only housekeeping deletes fences, and only very old ones.
        if (!fence) continue;
        const t = now();
        if (fence.until.getTime() > t) return { kind: 'busy', generation, until: fence.until.getTime() };
        // Expired. Did its holder finish (sent, failed, rescheduled), or die mid-attempt?
        const current = await deps.outbox.get(item.id);
        if (!current || current.status !== 'pending') return { kind: 'settled' };
        if (current.notBefore.getTime() > t) return { kind: 'not-due', notBefore: current.notBefore.getTime() };
        // Still pending at this generation (or a later one its holder moved it to): take the next.
        generation = Math.max(generation + 1, current.generation ?? 0);
      }
      throw new Error(`no free send fence for ${item.id} after 100 tries`);
    },
  };
}
