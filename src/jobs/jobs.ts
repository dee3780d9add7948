import type { JobsConfig } from '../config';
import { Language } from '../domain/community';
import { GroupStore } from '../domain/groups';
import { languageOf, PersonStore, telegramIdOfDonor } from '../domain/people';
import { isDomainError } from '../domain/errors';
import { remainingAmount } from '../domain/wish/evolve';
import { WishService } from '../domain/wish/service';
import { Actor, WishState } from '../domain/wish/types';
import { callbackData } from '../ui/callbacks';
import { clip, escapeHtml, shortDate } from '../ui/format';
import { MessageKey, t } from '../ui/i18n';
import { InlineKeyboard, NewOutboxItem, outboxId } from '../domain/outbox';
import { notBeforeQuiet } from './quiet-hours';

// Each job is a plain async function of its dependencies and `now`: schedule.ts only decides when.
// Messages go into the outbox under keys that name the period they belong to, so running a tick
// twice (or two instances running it) never sends anything twice.

/** The thresholds from configuration, plus where and in what language the jobs speak. */
export type JobSettings = Omit<JobsConfig, 'cron' | 'keepDays'> & { timeZone: string; defaultLanguage: Language };

export interface ReminderAnswers {
  /** When the donor last said "still on it" for this pledge, if ever. */
  lastAnswer(pledgeId: string): Promise<Date | undefined>;
}

export interface JobDeps {
  wishes: WishService;
  groups: GroupStore;
  people: PersonStore;
  enqueue(items: NewOutboxItem[]): Promise<void>;
  answers: ReminderAnswers;
  settings: JobSettings;
}

const DAY = 86_400_000;
const SYSTEM: Actor = { kind: 'system', id: 'system:jobs', name: 'scheduler' };
const LIVE_STATUSES = ['open', 'partially_pledged', 'fully_pledged'] as const;

async function published(deps: JobDeps): Promise<WishState[]> {
  return deps.wishes.list({ status: [...LIVE_STATUSES], limit: 5000 });
}

async function personal(deps: JobDeps, telegramId: number, key: MessageKey, params: Record<string, string | number>, extra: { id: string; kind: string; now: Date; keyboard?: (lang: Language) => InlineKeyboard }): Promise<NewOutboxItem> {
  const lang = languageOf(await deps.people.get(telegramId), deps.settings.defaultLanguage);
  return {
    id: extra.id,
    chatId: telegramId,
    kind: extra.kind,
    notBefore: notBeforeQuiet(extra.now, deps.settings.quietHours, deps.settings.timeZone),
    payload: { type: 'message', message: { text: t(lang, key, params), parseMode: 'HTML', keyboard: extra.keyboard?.(lang) } },
  };
}

/** Past-deadline wishes become expired; the relay tells pledgers and the resident and updates cards. */
export async function expireWishes(deps: JobDeps, now: Date): Promise<{ expired: string[] }> {
  const expired: string[] = [];
  for (const wish of await published(deps)) {
    if (wish.deadline.getTime() > now.getTime()) continue;
    try {
      await deps.wishes.execute(wish.id, { type: 'expire' }, SYSTEM);
      expired.push(wish.code);
    } catch (err) {
      if (!isDomainError(err)) throw err; // someone closed it first: nothing to do
    }
  }
  return { expired };
}

/** Pledged but not delivered after N days: a reminder, at most once per interval, with "still on it / withdraw". */
export async function remindPledges(deps: JobDeps, now: Date): Promise<{ reminded: number }> {
  const s = deps.settings;
  const items: NewOutboxItem[] = [];
  for (const wish of await published(deps)) {
    for (const p of wish.pledges) {
      if (p.status !== 'active') continue;
      const since = Math.max(p.pledgedAt.getTime(), (await deps.answers.lastAnswer(p.id))?.getTime() ?? 0);
      const age = now.getTime() - since;
      if (age < s.reminderAfterDays * DAY) continue;
      const telegramId = telegramIdOfDonor(p.donorId);
      if (telegramId === undefined) continue;
      const round = Math.floor((age - s.reminderAfterDays * DAY) / (s.reminderIntervalDays * DAY));
      items.push(
        await personal(deps, telegramId, 'reminder.pledge', { code: wish.code, title: escapeHtml(clip(wish.title, 60)), days: Math.floor(age / DAY), deadline: shortDate(wish.deadline, 'en', s.timeZone) }, {
          id: outboxId(`reminder:${p.id}:${since}:${round}`, telegramId, 'reminder'),
          kind: 'reminder',
          now,
          keyboard: (lang) => [
            [
              { text: t(lang, 'reminder.button.stillOn'), callback_data: callbackData.stillOn(p.id) },
              { text: t(lang, 'donor.button.delivered'), callback_data: callbackData.delivered(p.id) },
              { text: t(lang, 'donor.button.withdraw'), callback_data: callbackData.withdraw(p.id) },
            ],
          ],
        }),
      );
    }
  }
  await deps.enqueue(items);
  return { reminded: items.length };
}

/** No delivery and no answer to reminders for N days: the pledge is released (the relay tells donor, worker, cards). */
export async function releaseAbandoned(deps: JobDeps, now: Date): Promise<{ released: string[] }> {
  const released: string[] = [];
  for (const wish of await published(deps)) {
    for (const p of wish.pledges) {
      if (p.status !== 'active') continue;
      const since = Math.max(p.pledgedAt.getTime(), (await deps.answers.lastAnswer(p.id))?.getTime() ?? 0);
      if (now.getTime() - since < deps.settings.releaseAfterDays * DAY) continue;
      try {
        await deps.wishes.execute(wish.id, { type: 'release', pledgeId: p.id, reason: 'not delivered and no answer to reminders' }, SYSTEM);
        released.push(p.id);
      } catch (err) {
        if (!isDomainError(err)) throw err;
      }
    }
  }
  return { released };
}

/** Tells the worker about wishes nobody has taken after N days, or whose deadline is near. Once per wish and reason. */
export async function alertStaleWishes(deps: JobDeps, now: Date): Promise<{ alerts: number }> {
  const s = deps.settings;
  const items: NewOutboxItem[] = [];
  for (const wish of await published(deps)) {
    const worker = telegramIdOfDonor(wish.createdBy.id);
    if (worker === undefined) continue;
    const params = { code: wish.code, title: escapeHtml(clip(wish.title, 60)), days: s.staleAfterDays, deadline: shortDate(wish.deadline, 'en', s.timeZone) };
    const livePledges = wish.pledges.some((p) => p.status === 'active' || p.status === 'delivered' || p.status === 'confirmed');
    if (!livePledges && wish.publishedAt && now.getTime() - wish.publishedAt.getTime() >= s.staleAfterDays * DAY) {
      items.push(await personal(deps, worker, 'worker.staleNoPledge', params, { id: outboxId(`stale:${wish.id}`, worker, 'stale_no_pledge'), kind: 'stale_no_pledge', now }));
    }
    if (remainingAmount(wish) > 0 && wish.deadline.getTime() - now.getTime() <= s.deadlineWarningDays * DAY) {
      items.push(await personal(deps, worker, 'worker.deadlineNear', params, { id: outboxId(`deadline:${wish.id}`, worker, 'deadline_near'), kind: 'deadline_near', now }));
    }
  }
  await deps.enqueue(items);
  return { alerts: items.length };
}

/** One message per linked group and period: the top open wishes by urgency, then deadline, with buttons. */
export async function postDigests(deps: JobDeps, now: Date, period: string): Promise<{ digests: number }> {
  const s = deps.settings;
  const open = (await deps.wishes.list({ status: ['open', 'partially_pledged'], limit: 5000 })).filter((w) => w.deadline.getTime() > now.getTime());
  const items: NewOutboxItem[] = [];
  for (const group of await deps.groups.linked()) {
    const mine = open
      .filter((w) => w.communityId === group.communityId)
      .sort((a, b) => (a.urgency === b.urgency ? a.deadline.getTime() - b.deadline.getTime() : a.urgency === 'urgent' ? -1 : 1))
      .slice(0, s.digestSize);
    if (mine.length === 0) continue;
    const lang = group.language ?? s.defaultLanguage;
    const lines = mine.map((w) => `• <b>${w.code}</b> ${escapeHtml(clip(w.title, 60))}${w.urgency === 'urgent' ? ' ⚡' : ''} – ${t(lang, 'digest.until', { date: shortDate(w.deadline, lang, s.timeZone) })}${w.category === 'cash' ? ` · ${w.pledged}/${w.target}` : ''}`);
    const keyboard = mine.map((w) => [
      w.category === 'cash'
        ? { text: `${t(lang, 'card.button.other')} · ${w.code}`, callback_data: callbackData.other(w.id) }
        : { text: `${t(lang, 'card.button.claim')} · ${w.code}`, callback_data: callbackData.claim(w.id) },
    ]);
    items.push({
      id: outboxId(`digest:${period}`, group.chatId, 'digest'),
      chatId: group.chatId,
      kind: 'digest',
      payload: { type: 'message', message: { text: `${t(lang, 'digest.header', { count: mine.length })}\n${lines.join('\n')}`, parseMode: 'HTML', keyboard } },
    });
  }
  await deps.enqueue(items);
  return { digests: items.length };
}
