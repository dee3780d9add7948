import cron, { ScheduledTask } from 'node-cron';
import { Logger } from 'pino';
import { LeaseStore } from '../db/lease-store';
import { isDatabaseUnavailable } from '../db/unavailable';
import { Metrics, noMetrics } from '../domain/metrics';

export interface ScheduledJob {
  name: string;
  /** A cron expression, e.g. `0 9 * * *`. */
  cron?: string;
  /** Or: every this many milliseconds, on multiples of it since the epoch (every instance agrees on the ticks). */
  everyMs?: number;
  /** `tick` is the scheduled time (to the minute): it names the run, e.g. a digest's period. */
  run(tick: Date): Promise<unknown>;
}

/** The scheduled second a cron run belongs to: every instance computes the same one. */
export function tickOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}

export interface TickDeps {
  leases: Pick<LeaseStore, 'tryAcquire'>;
  instanceId: string;
  logger: Logger;
  /**
   * While the database is unreachable a tick is tried again after these waits (default 2 s doubling
   * to 60 s, for up to 10 minutes), so a daily job is not lost to a short outage. Tests shorten them.
   */
  retry?: { firstMs?: number; maxMs?: number; giveUpAfterMs?: number };
  /** Waits between retries; resolves early (with false) when the scheduler stops. */
  sleep?(ms: number): Promise<boolean>;
  /** Counts each run (ok or failed) and its duration. */
  metrics?: Metrics;
  /** Told of each run once it has finished or thrown (the scheduler's status). */
  onRan?(name: string, at: Date, ok: boolean): void;
}

const defaultSleep = (ms: number) => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), ms).unref());

/**
 * Runs one tick of a job if this instance is the first to take its lease: the lease's _id is
 * `job:<name>:<tick>`, so with several instances exactly one runs each tick. When the database is
 * out of reach (taking the lease or running the job failed for that reason), the tick is tried
 * again with backoff rather than dropped; a retry of a run that failed takes a lease of its own
 * (`...:retry<n>`), since the tick's lease is spent. Never throws.
 */
export async function runTickOnce(job: ScheduledJob, tick: Date, deps: TickDeps): Promise<boolean> {
  const base = `job:${job.name}:${tick.toISOString()}`;
  const firstMs = deps.retry?.firstMs ?? 2_000;
  const maxMs = deps.retry?.maxMs ?? 60_000;
  const giveUpAt = Date.now() + (deps.retry?.giveUpAfterMs ?? 10 * 60_000);
  const sleep = deps.sleep ?? defaultSleep;
  const metrics = deps.metrics ?? noMetrics;
  let ran = false;
  /** When the run under way started (performance.now()), if one is. */
  let started: number | undefined;
  const finished = (ok: boolean) => {
    if (started === undefined) return;
    metrics.jobRun(job.name, (performance.now() - started) / 1000, ok);
    deps.onRan?.(job.name, new Date(), ok);
    started = undefined;
  };
  for (let attempt = 0, runs = 0; ; attempt++) {
    try {
      const key = runs === 0 ? base : `${base}:retry${runs}`;
      const won = await deps.leases.tryAcquire(key, deps.instanceId, new Date(tick.getTime() + 24 * 3_600_000));
      if (!won) return ran;
      ran = true;
      runs++;
      started = performance.now();
      const result = await job.run(tick);
      const ms = Math.round(performance.now() - started);
      finished(true);
      deps.logger.info({ job: job.name, tick, ms, result, ...(runs > 1 ? { retry: runs - 1 } : {}) }, 'job ran');
      return true;
    } catch (err) {
      // A run that threw (not a lease that could not be taken) counts as a failed run.
      finished(false);
      const unavailable = isDatabaseUnavailable(err);
      if (!unavailable || Date.now() >= giveUpAt) {
        deps.logger.error({ err, job: job.name, tick }, 'job failed; the next tick tries again');
        return ran;
      }
      const wait = Math.min(maxMs, firstMs * 2 ** attempt);
      deps.logger.warn({ job: job.name, tick, retryInMs: wait }, 'database unreachable; the job waits and tries this tick again');
      if (!(await sleep(wait))) return ran;
    }
  }
}

/** Maps cron expressions (and intervals) to jobs; nothing else. */
export function createScheduler(deps: { jobs: ScheduledJob[]; timeZone: string; leases: LeaseStore; instanceId: string; logger: Logger; retry?: TickDeps['retry']; metrics?: Metrics }) {
  let tasks: ScheduledTask[] = [];
  let started = false;
  /** The last run of each job on this instance (another instance may have run later ticks). */
  const lastRuns = new Map<string, { lastRunAt: Date; lastOk: boolean }>();
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  /** Sleeps for a retry; cut short (false) by stop(). */
  const wakers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (stopped) return resolve(false);
      const done = (ok: boolean) => {
        clearTimeout(t);
        wakers.delete(wake);
        resolve(ok);
      };
      const wake = () => done(false);
      const t = setTimeout(() => done(true), ms);
      wakers.add(wake);
    });
  const tickDeps: TickDeps = { ...deps, sleep, onRan: (name, at, ok) => lastRuns.set(name, { lastRunAt: at, lastOk: ok }) };
  const track = (p: Promise<unknown>) => {
    running.add(p);
    void p.finally(() => running.delete(p));
    return p;
  };

  function every(job: ScheduledJob & { everyMs: number }): void {
    let busy = false;
    const arm = () => {
      if (stopped) return;
      const now = Date.now();
      const next = Math.ceil((now + 1) / job.everyMs) * job.everyMs;
      const t = setTimeout(() => {
        timers.delete(t);
        if (!busy) {
          busy = true;
          void track(runTickOnce(job, new Date(next), tickDeps).finally(() => (busy = false)));
        }
        arm();
      }, next - now);
      timers.add(t);
    };
    arm();
  }

  return {
    start(): void {
      stopped = false;
      started = true;
      for (const job of deps.jobs) {
        if (job.everyMs) {
          every({ ...job, everyMs: job.everyMs });
          continue;
        }
        if (!job.cron) throw new Error(`job ${job.name} has neither cron nor everyMs`);
        tasks.push(
          cron.schedule(job.cron, (ctx) => track(runTickOnce(job, tickOf(ctx.date), tickDeps)), { timezone: deps.timeZone, name: job.name, noOverlap: true }),
        );
      }
    },
    /** Whether it runs, and each job's last run here: undefined until this instance has run it. */
    status(): { state: 'running' | 'stopped'; jobs: Record<string, { lastRunAt?: Date; lastOk?: boolean }> } {
      const jobs: Record<string, { lastRunAt?: Date; lastOk?: boolean }> = {};
      for (const job of deps.jobs) jobs[job.name] = { ...lastRuns.get(job.name) };
      return { state: started && !stopped ? 'running' : 'stopped', jobs };
    },
    async stop(): Promise<void> {
      stopped = true;
      for (const t of tasks) await t.stop();
      tasks = [];
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const wake of [...wakers]) wake();
      await Promise.all(running);
    },
  };
}
