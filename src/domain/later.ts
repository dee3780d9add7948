// Work that follows a commit but must not delay its answer (the relay to the outbox and the sender's
// wake-up). Tasks start in the order given, a bounded number at once, so a burst of presses keeps the
// database for the presses themselves. Tasks of one wish may overlap: each relays its own event, and
// the outbox orders a chat's messages by when their events were committed, not by when they were
// relayed. Nothing here is durable: what a crash loses, the relay sweep redoes.

export interface Later {
  /** Queues `task` (about `key`, for reports); returns at once. A task's failure is reported, never thrown. */
  run(key: string, task: () => Promise<void>): void;
  /** Settles when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void>;
  /** Whether a task about `key` is queued or running here. */
  has(key: string): boolean;
  /** Tasks queued or running. */
  readonly size: number;
}

export interface LaterOptions {
  /** Tasks run at once. Default 32. */
  concurrency?: number;
  onError?(err: unknown, key: string): void;
}

export function createLater(opts: LaterOptions = {}): Later {
  const concurrency = Math.max(1, opts.concurrency ?? 32);
  const queue: Array<{ key: string; task: () => Promise<void> }> = [];
  let running = 0;
  let waiters: Array<() => void> = [];
  const keys = new Map<string, number>();
  const forget = (key: string) => {
    const n = (keys.get(key) ?? 1) - 1;
    if (n > 0) keys.set(key, n);
    else keys.delete(key);
  };

  const size = () => queue.length + running;

  function pump() {
    while (running < concurrency && queue.length > 0) {
      const { key, task } = queue.shift()!;
      running++;
      void (async () => {
        try {
          await task();
        } catch (err) {
          opts.onError?.(err, key);
        }
        forget(key);
        running--;
        if (size() === 0) {
          const done = waiters;
          waiters = [];
          for (const resolve of done) resolve();
        }
        pump();
      })();
    }
  }

  return {
    run(key, task) {
      keys.set(key, (keys.get(key) ?? 0) + 1);
      queue.push({ key, task });
      pump();
    },
    idle() {
      return size() === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve));
    },
    has: (key) => keys.has(key),
    get size() {
      return size();
    },
  };
}
