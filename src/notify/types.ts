import { CardPlace, OutboxItem, RenderedMessage } from '../domain/outbox';

/** Where a wish's card sits in a group, and how it looks now. */
export interface CardSource {
  /** The current card for this wish in this chat (its language), or null if it should no longer be shown/edited. */
  render(wishId: string, chatId: number): Promise<RenderedMessage | null>;
  /** The card already posted in this chat, if any: its message id and the hash of what it was last sent with. */
  placeOf(wishId: string, chatId: number): Promise<CardPlace | undefined>;
  /** Remember where the card is and what it was just sent with (after a post or an edit). */
  remember(wishId: string, chatId: number, place: CardPlace): Promise<void>;
}

/** Outcome of one delivery attempt, for observers (tests, metrics, marking users unreachable). */
export interface DeliveryReport {
  item: OutboxItem;
  outcome: 'sent' | 'coalesced' | 'retry' | 'failed';
  error?: { code?: number; description: string };
}
