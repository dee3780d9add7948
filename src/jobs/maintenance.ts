import { Logger } from 'pino';
import { WishEvent, WishState } from '../domain/wish/types';
import { fold } from '../domain/wish/evolve';

export interface RelayLog {
  /** Events committed before `before` whose messages were never relayed (a crash between commit and relay). */
  unrelayed(before: Date, limit: number): Promise<WishEvent[]>;
  /** All events of a wish up to and including `seq`. */
  eventsUpTo(wishId: string, seq: number): Promise<WishEvent[]>;
  /** Brings the wish's snapshot (what lists read) up to its latest event; throws if it cannot. */
  refreshSnapshot?(wishId: string): Promise<void>;
}

/**
 * Relays events the inline relay missed; keys make a second relay of the same event harmless. The
 * same crash or outage that lost the relay usually lost the snapshot write too (a wish answered 201
 * but missing from lists filtered by status), so each such wish's snapshot is brought up to date first.
 */
export async function sweepRelay(deps: { log: RelayLog; onEvent(event: WishEvent, state: WishState): Promise<void>; graceMs?: number }, now: Date): Promise<{ relayed: number }> {
  const missed = await deps.log.unrelayed(new Date(now.getTime() - (deps.graceMs ?? 30_000)), 500);
  const refreshed = new Set<string>();
  for (const event of missed) {
    if (deps.log.refreshSnapshot && !refreshed.has(event.wishId)) {
      await deps.log.refreshSnapshot(event.wishId);
      refreshed.add(event.wishId);
    }
    const state = fold(await deps.log.eventsUpTo(event.wishId, event.seq));
    if (state) await deps.onEvent(event, state);
  }
  return { relayed: missed.length };
}

/** FerretDB has no TTL indexes: old handled-update ids, delivered outbox items, send fences, spent leases and ended chat turns are deleted here. */
export async function housekeeping(
  deps: {
    updates: { deleteBefore(date: Date): Promise<number> };
    outbox: { deleteSentBefore(date: Date): Promise<number> };
    leases: { deleteExpiredBefore(date: Date): Promise<number> };
    turns: { deleteEndedBefore(date: Date): Promise<number> };
    fences: { deleteCreatedBefore(date: Date): Promise<number> };
    keepDays: number;
    logger?: Logger;
  },
  now: Date,
) {
  const cutoff = new Date(now.getTime() - deps.keepDays * 86_400_000);
  return {
    updates: await deps.updates.deleteBefore(cutoff),
    outbox: await deps.outbox.deleteSentBefore(cutoff),
    // Kept as long as sent items: a fence is only ever read while its item is pending.
    fences: await deps.fences.deleteCreatedBefore(cutoff),
    leases: await deps.leases.deleteExpiredBefore(now),
    // By the same cutoff of days: a turn is only deleted long after anyone could still be looking at it.
    turns: await deps.turns.deleteEndedBefore(cutoff),
  };
}
