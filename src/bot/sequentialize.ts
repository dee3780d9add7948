import { Clock, systemClock } from '../domain/clock';
import type { TurnRecord } from '../db/turn-store';

// One chat at a time (grammY's `sequentialize`): updates sharing a key are handled one after another,
// in order of arrival, different keys in parallel. Within a process a per-key queue of promises orders
// them (telegraf handles a whole getUpdates batch at once); across instances a per-key turn lock in the
// database, made only of unique inserts, lets one instance at a time in.

/** What the lock needs from the database (src/db/turn-store.ts). */
export interface TurnStorage {
  pointer(key: string): Promise<number>;
  get(key: string, n: number): Promise<TurnRecord | null>;
  take(key: string, n: number, holder: string, until: Date, at: Date): Promise<boolean>;
  advance(key: string, n: number, at: Date): Promise<void>;
  renew(key: string, n: number, until: Date): Promise<void>;
  release(key: string, n: number, at: Date): Promise<void>;
}

/**
 * Whose updates wait for each other: a private chat and a person's button presses anywhere are the
 * person's (`p:<userId>`; a private chat's id is the user's), so presses on a busy group's cards by
 * different people never queue behind each other; group messages and membership changes are the group's.
 */
export function turnKeyOf(ctx: {
  callbackQuery?: { from: { id: number } };
  chat?: { id: number; type: string };
  from?: { id: number };
}): string | undefined {
  if (ctx.callbackQuery) return `p:${ctx.callbackQuery.from.id}`;
  if (ctx.chat) return ctx.chat.type === 'private' ? `p:${ctx.chat.id}` : `g:${ctx.chat.id}`;
  if (ctx.from) return `p:${ctx.from.id}`;
  return undefined;
}

/** Per-key FIFO within this process: a task starts when the one queued before it under its key has settled. */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<void>>();
  return {
    /** Queues `task` under `key` now (synchronously, so the order of calls is the order of running). */
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const before = tails.get(key) ?? Promise.resolve();
      let settled!: () => void;
      const mine = new Promise<void>((resolve) => (settled = resolve));
      const tail = before.then(() => mine);
      tails.set(key, tail);
      return before.then(task).finally(() => {
        settled();
        if (tails.get(key) === tail) tails.delete(key);
      });
    },
    /** Whether a task under `key` is running or waiting: one queued now would wait for it. */
    has(key: string): boolean {
      return tails.has(key);
    },
    /** Keys with a task running or waiting. */
    get size() {
      return tails.size;
    },
  };
}

export type KeyedQueue = ReturnType<typeof createKeyedQueue>;

export interface HeldTurn {
  key: string;
  n: number;
  release(): Promise<void>;
}

export interface TurnLockOptions {
  store: TurnStorage;
  /** This instance, as recorded on the turns it holds. */
  holder: string;
  /** How long a turn lasts unless renewed: the longest a crashed holder blocks its key. Default 15 s. */
  lifetimeMs?: number;
  clock?: Clock;
  /** Bounds of the wait between looks at a turn someone else holds. Default 20..500 ms. */
  pollMs?: { min: number; max: number };
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Runs `fn` every `ms` until the returned stop is called: renews held turns. Tests drive it by hand. */
  every?: (ms: number, fn: () => void) => () => void;
  /** A holder renewed too late: its turn had lapsed, and another instance may have taken the key. */
  onLapsed?: (turn: { key: string; n: number }) => void;
  onError?: (err: unknown, what: string) => void;
}

/** How long this process trusts what it remembers about a key's latest turn. */
const HINT_MS = 60_000;
const MAX_HINTS = 10_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const defaultEvery = (ms: number, fn: () => void) => {
  const timer = setInterval(fn, ms);
  timer.unref();
  return () => clearInterval(timer);
};

/**
 * Turn n+1 of a key is taken by inserting `<key>#<n+1>` once turn n is released or has lapsed; the unique
 * _id lets exactly one taker in. A holder renews its turn while it runs and releases it by marking its own
 * document. This process remembers the turns it released, so a key it handled last costs no reads.
 */
export function createTurnLock(opts: TurnLockOptions) {
  const store = opts.store;
  const lifetime = opts.lifetimeMs ?? 15_000;
  const clock = opts.clock ?? systemClock;
  const poll = opts.pollMs ?? { min: 20, max: 500 };
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? defaultSleep;
  const every = opts.every ?? defaultEvery;
  const hints = new Map<string, { n: number; released: boolean; at: number }>();

  const ended = (turn: TurnRecord | null, now: Date) => turn === null || turn.releasedAt !== undefined || turn.until.getTime() <= now.getTime();

  function remember(key: string, n: number, released: boolean) {
    if (hints.size >= MAX_HINTS) {
      const stale = clock().getTime() - HINT_MS;
      for (const [k, h] of hints) if (h.at < stale) hints.delete(k);
      if (hints.size >= MAX_HINTS) hints.clear();
    }
    hints.set(key, { n, released, at: clock().getTime() });
  }

  function hold(key: string, n: number, until: Date): HeldTurn {
    let lastUntil = until;
    // The pointer moves while the holder works (a taker elsewhere reading it late only finds this turn
    // taken, and looks at the next): it costs the holder no wait. Renewals and the release are chained
    // after it: two writes to one document at once can lose one on FerretDB.
    let writes: Promise<void> = store.advance(key, n, clock()).catch((err: unknown) => opts.onError?.(err, 'pointer'));
    const stop = every(Math.max(1, Math.floor(lifetime / 3)), () => {
      writes = writes.then(async () => {
        const now = clock();
        if (now.getTime() >= lastUntil.getTime()) opts.onLapsed?.({ key, n });
        const next = new Date(now.getTime() + lifetime);
        try {
          await store.renew(key, n, next);
          lastUntil = next;
        } catch (err) {
          opts.onError?.(err, 'renew');
        }
      });
    });
    remember(key, n, false);
    let released: Promise<void> | undefined;
    return {
      key,
      n,
      release() {
        released ??= (async () => {
          stop();
          await writes;
          await store.release(key, n, clock());
          remember(key, n, true);
        })();
        return released;
      },
    };
  }

  return {
    /** Waits for the key's turn and holds it; release() lets the next taker in. */
    async take(key: string): Promise<HeldTurn> {
      const hint = hints.get(key);
      const fresh = hint !== undefined && clock().getTime() - hint.at < HINT_MS;
      let n = fresh ? hint.n : await store.pointer(key);
      // The latest turn as last seen: undefined = not looked at yet; null = gone (ended long ago).
      let latest: TurnRecord | null | undefined = fresh && hint.released ? { n, holder: '', until: new Date(0), releasedAt: new Date(0) } : undefined;
      let wait = poll.min;
      for (;;) {
        if (n > 0 && latest === undefined) latest = await store.get(key, n);
        const now = clock();
        if (n === 0 || ended(latest!, now)) {
          const until = new Date(now.getTime() + lifetime);
          if (await store.take(key, n + 1, opts.holder, until, now)) return hold(key, n + 1, until);
          // Someone took it first (or our hint was behind): look at theirs.
          n += 1;
          latest = undefined;
          continue;
        }
        // Held elsewhere: look again soon, and no later than when it would lapse.
        const lapsesIn = latest!.until.getTime() - now.getTime();
        await sleep(Math.max(1, Math.min(wait * (0.5 + random()), lapsesIn + 1)));
        wait = Math.min(poll.max, wait * 2);
        latest = undefined;
      }
    },
  };
}

export type TurnLock = ReturnType<typeof createTurnLock>;

/**
 * Runs `task` alone among the tasks of its key: first in this process's queue, then holding the key's
 * turn in the database. Tasks without a key run at once.
 */
export function createSequentializer(deps: { queue?: KeyedQueue; lock: TurnLock; onError?: (err: unknown, what: string) => void }) {
  const queue = deps.queue ?? createKeyedQueue();
  /** `acrossInstances: false`: only this process's queue (for updates whose work needs no turn in the database). */
  const sequential = <T>(key: string | undefined, task: () => Promise<T>, opts: { acrossInstances?: boolean } = {}): Promise<T> => {
    if (key === undefined) return task();
    if (opts.acrossInstances === false) return queue.run(key, task);
    return queue.run(key, async () => {
      const turn = await deps.lock.take(key);
      try {
        return await task();
      } finally {
        // A release that fails leaves the turn to lapse: the key waits a lifetime, nothing worse.
        await turn.release().catch((err: unknown) => deps.onError?.(err, 'release'));
      }
    });
  };
  /** Whether a task under `key` is queued in this process now (one queued next would wait for it). */
  return Object.assign(sequential, { queued: (key: string | undefined) => key !== undefined && queue.has(key) });
}
