// N donors x M wishes, all claiming (goods) and pledging (cash) at once on the real database,
// through createServices(...).wishes exactly as production builds it: same store, same
// retry and backoff. Run at growing sizes of stored history to see what the event count costs: the
// target is a flat curve, ops/s at the largest at least 2/3 of ops/s at the smallest.
//
//   npm run bench -- claims [--wishes=20] [--donors=50] [--concurrency=64]
//                           [--history=1000,20000,100000] [--seed=bulk|auto|service] [--order=shuffled|wish]
//
// --seed=bulk (default) writes the history with bench/seed.ts; auto seeds through the service until its
// pace says the rest would take longer than --seed-budget seconds, then bulk; service only through it.
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/domain/clock';
import { BusyError, isDomainError } from '../src/domain/errors';
import { WishCommand } from '../src/domain/wish/types';
import { createServices, Services } from '../src/services';
import {
  benchAdmin,
  benchDraft,
  donorActor,
  eventsOfHistoryWish,
  HISTORY_CASH_TARGET,
  HISTORY_PLEDGE,
  HISTORY_PLEDGES_PER_CASH,
  historyCommand,
  historyDonor,
  HistoryWish,
  planHistory,
  seedHistoryInBulk,
} from './seed';
import {
  BenchConnection,
  CommandStat,
  choiceFlag,
  fmtInt,
  fmtMs,
  fmtRate,
  fmtSeconds,
  formatTable,
  formatPeakMemory,
  intFlag,
  intListFlag,
  note,
  openBenchConnection,
  opsPerSecond,
  parseFlags,
  runPool,
  say,
  seededRandom,
  shuffle,
  summarize,
  withBenchDatabase,
} from './support';

const CASH_TARGET = HISTORY_CASH_TARGET;
const PLEDGE = HISTORY_PLEDGE;
const ACCEPTED_PER_CASH = HISTORY_PLEDGES_PER_CASH;
/** Refusals that are the right answer under contention, per category. */
const EXPECTED_REFUSALS: Record<'goods' | 'cash', string[]> = { goods: ['already_taken'], cash: ['target_reached'] };

const admin = benchAdmin;
const draft = (communityId: string, category: 'goods' | 'cash', title: string, now: Date) => benchDraft(communityId, category, title, now);

// ---- seeding history ------------------------------------------------------------------------

/** Through the service, as users would have made them: create + publish, then each pledge in turn. */
async function seedViaService(services: Services, communityId: string, plan: HistoryWish[], concurrency: number): Promise<void> {
  await runPool(plan.length, concurrency, async (i) => {
    const w = plan[i]!;
    const { state } = await services.wishes.create(draft(communityId, w.category, `Seed wish ${i}`, systemClock()), admin, { publish: true });
    for (let k = 0; k < w.pledges; k++) await services.wishes.execute(state.id, historyCommand(w, k), historyDonor(k));
  });
}

type SeedMethod = 'auto' | 'service' | 'bulk';

interface SeedReport {
  target: number;
  viaService: number;
  viaBulk: number;
  wishes: number;
  ms: number;
}

/**
 * Adds wishes until the events collection holds about `target` events. 'auto' seeds through the
 * service and, if its measured pace says the rest would take longer than `budgetMs`, bulk-inserts
 * the remainder.
 */
async function seedHistory(
  db: BenchConnection,
  services: Services,
  communityId: string,
  target: number,
  method: SeedMethod,
  budgetMs: number,
): Promise<SeedReport> {
  const started = performance.now();
  const report: SeedReport = { target, viaService: 0, viaBulk: 0, wishes: 0, ms: 0 };
  const count = () => db.models.WishEvent.collection.countDocuments({});
  let have = await count();
  let index = 0;
  if (method !== 'bulk') {
    const CHUNK = method === 'service' ? Infinity : 250;
    while (target - have >= 2) {
      const plan = planHistory(Math.min(CHUNK, target - have), index);
      const t0 = performance.now();
      await seedViaService(services, communityId, plan, 8);
      const added = plan.reduce((n, w) => n + eventsOfHistoryWish(w), 0);
      index += plan.length;
      report.wishes += plan.length;
      report.viaService += added;
      have = await count();
      const perEvent = (performance.now() - t0) / added;
      const projected = perEvent * (target - have);
      note(`  seeded ${fmtInt(have)} events (service: ${fmtMs(perEvent)} ms/event; ${fmtSeconds(projected)} to go at this pace)`);
      if (method === 'auto' && performance.now() - started + projected > budgetMs) break;
    }
  }
  if (target - have >= 2) {
    const bulk = await seedHistoryInBulk(db.models, communityId, target - have, index, note);
    report.wishes += bulk.wishes;
    report.viaBulk += bulk.events;
  }
  report.ms = performance.now() - started;
  return report;
}

function describeSeed(r: SeedReport): string {
  const how =
    r.viaBulk === 0
      ? 'through the service'
      : r.viaService === 0
        ? 'bulk insert of decide/evolve-made events + snapshots'
        : `${fmtInt(r.viaService)} through the service, then ${fmtInt(r.viaBulk)} by bulk insert of decide/evolve-made events + snapshots`;
  return `${fmtInt(r.viaService + r.viaBulk)} events in ${fmtInt(r.wishes)} wishes, ${how}, ${fmtSeconds(r.ms)}`;
}

// ---- one contention round -------------------------------------------------------------------

type Outcome = { kind: 'accepted' } | { kind: 'refused'; code: string } | { kind: 'busy' } | { kind: 'error'; what: string };

interface RoundResult {
  history: number;
  wallMs: number;
  latencies: number[];
  /** Database commands the operations sent, with their server times. */
  commands: CommandStat[];
  accepted: number;
  refused: number;
  busy: number;
  errors: Map<string, number>;
  checks: string[];
  ok: boolean;
}

interface RoundOptions {
  wishes: number;
  donors: number;
  concurrency: number;
  order: 'shuffled' | 'wish';
  round: number;
}

async function contentionRound(db: BenchConnection, services: Services, communityId: string, opts: RoundOptions): Promise<RoundResult> {
  const goodsCount = Math.ceil(opts.wishes / 2);
  const wishes: Array<{ id: string; category: 'goods' | 'cash'; target: number }> = [];
  for (let w = 0; w < opts.wishes; w++) {
    const category = w < goodsCount ? 'goods' : 'cash';
    const { state } = await services.wishes.create(draft(communityId, category, `Round ${opts.round} wish ${w}`, systemClock()), admin, { publish: true });
    wishes.push({ id: state.id, category, target: state.target });
  }
  const history = await db.models.WishEvent.collection.countDocuments({});

  const ops: Array<{ wish: number; donor: number }> = [];
  for (let w = 0; w < wishes.length; w++) for (let d = 0; d < opts.donors; d++) ops.push({ wish: w, donor: d });
  if (opts.order === 'shuffled') shuffle(ops, seededRandom(opts.round));

  const latencies: number[] = new Array<number>(ops.length);
  const outcomes: Outcome[] = new Array<Outcome>(ops.length);
  note(`  round ${opts.round}: ${fmtInt(ops.length)} operations at ${fmtInt(history)} events of history`);
  let done = 0;
  const started = performance.now();
  const ticker = setInterval(() => note(`    ${fmtInt(done)}/${fmtInt(ops.length)} done after ${fmtSeconds(performance.now() - started)}`), 15_000);
  db.commands.start();
  await runPool(ops.length, opts.concurrency, async (i) => {
    const { wish: w, donor: d } = ops[i]!;
    const wish = wishes[w]!;
    const actor = donorActor(`bench-donor-${d}`, `Bench donor ${d}`);
    const donor = { donorId: actor.id, displayName: actor.name };
    const command: WishCommand = wish.category === 'goods' ? { type: 'claim', donor } : { type: 'pledge', donor, amount: PLEDGE };
    const t0 = performance.now();
    try {
      await services.wishes.execute(wish.id, command, actor);
      outcomes[i] = { kind: 'accepted' };
    } catch (err) {
      if (err instanceof BusyError) outcomes[i] = { kind: 'busy' };
      else if (isDomainError(err) && EXPECTED_REFUSALS[wish.category].includes(err.code)) outcomes[i] = { kind: 'refused', code: err.code };
      else outcomes[i] = { kind: 'error', what: isDomainError(err) ? err.code : err instanceof Error ? err.message.split('\n')[0]! : String(err) };
    }
    latencies[i] = performance.now() - t0;
    done++;
  });
  const wallMs = performance.now() - started;
  const commands = db.commands.stop();
  clearInterval(ticker);

  const result: RoundResult = { history, wallMs, latencies, commands, accepted: 0, refused: 0, busy: 0, errors: new Map(), checks: [], ok: true };
  const acceptedPerWish = new Array<number>(wishes.length).fill(0);
  outcomes.forEach((o, i) => {
    if (o.kind === 'accepted') {
      result.accepted++;
      acceptedPerWish[ops[i]!.wish]!++;
    } else if (o.kind === 'refused') result.refused++;
    else if (o.kind === 'busy') result.busy++;
    else result.errors.set(o.what, (result.errors.get(o.what) ?? 0) + 1);
  });

  // Read back: the service's view (snapshot + any newer events) and the raw 'pledged' events.
  const states = await Promise.all(wishes.map((w) => services.wishes.get(w.id)));
  // Summed here rather than by $group: FerretDB 1.24 answers {$sum: 1} with 0.
  const pledgedEvents = await db.models.WishEvent.collection
    .find({ wishId: { $in: wishes.map((w) => w.id) }, type: 'pledged' }, { projection: { wishId: 1, amount: 1 } })
    .toArray();
  const stored = new Map<string, { total: number; count: number }>();
  for (const e of pledgedEvents) {
    const s = stored.get(String(e.wishId)) ?? { total: 0, count: 0 };
    s.total += Number(e.amount);
    s.count++;
    stored.set(String(e.wishId), s);
  }

  const goods = wishes.map((w, i) => ({ w, i })).filter(({ w }) => w.category === 'goods');
  const badGoods = goods.filter(({ w, i }) => {
    const live = states[i]!.pledges.filter((p) => p.status === 'active').length;
    return acceptedPerWish[i] !== 1 || live !== 1 || stored.get(w.id)?.count !== 1;
  });
  result.checks.push(
    badGoods.length === 0
      ? 'winners per goods wish: all 1'
      : `winners per goods wish: ${badGoods.map(({ w, i }) => `${w.id}=${acceptedPerWish[i]} (read back ${states[i]!.pledges.length}, events ${stored.get(w.id)?.count ?? 0})`).join(', ')}`,
  );

  const cash = wishes.map((w, i) => ({ w, i })).filter(({ w }) => w.category === 'cash');
  const badCash = cash.filter(({ w, i }) => {
    const s = stored.get(w.id);
    return states[i]!.pledged !== CASH_TARGET || acceptedPerWish[i] !== ACCEPTED_PER_CASH || s?.total !== CASH_TARGET || s.count !== ACCEPTED_PER_CASH;
  });
  if (cash.length) {
    result.checks.push(
      badCash.length === 0
        ? `cash totals: all ${CASH_TARGET} (${ACCEPTED_PER_CASH} accepted each)`
        : `cash totals: ${badCash
            .map(({ w, i }) => `${w.id}=${states[i]!.pledged} (${acceptedPerWish[i]} accepted, events sum ${stored.get(w.id)?.total ?? 0} in ${stored.get(w.id)?.count ?? 0})`)
            .join(', ')}`,
    );
  }

  const overPledged = wishes.filter((w, i) => states[i]!.pledged > w.target || (stored.get(w.id)?.total ?? 0) > w.target).length;
  result.checks.push(`over-pledges: ${overPledged}`);
  result.checks.push(`busy: ${result.busy}`);
  const errorCount = [...result.errors.values()].reduce((a, b) => a + b, 0);
  result.checks.push(
    errorCount === 0 ? 'errors: 0' : `errors: ${errorCount} (${[...result.errors].map(([what, n]) => `${what} x${n}`).join(', ')})`,
  );
  result.ok = badGoods.length === 0 && badCash.length === 0 && overPledged === 0 && result.busy === 0 && errorCount === 0;
  return result;
}

/** `find wish_events 812 x 41.0 ms = 33.3 s`, most total time first. */
function describeCommands(stats: CommandStat[], ops: number): string {
  const total = stats.reduce((n, s) => n + s.count, 0);
  const parts = stats.map((s) => {
    const why = s.name.startsWith('insert') ? 'lost the race' : s.name.startsWith('update') ? 'stale, stopped by the version guard' : 'failed';
    const lost = s.failed ? ` (${fmtInt(s.failed)} ${s.failures.length ? `failed: ${s.failures.join(' | ')}` : why})` : '';
    return `${s.name} ${fmtInt(s.count)} x ${fmtMs(s.totalMs / s.count)} ms = ${fmtSeconds(s.totalMs)}${lost}`;
  });
  return `${(total / ops).toFixed(1)} per op; ${parts.join(', ')}`;
}

/** `1k`, `20k`, `100k`, `1,500`. */
const fmtSize = (n: number) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : fmtInt(n));

/**
 * How much slower claims got from the smallest history to the largest: `ratio 1k/100k ops/s: 1.12
 * (target <= 1.5: met)`. Sizes are the ones asked for (the stored count is a few events more).
 */
function describeCurve(results: RoundResult[]): string {
  const rate = (r: RoundResult) => opsPerSecond(r.latencies.length, r.wallMs);
  const smallest = results.reduce((a, b) => (b.history < a.history ? b : a));
  const largest = results.reduce((a, b) => (b.history > a.history ? b : a));
  const ratio = rate(smallest) / rate(largest);
  const label = (r: RoundResult) => fmtSize(Math.round(r.history / 1000) * 1000 || r.history);
  return `ratio ${label(smallest)}/${label(largest)} ops/s: ${ratio.toFixed(2)} (target <= 1.5: ${ratio <= 1.5 ? 'met' : 'MISSED'})`;
}

// ---- entry ----------------------------------------------------------------------------------

export async function run(args: string[]): Promise<void> {
  const flags = parseFlags(args);
  const known = ['wishes', 'donors', 'concurrency', 'history', 'seed', 'seed-budget', 'order'];
  for (const name of flags.keys()) if (!known.includes(name)) throw new Error(`unknown flag --${name} (known: ${known.map((k) => `--${k}`).join(', ')})`);
  const opts = {
    wishes: intFlag(flags, 'wishes', 20),
    donors: intFlag(flags, 'donors', 50),
    concurrency: intFlag(flags, 'concurrency', 64),
    history: intListFlag(flags, 'history', [1_000, 20_000, 100_000]),
    seed: choiceFlag<SeedMethod>(flags, 'seed', ['auto', 'service', 'bulk'], 'bulk'),
    seedBudgetMs: intFlag(flags, 'seed-budget', 30, 0) * 1000,
    order: choiceFlag(flags, 'order', ['shuffled', 'wish'] as const, 'shuffled'),
  };
  const goods = Math.ceil(opts.wishes / 2);
  const cash = opts.wishes - goods;
  if (cash > 0 && opts.donors < ACCEPTED_PER_CASH) throw new Error(`--donors must be at least ${ACCEPTED_PER_CASH} to fill a cash wish`);

  let failed = false;
  await withBenchDatabase(async (uri, engine) => {
    const db = await openBenchConnection(uri, 'claims', { monitor: true });
    try {
      const services = createServices({ conn: db.conn, models: db.models, clock: systemClock });
      const community = await services.communities.create({ name: 'Bench Street' }, admin);
      // Each round's own wishes add created + published events before it fires.
      const setupEvents = 2 * opts.wishes;

      const results: RoundResult[] = [];
      const seeds: SeedReport[] = [];
      for (const [round, target] of opts.history.entries()) {
        note(`seeding to about ${fmtInt(target)} events (${opts.seed})`);
        seeds.push(await seedHistory(db, services, community.id, target - setupEvents, opts.seed, opts.seedBudgetMs));
        const r = await contentionRound(db, services, community.id, { ...opts, round: round + 1 });
        note(`  -> ${fmtRate(opsPerSecond(r.latencies.length, r.wallMs))} ops/s in ${fmtSeconds(r.wallMs)}; ${r.checks.join('; ')}`);
        results.push(r);
      }

      say(
        `engine: ${engine}  wishes: ${opts.wishes} (${goods} goods, ${cash} cash)  donors: ${opts.donors}  ops: ${fmtInt(opts.wishes * opts.donors)}  concurrency: ${opts.concurrency}  order: ${opts.order}`,
      );
      for (const [i, s] of seeds.entries()) say(`seed @${fmtInt(results[i]!.history)}: ${describeSeed(s)}`);
      const rows = results.map((r) => {
        const l = summarize(r.latencies);
        const errors = [...r.errors.values()].reduce((a, b) => a + b, 0);
        return [
          fmtInt(r.history),
          fmtRate(opsPerSecond(l.count, r.wallMs)),
          fmtMs(l.p50),
          fmtMs(l.p99),
          fmtMs(l.max),
          fmtSeconds(r.wallMs).replace(' s', ''),
          fmtInt(r.accepted),
          fmtInt(r.refused),
          fmtInt(r.busy),
          fmtInt(errors),
        ];
      });
      for (const line of formatTable(['history', 'ops/s', 'p50 ms', 'p99 ms', 'max ms', 'wall s', 'accepted', 'refused', 'busy', 'errors'], rows)) say(line);
      for (const r of results) say(`correctness @${fmtInt(r.history)}: ${r.checks.join('; ')}${r.ok ? '' : '  <-- FAILED'}`);
      for (const r of results) say(`db commands @${fmtInt(r.history)}: ${describeCommands(r.commands, r.latencies.length)}`);
      if (results.length >= 2) say(describeCurve(results));
      say(formatPeakMemory());
      failed = results.some((r) => !r.ok);
    } finally {
      await db.close();
    }
  });
  if (failed) process.exitCode = 1;
}
