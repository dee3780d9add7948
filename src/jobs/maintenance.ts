import { Logger } from 'pino';
import { WishEvent, WishState } from '../domain/wish/types';
import { fold } from '../domain/wish/evolve';

export interface RelayLog {
  /** Events committed before `before` whose messages were never relayed (a crash between commit and relay). */
  unrelayed(before: Date, limit: number): Promise<WishEvent[]>;
  /** All events of a wish up to and including `seq`. */
  eventsUpTo(wishId: string, seq: number): Promise<WishEvent[]>;
  /** Saves a wish's snapshot (what lists read) if it is newer than the stored one; throws if it cannot. */
  saveSnapshot?(state: WishState): Promise<void>;
}

/**
 * Relays events the inline relay missed; keys make a second relay of the same event harmless. The
 * same crash or outage that lost the relay usually lost the snapshot write too (a wish answered 201
 * but missing from lists filtered by status), so each such wish's snapshot is brought up to date
 * first. A wish's events are read once, and each missed event is relayed with the state as it stood
 * after it.
 */
export async function sweepRelay(
  deps: {
    log: RelayLog;
    onEvent(event: WishEvent, state: WishState): Promise<void>;
    graceMs?: number;
    concurrency?: number;
    /** Whether this process is still relaying the event after its commit (a burst's backlog): not missed, only late. */
    relaying?(eventId: string): boolean;
  },
  now: Date,
): Promise<{ relayed: number }> {
  const missed = (await deps.log.unrelayed(new Date(now.getTime() - (deps.graceMs ?? 30_000)), 500)).filter((e) => !deps.relaying?.(e.id));
  const byWish = new Map<string, WishEvent[]>();
  for (const event of missed) byWish.set(event.wishId, [...(byWish.get(event.wishId) ?? []), event]);
  const catchUp = async (wishId: string, events: WishEvent[]) => {
    const history = await deps.log.eventsUpTo(wishId, Number.MAX_SAFE_INTEGER);
    const latest = fold(history);
    if (latest && deps.log.saveSnapshot) await deps.log.saveSnapshot(latest);
    for (const event of events.sort((a, b) => a.seq - b.seq)) {
      const state = fold(history.filter((e) => e.seq <= event.seq));
      if (state) await deps.onEvent(event, state);
    }
  };
  // Several wishes at once (a wish's own events in order): after a crash under load the backlog clears in a fraction of the time.
  const queue = [...byWish];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await catchUp(...next);
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? 8, queue.length) }, worker));
  return { relayed: missed.length };
}

/** FerretDB has no TTL indexes: old handled-update ids, delivered items of the outbox's history, send fences, spent leases and ended chat turns are deleted here. */
export async function housekeeping(
  deps: {
    updates: { deleteBefore(date: Date): Promise<number> };
    outbox: { deleteSentBefore(date: Date): Promise<number> };
    leases: { deleteExpiredBefore(date: Date): Promise<number> };
    turns: { deleteEndedBefore(date: Date): Promise<number> };
    fences: { deleteCreatedBefore(date: Date): Promise<number> };
    /** The web console's sessions: an expired one is gone at its next use, these are the ones never used again. */
    consoleSessions?: { deleteExpiredBefore(date: Date): Promise<number> };
    keepDays: number;
    logger?: Logger;
  },
  now: Date,
) {
  const cutoff = new Date(now.getTime() - deps.keepDays * 86_400_000);
  return {
    updates: await deps.updates.deleteBefore(cutoff),
    outbox: await deps.outbox.deleteSentBefore(cutoff),
    // Kept as long as sent items: a fence found taken is how the sender tells a pending copy of a sent item (sender.ts).
    fences: await deps.fences.deleteCreatedBefore(cutoff),
    leases: await deps.leases.deleteExpiredBefore(now),
    // By the same cutoff of days: a turn is only deleted long after anyone could still be looking at it.
    turns: await deps.turns.deleteEndedBefore(cutoff),
    ...(deps.consoleSessions ? { consoleSessions: await deps.consoleSessions.deleteExpiredBefore(now) } : {}),
  };
}
