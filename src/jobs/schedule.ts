import cron, { ScheduledTask } from 'node-cron';
import { Logger } from 'pino';
import { LeaseStore } from '../db/lease-store';

export interface ScheduledJob {
  name: string;
  /** A cron expression, e.g. `0 9 * * *`. */
  cron: string;
  /** `tick` is the scheduled time (to the minute): it names the run, e.g. a digest's period. */
  run(tick: Date): Promise<unknown>;
}

/** The scheduled second a cron run belongs to: every instance computes the same one. */
export function tickOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}

/**
 * Runs one tick of a job if this instance is the first to take its lease: the lease's _id is
 * `job:<name>:<tick>`, so with several instances exactly one runs each tick.
 */
export async function runTickOnce(job: ScheduledJob, tick: Date, deps: { leases: LeaseStore; instanceId: string; logger: Logger }): Promise<boolean> {
  const key = `job:${job.name}:${tick.toISOString()}`;
  const won = await deps.leases.tryAcquire(key, deps.instanceId, new Date(tick.getTime() + 24 * 3_600_000));
  if (!won) return false;
  const started = Date.now();
  try {
    const result = await job.run(tick);
    deps.logger.info({ job: job.name, tick, ms: Date.now() - started, result }, 'job ran');
  } catch (err) {
    deps.logger.error({ err, job: job.name, tick }, 'job failed; the next tick tries again');
  }
  return true;
}

/** Maps cron expressions to jobs; nothing else. */
export function createScheduler(deps: { jobs: ScheduledJob[]; timeZone: string; leases: LeaseStore; instanceId: string; logger: Logger }) {
  let tasks: ScheduledTask[] = [];
  const running = new Set<Promise<unknown>>();
  return {
    start(): void {
      tasks = deps.jobs.map((job) =>
        cron.schedule(
          job.cron,
          (ctx) => {
            const p = runTickOnce(job, tickOf(ctx.date), deps).finally(() => running.delete(p));
            running.add(p);
            return p;
          },
          { timezone: deps.timeZone, name: job.name, noOverlap: true },
        ),
      );
    },
    async stop(): Promise<void> {
      for (const t of tasks) await t.stop();
      await Promise.all(running);
    },
  };
}
