import { Language } from '../domain/community';
import { randomCode } from '../domain/ids';
import { NewOutboxItem, outboxId, RenderedMessage } from '../domain/outbox';
import { SurplusOffer, SurplusService } from '../domain/stock/surplus';
import { Lot, StockState } from '../domain/stock/types';
import { escapeHtml } from '../ui/format';
import { t } from '../ui/i18n';
import { createMessageKit, html, RelayDeps } from './messages';
import { CardSource } from './types';

// Surplus offers in the outbox: the card in the chosen group (rendered when sent from what is left,
// like a wish card) and the private note to each taker of where and when to collect.

export const isSurplusCardId = (id: string) => id.startsWith('SP-');

export function createSurplusMessages(deps: RelayDeps) {
  const kit = createMessageKit(deps);
  return {
    /** Post, or refresh, the offer's card. */
    card(offer: Pick<SurplusOffer, 'id' | 'chatId'>): NewOutboxItem {
      return { id: outboxId(`surplus:${offer.id}:${randomCode(8)}`, offer.chatId, 'card'), chatId: offer.chatId, kind: 'card', payload: { type: 'card', wishId: offer.id } };
    },
    /**
     * To a giver whose goods were handed out: how many of their gift so far, and to how many
     * households. Keyed by the lot and that count, so each step is told once.
     */
    async giftReached(telegramId: number, state: Pick<StockState, 'itemId' | 'name' | 'unit'>, lot: Pick<Lot, 'lot' | 'quantity' | 'distributed' | 'recipients'>): Promise<NewOutboxItem> {
      return kit.personal(telegramId, `gift:${state.itemId}:${lot.lot}:${lot.distributed}`, 'gift_reached', (lang) =>
        html(lang, lot.distributed >= lot.quantity ? 'gift.allReached' : 'gift.reached', { quantity: lot.quantity, unit: escapeHtml(state.unit), name: escapeHtml(state.name), distributed: lot.distributed, households: lot.recipients }),
      );
    },
    /** To a taker, once per unit they took: where and when to collect, in the language they pressed in. */
    async took(offer: SurplusOffer, telegramId: number, mine: number, language?: Language): Promise<NewOutboxItem> {
      const build = (lang: Language) => html(lang, 'surplus.toTaker', { name: escapeHtml(offer.name), count: mine, unit: escapeHtml(offer.unit), where: escapeHtml(offer.where), when: escapeHtml(offer.when) });
      const source = `surplus-took:${offer.id}:${mine}`;
      if (language) return { id: outboxId(source, telegramId, 'surplus_took'), chatId: telegramId, kind: 'surplus_took', payload: { type: 'message', message: build(language) } };
      return kit.personal(telegramId, source, 'surplus_took', build);
    },
  };
}

export type SurplusMessages = ReturnType<typeof createSurplusMessages>;

export function renderSurplusCard(v: Awaited<ReturnType<SurplusService['view']>>, lang: Language): RenderedMessage {
  const { offer } = v;
  const params = { name: escapeHtml(offer.name), quantity: offer.quantity, unit: escapeHtml(offer.unit), cap: offer.cap, left: v.left, where: escapeHtml(offer.where), when: escapeHtml(offer.when) };
  const state = v.closed ? t(lang, 'surplus.card.closed') : v.left === 0 ? t(lang, 'surplus.card.gone') : t(lang, 'surplus.card.left', params);
  return {
    text: `${t(lang, 'surplus.card', params)}\n${state}`,
    parseMode: 'HTML',
    keyboard: !v.closed && v.left > 0 ? [[{ text: t(lang, 'surplus.button.take', params), callback_data: `sp:${offer.id}` }]] : [],
  };
}

export function createSurplusCardSource(deps: { surplus: Pick<SurplusService, 'view'>; language(chatId: number): Promise<Language>; messages: Pick<CardSource, 'placeOf' | 'remember'> }): CardSource {
  return {
    async render(offerId, chatId) {
      const v = await deps.surplus.view(offerId).catch(() => null);
      if (!v || v.offer.chatId !== chatId) return null;
      return renderSurplusCard(v, await deps.language(chatId));
    },
    placeOf: deps.messages.placeOf,
    remember: deps.messages.remember,
  };
}
