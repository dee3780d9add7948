import { Logger } from 'pino';
import { OutboxStore } from '../db/outbox-store';
import { OutboxItem } from '../domain/outbox';
import { messagePayload } from './bot-api';
import { Fences } from './fences';
import { failureOf, isEditGone, isNotModified, Outcome } from './telegram-errors';
import { CardSource } from './types';

export type CardItem = OutboxItem & { payload: { type: 'card' } };

/** What one attempt may do: wait for the right to send to the item's chat, and call the Bot API. */
export interface CardAttempt {
  acquire(): Promise<void>;
  call(method: string, payload: Record<string, unknown>): Promise<unknown>;
  /** Other pending refreshes of the same card, marked sent because this send covers them. */
  coalesced(items: OutboxItem[], at: Date): void;
}

export interface CardDeliveryDeps {
  outbox: Pick<OutboxStore, 'pendingCardRefreshes' | 'markCoalesced'>;
  cards: CardSource;
  fences: Pick<Fences, 'take'>;
  clock: () => Date;
  logger: Logger;
}

/** Another sender is delivering this card right now: come back after it, rather than post it twice. */
export const CARD_BUSY_RETRY_MS = 1000;

/**
 * Delivers a wish's card to a group: renders it at send time from the wish's current state (so a
 * burst of changes becomes one edit), edits the message already posted or posts a new one, and
 * remembers where it is. The caller holds the item's send fence.
 */
export function createCardDelivery(deps: CardDeliveryDeps) {
  const log = deps.logger;

  /**
   * Takes the fences of the card's other pending refreshes and marks those coalesced: the render that
   * follows shows what they were queued to show, or a later state. False if another sender holds one
   * (it is delivering this card right now).
   */
  async function coalesce(item: CardItem, attempt: CardAttempt): Promise<boolean> {
    const others = await deps.outbox.pendingCardRefreshes(item.id, item.chatId, item.payload.wishId);
    if (others.length === 0) return true;
    const takes = await Promise.all(others.map((other) => deps.fences.take(other)));
    const ours = others.filter((_, i) => takes[i]!.kind === 'held');
    if (ours.length > 0) {
      const at = deps.clock();
      await deps.outbox.markCoalesced(ours.map((o) => o.id), at);
      attempt.coalesced(ours, at);
    }
    return takes.every((t) => t.kind !== 'busy');
  }

  return {
    async deliver(item: CardItem, attempt: CardAttempt): Promise<Outcome> {
      const { wishId } = item.payload;
      if (!(await coalesce(item, attempt))) return { kind: 'later', afterMs: CARD_BUSY_RETRY_MS, reason: 'another sender is delivering this card' };
      const card = await deps.cards.render(wishId, item.chatId);
      if (!card) return { kind: 'sent' };
      const messageId = await deps.cards.messageIdOf(wishId, item.chatId);
      if (messageId !== undefined) {
        await attempt.acquire();
        try {
          const keyboard = card.keyboard && card.keyboard.length > 0 ? card.keyboard : [];
          await attempt.call('editMessageText', { ...messagePayload(item.chatId, card), message_id: messageId, reply_markup: { inline_keyboard: keyboard } });
          return { kind: 'sent', messageId };
        } catch (err) {
          const f = failureOf(err);
          if (isNotModified(f)) return { kind: 'sent', messageId };
          if (!isEditGone(f)) throw err;
          log.info({ item: item.id, messageId }, 'card message gone; posting it again');
        }
      }
      await attempt.acquire();
      const posted = (await attempt.call('sendMessage', messagePayload(item.chatId, card))) as { message_id: number };
      await deps.cards.remember(wishId, item.chatId, posted.message_id);
      return { kind: 'sent', messageId: posted.message_id };
    },
  };
}

export type CardDelivery = ReturnType<typeof createCardDelivery>;
