import { testLogger } from '../support/privacy-record';
import { runTickOnce, ScheduledJob } from '../../src/jobs/schedule';
import { Metrics, noMetrics } from '../../src/domain/metrics';
import { createSender, SenderDeps } from '../../src/notify/sender';

const logger = testLogger();

/** What the driver throws when no server answers within serverSelectionTimeoutMS. */
function unreachable(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { name: 'MongoServerSelectionError' });
}

describe('the sender during a database outage', () => {
  it('backs off (1 s doubling to 10 s) while its passes fail, never gives up, and resumes by itself', async () => {
    let failuresLeft = 7;
    let reads = 0;
    const waits: number[] = [];
    let resumed!: () => void;
    const readAgain = new Promise<void>((resolve) => (resumed = resolve));
    const deps: SenderDeps = {
      outbox: {
        due: async () => {
          reads++;
          resumed();
          return [];
        },
        get: async () => null,
        markSent: async () => undefined,
        markRetry: async () => undefined,
        markFailed: async () => undefined,
        pendingCardRefreshes: async () => [],
        markCoalesced: async () => undefined,
      } as unknown as SenderDeps['outbox'],
      leases: {
        tryAcquire: async () => {
          if (failuresLeft > 0) {
            failuresLeft--;
            throw unreachable();
          }
          return true;
        },
      },
      fences: { tryTake: async () => true, get: async () => null } as unknown as SenderDeps['fences'],
      telegram: { callApi: async () => true } as unknown as SenderDeps['telegram'],
      cards: { render: async () => null } as unknown as SenderDeps['cards'],
      clock: () => new Date(),
      logger,
      instanceId: 'unit',
      // Every wait is recorded and cut short, so the test runs in no time and sees what the sender asked for.
      sleep: (ms) => {
        waits.push(ms);
        return new Promise((resolve) => setImmediate(resolve));
      },
    };
    const sender = createSender(deps);
    sender.start();
    await readAgain;
    await sender.stop();
    expect(waits.slice(0, 7)).toEqual([1000, 2000, 4000, 8000, 10000, 10000, 10000]);
    expect(reads).toBeGreaterThan(0);
  });
});

describe('a scheduled job tick during a database outage', () => {
  const leasesThat = (failFirst: number) => {
    const taken = new Set<string>();
    let fails = failFirst;
    return {
      taken,
      async tryAcquire(key: string) {
        if (fails > 0) {
          fails--;
          throw unreachable();
        }
        if (taken.has(key)) return false;
        taken.add(key);
        return true;
      },
    };
  };
  const tick = new Date('2026-11-23T10:00:00Z');

  it('waits and takes the tick once the database answers again, instead of dropping it', async () => {
    const leases = leasesThat(3);
    const waits: number[] = [];
    const job: ScheduledJob = { name: 'digest', cron: '0 18 * * 5', run: jest.fn(async () => 'done') };
    const runs: boolean[] = [];
    const ran = await runTickOnce(job, tick, { leases, instanceId: 'a', logger, sleep: async (ms) => (waits.push(ms), true), metrics: { ...noMetrics, jobRun: (_n, _s, ok) => runs.push(ok) } });
    expect(ran).toBe(true);
    // Three leases the outage kept from being taken, then one run: one run counted.
    expect(runs).toEqual([true]);
    expect(job.run).toHaveBeenCalledTimes(1);
    expect(waits).toEqual([2000, 4000, 8000]);
    expect([...leases.taken]).toEqual(['job:digest:2026-11-23T10:00:00.000Z']);
  });

  it('a run the outage broke is tried again under a retry lease of its own; any other failure waits for the next tick', async () => {
    const leases = leasesThat(0);
    let calls = 0;
    const job: ScheduledJob = {
      name: 'expire',
      cron: '5 * * * *',
      run: async () => {
        calls++;
        if (calls === 1) throw unreachable();
        return 'ok';
      },
    };
    // Each run counts, the broken one as failed; a lease the outage kept from being taken is no run.
    const runs: string[] = [];
    const metrics: Metrics = { ...noMetrics, jobRun: (name, seconds, ok) => runs.push(`${name}:${ok ? 'ok' : 'failed'}:${seconds >= 0}`) };
    const told: string[] = [];
    const onRan = (name: string, _at: Date, ok: boolean) => told.push(`${name}:${ok}`);
    expect(await runTickOnce(job, tick, { leases, instanceId: 'a', logger, sleep: async () => true, metrics, onRan })).toBe(true);
    expect(calls).toBe(2);
    expect([...leases.taken]).toEqual(['job:expire:2026-11-23T10:00:00.000Z', 'job:expire:2026-11-23T10:00:00.000Z:retry1']);
    expect(runs).toEqual(['expire:failed:true', 'expire:ok:true']);
    expect(told).toEqual(['expire:false', 'expire:true']);

    const broken: ScheduledJob = { name: 'broken', cron: '* * * * *', run: jest.fn(async () => Promise.reject(new Error('a bug'))) };
    expect(await runTickOnce(broken, tick, { leases, instanceId: 'a', logger, sleep: async () => true, metrics })).toBe(true);
    expect(broken.run).toHaveBeenCalledTimes(1);
    expect(runs.slice(2)).toEqual(['broken:failed:true']);
  });

  it('stops waiting when the scheduler stops, and never throws', async () => {
    const leases = leasesThat(100);
    const job: ScheduledJob = { name: 'digest', cron: '* * * * *', run: jest.fn(async () => undefined) };
    let waited = 0;
    await expect(runTickOnce(job, tick, { leases, instanceId: 'a', logger, sleep: async () => ++waited < 3 })).resolves.toBe(false);
    expect(job.run).not.toHaveBeenCalled();
  });
});
