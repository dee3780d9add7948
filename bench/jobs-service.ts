// The service's side of bench/jobs.ts, in a process of its own as production runs it, so the RSS it
// samples is the service's alone (the seeder's data and the fake Bot API stay in the parent).
//   node --import tsx bench/jobs-service.ts <mongodb uri> <db name> <Bot API root> <token> <jobs config JSON>
// Builds the runtime as bench/jobs.ts did, runs digest, then its delivery (the sender runs until a
// `stop-sender` line arrives on stdin), then expire, remind, release, stale alerts. Reports on stdout,
// one JSON line each (JobsServiceReport); progress goes to stderr. Imports only what the service does.
// Its RSS includes tsx's loader, which production (compiled JS) has not: about 50 MB on an empty file.
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { connectDatabase } from '../src/db/connection';
import { createModels, ensureIndexes } from '../src/db/models';
import { alertStaleWishes, expireWishes, postDigests, releaseAbandoned, remindPledges } from '../src/jobs/jobs';
import { benchRuntime } from './support';

const MB = 1024 * 1024;

export type JobsServiceReport =
  | { type: 'ready'; rssMb: number }
  | { type: 'start'; job: string }
  /** `result` is the job's own return value; `error` when it threw. */
  | { type: 'done'; job: string; ms: number; peakRssMb: number; result?: Record<string, unknown>; error?: string }
  /** The sender has been started, at `at` (Date.now()). */
  | { type: 'sending'; at: number }
  | { type: 'sent'; peakRssMb: number }
  /** `peakRssMb`: the kernel's high-water mark for the whole run, start-up included. */
  | { type: 'end'; peakRssMb: number };

function report(r: JobsServiceReport): void {
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

const rssMb = () => process.memoryUsage.rss() / MB;

/** This process's RSS sampled every 250 ms until stop(), for one phase's peak. */
function samplePeak(): { stop(): number } {
  let peak = rssMb();
  const timer = setInterval(() => (peak = Math.max(peak, rssMb())), 250);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMb());
    },
  };
}

async function runJob(job: string, fn: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown> | undefined> {
  report({ type: 'start', job });
  const peak = samplePeak();
  const started = performance.now();
  const ticker = setInterval(() => note(`  ${job}: ${((performance.now() - started) / 1000).toFixed(1)} s so far, service RSS ${Math.round(rssMb())} MB`), 15_000);
  try {
    const result = await fn();
    report({ type: 'done', job, ms: performance.now() - started, peakRssMb: peak.stop(), result });
    return result;
  } catch (err) {
    const error = err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : String(err);
    report({ type: 'done', job, ms: performance.now() - started, peakRssMb: peak.stop(), error });
    return undefined;
  } finally {
    clearInterval(ticker);
  }
}

async function main() {
  const [uri, dbName, apiRoot, token, jobsConfig] = process.argv.slice(2);
  const conn = await connectDatabase({ uri: uri!, dbName });
  const models = createModels(conn);
  await ensureIndexes(models);
  const runtime = await benchRuntime({ conn, models }, { token: token!, apiRoot: apiRoot! }, 'bench-jobs');
  const { deps } = runtime.jobs(JSON.parse(jobsConfig!));
  const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  report({ type: 'ready', rssMb: rssMb() });

  // Digest first, then its delivery alone through the sender, until the parent has seen it arrive.
  await runJob('digest', () => postDigests(deps, new Date(), `bench-${Date.now()}`));
  const sending = samplePeak();
  runtime.sender.start();
  report({ type: 'sending', at: Date.now() });
  for (let line = await stdin.next(); !line.done && line.value !== 'stop-sender'; line = await stdin.next());
  await runtime.sender.stop();
  report({ type: 'sent', peakRssMb: sending.stop() });

  await runJob('expire', () => expireWishes(deps, new Date()));
  await runJob('remind', () => remindPledges(deps, new Date()));
  await runJob('release', () => releaseAbandoned(deps, new Date()));
  await runJob('stale alerts', () => alertStaleWishes(deps, new Date()));
  await conn.close();
  report({ type: 'end', peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB });
  process.exit(0);
}

main().catch((err: unknown) => {
  note(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
