import { Group } from '../domain/groups';
import { NewOutboxItem } from '../domain/outbox';
import { telegramIdOfDonor } from '../domain/people';
import { Pledge, WishState } from '../domain/wish/types';
import { callbackData } from '../ui/callbacks';
import { amountOf, clip, escapeHtml, money } from '../ui/format';
import { t } from '../ui/i18n';
import { deadlineOf, html, MessageKit, RelayDeps, sources, wishParams } from './messages';

/**
 * What the jobs send on their schedule. The jobs decide who is due and when a message may go
 * (quiet hours); these make the messages, in each reader's language, under keys naming the period.
 */
export function createScheduledMessages(kit: MessageKit, deps: RelayDeps) {
  return {
    /** "Are you still on it?" to a donor whose pledge is not delivered, once per round. */
    async pledgeReminder(wish: WishState, pledge: Pledge, at: { since: number; round: number; days: number; notBefore: Date }): Promise<NewOutboxItem | undefined> {
      const telegramId = telegramIdOfDonor(pledge.donorId);
      if (telegramId === undefined) return undefined;
      const service = wish.category === 'service';
      return kit.personal(
        telegramId,
        sources.reminder(pledge.id, at.since, at.round),
        'reminder',
        (lang) =>
          html(lang, service ? 'reminder.service' : 'reminder.pledge', { ...wishParams(wish), days: at.days, deadline: deadlineOf(wish, lang, deps.timeZone) }, [
            [
              { text: t(lang, 'reminder.button.stillOn'), callback_data: callbackData.stillOn(pledge.id) },
              { text: t(lang, service ? 'donor.button.done' : 'donor.button.delivered'), callback_data: callbackData.delivered(pledge.id) },
              { text: t(lang, 'donor.button.withdraw'), callback_data: callbackData.withdraw(pledge.id) },
            ],
          ]),
        at.notBefore,
      );
    },

    /** To the wish's workers: nobody has taken it for `days` days. Once per wish. */
    async staleAlert(wish: WishState, days: number, notBefore: Date): Promise<NewOutboxItem[]> {
      const items: NewOutboxItem[] = [];
      for (const w of await kit.workersOf(wish)) {
        items.push(await kit.personal(w, sources.stale(wish.id), 'stale_no_pledge', (lang) => html(lang, 'worker.staleNoPledge', { ...wishParams(wish), days }), notBefore));
      }
      return items;
    },

    /** To the wish's workers: the deadline is near and it is not covered. Once per wish. */
    async deadlineAlert(wish: WishState, notBefore: Date): Promise<NewOutboxItem[]> {
      const items: NewOutboxItem[] = [];
      for (const w of await kit.workersOf(wish)) {
        items.push(await kit.personal(w, sources.deadline(wish.id), 'deadline_near', (lang) => html(lang, 'worker.deadlineNear', { ...wishParams(wish), deadline: deadlineOf(wish, lang, deps.timeZone) }), notBefore));
      }
      return items;
    },

    /** One message per group and period: the open wishes, most pressing first, with a button each. */
    digest(group: Group, wishes: WishState[], period: string): NewOutboxItem {
      return kit.toGroup(group, sources.digest(period), 'digest', (lang) => {
        const lines = wishes.map((w) => {
          const progress = w.category === 'cash' ? ` · ${money(w.pledged, deps.currency)}/${money(w.target, deps.currency)}` : ` · ${escapeHtml(amountOf(w, w.target, lang, deps.currency))}`;
          return `• <b>${w.code}</b> ${escapeHtml(clip(w.title, 60))}${w.urgency === 'urgent' ? ' ⚡' : ''} – ${t(lang, 'digest.until', { date: deadlineOf(w, lang, deps.timeZone) })}${progress}`;
        });
        const keyboard = wishes.map((w) => [
          w.category === 'cash'
            ? { text: `${t(lang, 'card.button.other')} · ${w.code}`, callback_data: callbackData.other(w.id) }
            : { text: `${t(lang, 'card.button.claim')} · ${w.code}`, callback_data: callbackData.claim(w.id) },
        ]);
        return { text: `${t(lang, 'digest.header', { count: wishes.length })}\n${lines.join('\n')}`, parseMode: 'HTML', keyboard };
      });
    },
  };
}
