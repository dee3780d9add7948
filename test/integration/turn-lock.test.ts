import { createSequentializer, createTurnLock, HeldTurn, TurnStorage } from '../../src/bot/sequentialize';
import { createBotModels } from '../../src/db/bot-models';
import { ensureIndexes } from '../../src/db/models';
import { createTurnStore, TurnStore } from '../../src/db/turn-store';
import { housekeeping } from '../../src/jobs/maintenance';
import { useTestDatabase } from '../support/db';
import { DAY, manualClock } from '../support/fixtures';

/** The store, with promises for the moment a taker has looked at turn `n` a given number of times, and for renewals. */
function watched(store: TurnStore) {
  const looks = new Map<number, number>();
  const waiters: Array<{ n: number; times: number; resolve: () => void }> = [];
  const renewals: Array<() => void> = [];
  const spy: TurnStorage = {
    ...store,
    async renew(key, n, until) {
      await store.renew(key, n, until);
      for (const resolve of renewals.splice(0)) resolve();
    },
    async get(key, n) {
      const turn = await store.get(key, n);
      looks.set(n, (looks.get(n) ?? 0) + 1);
      for (const w of [...waiters]) {
        if (w.n !== n || (looks.get(n) ?? 0) < w.times) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      return turn;
    },
  };
  const lookedAt = (n: number, times: number) =>
    new Promise<void>((resolve) => ((looks.get(n) ?? 0) >= times ? resolve() : waiters.push({ n, times, resolve })));
  const renewed = () => new Promise<void>((resolve) => renewals.push(resolve));
  return { spy, lookedAt, renewed };
}

describe('chat turns on the real database', () => {
  const db = useTestDatabase();
  let store: TurnStore;

  beforeAll(async () => {
    const models = createBotModels(db.conn);
    await ensureIndexes(models);
    store = createTurnStore(models);
  });

  it('many takers from four instances on one key: exactly one holds a turn at a time, each gets a turn of its own', async () => {
    const instances = ['a', 'b', 'c', 'd'].map((holder) => createTurnLock({ store, holder, pollMs: { min: 5, max: 50 } }));
    let holding = 0;
    let most = 0;
    const taken: number[] = [];
    // Eight takers per instance at once, with no queue in front: the database alone keeps them apart.
    await Promise.all(
      instances.flatMap((lock) =>
        Array.from({ length: 8 }, async () => {
          const turn = await lock.take('p:many');
          holding += 1;
          most = Math.max(most, holding);
          taken.push(turn.n);
          await store.get('p:many', turn.n); // a database round trip while holding
          holding -= 1;
          await turn.release();
        }),
      ),
    );
    expect(most).toBe(1);
    expect([...taken].sort((x, y) => x - y)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    expect(taken).toEqual([...taken].sort((x, y) => x - y)); // turns are held in their order
    expect(await store.pointer('p:many')).toBe(32);
  });

  it('two instances with their queues: tasks of one key never overlap, other keys are not held up', async () => {
    const run = ['a', 'b'].map((holder) => createSequentializer({ lock: createTurnLock({ store, holder, pollMs: { min: 5, max: 50 } }) }));
    const active = new Map<string, number>();
    let overlap = false;
    const task = (key: string) => async () => {
      active.set(key, (active.get(key) ?? 0) + 1);
      if (active.get(key)! > 1) overlap = true;
      await store.pointer(key);
      active.set(key, active.get(key)! - 1);
    };
    const keys = ['p:x', 'p:y', 'g:-100'];
    await Promise.all(Array.from({ length: 30 }, (_, i) => run[i % 2]!(keys[i % 3], task(keys[i % 3]!))));
    expect(overlap).toBe(false);
    for (const key of keys) expect(await store.pointer(key)).toBe(10);

    // While one instance holds p:x, the other finishes a task of p:y.
    let open!: () => void;
    let started!: () => void;
    const holding = new Promise<void>((resolve) => (started = resolve));
    const held = run[0]!('p:x', () => new Promise<void>((resolve) => ((open = resolve), started())));
    await holding;
    await run[1]!('p:y', async () => undefined);
    open();
    await held;
  });

  it('a holder that died is succeeded once its turn lapses, and not before', async () => {
    const clock = manualClock();
    const noRenewal = () => () => undefined;
    const dead = await createTurnLock({ store, holder: 'dead', clock, lifetimeMs: 15_000, every: noRenewal }).take('p:crash');
    expect(dead.n).toBe(1);

    const { spy, lookedAt } = watched(store);
    let next: HeldTurn | undefined;
    const taking = createTurnLock({ store: spy, holder: 'next', clock, lifetimeMs: 15_000, pollMs: { min: 5, max: 20 }, every: noRenewal })
      .take('p:crash')
      .then((t) => (next = t));
    await lookedAt(1, 3); // it has seen the turn held three times
    expect(next).toBeUndefined();
    clock.advance(15_001);
    await taking;
    expect(next).toMatchObject({ key: 'p:crash', n: 2 });
    expect(await store.get('p:crash', 2)).toMatchObject({ holder: 'next' });
    await next!.release();
  });

  it('a holder that renews keeps its turn beyond its first lifetime; its release lets the next in', async () => {
    const clock = manualClock();
    let renew: (() => void) | undefined;
    const byHand = (_ms: number, fn: () => void) => ((renew = fn), () => (renew = undefined));
    const renewing = watched(store);
    const holder = await createTurnLock({ store: renewing.spy, holder: 'slow', clock, lifetimeMs: 15_000, every: byHand }).take('p:slow');

    clock.advance(10_000);
    const renewed = renewing.renewed();
    renew!();
    await renewed;
    expect((await store.get('p:slow', holder.n))!.until).toEqual(new Date(clock().getTime() + 15_000));
    clock.advance(10_000); // past the first lifetime, within the renewed one

    const { spy, lookedAt } = watched(store);
    let next: HeldTurn | undefined;
    const taking = createTurnLock({ store: spy, holder: 'next', clock, pollMs: { min: 5, max: 20 } })
      .take('p:slow')
      .then((t) => (next = t));
    await lookedAt(holder.n, 3);
    expect(next).toBeUndefined();
    await holder.release();
    expect(renew).toBeUndefined(); // the release stopped the renewals
    await taking;
    expect(next!.n).toBe(holder.n + 1);
    await next!.release();
  });

  it('housekeeping deletes turns that ended days ago; numbering carries on from the pointer', async () => {
    const clock = manualClock(new Date(Date.now() - 30 * DAY));
    const old = createTurnLock({ store, holder: 'old', clock });
    for (let i = 0; i < 3; i++) await (await old.take('g:-42')).release();
    const now = new Date();
    const recent = await createTurnLock({ store, holder: 'recent', clock: () => now }).take('g:-43');
    await recent.release();

    const removed = await housekeeping(
      {
        updates: { deleteBefore: async () => 0 },
        outbox: { deleteSentBefore: async () => 0 },
        leases: { deleteExpiredBefore: async () => 0 },
        fences: { deleteCreatedBefore: async () => 0 },
        turns: store,
        keepDays: 14,
      },
      now,
    );
    expect(removed.turns).toBeGreaterThanOrEqual(3);
    expect(await store.get('g:-42', 3)).toBeNull();
    expect(await store.get('g:-43', 1)).not.toBeNull();

    const after = await createTurnLock({ store, holder: 'new', clock: () => now }).take('g:-42');
    expect(after.n).toBe(4);
    await after.release();
  });
});
