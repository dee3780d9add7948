// Work that follows a commit but must not delay its answer (the snapshot write, the relay to the
// outbox, the sender's wake-up). Tasks under one key run one after another in the order given (a
// wish's effects in commit order); a bounded number of keys at a time, so a burst of presses keeps the database for
// the presses themselves. Nothing here is durable: what a crash loses, the relay sweep redoes.

export interface Later {
  /** Queues `task` under `key`; returns at once. A task's failure is reported, never thrown. */
  run(key: string, task: () => Promise<void>): void;
  /** Settles when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void>;
  /** Tasks queued or running. */
  readonly size: number;
}

export interface LaterOptions {
  /** Keys worked on at once. Default 16. */
  concurrency?: number;
  onError?(err: unknown, key: string): void;
}

export function createLater(opts: LaterOptions = {}): Later {
  const concurrency = Math.max(1, opts.concurrency ?? 16);
  const queues = new Map<string, Array<() => Promise<void>>>();
  /** Keys with work waiting for a free slot, in order of arrival. */
  const ready: string[] = [];
  let running = 0;
  let size = 0;
  let waiters: Array<() => void> = [];

  function settleIfIdle() {
    if (size > 0) return;
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  }

  function pump() {
    while (running < concurrency && ready.length > 0) {
      const key = ready.shift()!;
      running++;
      void drain(key);
    }
  }

  /** Runs a key's tasks until its queue is empty; other keys wait for a slot. */
  async function drain(key: string) {
    for (let task = queues.get(key)?.shift(); task; task = queues.get(key)?.shift()) {
      try {
        await task();
      } catch (err) {
        opts.onError?.(err, key);
      }
      size--;
    }
    queues.delete(key);
    running--;
    settleIfIdle();
    pump();
  }

  return {
    run(key, task) {
      size++;
      const queue = queues.get(key);
      if (queue) {
        queue.push(task);
        return;
      }
      queues.set(key, [task]);
      ready.push(key);
      pump();
    },
    idle() {
      return size === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve));
    },
    get size() {
      return size;
    },
  };
}
