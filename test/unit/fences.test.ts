import { SendFence } from '../../src/db/fence-store';
import { OutboxItem } from '../../src/domain/outbox';
import { createFences, FenceDeps } from '../../src/notify/fences';
import { manualClock } from '../support/fixtures';

/** Fences kept in memory with the one property the real store has: an insert of a taken key fails. */
function memoryFences() {
  const rows = new Map<string, SendFence>();
  const key = (itemId: string, generation: number) => `${itemId}#${generation}`;
  return {
    rows,
    tryTake: async (f: SendFence) => (rows.has(key(f.itemId, f.generation)) ? false : (rows.set(key(f.itemId, f.generation), f), true)),
    get: async (itemId: string, generation: number) => rows.get(key(itemId, generation)) ?? null,
  };
}

describe('send fences', () => {
  const clock = manualClock(new Date('2026-11-22T09:00:00Z'));
  const t0 = clock().getTime();
  const item = (over: Partial<OutboxItem> = {}): OutboxItem => ({
    id: 'e1|42|test',
    chatId: 42,
    kind: 'test',
    payload: { type: 'message', message: { text: 'hi' } },
    status: 'pending',
    notBefore: new Date(t0),
    attempts: 0,
    createdAt: new Date(t0),
    ...over,
  });
  let stored: OutboxItem | null;
  let store: ReturnType<typeof memoryFences>;
  const fencesOf = (holderId: string, over: Partial<FenceDeps> = {}) =>
    createFences({ store, outbox: { get: async () => stored }, holderId, clock, fenceMs: 60_000, callTimeoutMs: 15_000, ...over });

  beforeEach(() => {
    clock.set(new Date(t0));
    store = memoryFences();
    stored = item();
  });

  it('gives an item’s fence to the first sender; another finds it busy until it expires', async () => {
    expect(await fencesOf('A').take(item())).toEqual({ kind: 'held', generation: 0, until: t0 + 60_000, callDeadline: t0 + 30_000 });
    expect(await fencesOf('B').take(item())).toEqual({ kind: 'busy', generation: 0, until: t0 + 60_000 });
  });

  it('after a holder died mid-attempt, the next sender takes the next generation, and only one does', async () => {
    await fencesOf('A').take(item());
    clock.advance(60_000);
    const takes = await Promise.all(['B', 'C', 'D'].map((h) => fencesOf(h).take(item())));
    expect(takes.filter((t) => t.kind === 'held')).toEqual([{ kind: 'held', generation: 1, until: t0 + 120_000, callDeadline: t0 + 90_000 }]);
    expect(takes.filter((t) => t.kind === 'busy')).toHaveLength(2);
    expect(store.rows.get('e1|42|test#1')?.holder).toBe(['B', 'C', 'D'][takes.findIndex((t) => t.kind === 'held')]);
  });

  it('an expired fence of an item that was sent (or given up) settles it: nobody sends it again', async () => {
    await fencesOf('A').take(item());
    clock.advance(61_000);
    stored = item({ status: 'sent' });
    expect(await fencesOf('B').take(item())).toEqual({ kind: 'settled' });
    stored = null; // deleted by housekeeping
    expect(await fencesOf('B').take(item())).toEqual({ kind: 'settled' });
  });

  it('follows the generation a holder moved the item to, and respects the retry time it set', async () => {
    await fencesOf('A').take(item());
    clock.advance(61_000);
    // A retried the item (generation 1) for later; a stale copy still says generation 0.
    stored = item({ generation: 1, notBefore: new Date(t0 + 120_000) });
    expect(await fencesOf('B').take(item())).toEqual({ kind: 'not-due', notBefore: t0 + 120_000 });
    clock.set(new Date(t0 + 120_000));
    expect(await fencesOf('B').take(item())).toMatchObject({ kind: 'held', generation: 1 });
  });

  it('takes the generation the item was read with, without looking back', async () => {
    expect(await fencesOf('A').take(item({ generation: 3 }))).toMatchObject({ kind: 'held', generation: 3 });
    expect(store.rows.has('e1|42|test#0')).toBe(false);
  });

  it('refuses a fence that does not outlive two call timeouts (one to call, one to record)', () => {
    expect(() => fencesOf('A', { fenceMs: 30_000, callTimeoutMs: 15_000 })).toThrow(/outlive two call timeouts/);
    expect(() => fencesOf('A', { fenceMs: 30_001, callTimeoutMs: 15_000 })).not.toThrow();
  });
});
