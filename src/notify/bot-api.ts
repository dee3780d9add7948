import type { Telegram } from 'telegraf';
import { RenderedMessage } from '../domain/outbox';

/** telegraf's call options: `signal` aborts the HTTP request (typed as the abort-controller polyfill's; Node's own works). */
export type CallOptions = NonNullable<Parameters<Telegram['callApi']>[2]>;

/** What the sender needs of the Bot API: telegraf's `Telegram` instance has it. */
export interface TelegramApi {
  callApi(method: string, payload: Record<string, unknown>, options?: CallOptions): Promise<unknown>;
}

/** sendMessage's parameters for a rendered message (editMessageText takes the same plus message_id). */
export function messagePayload(chatId: number, m: RenderedMessage): Record<string, unknown> {
  return {
    chat_id: chatId,
    text: m.text,
    ...(m.parseMode ? { parse_mode: m.parseMode } : {}),
    link_preview_options: { is_disabled: true },
    ...(m.keyboard && m.keyboard.length > 0 ? { reply_markup: { inline_keyboard: m.keyboard } } : {}),
  };
}
