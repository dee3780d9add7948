import { Clock } from '../../src/domain/clock';
import { JobsConfig } from '../../src/config';
import { Actor, Category, WishDraft } from '../../src/domain/wish/types';
import { createServices, Services } from '../../src/services';
import { TestDatabase } from './db';

export const admin: Actor = { kind: 'admin', id: 'admin:test', name: 'Test admin' };
export const system: Actor = { kind: 'system', id: 'system' };

export function donor(n: number | string): Actor {
  return { kind: 'donor', id: `donor-${n}`, name: `Donor ${n}` };
}

/** A clock the test moves by hand. */
export function manualClock(start = new Date('2026-11-22T09:00:00Z')) {
  let now = start.getTime();
  const clock: Clock = () => new Date(now);
  return Object.assign(clock, {
    advance(ms: number) {
      now += ms;
    },
    set(d: Date) {
      now = d.getTime();
    },
  });
}

export const DAY = 24 * 60 * 60 * 1000;

export function buildServices(db: TestDatabase, clock: Clock, adminApiToken?: string): Services {
  return createServices({ conn: db.conn, models: db.models, clock, adminApiToken });
}

export function draftFor(communityId: string, over: Partial<WishDraft> & { category?: Category } = {}, now = new Date()): WishDraft {
  return {
    communityId,
    title: 'Winter heating bill',
    description: 'Heating was cut off in November; this covers the arrears.',
    category: 'cash',
    target: 300,
    deadline: new Date(now.getTime() + 30 * DAY),
    urgency: 'normal',
    beneficiary: { alias: 'elderly resident, Building 3', notes: 'Lives alone', contact: '555-0100' },
    ...over,
  };
}

/** A published wish in a fresh community. */
export async function publishedWish(services: Services, clock: Clock, over: Partial<WishDraft> = {}) {
  const community = await services.communities.create({ name: 'Harbour Street' }, admin);
  const { state } = await services.wishes.create(draftFor(community.id, over, clock()), admin, { publish: true });
  return { community, wish: state };
}

/** Runs every call at once and sorts the outcomes into successes and refusal codes. */
export async function settleAll<T>(calls: Array<() => Promise<T>>) {
  const results = await Promise.allSettled(calls.map((c) => c()));
  const ok = results.filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === 'fulfilled').map((r) => r.value);
  const refusals = results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => (r.reason as { code?: string }).code ?? String(r.reason));
  return { ok, refusals };
}

/** Job settings for tests: the service's defaults, crons that never fire on their own in a test's time. */
export function testJobsConfig(over: Partial<JobsConfig> = {}): JobsConfig {
  return {
    cron: { expire: '5 * * * *', pledgeReminders: '0 10 * * *', releaseAbandoned: '15 10 * * *', staleAlerts: '30 9 * * *', digest: '0 18 * * 5', housekeeping: '40 3 * * *' },
    reminderAfterDays: 3,
    reminderIntervalDays: 3,
    releaseAfterDays: 10,
    staleAfterDays: 5,
    deadlineWarningDays: 3,
    digestSize: 5,
    keepDays: 14,
    ...over,
  };
}
