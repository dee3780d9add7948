import { OutboxItem, RenderedMessage } from '../domain/outbox';

/** Where a wish's card sits in a group, and how it looks now. */
export interface CardSource {
  /** The current card for this wish in this chat (its language), or null if it should no longer be shown/edited. */
  render(wishId: string, chatId: number): Promise<RenderedMessage | null>;
  /** The message id of the card already posted in this chat, if any. */
  messageIdOf(wishId: string, chatId: number): Promise<number | undefined>;
  /** Remember the message id of a newly posted card. */
  remember(wishId: string, chatId: number, messageId: number): Promise<void>;
}

/** Outcome of one delivery attempt, for observers (tests, metrics, marking users unreachable). */
export interface DeliveryReport {
  item: OutboxItem;
  outcome: 'sent' | 'coalesced' | 'retry' | 'failed';
  error?: { code?: number; description: string };
}
