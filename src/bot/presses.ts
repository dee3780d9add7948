import { Clock, systemClock } from '../domain/clock';

// How many button presses the bot takes on: one person at most a few per moment (a token bucket),
// and all of them together no more than it can answer within Telegram's short answer window.

export interface PressLimiterOptions {
  /** Presses one person may make in a burst, and per window on average. Default 8. */
  perWindow?: number;
  /** Default 10 s. */
  windowMs?: number;
  clock?: Clock;
  /** People remembered at most; idle ones (full buckets) are forgotten first. Default 10 000. */
  maxPeople?: number;
}

/**
 * A per-person token bucket in memory: each person holds up to `perWindow` tokens, refilled evenly
 * over `windowMs`; a press takes one. Per instance: several instances each allow the rate, which is
 * still far below a flood.
 */
export function createPressLimiter(opts: PressLimiterOptions = {}) {
  const capacity = opts.perWindow ?? 8;
  const windowMs = opts.windowMs ?? 10_000;
  if (!(capacity >= 1 && windowMs > 0)) throw new Error('press limiter: perWindow must be >= 1 and windowMs > 0');
  const clock = opts.clock ?? systemClock;
  const maxPeople = opts.maxPeople ?? 10_000;
  const perMs = capacity / windowMs;
  const buckets = new Map<number, { tokens: number; at: number }>();

  const level = (b: { tokens: number; at: number }, now: number) => Math.min(capacity, b.tokens + Math.max(0, now - b.at) * perMs);

  function forgetIdle(now: number) {
    for (const [id, b] of buckets) if (level(b, now) >= capacity) buckets.delete(id);
    // Everyone pressing at once: start afresh rather than grow without bound.
    if (buckets.size >= maxPeople) buckets.clear();
  }

  return {
    /** Takes a token for `userId`: false when they have none left (the press is refused). */
    take(userId: number): boolean {
      const now = clock().getTime();
      let b = buckets.get(userId);
      if (!b) {
        if (buckets.size >= maxPeople) forgetIdle(now);
        b = { tokens: capacity, at: now };
        buckets.set(userId, b);
      }
      b.tokens = level(b, now);
      b.at = now;
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
    /** People remembered now. */
    get size() {
      return buckets.size;
    },
  };
}

export type PressLimiter = ReturnType<typeof createPressLimiter>;

export interface BacklogOptions {
  /** A press that waited longer than this before its turn is not done (Telegram's answer window is short). Default 10 s. */
  maxWaitMs?: number;
  /** Presses in this process (waiting or running) beyond which a new one is not taken on. Default 200. */
  maxQueued?: number;
  clock?: Clock;
}

/**
 * The presses this process has taken on and not finished. A press that arrives when too many are
 * queued, or whose turn comes after it has waited too long, is shed: answered "busy" and not done.
 */
export function createBacklog(opts: BacklogOptions = {}) {
  const maxWaitMs = opts.maxWaitMs ?? 10_000;
  const maxQueued = opts.maxQueued ?? 200;
  const clock = opts.clock ?? systemClock;
  let queued = 0;
  return {
    /** A press arrives: undefined when the backlog is full (shed it now), else its ticket. */
    enter(): { startable(): boolean; leave(): void } | undefined {
      if (queued >= maxQueued) return undefined;
      queued++;
      const arrived = clock().getTime();
      let left = false;
      return {
        /** Its turn has come: whether it is still worth doing (it has not waited too long). */
        startable: () => clock().getTime() - arrived <= maxWaitMs,
        leave() {
          if (left) return;
          left = true;
          queued--;
        },
      };
    },
    get queued() {
      return queued;
    },
  };
}

export type Backlog = ReturnType<typeof createBacklog>;
