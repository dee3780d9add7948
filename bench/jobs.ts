// The scheduled jobs over a city's worth of wishes: --communities communities, --groups linked groups,
// --wishes wishes of which --open are published (the rest fulfilled, cancelled or expired), all with
// their events, bulk-seeded (bench/seed.ts). The service runs in a process of its own, as production
// runs it (bench/jobs-service.ts: createRuntime over the fake Bot API), so the RSS it reports is the
// service's alone, not this harness's with the seeder's data and the fake's recorded calls. There each
// job of src/jobs/jobs.ts is run once through the runtime's own deps and timed; here its result is
// checked against what the seeding plan says it must touch; the digests are sent by the service's
// sender to the fake Bot API in rate-limit mode, against the floor Telegram's limits allow.
//
// The open wishes, per community, by kind (each kind a tenth, stale two and fresh four tenths):
//   past      deadline 1-9 days ago; half with a delivered claim        -> expire
//   abandoned a claim 12 days old, never delivered                      -> remind, release, then stale
//   slow      a cash pledge 5 days old                                  -> remind
//   stale     published 7 days ago, nothing pledged                     -> stale alert
//   due       published yesterday, deadline in 2 days, nothing pledged  -> deadline alert
//   fresh     published 1.5 days ago; half with a pledge from yesterday -> digest only
// Jobs run in this order: digest, expire, remind, release, stale alerts (the digest first, so its
// delivery is timed on an outbox holding only digests). Targets: every job covers everything it
// should; each run under a minute; the service's RSS under 300 MB.
//
//   npm run bench -- jobs [--communities=100] [--groups=1000] [--wishes=100000] [--open=5000] [--service-heap-mb=N]
//   quick: npm run bench -- jobs --communities=5 --groups=50 --wishes=5000 --open=500
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Actor, WishState, WishStatus } from '../src/domain/wish/types';
import { Models } from '../src/db/models';
import { DEFAULT_LIMITS } from '../src/notify/rate-limiter';
import { Runtime } from '../src/runtime';
import { startFakeTelegram } from '../test/fake-telegram';
import { testJobsConfig } from '../test/support/fixtures';
import type { JobsServiceReport } from './jobs-service';
import { benchAdmin, benchDraft, createBulkSeeder, DAY, SeedPlan, SeedStep } from './seed';
import {
  fmtInt,
  fmtSeconds,
  formatPeakMemory,
  formatTable,
  intFlag,
  MemoryWindow,
  note,
  openBenchConnection,
  parseFlags,
  sampleMemory,
  say,
  seededRandom,
  withBenchDatabase,
  benchRuntime,
} from './support';

const HOUR = 60 * 60 * 1000;
const SYSTEM: Actor = { kind: 'system', id: 'system:bench', name: 'bench' };
const OPEN: WishStatus[] = ['open', 'partially_pledged'];
const RUN_TARGET_MS = 60_000;
const RSS_TARGET_MB = 300;

type OpenKind = 'past' | 'abandoned' | 'slow' | 'stale' | 'due' | 'fresh';
const KIND_BY_TENTH: OpenKind[] = ['past', 'abandoned', 'slow', 'stale', 'stale', 'due', 'fresh', 'fresh', 'fresh', 'fresh'];

const donor = (n: number): Actor => ({ kind: 'donor', id: `tg:${700_000 + (n % 5000)}`, name: `Donor ${n % 5000}` });
const workerOf = (c: number) => 500_000 + c;

/** An open wish of `kind`, `n`-th of its community, in community number `c`. */
function openPlan(kind: OpenKind, communityId: string, c: number, n: number, now: number): SeedPlan {
  const at = (msAgo: number) => new Date(now - msAgo);
  const draft = (category: 'goods' | 'cash', createdAgo: number, deadlineIn: number) =>
    benchDraft(communityId, category, `${kind} wish ${n}`, at(createdAgo), { deadline: new Date(now + deadlineIn), workerTelegramId: workerOf(c) });
  const publish = (ago: number): SeedStep => ({ at: at(ago), actor: benchAdmin, command: { type: 'publish' } });
  const pledge = (ago: number, category: 'goods' | 'cash', amount = 100): SeedStep => {
    const who = donor(n);
    const ref = { donorId: who.id, displayName: who.name };
    return { at: at(ago), actor: who, command: category === 'goods' ? { type: 'claim', donor: ref } : { type: 'pledge', donor: ref, amount } };
  };
  switch (kind) {
    case 'past': {
      const deadlineAgo = (1 + (n % 9)) * DAY;
      const created = deadlineAgo + 20 * DAY;
      const steps = [publish(created - HOUR)];
      if (n % 2 === 0) {
        steps.push(pledge(created - DAY, 'goods'));
        steps.push({ at: at(created - 2 * DAY), actor: donor(n), command: (s) => ({ type: 'deliver', pledgeId: s.pledges[0]!.id }) });
      }
      return { draft: draft('goods', created, -deadlineAgo), createdBy: benchAdmin, createdAt: at(created), steps };
    }
    case 'abandoned':
      return { draft: draft('goods', 14 * DAY, 20 * DAY), createdBy: benchAdmin, createdAt: at(14 * DAY), steps: [publish(14 * DAY - HOUR), pledge(12 * DAY, 'goods')] };
    case 'slow':
      return { draft: draft('cash', 7 * DAY, 20 * DAY), createdBy: benchAdmin, createdAt: at(7 * DAY), steps: [publish(7 * DAY - HOUR), pledge(5 * DAY, 'cash')] };
    case 'stale':
      return { draft: draft(n % 2 ? 'cash' : 'goods', 8 * DAY, 25 * DAY), createdBy: benchAdmin, createdAt: at(8 * DAY), steps: [publish(7 * DAY)] };
    case 'due':
      return { draft: draft('goods', 1.5 * DAY, 2 * DAY), createdBy: benchAdmin, createdAt: at(1.5 * DAY), steps: [publish(DAY)] };
    case 'fresh': {
      const cash = n % 2 === 0;
      const steps = [publish(1.5 * DAY)];
      if (cash) steps.push(pledge(DAY, 'cash', 50));
      return { draft: draft(cash ? 'cash' : 'goods', 2 * DAY, (10 + (n % 20)) * DAY), createdBy: benchAdmin, createdAt: at(2 * DAY), steps };
    }
  }
}

/** A closed wish from the past year: fulfilled (4 in 10), cancelled (3) or expired (3). */
function closedPlan(communityId: string, n: number, now: number): SeedPlan {
  const createdAgo = (40 + (n % 300)) * DAY;
  const at = (afterCreation: number) => new Date(now - createdAgo + afterCreation);
  const kind = n % 10;
  const deadline = kind >= 7 ? 10 * DAY : 30 * DAY;
  const draft = benchDraft(communityId, 'goods', `Closed wish ${n}`, at(0), { deadline: at(deadline) });
  const steps: SeedStep[] = [{ at: at(HOUR), actor: benchAdmin, command: { type: 'publish' } }];
  if (kind < 4) {
    const who = donor(n);
    steps.push({ at: at(DAY), actor: who, command: { type: 'claim', donor: { donorId: who.id, displayName: who.name } } });
    steps.push({ at: at(3 * DAY), actor: who, command: (s) => ({ type: 'deliver', pledgeId: s.pledges[0]!.id }) });
    steps.push({ at: at(4 * DAY), actor: benchAdmin, command: (s) => ({ type: 'confirm', pledgeId: s.pledges[0]!.id }) });
  } else if (kind < 7) {
    steps.push({ at: at(2 * DAY), actor: benchAdmin, command: { type: 'cancel', reason: 'no longer needed' } });
  } else {
    steps.push({ at: at(deadline + HOUR), actor: SYSTEM, command: { type: 'expire' } });
  }
  return { draft, createdBy: benchAdmin, createdAt: at(0), steps };
}

/** What the seeding plan says each job must touch (jobs run in the order of the header). */
interface Expected {
  expired: Set<string>;
  released: Set<string>;
  reminded: number;
  alerts: number;
  /** Communities with a wish a digest lists (open or partly pledged, deadline ahead). */
  digestCommunities: Set<string>;
}

interface Options {
  communities: number;
  groups: number;
  wishes: number;
  open: number;
  /** The service's V8 heap limit (--max-old-space-size), when given: does it do the work within it? */
  serviceHeapMb?: number;
}

async function seed(runtime: Runtime, models: Models, opts: Options) {
  const started = performance.now();
  const communities: string[] = [];
  for (let c = 0; c < opts.communities; c++) communities.push((await runtime.services.communities.create({ name: `Bench community ${c + 1}` }, benchAdmin)).id);
  const linkedAt = new Date();
  const groups = Array.from({ length: opts.groups }, (_, g) => ({
    // The group store's document: `_id` is the chat id, as a string (see src/db/bot-stores.ts, link()).
    _id: String(-1_001_000_000 - g),
    title: `Bench group ${g + 1}`,
    communityId: communities[g % communities.length]!,
    active: true,
    linkedBy: 1,
    linkedAt,
    updatedAt: linkedAt,
  }));
  await runtime.botModels.Group.collection.insertMany(groups as never[], { ordered: false });

  const seeder = await createBulkSeeder(models, { progress: note });
  const now = Date.now();
  const expected: Expected = { expired: new Set(), released: new Set(), reminded: 0, alerts: 0, digestCommunities: new Set() };
  for (let i = 0; i < opts.open; i++) {
    const c = i % communities.length;
    const n = Math.floor(i / communities.length);
    const kind = KIND_BY_TENTH[n % 10]!;
    const state: WishState = await seeder.add(openPlan(kind, communities[c]!, c, n, now));
    if (kind === 'past') expected.expired.add(state.id);
    if (kind === 'abandoned') expected.released.add(state.pledges[0]!.id);
    if (kind === 'abandoned' || kind === 'slow') expected.reminded++;
    if (kind === 'abandoned' || kind === 'stale' || kind === 'due') expected.alerts++;
    if (kind !== 'past' && OPEN.includes(state.status)) expected.digestCommunities.add(state.communityId);
  }
  for (let j = 0; j < opts.wishes - opts.open; j++) await seeder.add(closedPlan(communities[j % communities.length]!, j, now));
  const totals = await seeder.finish();
  return { communities, groups, expected, totals, ms: performance.now() - started };
}

interface JobRun {
  name: string;
  ms: number;
  covered: string;
  ok: boolean;
  /** The service's (the child's) peak RSS during the job, in MB. */
  servicePeakMb: number;
  /** The database's and the bench harness's, sampled here over the same window. */
  memory: MemoryWindow;
}

/** The child's report lines, one JSON object each, in order. */
function reportsOf(child: ChildProcess) {
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return async <T extends JobsServiceReport['type']>(type: T): Promise<Extract<JobsServiceReport, { type: T }>> => {
    const line = await lines.next();
    if (line.done) throw new Error(`the service process ended before its '${type}' report`);
    const r = JSON.parse(line.value as string) as JobsServiceReport;
    if (r.type !== type) throw new Error(`the service process reported '${r.type}', expected '${type}'`);
    return r as Extract<JobsServiceReport, { type: T }>;
  };
}

/**
 * Follows one job run by the service process: samples the database while it runs and checks its
 * result. A job that throws there (a page query past the driver's 60 s socket timeout, say) is
 * reported, and the benchmark goes on to the next job.
 */
async function followJob<T>(next: ReturnType<typeof reportsOf>, name: string, check: (result: T) => { covered: string; ok: boolean }): Promise<JobRun & { result?: T }> {
  const start = await next('start');
  if (start.job !== name) throw new Error(`the service process started ${start.job}, expected ${name}`);
  note(`running ${name}`);
  const memory = sampleMemory();
  const done = await next('done');
  const run = { name, ms: done.ms, servicePeakMb: done.peakRssMb, memory: memory.stop() };
  if (done.error !== undefined || !done.result) {
    note(`  ${name} failed: ${done.error}`);
    return { ...run, covered: `FAILED: ${done.error}`, ok: false };
  }
  const result = done.result as T;
  return { ...run, result, ...check(result) };
}

function coverage(what: string, got: Iterable<string>, expected: Set<string>): { covered: string; ok: boolean } {
  let hit = 0;
  let extra = 0;
  for (const id of got) if (expected.has(id)) hit++;
  else extra++;
  return { covered: `${fmtInt(hit)} of ${fmtInt(expected.size)} ${what}${extra ? `, ${fmtInt(extra)} not in the plan` : ''}`, ok: hit === expected.size && extra === 0 };
}

function countCoverage(what: string, got: number, expected: number): { covered: string; ok: boolean } {
  return { covered: `${fmtInt(got)} of ${fmtInt(expected)} ${what}`, ok: got === expected };
}

export async function run(args: string[]): Promise<void> {
  const flags = parseFlags(args);
  const known = ['communities', 'groups', 'wishes', 'open', 'service-heap-mb'];
  for (const name of flags.keys()) if (!known.includes(name)) throw new Error(`unknown flag --${name} (known: ${known.map((k) => `--${k}`).join(', ')})`);
  const opts: Options = {
    communities: intFlag(flags, 'communities', 100),
    groups: intFlag(flags, 'groups', 1000),
    wishes: intFlag(flags, 'wishes', 100_000),
    open: intFlag(flags, 'open', 5000),
    ...(flags.has('service-heap-mb') ? { serviceHeapMb: intFlag(flags, 'service-heap-mb', 256) } : {}),
  };
  if (opts.open > opts.wishes) throw new Error('--open cannot exceed --wishes');

  let failed = false;
  await withBenchDatabase(async (uri, engine) => {
    const db = await openBenchConnection(uri, 'jobs');
    // Telegram's limits, counted when a request arrives 0-100 ms after it was sent (as bench/broadcast.ts).
    const fake = await startFakeTelegram({ rateLimit: true, jitterMs: 50, random: seededRandom(7) });
    // Built here only to seed; the jobs and the sender run in the service process.
    const runtime = await benchRuntime(db, fake, 'bench-jobs-seed');
    let service: ChildProcess | undefined;
    try {
      note(`seeding ${fmtInt(opts.wishes)} wishes (${fmtInt(opts.open)} open) in ${opts.communities} communities, ${fmtInt(opts.groups)} linked groups`);
      const seeded = await seed(runtime, db.models, opts);
      const { expected } = seeded;
      const digestGroups = seeded.groups.filter((g) => expected.digestCommunities.has(g.communityId)).length;

      const heap = opts.serviceHeapMb !== undefined ? [`--max-old-space-size=${opts.serviceHeapMb}`] : [];
      const child = spawn(process.execPath, [...heap, '--import', 'tsx', path.join(__dirname, 'jobs-service.ts'), uri, db.dbName, fake.apiRoot, fake.token, JSON.stringify(testJobsConfig())], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      service = child;
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const next = reportsOf(child);
      const ready = await next('ready');
      note(`service process ${child.pid} ready, RSS ${fmtInt(ready.rssMb)} MB`);
      const runs: JobRun[] = [];

      // Digest first, then its delivery alone through the service's sender.
      const digest = await followJob<{ digests: number }>(next, 'digest', (r) => countCoverage('linked groups with open wishes', r.digests, digestGroups));
      runs.push(digest);
      const digests = digest.result?.digests ?? 0;
      let delivered = 0;
      let lastAt = 0;
      const allDelivered = new Promise<void>((resolve) => {
        if (digests === 0) resolve();
        fake.onCall((c) => {
          if (c.method !== 'sendMessage' || !c.ok || Number(c.params.chat_id) >= 0) return;
          lastAt = c.at;
          if (++delivered === digests) resolve();
        });
      });
      const floorSeconds = digests / DEFAULT_LIMITS.globalPerSecond;
      const limitMs = Math.max(120_000, 10 * floorSeconds * 1000);
      note(`sending ${fmtInt(digests)} digests (floor ${floorSeconds.toFixed(1)} s)`);
      const sendStarted = (await next('sending')).at;
      const progress = setInterval(() => note(`  ${fmtInt(delivered)}/${fmtInt(digests)} delivered after ${fmtSeconds(Date.now() - sendStarted)}`), 15_000);
      const finished = await Promise.race([allDelivered.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), limitMs).unref())]);
      clearInterval(progress);
      const deliveryMs = digests === 0 ? 0 : (finished ? lastAt : Date.now()) - sendStarted;
      child.stdin!.write('stop-sender\n');
      const sendPeakMb = (await next('sent')).peakRssMb;

      runs.push(await followJob<{ expired: string[] }>(next, 'expire', (r) => coverage('past-deadline wishes expired', r.expired, expected.expired)));
      runs.push(await followJob<{ reminded: number }>(next, 'remind', (r) => countCoverage('undelivered pledges reminded', r.reminded, expected.reminded)));
      runs.push(await followJob<{ released: string[] }>(next, 'release', (r) => coverage('abandoned pledges released', r.released, expected.released)));
      runs.push(await followJob<{ alerts: number }>(next, 'stale alerts', (r) => countCoverage('stale and near-deadline alerts', r.alerts, expected.alerts)));
      const serviceEnd = await next('end');
      await exited;

      const stats = fake.stats();
      say(`engine: ${engine}  communities: ${opts.communities}  linked groups: ${fmtInt(opts.groups)}  wishes: ${fmtInt(opts.wishes)} (${fmtInt(opts.open)} open)`);
      say(
        `seed: ${fmtInt(seeded.totals.events)} events in ${fmtInt(seeded.totals.wishes)} wishes (bulk, ${fmtSeconds(seeded.totals.ms)}; rebuildOpenWishes recorded ${fmtInt(seeded.totals.open)}), all in ${fmtSeconds(seeded.ms)}`,
      );
      const rows = runs.map((r) => [r.name, fmtSeconds(r.ms).replace(' s', ''), fmtInt(r.servicePeakMb), fmtInt(r.memory.dbPeakMb), `${r.covered}${r.ok ? '' : '  <-- MISSED'}`]);
      for (const line of formatTable(['job', 'run s', 'service RSS MB', 'db RSS MB', 'covered'], rows)) say(line.replace(/\s+$/, ''));
      if (!digest.result) say('digest delivery: not measured, the digest job failed');
      else {
        const ratio = deliveryMs / 1000 / floorSeconds;
        say(
          `digest delivery: ${fmtInt(delivered)} of ${fmtInt(digests)} digests reached the Bot API ${fmtSeconds(deliveryMs)} after the sender started${finished ? '' : ' (gave up waiting)'}; ` +
            `floor ${floorSeconds.toFixed(1)} s (${fmtInt(digests)} at ${DEFAULT_LIMITS.globalPerSecond}/s, the sender's limit), ratio ${Number.isFinite(ratio) ? ratio.toFixed(2) : '-'}; ` +
            `job + delivery ${fmtSeconds(digest.ms + deliveryMs)}; 429s: ${stats.tooManyRequests}; service RSS while sending ${fmtInt(sendPeakMb)} MB`,
        );
      }
      const slowest = runs.reduce((a, b) => (b.ms > a.ms ? b : a));
      const servicePeak = Math.max(sendPeakMb, ...runs.map((r) => r.servicePeakMb));
      const allCovered = runs.every((r) => r.ok) && finished;
      say(
        `targets: every job covers all it should: ${allCovered ? 'met' : 'MISSED'}; each run under ${RUN_TARGET_MS / 1000} s: ${slowest.ms < RUN_TARGET_MS ? 'met' : 'MISSED'} (slowest ${slowest.name}, ${fmtSeconds(slowest.ms)}); ` +
          `the service's RSS under ${RSS_TARGET_MB} MB while the jobs ran: ${servicePeak < RSS_TARGET_MB ? 'met' : 'MISSED'} (${fmtInt(servicePeak)} MB)`,
      );
      say(`${formatPeakMemory('bench harness (seeding, fake Bot API)')}; service (pid ${child.pid}, start-up included) ${fmtInt(serviceEnd.peakRssMb)} MB`);
      failed = !allCovered;
    } finally {
      if (service && service.exitCode === null && service.signalCode === null) service.kill('SIGKILL');
      await fake.close();
      await db.close();
    }
  });
  if (failed) process.exitCode = 1;
}
