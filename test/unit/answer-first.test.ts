import { createLater } from '../../src/domain/later';
import { sweepRelay } from '../../src/jobs/maintenance';
import { createWishService } from '../../src/domain/wish/service';
import { WishStore } from '../../src/domain/wish/store';
import { WishEvent, WishState } from '../../src/domain/wish/types';
import { admin, draftFor } from '../support/fixtures';

// Issue 11, "answer first": a command returns once its event is committed; the snapshot write and the
// relay follow, and a background that settles tells when all is done.

/** Events and snapshots in memory; snapshot writes wait for `release()` when held. */
function memoryStore() {
  const events = new Map<string, WishEvent>();
  const snapshots = new Map<string, WishState>();
  let held: Array<() => void> | undefined;
  const store: WishStore = {
    async loadSnapshot(id) {
      return snapshots.get(id) ?? null;
    },
    async eventsAfter(id, after) {
      const found: WishEvent[] = [];
      for (let seq = after + 1; events.has(`${id}:${seq}`); seq++) found.push(events.get(`${id}:${seq}`)!);
      return found;
    },
    async eventExists(id) {
      return events.has(id);
    },
    async staleIds(list) {
      return new Set(list.filter((s) => events.has(`${s.id}:${s.version + 1}`)).map((s) => s.id));
    },
    async append(event) {
      if (events.has(event.id)) return 'conflict';
      events.set(event.id, event);
      return 'ok';
    },
    async saveSnapshot(state) {
      if (held) await new Promise<void>((resolve) => held!.push(resolve));
      if ((snapshots.get(state.id)?.version ?? 0) < state.version) snapshots.set(state.id, state);
    },
    async highestCodeNumber() {
      return 0;
    },
    async listSnapshots() {
      return [...snapshots.values()];
    },
    async pageByDeadline() {
      return [];
    },
  };
  return {
    store,
    snapshots,
    hold: () => (held = []),
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const resolve of waiting) resolve();
    },
  };
}

const donor = { kind: 'donor' as const, id: 'tg:7', name: 'Mei' };

async function setUp(opts: { background: boolean }) {
  const mem = memoryStore();
  const relayed: string[] = [];
  const later = createLater();
  const wishes = createWishService({
    store: mem.store,
    clock: () => new Date('2026-11-23T08:00:00Z'),
    communityExists: async () => true,
    onEvent: (event) => void relayed.push(event.id),
    ...(opts.background ? { later } : {}),
  });
  const { state } = await wishes.create(draftFor('c1', { category: 'goods', target: 1 }), admin, { publish: true });
  await later.idle();
  return { mem, relayed, later, wishes, wish: state };
}

describe('a command answered at its commit', () => {
  it('returns before the snapshot is written and before the relay runs; both follow, in order', async () => {
    const { mem, relayed, later, wishes, wish } = await setUp({ background: true });
    mem.hold();
    const result = await wishes.execute(wish.id, { type: 'claim', donor: { donorId: 'tg:7', displayName: 'Mei' } }, donor, { returnAtCommit: true });
    expect(result.event?.type).toBe('pledged');
    // Returned with the snapshot write still waiting, and nothing relayed yet.
    expect(mem.snapshots.get(wish.id)!.version).toBe(wish.version);
    expect(relayed).not.toContain(result.event!.id);
    mem.release();
    await later.idle();
    expect(mem.snapshots.get(wish.id)!.version).toBe(result.state.version);
    expect(relayed.at(-1)).toBe(result.event!.id);
  });

  it('without returnAtCommit the snapshot is written before it returns (a list right after shows it); the relay still follows', async () => {
    const { mem, relayed, later, wishes, wish } = await setUp({ background: true });
    const result = await wishes.execute(wish.id, { type: 'claim', donor: { donorId: 'tg:7', displayName: 'Mei' } }, donor);
    expect(mem.snapshots.get(wish.id)!.version).toBe(result.state.version);
    await later.idle();
    expect(relayed.at(-1)).toBe(result.event!.id);
  });

  it('with no background, everything is done when the command returns', async () => {
    const { mem, relayed, wishes, wish } = await setUp({ background: false });
    const result = await wishes.execute(wish.id, { type: 'claim', donor: { donorId: 'tg:7', displayName: 'Mei' } }, donor);
    expect(mem.snapshots.get(wish.id)!.version).toBe(result.state.version);
    expect(relayed.at(-1)).toBe(result.event!.id);
  });

  it('a snapshot that cannot be written leaves its event unrelayed, for the relay sweep', async () => {
    const { mem, relayed, later, wishes, wish } = await setUp({ background: true });
    mem.store.saveSnapshot = async () => Promise.reject(new Error('database down'));
    const result = await wishes.execute(wish.id, { type: 'claim', donor: { donorId: 'tg:7', displayName: 'Mei' } }, donor, { returnAtCommit: true });
    await later.idle();
    expect(relayed).not.toContain(result.event!.id);
  });
});

describe('the background after commits', () => {
  it('runs tasks in the order given, at most `concurrency` at once', async () => {
    const later = createLater({ concurrency: 2 });
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const gates = new Map<string, () => void>();
    const task = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      log.push(`start ${name}`);
      await new Promise<void>((resolve) => gates.set(name, resolve));
      running--;
    };
    for (const name of ['a', 'b', 'c', 'd']) later.run('w', task(name));
    expect(later.size).toBe(4);
    await Promise.resolve();
    expect(log).toEqual(['start a', 'start b']); // the others wait for a free slot
    gates.get('b')!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['start a', 'start b', 'start c']);
    let settled = false;
    const idle = later.idle().then(() => (settled = true));
    gates.get('a')!();
    await new Promise((resolve) => setImmediate(resolve));
    gates.get('c')!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    gates.get('d')!();
    await idle;
    expect(most).toBe(2);
    expect(later.size).toBe(0);
  });

  it('a failing task is reported and the ones after it still run', async () => {
    const errors: string[] = [];
    const later = createLater({ onError: (err, key) => errors.push(`${key}: ${(err as Error).message}`) });
    const ran: string[] = [];
    later.run('w', async () => Promise.reject(new Error('boom')));
    later.run('w', async () => void ran.push('second'));
    await later.idle();
    expect(errors).toEqual(['w: boom']);
    expect(ran).toEqual(['second']);
  });

  it('idle() settles at once when nothing is queued', async () => {
    await expect(createLater().idle()).resolves.toBeUndefined();
  });
});

describe('the relay sweep beside a backlog', () => {
  it('leaves alone the events this process is still relaying after their commit, and relays those nobody is', async () => {
    const later = createLater({ concurrency: 1 });
    let open!: () => void;
    later.run('W-1:1', () => new Promise<void>((resolve) => (open = resolve)));
    const at = new Date('2026-11-23T08:00:00Z');
    const event = (id: string) => ({ id, wishId: id.split(':')[0]!, seq: Number(id.split(':')[1]), type: 'published', at, actor: { kind: 'system', id: 's' } }) as unknown as WishEvent;
    const relayed: string[] = [];
    const log = {
      unrelayed: async () => [event('W-1:1'), event('W-2:1')],
      eventsUpTo: async (wishId: string) => [{ ...event(`${wishId}:1`), type: 'created', wish: { ...draftFor('c1'), code: wishId } } as unknown as WishEvent],
    };
    const result = await sweepRelay({ log, onEvent: async (e) => void relayed.push(e.id), graceMs: 0, relaying: (id) => later.has(id) }, at);
    expect(relayed).toEqual(['W-2:1']);
    expect(result.relayed).toBe(1);
    open();
    await later.idle();
    expect(later.has('W-1:1')).toBe(false);
  });
});
