import { createKeyedQueue, createSequentializer, createTurnLock, TurnStorage, turnKeyOf } from '../../src/bot/sequentialize';
import type { TurnRecord } from '../../src/db/turn-store';

/** A promise with its resolve, to finish a task exactly when a test says so. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets every settled promise run its callbacks. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('per-key queue', () => {
  it('runs the tasks of one key one at a time, in the order they were queued', async () => {
    const queue = createKeyedQueue();
    const log: string[] = [];
    const gates = [deferred(), deferred(), deferred()];
    const runs = gates.map((gate, i) =>
      queue.run('p:1', async () => {
        log.push(`start ${i}`);
        await gate.promise;
        log.push(`end ${i}`);
        return i;
      }),
    );
    await flush();
    expect(log).toEqual(['start 0']);
    gates[2]!.resolve(); // finishing early changes nothing: task 2 has not started
    gates[1]!.resolve();
    await flush();
    expect(log).toEqual(['start 0']);
    gates[0]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    expect(queue.size).toBe(0);
  });

  it('runs different keys side by side', async () => {
    const queue = createKeyedQueue();
    const gate = deferred();
    const started: string[] = [];
    const a = queue.run('p:1', async () => {
      started.push('p:1');
      await gate.promise;
    });
    const b = queue.run('g:-100', async () => {
      started.push('g:-100');
    });
    await b;
    expect(started).toEqual(['p:1', 'g:-100']);
    gate.resolve();
    await a;
  });

  it('a task that fails does not hold up the next one, and the caller sees its error', async () => {
    const queue = createKeyedQueue();
    const failed = queue.run('p:1', async () => {
      throw new Error('boom');
    });
    const next = queue.run('p:1', async () => 'next ran');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next ran');
    expect(queue.size).toBe(0);
  });
});

describe('whose turn an update waits for', () => {
  const person = { id: 42 };
  const group = { id: -100_5, type: 'supergroup' };
  it('private chats and a person’s presses anywhere are the person’s; group messages are the group’s', () => {
    expect(turnKeyOf({ chat: { id: 42, type: 'private' }, from: person })).toBe('p:42');
    expect(turnKeyOf({ callbackQuery: { from: person }, chat: group, from: person })).toBe('p:42');
    expect(turnKeyOf({ callbackQuery: { from: person }, chat: { id: 42, type: 'private' }, from: person })).toBe('p:42');
    expect(turnKeyOf({ chat: group, from: person })).toBe('g:-1005');
    // my_chat_member: the bot added to or removed from a chat
    expect(turnKeyOf({ chat: { id: -7, type: 'group' }, from: person })).toBe('g:-7');
    expect(turnKeyOf({ from: person })).toBe('p:42');
    expect(turnKeyOf({})).toBeUndefined();
  });
});

/** Turns in memory, counting the database round trips the lock would make. */
function memoryTurns() {
  const turns = new Map<string, TurnRecord>();
  const pointers = new Map<string, number>();
  const calls: string[] = [];
  const store: TurnStorage = {
    async pointer(key) {
      calls.push('pointer');
      return pointers.get(key) ?? 0;
    },
    async get(key, n) {
      calls.push('get');
      const t = turns.get(`${key}#${n}`);
      return t ? { ...t } : null;
    },
    async take(key, n, holder, until) {
      calls.push('take');
      if (turns.has(`${key}#${n}`)) return false;
      turns.set(`${key}#${n}`, { n, holder, until });
      return true;
    },
    async advance(key, n) {
      calls.push('advance');
      pointers.set(key, Math.max(n, pointers.get(key) ?? 0));
    },
    async renew(key, n, until) {
      calls.push('renew');
      turns.get(`${key}#${n}`)!.until = until;
    },
    async release(key, n, at) {
      calls.push('release');
      turns.get(`${key}#${n}`)!.releasedAt = at;
    },
  };
  return { store, calls, turns };
}

describe('turn lock costs', () => {
  const noRenewal = () => () => undefined;

  it('a key this process released last is taken again with one insert, and released with one write after moving the pointer', async () => {
    const { store, calls } = memoryTurns();
    const lock = createTurnLock({ store, holder: 'a', every: noRenewal });
    await (await lock.take('p:1')).release();
    calls.length = 0;
    const turn = await lock.take('p:1');
    expect(turn.n).toBe(2);
    await turn.release();
    expect(calls).toEqual(['take', 'advance', 'release']);
  });

  it('a process that never saw the key finds its current turn with a pointer read and a point read', async () => {
    const { store, calls } = memoryTurns();
    const other = createTurnLock({ store, holder: 'b', every: noRenewal });
    for (let i = 0; i < 3; i++) await (await other.take('p:1')).release();
    calls.length = 0;
    const turn = await createTurnLock({ store, holder: 'a', every: noRenewal }).take('p:1');
    expect(turn.n).toBe(4);
    expect(calls).toEqual(['pointer', 'get', 'take', 'advance']);
  });

  it('the holder starts without waiting for the pointer to move, and releases only after it has', async () => {
    const { store, turns } = memoryTurns();
    let moved!: () => void;
    const slow: TurnStorage = { ...store, advance: (key, n, at) => new Promise<void>((resolve) => (moved = resolve)).then(() => store.advance(key, n, at)) };
    const turn = await createTurnLock({ store: slow, holder: 'a', every: noRenewal }).take('p:1');
    expect(turn.n).toBe(1);
    const released = turn.release();
    await Promise.resolve();
    expect(turns.get('p:1#1')!.releasedAt).toBeUndefined();
    moved();
    await released;
    expect(turns.get('p:1#1')!.releasedAt).toBeDefined();
    expect(await store.pointer('p:1')).toBe(1);
  });

  it('queue and lock together: one key in order, the turn released after each task, even a failed one', async () => {
    const { store, turns } = memoryTurns();
    const sequential = createSequentializer({ lock: createTurnLock({ store, holder: 'a', every: noRenewal }) });
    const order: number[] = [];
    const runs = [1, 2, 3].map((i) =>
      sequential('p:1', async () => {
        order.push(i);
        if (i === 2) throw new Error('handler failed');
      }).catch(() => undefined),
    );
    await Promise.all(runs);
    expect(order).toEqual([1, 2, 3]);
    expect([...turns.values()].map((t) => [t.n, t.releasedAt !== undefined])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
  });
});
