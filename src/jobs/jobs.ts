import { isRedacted } from '../domain/wish/consent';
import type { JobsConfig } from '../config';
import { Language } from '../domain/community';
import { isDomainError } from '../domain/errors';
import { GroupStore } from '../domain/groups';
import { NewOutboxItem } from '../domain/outbox';
import { WishService } from '../domain/wish/service';
import { Actor, WishState, WishStatus } from '../domain/wish/types';
import { byUrgencyThenDeadline, livePledges, remainingAmount } from '../domain/wish/views';
import { Relay } from '../notify/relay';
import { notBeforeQuiet } from './quiet-hours';

// Each job is a plain async function of its dependencies and `now`: schedule.ts only decides when.
// Each goes through every wish that concerns it, a page at a time, oldest deadline first (the ones
// most likely overdue come first, and none is left out however many there are). Messages come
// from the relay under keys that name the period they belong to, so running a tick twice (or two
// instances running it) never sends anything twice.

/** The thresholds from configuration, plus where the jobs run. */
export type JobSettings = Omit<JobsConfig, 'cron' | 'keepDays'> & { timeZone: string; defaultLanguage: Language };

export interface ReminderAnswers {
  /** When the donor last said "still on it" for this pledge, if ever. */
  lastAnswer(pledgeId: string): Promise<Date | undefined>;
}

export interface JobDeps {
  wishes: WishService;
  groups: GroupStore;
  relay: Pick<Relay, 'scheduled'>;
  enqueue(items: NewOutboxItem[]): Promise<void>;
  answers: ReminderAnswers;
  settings: JobSettings;
  /** Wishes read at a time (default 200). */
  pageSize?: number;
}

const DAY = 86_400_000;
const SYSTEM: Actor = { kind: 'system', id: 'system:jobs', name: 'scheduler' };
const PUBLISHED: WishStatus[] = ['open', 'partially_pledged', 'fully_pledged'];
const OPEN: WishStatus[] = ['open', 'partially_pledged'];

/** Past-deadline wishes become expired; the relay tells pledgers and the resident and updates cards. */
export async function expireWishes(deps: JobDeps, now: Date): Promise<{ expired: string[] }> {
  const expired: string[] = [];
  for await (const page of deps.wishes.pagesByDeadline({ status: PUBLISHED, deadlineBefore: now }, deps.pageSize)) {
    for (const wish of page) {
      try {
        const { event } = await deps.wishes.execute(wish.id, { type: 'expire' }, SYSTEM);
        if (event) expired.push(wish.code);
      } catch (err) {
        if (!isDomainError(err)) throw err; // someone closed it first: nothing to do
      }
    }
  }
  return { expired };
}

/** When the donor's clock on a pledge started: when they pledged, or last said "still on it". */
async function pledgeClock(deps: JobDeps, pledge: { id: string; pledgedAt: Date }): Promise<number> {
  return Math.max(pledge.pledgedAt.getTime(), (await deps.answers.lastAnswer(pledge.id))?.getTime() ?? 0);
}

/** Pledged but not delivered after N days: a reminder, at most once per interval, with "still on it / delivered / withdraw". */
export async function remindPledges(deps: JobDeps, now: Date): Promise<{ reminded: number }> {
  const s = deps.settings;
  const notBefore = notBeforeQuiet(now, s.quietHours, s.timeZone);
  let reminded = 0;
  for await (const page of deps.wishes.pagesByDeadline({ status: PUBLISHED }, deps.pageSize)) {
    const items: NewOutboxItem[] = [];
    for (const wish of page) {
      for (const p of wish.pledges) {
        if (p.status !== 'active') continue;
        const since = await pledgeClock(deps, p);
        const age = now.getTime() - since;
        if (age < s.reminderAfterDays * DAY) continue;
        const round = Math.floor((age - s.reminderAfterDays * DAY) / (s.reminderIntervalDays * DAY));
        const item = await deps.relay.scheduled.pledgeReminder(wish, p, { since, round, days: Math.floor(age / DAY), notBefore });
        if (item) items.push(item);
      }
    }
    await deps.enqueue(items);
    reminded += items.length;
  }
  return { reminded };
}

/** No delivery and no answer to reminders for N days: the pledge is released (the relay tells donor, worker, cards). */
export async function releaseAbandoned(deps: JobDeps, now: Date): Promise<{ released: string[] }> {
  const released: string[] = [];
  for await (const page of deps.wishes.pagesByDeadline({ status: PUBLISHED }, deps.pageSize)) {
    for (const wish of page) {
      for (const p of wish.pledges) {
        if (p.status !== 'active') continue;
        if (now.getTime() - (await pledgeClock(deps, p)) < deps.settings.releaseAfterDays * DAY) continue;
        try {
          const { event } = await deps.wishes.execute(wish.id, { type: 'release', pledgeId: p.id, reason: 'not delivered and no answer to reminders' }, SYSTEM);
          if (event) released.push(p.id);
        } catch (err) {
          if (!isDomainError(err)) throw err;
        }
      }
    }
  }
  return { released };
}

/** Tells the workers about wishes nobody has taken after N days, or whose deadline is near. Once per wish and reason. */
export async function alertStaleWishes(deps: JobDeps, now: Date): Promise<{ alerts: number }> {
  const s = deps.settings;
  const notBefore = notBeforeQuiet(now, s.quietHours, s.timeZone);
  let alerts = 0;
  for await (const page of deps.wishes.pagesByDeadline({ status: PUBLISHED }, deps.pageSize)) {
    const items: NewOutboxItem[] = [];
    for (const wish of page) {
      if (livePledges(wish).length === 0 && wish.publishedAt && now.getTime() - wish.publishedAt.getTime() >= s.staleAfterDays * DAY) {
        items.push(...(await deps.relay.scheduled.staleAlert(wish, s.staleAfterDays, notBefore)));
      }
      if (remainingAmount(wish) > 0 && wish.deadline.getTime() - now.getTime() <= s.deadlineWarningDays * DAY) {
        items.push(...(await deps.relay.scheduled.deadlineAlert(wish, notBefore)));
      }
    }
    await deps.enqueue(items);
    alerts += items.length;
  }
  return { alerts };
}

/** One message per linked group and period: the community's most pressing open wishes, with buttons. */
export async function postDigests(deps: JobDeps, now: Date, period: string): Promise<{ digests: number }> {
  const size = deps.settings.digestSize;
  // Only each community's top few are kept while paging, so a city's worth of wishes fits in memory.
  const top = new Map<string, WishState[]>();
  for await (const page of deps.wishes.pagesByDeadline({ status: OPEN }, deps.pageSize)) {
    for (const wish of page) {
      // Kept private, or the resident withdrew their yes: never listed to the groups again.
      if (wish.deadline.getTime() <= now.getTime() || isRedacted(wish)) continue;
      const list = [...(top.get(wish.communityId) ?? []), wish].sort(byUrgencyThenDeadline).slice(0, size);
      top.set(wish.communityId, list);
    }
  }
  const items: NewOutboxItem[] = [];
  for (const group of await deps.groups.linked()) {
    const mine = top.get(group.communityId!) ?? [];
    if (mine.length > 0) items.push(deps.relay.scheduled.digest(group, mine, period));
  }
  await deps.enqueue(items);
  return { digests: items.length };
}
