import { LeaseStore } from '../db/lease-store';

/** The time slot of `slotMs` containing `at`: slot k is [k * slotMs, (k + 1) * slotMs). */
export function slotAt(at: Date, slotMs: number): { start: number; end: number } {
  const start = Math.floor(at.getTime() / slotMs) * slotMs;
  return { start, end: start + slotMs };
}

/** A slot lease's key, `<name>:<slot start ISO>`: every instance computes the same one. */
export function slotLeaseKey(name: string, at: Date, slotMs: number): string {
  return `${name}:${new Date(slotAt(at, slotMs).start).toISOString()}`;
}

/**
 * Time-slot leases for one holder: whoever inserts a slot's key first holds that slot, on every
 * engine (a unique insert, never a conditional update or a delete). Answers are remembered, so asking
 * again about a slot already decided costs no database round trip.
 *
 * All instances contending for one name must use the same `slotMs`, or their keys would differ.
 */
export function createLeases(store: Pick<LeaseStore, 'tryAcquire'>, holderId: string) {
  const decided = new Map<string, boolean>();
  return {
    holderId,
    /** True if this holder holds the slot of `slotMs` containing `at` (taking it now if it is free). */
    async acquireSlot(name: string, at: Date, slotMs: number): Promise<boolean> {
      const key = slotLeaseKey(name, at, slotMs);
      const known = decided.get(key);
      if (known !== undefined) return known;
      const won = await store.tryAcquire(key, holderId, new Date(slotAt(at, slotMs).end));
      decided.set(key, won);
      // Only recent slots are ever asked about again.
      if (decided.size > 64) decided.delete(decided.keys().next().value!);
      return won;
    },
  };
}

export type Leases = ReturnType<typeof createLeases>;
