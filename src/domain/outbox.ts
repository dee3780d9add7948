// The outbox contract between the relay (which decides what is owed to whom), the store that keeps
// it and the sender (which delivers it within Telegram's limits). Plain data only, so every layer
// from db/ up can speak it.

/** An inline keyboard as the Bot API takes it. */
export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  /** Opens a Mini App (private chats only, https only). */
  web_app?: { url: string };
}
export type InlineKeyboard = InlineButton[][];

export interface RenderedMessage {
  text: string;
  /** Always HTML when set; renderers escape user text. */
  parseMode?: 'HTML';
  keyboard?: InlineKeyboard;
  /** A forum topic of the chat to post in (a team's topic); an edit stays where the message is. */
  threadId?: number;
}

export type OutboxPayload =
  /** Send this message as it is. */
  | { type: 'message'; message: RenderedMessage }
  /**
   * Post or refresh the card of a wish in a group. Rendered at send time from the wish's current
   * state, so several pending card items for one (wish, chat) coalesce into one edit. `repost`: post
   * it as a new message (e.g. the bot was added back to the group) rather than edit the one posted before.
   */
  | { type: 'card'; wishId: string; repost?: boolean }
  /** Send a voice message by its Telegram file id (a resident's intake), with a caption and buttons under it. */
  | { type: 'voice'; fileId: string; caption: RenderedMessage };

export type OutboxStatus = 'pending' | 'sent' | 'failed';

/** Where a wish's card was posted in a chat, and a hash of the text and keyboard it was last sent with. */
export interface CardPlace {
  messageId: number;
  hash?: string;
}

export interface OutboxItem {
  /** `<sourceId>|<chatId>|<kind>`, e.g. `W-1001:3|-100123|card`: relaying twice sends nothing twice (a pending item is not inserted again; a copy of one already sent is discarded by the sender, see sender.ts). */
  id: string;
  chatId: number;
  /** What it is for, for logs and reports: card, pledge_next_steps, resident_update, reminder, digest, ... */
  kind: string;
  payload: OutboxPayload;
  status: OutboxStatus;
  /** Not before this time (retry_after, backoff, quiet hours). */
  notBefore: Date;
  attempts: number;
  /**
   * The send fence the next attempt must take (`<id>#<generation>`; absent means 0). Only the holder
   * of the current generation's fence writes it, when it gives its attempt up (a retry), so there is
   * never a race on it.
   */
  generation?: number;
  createdAt: Date;
  sentAt?: Date;
  /** For a permanent failure (403 blocked, chat not found) or the last transient one. */
  lastError?: string;
  /** Message id Telegram gave, when sent. */
  messageId?: number;
}

export type NewOutboxItem = Pick<OutboxItem, 'id' | 'chatId' | 'kind' | 'payload'> & { notBefore?: Date };

export function outboxId(sourceId: string, chatId: number, kind: string): string {
  return `${sourceId}|${chatId}|${kind}`;
}
