import { createHash } from 'node:crypto';
import { Logger } from 'pino';
import { OutboxStore } from '../db/outbox-store';
import { CardPlace, OutboxItem, RenderedMessage } from '../domain/outbox';
import { editPayload, messagePayload } from './bot-api';
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
  /** Runs a database write that follows a call Telegram took, retrying it a few times. */
  write(what: () => Promise<void>): Promise<void>;
}

/** Another sender is delivering this card right now: come back after it, rather than post it twice. */
export const CARD_BUSY_RETRY_MS = 1000;

const keyboardOf = (card: RenderedMessage) => (card.keyboard && card.keyboard.length > 0 ? card.keyboard : []);

/** What a card shows (text, how it is parsed, keyboard), hashed: an equal hash means an edit would change nothing. */
export function cardHash(card: RenderedMessage): string {
  return createHash('sha256')
    .update(JSON.stringify([card.text, card.parseMode ?? '', keyboardOf(card)]))
    .digest('base64url')
    .slice(0, 22);
}

/**
 * Delivers a wish's card to a group: renders it at send time from the wish's current state (so a
 * burst of changes becomes one edit), then edits the message already posted, unless it already shows
 * exactly that (no call at all: an edit that changes nothing still counts against the group's 20 a
 * minute), or posts a new one (asked to repost, or the old one can no longer be edited), and
 * remembers where it is and what it shows. The caller holds the item's send fence.
 */
export function createCardDelivery(deps: CardDeliveryDeps) {
  const log = deps.logger;

  /**
   * Takes the fences of the card's other pending refreshes and marks those coalesced: the render that
   * follows shows what they were queued to show, or a later state. Says whether another sender holds
   * one of them (it is delivering this card right now), and whether one asked for a repost.
   */
  async function coalesce(item: CardItem, attempt: CardAttempt): Promise<{ busyElsewhere: boolean; repost: boolean }> {
    const others = await deps.outbox.pendingCardRefreshes(item.id, item.chatId, item.payload.wishId);
    if (others.length === 0) return { busyElsewhere: false, repost: false };
    const takes = await Promise.all(others.map((other) => deps.fences.take(other)));
    const ours = others.filter((_, i) => takes[i]!.kind === 'held');
    if (ours.length > 0) {
      const at = deps.clock();
      await deps.outbox.markCoalesced(ours.map((o) => o.id), at);
      attempt.coalesced(ours, at);
    }
    return { busyElsewhere: takes.some((t) => t.kind === 'busy'), repost: ours.some((o) => o.payload.type === 'card' && o.payload.repost === true) };
  }

  /** After a call Telegram took: forgetting a post would mean posting it again. */
  const remember = (item: CardItem, place: CardPlace) => deps.write(() => deps.cards.remember(item.payload.wishId, item.chatId, place));

  return {
    async deliver(item: CardItem, attempt: CardAttempt): Promise<Outcome> {
      const { wishId } = item.payload;
      const merged = await coalesce(item, attempt);
      if (merged.busyElsewhere) return { kind: 'later', afterMs: CARD_BUSY_RETRY_MS, reason: 'another sender is delivering this card' };
      const card = await deps.cards.render(wishId, item.chatId);
      if (!card) return { kind: 'sent' };
      const hash = cardHash(card);
      const repost = item.payload.repost === true || merged.repost;
      const place = repost ? undefined : await deps.cards.placeOf(wishId, item.chatId);
      if (place) {
        if (place.hash === hash) return { kind: 'sent', messageId: place.messageId };
        await attempt.acquire();
        try {
          await attempt.call('editMessageText', { ...editPayload(item.chatId, place.messageId, card), reply_markup: { inline_keyboard: keyboardOf(card) } });
        } catch (err) {
          const f = failureOf(err);
          if (isEditGone(f)) {
            log.info({ item: item.id, messageId: place.messageId }, 'card message gone; posting it again');
            return post(item, card, hash, attempt);
          }
          // "Not modified": it already shows this (what we remembered was older), as good as sent.
          if (!isNotModified(f)) throw err;
        }
        await remember(item, { messageId: place.messageId, hash });
        return { kind: 'sent', messageId: place.messageId };
      }
      return post(item, card, hash, attempt);
    },
  };

  async function post(item: CardItem, card: RenderedMessage, hash: string, attempt: CardAttempt): Promise<Outcome> {
    await attempt.acquire();
    const posted = (await attempt.call('sendMessage', messagePayload(item.chatId, card))) as { message_id: number };
    await remember(item, { messageId: posted.message_id, hash });
    return { kind: 'sent', messageId: posted.message_id };
  }
}

export type CardDelivery = ReturnType<typeof createCardDelivery>;
