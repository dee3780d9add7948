import type { Telegram } from 'telegraf';
import { RenderedMessage } from '../domain/outbox';

/** telegraf's call options: `signal` aborts the HTTP request (typed as the abort-controller polyfill's; Node's own works). */
export type CallOptions = NonNullable<Parameters<Telegram['callApi']>[2]>;

/** What the sender needs of the Bot API: telegraf's `Telegram` instance has it. */
export interface TelegramApi {
  callApi(method: string, payload: Record<string, unknown>, options?: CallOptions): Promise<unknown>;
}

/** A Bot API call cut off by its timeout: a network error like any other (retried with backoff). */
export class CallTimedOut extends Error {}

/**
 * One call, cut off after `timeoutMs`: aborted (telegraf passes the signal to its HTTP request) and
 * given up on even if the client does not honour the abort, so no call outlives its send fence.
 */
export async function callWithTimeout(telegram: TelegramApi, method: string, payload: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const cutOff = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new CallTimedOut(`Bot API ${method} cut off after ${timeoutMs} ms`);
      controller.abort(err);
      reject(err);
    }, timeoutMs);
  });
  try {
    return await Promise.race([telegram.callApi(method, payload, { signal: controller.signal as unknown as CallOptions['signal'] }), cutOff]);
  } finally {
    clearTimeout(timer);
  }
}

/** sendMessage's parameters for a rendered message, into its forum topic if it names one. */
export function messagePayload(chatId: number, m: RenderedMessage): Record<string, unknown> {
  return {
    chat_id: chatId,
    ...(m.threadId !== undefined ? { message_thread_id: m.threadId } : {}),
    ...textPayload(m),
  };
}

/** editMessageText's parameters: the same text and buttons; an edited message stays in its topic. */
export function editPayload(chatId: number, messageId: number, m: RenderedMessage): Record<string, unknown> {
  return { chat_id: chatId, message_id: messageId, ...textPayload(m) };
}

function textPayload(m: RenderedMessage): Record<string, unknown> {
  return {
    text: m.text,
    ...(m.parseMode ? { parse_mode: m.parseMode } : {}),
    link_preview_options: { is_disabled: true },
    ...(m.keyboard && m.keyboard.length > 0 ? { reply_markup: { inline_keyboard: m.keyboard } } : {}),
  };
}

/** sendVoice's parameters: a voice message by its file id, its caption (at most 1024 characters) and buttons. */
export function voicePayload(chatId: number, fileId: string, caption: RenderedMessage): Record<string, unknown> {
  return {
    chat_id: chatId,
    voice: fileId,
    caption: caption.text,
    ...(caption.parseMode ? { parse_mode: caption.parseMode } : {}),
    ...(caption.keyboard && caption.keyboard.length > 0 ? { reply_markup: { inline_keyboard: caption.keyboard } } : {}),
  };
}
