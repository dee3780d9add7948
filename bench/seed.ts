// Bulk seeding for the benchmarks: wishes made in memory by the domain's own decide/evolve, exactly
// the events the service would have written, inserted in large batches straight into `wish_events`
// and `wishes` (FerretDB takes minutes to seed tens of thousands of events one command at a time).
// Events carry `relayedAt`, so no relay sweep takes them for unsent news; each snapshot is the fold
// of its wish's events. `finish()` rebuilds the derived collections the jobs read (open wishes).
import { performance } from 'node:perf_hooks';
import { decide } from '../src/domain/wish/decide';
import { evolve } from '../src/domain/wish/evolve';
import { Actor, ActorRef, Category, WishCommand, WishDraft, WishEvent, WishEventBody, WishState } from '../src/domain/wish/types';
import { Models } from '../src/db/models';
import { createWishStore, rebuildOpenWishes } from '../src/db/wish-store';

export const DAY = 24 * 60 * 60 * 1000;

export const benchAdmin: Actor = { kind: 'admin', id: 'admin:bench', name: 'Bench admin' };

export function donorActor(id: string, name: string): Actor {
  return { kind: 'donor', id, name };
}

export function benchDraft(communityId: string, category: Category, title: string, now: Date, over: Partial<WishDraft> = {}): WishDraft {
  return {
    communityId,
    title,
    description: category === 'cash' ? 'Heating was cut off in November; this covers the arrears.' : 'A folding wheelchair for trips to the clinic.',
    category,
    target: category === 'cash' ? 300 : 1,
    deadline: new Date(now.getTime() + 30 * DAY),
    urgency: 'normal',
    beneficiary: { alias: 'elderly resident, Building 3', notes: 'Lives alone', contact: '555-0100' },
    ...over,
  };
}

/** One step of a seeded wish's life: a command (or one made from the state so far, to name a pledge), by whom, when. */
export interface SeedStep {
  at: Date;
  actor: Actor;
  command: WishCommand | ((state: WishState) => WishCommand);
}

/** A wish as it will have lived: created at `createdAt` by `createdBy`, then each step in turn. */
export interface SeedPlan {
  draft: WishDraft;
  createdBy: Actor;
  createdAt: Date;
  steps: SeedStep[];
}

const toActorRef = (a: Actor): ActorRef => (a.name ? { kind: a.kind, id: a.id, name: a.name } : { kind: a.kind, id: a.id });

/** The events a plan makes (decide refusing any step is a bug in the plan: it throws) and the state they fold to. */
export function makeWish(code: string, plan: SeedPlan): { events: WishEvent[]; state: WishState } {
  const events: WishEvent[] = [];
  const append = (state: WishState | null, body: WishEventBody, actor: Actor, at: Date): WishState => {
    const seq = (state?.version ?? 0) + 1;
    const event = { ...body, id: `${code}:${seq}`, wishId: code, seq, at, actor: toActorRef(actor) } as WishEvent;
    events.push(event);
    return evolve(state, event);
  };
  let state = append(null, { type: 'created', wish: { ...plan.draft, code } }, plan.createdBy, plan.createdAt);
  for (const step of plan.steps) {
    const command = typeof step.command === 'function' ? step.command(state) : step.command;
    const decision = decide(state, command, { actor: step.actor, now: step.at });
    if (!decision.ok) throw new Error(`seed ${code}: ${command.type} refused: ${decision.error.code}`);
    if (decision.event) state = append(state, decision.event, step.actor, step.at);
  }
  return { events, state };
}

export interface SeedTotals {
  wishes: number;
  events: number;
  /** What rebuildOpenWishes reported. */
  open: number;
  ms: number;
}

export interface BulkSeeder {
  /** Makes the wish (next free code) and queues its documents; inserts a batch once enough are queued. */
  add(plan: SeedPlan): Promise<WishState>;
  /** Inserts the rest, then rebuilds the open wishes from the snapshots. */
  finish(): Promise<SeedTotals>;
}

/**
 * A seeder writing with the wish store's document mapping (`_id` = event id / wish code, every other
 * field as is). One batch is inserted while the next is made, so both cores work.
 */
export async function createBulkSeeder(models: Models, opts: { batchEvents?: number; progress?: (line: string) => void } = {}): Promise<BulkSeeder> {
  const batchEvents = opts.batchEvents ?? 5000;
  const started = performance.now();
  let number = (await createWishStore(models).highestCodeNumber()) + 1;
  let events: Record<string, unknown>[] = [];
  let snapshots: Record<string, unknown>[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  const totals = { wishes: 0, events: 0 };
  let reported = 0;

  const insert = async (evs: Record<string, unknown>[], snaps: Record<string, unknown>[]) => {
    // Events first: a snapshot is never ahead of its events.
    if (evs.length) await models.WishEvent.collection.insertMany(evs as never[], { ordered: false });
    if (snaps.length) await models.Wish.collection.insertMany(snaps as never[], { ordered: false });
  };
  const flush = async () => {
    await inFlight;
    inFlight = insert(events, snapshots);
    // Handled here so a failure waits for the next flush or finish() to throw it, not crash the process.
    inFlight.catch(() => undefined);
    events = [];
    snapshots = [];
    if (opts.progress && totals.events - reported >= 50_000) {
      reported = totals.events;
      opts.progress(`  seeded ${totals.events.toLocaleString('en-US')} events in ${totals.wishes.toLocaleString('en-US')} wishes (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  };

  return {
    async add(plan) {
      const { events: made, state } = makeWish(`W-${number++}`, plan);
      for (const { id, ...rest } of made) events.push({ _id: id, ...rest, relayedAt: rest.at });
      const { id, ...rest } = state;
      snapshots.push({ _id: id, ...rest });
      totals.wishes++;
      totals.events += made.length;
      if (events.length >= batchEvents) await flush();
      return state;
    },
    async finish() {
      await flush();
      await inFlight;
      const open = await rebuildOpenWishes(models);
      return { ...totals, open, ms: performance.now() - started };
    },
  };
}

// ---- history: the wishes the claims and burst benchmarks stand on ---------------------------

export const HISTORY_CASH_TARGET = 300;
export const HISTORY_PLEDGE = 50;
export const HISTORY_PLEDGES_PER_CASH = HISTORY_CASH_TARGET / HISTORY_PLEDGE;

/** One wish of history: created + published, then `pledges` uncontended pledges (a goods claim is 1). */
export interface HistoryWish {
  category: 'goods' | 'cash';
  pledges: number;
}

export const eventsOfHistoryWish = (w: HistoryWish) => 2 + w.pledges;

/** Wishes adding up to `events` events (to within one): alternately a claimed goods wish (3) and a fully pledged cash wish (8). */
export function planHistory(events: number, startIndex: number): HistoryWish[] {
  const plan: HistoryWish[] = [];
  let left = events;
  for (let i = startIndex; left >= 2; i++) {
    if (i % 2 === 0 && left >= 3) plan.push({ category: 'goods', pledges: 1 });
    else plan.push({ category: 'cash', pledges: Math.min(HISTORY_PLEDGES_PER_CASH, left - 2) });
    left -= eventsOfHistoryWish(plan[plan.length - 1]!);
  }
  return plan;
}

export const historyDonor = (k: number) => donorActor(`seed-donor-${k}`, `Seed donor ${k}`);

export function historyCommand(w: HistoryWish, k: number): WishCommand {
  const donor = { donorId: historyDonor(k).id, displayName: historyDonor(k).name };
  return w.category === 'goods' ? { type: 'claim', donor } : { type: 'pledge', donor, amount: HISTORY_PLEDGE };
}

/** About `events` events of history in one community, in bulk; returns what was written. */
export async function seedHistoryInBulk(models: Models, communityId: string, events: number, startIndex = 0, progress?: (line: string) => void): Promise<SeedTotals> {
  const seeder = await createBulkSeeder(models, { progress });
  const now = new Date();
  for (const [i, w] of planHistory(events, startIndex).entries()) {
    const steps: SeedStep[] = [{ at: now, actor: benchAdmin, command: { type: 'publish' } }];
    for (let k = 0; k < w.pledges; k++) steps.push({ at: now, actor: historyDonor(k), command: historyCommand(w, k) });
    await seeder.add({ draft: benchDraft(communityId, w.category, `Seed wish ${startIndex + i}`, now), createdBy: benchAdmin, createdAt: now, steps });
  }
  return seeder.finish();
}
