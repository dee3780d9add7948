import { NewOutboxItem } from '../domain/outbox';
import { telegramIdOfDonor } from '../domain/people';
import { Pledge, WishState } from '../domain/wish/types';
import { callbackData } from '../ui/callbacks';
import { escapeHtml } from '../ui/format';
import { t } from '../ui/i18n';
import { html, MessageKit, RelayDeps, sources, wishParams } from './messages';

type NextSteps = (state: WishState, pledge: Pledge, source: string, kind?: string) => Promise<NewOutboxItem[]>;

/** Messages people ask for through the bot, made here so that every outbox key has one home. */
export function createRequestedMessages(kit: MessageKit, deps: RelayDeps, nextSteps: NextSteps) {
  return {
    /**
     * The cards of these wishes in one group: when the group is linked, or when the bot is added
     * back (then `repost`: the old card messages may be gone, so new ones are posted).
     */
    cards(chatId: number, wishes: WishState[], occasion: string, repost = false): NewOutboxItem[] {
      return wishes.map((w) => kit.card(chatId, sources.cards(w.id, occasion), w.id, repost));
    },

    /** A resident's thank-you, to every donor whose help was confirmed and to the wish's workers. */
    async residentThanks(wish: WishState, text: string, occasion: string): Promise<NewOutboxItem[]> {
      const source = sources.residentThanks(wish.id, occasion);
      const params = { ...wishParams(wish), text: escapeHtml(text) };
      const donors = [...new Set(wish.pledges.filter((p) => p.status === 'confirmed').map((p) => telegramIdOfDonor(p.donorId)))].filter((x): x is number => x !== undefined);
      const items: NewOutboxItem[] = [];
      for (const d of donors) items.push(await kit.personal(d, source, 'thanks_relay', (lang) => html(lang, 'donor.thankYouRelay', params)));
      for (const w of await kit.workersOf(wish)) items.push(await kit.personal(w, source, 'worker_thanks', (lang) => html(lang, 'worker.thanks', params)));
      return items;
    },

    /**
     * A resident's request to erase their data, to every worker of the communities of their wishes and
     * intakes, with the button that confirms it (naming the request, not the person). Erasure blanks
     * these messages' text afterwards (they hold the resident's name).
     */
    async erasureRequested(request: { token: string; communityIds: string[]; wishCodes: string[] }, name: string): Promise<NewOutboxItem[]> {
      const source = sources.erasure(request.token);
      const workers = new Set<number>();
      for (const communityId of request.communityIds) for (const w of await deps.people.workersOf(communityId)) workers.add(w.telegramId);
      const items: NewOutboxItem[] = [];
      for (const w of workers) {
        items.push(
          await kit.personal(w, source, 'erasure_request', (lang) =>
            html(lang, 'erase.toWorker', { name: escapeHtml(name), codes: request.wishCodes.length > 0 ? request.wishCodes.join(', ') : t(lang, 'erase.noWishes') }, [
              [{ text: t(lang, 'erase.button.confirm'), callback_data: callbackData.confirmErasure(request.token) }],
            ]),
          ),
        );
      }
      return items;
    },

    /**
     * Next steps for pledges whose first message could not reach the donor (they had never opened
     * a chat with the bot): sent once, when they do.
     */
    async lateNextSteps(pending: Array<{ wish: WishState; pledge: Pledge }>): Promise<NewOutboxItem[]> {
      const items: NewOutboxItem[] = [];
      for (const { wish, pledge } of pending) items.push(...(await nextSteps(wish, pledge, sources.lateNextSteps(pledge.id))));
      return items;
    },
  };
}
