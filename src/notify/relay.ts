import { Language } from '../domain/community';
import { GroupStore } from '../domain/groups';
import { languageOf, Person, PersonStore, telegramIdOfDonor } from '../domain/people';
import { isLive } from '../domain/wish/evolve';
import { Pledge, WishEvent, WishState } from '../domain/wish/types';
import { callbackData } from '../ui/callbacks';
import { escapeHtml, shortDate } from '../ui/format';
import { MessageKey, t } from '../ui/i18n';
import { InlineKeyboard, NewOutboxItem, outboxId } from '../domain/outbox';

export interface RelayDeps {
  groups: GroupStore;
  people: PersonStore;
  defaultLanguage: Language;
  timeZone: string;
}

/** Names of donors who did not choose anonymity, for a group thank-you. */
function publicDonorNames(pledges: Pledge[]): string[] {
  return [...new Set(pledges.filter((p) => p.status === 'confirmed' && !p.anonymous && p.displayName).map((p) => p.displayName!))];
}

/**
 * Turns one committed wish event into the messages it owes: card refreshes in every linked group,
 * next steps to the donor, updates to the resident and the worker, a thank-you to the groups.
 * Pure apart from reading who is who; the keys make relaying the same event twice harmless.
 */
export function createRelay(deps: RelayDeps) {
  async function messagesFor(event: WishEvent, state: WishState): Promise<NewOutboxItem[]> {
    const items: NewOutboxItem[] = [];
    const groups = state.lifecycle === 'draft' ? [] : await deps.groups.ofCommunity(state.communityId);
    const params = { code: escapeHtml(state.code), title: escapeHtml(state.title) };

    const personal = async (telegramId: number | undefined, kind: string, key: MessageKey, extra: Record<string, string | number> = {}, keyboard?: (lang: Language) => InlineKeyboard) => {
      if (telegramId === undefined) return;
      const person = await deps.people.get(telegramId);
      const lang = languageOf(person, deps.defaultLanguage);
      const text = t(lang, key, { ...params, ...extra });
      items.push({ id: outboxId(event.id, telegramId, kind), chatId: telegramId, kind, payload: { type: 'message', message: { text, parseMode: 'HTML', keyboard: keyboard?.(lang) } } });
    };
    const toResidents = async (kind: string, key: MessageKey, keyboard?: (lang: Language) => InlineKeyboard) => {
      for (const r of await deps.people.residentsOf(state.id)) await personal(r.telegramId, kind, key, {}, keyboard);
    };
    const workerId = telegramIdOfDonor(state.createdBy.id);
    const pledge = 'pledgeId' in event ? state.pledges.find((p) => p.id === event.pledgeId) : undefined;

    if (event.type !== 'created') {
      for (const g of groups) items.push({ id: outboxId(event.id, g.chatId, 'card'), chatId: g.chatId, kind: 'card', payload: { type: 'card', wishId: state.id } });
    }

    switch (event.type) {
      case 'pledged': {
        const donorTg = telegramIdOfDonor(event.donorId);
        const deadline = (lang: Language) => shortDate(state.deadline, lang, deps.timeZone);
        const person = donorTg === undefined ? null : await deps.people.get(donorTg);
        const lang = languageOf(person, deps.defaultLanguage);
        const key: MessageKey = state.category === 'cash' ? 'donor.nextSteps.pledge' : 'donor.nextSteps.claim';
        let text = t(lang, key, { ...params, amount: event.amount, deadline: deadline(lang) });
        if (person && !person.donor) text += `\n\n${t(lang, 'donor.profileInvite')}`;
        if (donorTg !== undefined) {
          items.push({
            id: outboxId(event.id, donorTg, 'next_steps'),
            chatId: donorTg,
            kind: 'next_steps',
            payload: { type: 'message', message: { text, parseMode: 'HTML', keyboard: donorKeyboard(event.id, lang) } },
          });
        }
        if (state.category !== 'cash') await toResidents('resident_claimed', 'resident.claimed');
        else if (state.status === 'fully_pledged') await toResidents('resident_full', 'resident.fullyPledged');
        break;
      }
      case 'delivered': {
        const confirm = (lang: Language): InlineKeyboard => [[{ text: t(lang, 'resident.button.received'), callback_data: callbackData.confirm(event.pledgeId) }]];
        await toResidents('resident_delivered', 'resident.delivered', confirm);
        const donorName = escapeHtml(pledge?.displayName ?? '');
        await personal(workerId, 'worker_delivered', 'worker.delivered', { donor: donorName }, (lang) => [
          [{ text: t(lang, 'worker.button.confirm'), callback_data: callbackData.confirm(event.pledgeId) }],
        ]);
        break;
      }
      case 'confirmed': {
        if (state.lifecycle !== 'fulfilled') break;
        await toResidents('resident_fulfilled', 'resident.fulfilled', (lang) => [[{ text: t(lang, 'resident.button.thanks'), callback_data: callbackData.thanks(state.id) }]]);
        for (const p of state.pledges.filter((x) => x.status === 'confirmed')) await personal(telegramIdOfDonor(p.donorId), 'donor_fulfilled', 'donor.fulfilled');
        const names = publicDonorNames(state.pledges);
        for (const g of groups) {
          const lang = g.language ?? deps.defaultLanguage;
          const text = names.length > 0 ? t(lang, 'group.thanks', { ...params, donors: names.map(escapeHtml).join(', ') }) : t(lang, 'group.thanksAnonymous', params);
          items.push({ id: outboxId(event.id, g.chatId, 'thanks'), chatId: g.chatId, kind: 'thanks', payload: { type: 'message', message: { text, parseMode: 'HTML' } } });
        }
        break;
      }
      case 'cancelled':
      case 'expired': {
        const donorKey: MessageKey = event.type === 'cancelled' ? 'donor.wishCancelled' : 'donor.wishExpired';
        for (const p of state.pledges.filter((x) => isLive(x) && x.status !== 'confirmed')) await personal(telegramIdOfDonor(p.donorId), `donor_${event.type}`, donorKey);
        await toResidents(`resident_${event.type}`, event.type === 'cancelled' ? 'resident.cancelled' : 'resident.expired');
        break;
      }
      case 'released': {
        if (pledge) await personal(telegramIdOfDonor(pledge.donorId), 'donor_released', 'donor.released');
        await personal(workerId, 'worker_released', 'worker.released');
        break;
      }
      default:
        break;
    }
    return items;
  }

  return { messagesFor };
}

export type Relay = ReturnType<typeof createRelay>;

export function donorKeyboard(pledgeId: string, lang: Language): InlineKeyboard {
  return [
    [
      { text: t(lang, 'donor.button.delivered'), callback_data: callbackData.delivered(pledgeId) },
      { text: t(lang, 'donor.button.withdraw'), callback_data: callbackData.withdraw(pledgeId) },
    ],
  ];
}

export type { Person };
