// reply_markup checks with the Bot API's errors, and the inline keyboard as Telegram stores it.
import { badRequest } from './errors';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from './types';

const ACTIONS = [
  'url',
  'callback_data',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'web_app',
  'callback_game',
  'pay',
  'copy_text',
] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A Mini App opens only from an https address. */
export function checkWebAppUrl(url: unknown): void {
  if (typeof url !== 'string' || !/^https:\/\/[^\s]+$/.test(url)) throw badRequest(`Web App URL '${String(url)}' is invalid: Only HTTPS links are allowed`);
}

function checkButton(raw: unknown): InlineKeyboardButton {
  if (!isObject(raw)) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  if (typeof raw.text !== 'string') throw badRequest(`can't parse inline keyboard button: Field "text" must be of type String`);
  if (raw.text.trim() === '') throw badRequest('BUTTON_TEXT_INVALID');
  const actions = ACTIONS.filter((k) => raw[k] !== undefined && raw[k] !== null);
  if (actions.length === 0) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  if (actions.length > 1) throw badRequest('BUTTON_TYPE_INVALID');
  if (raw.callback_data !== undefined) {
    const data = raw.callback_data;
    if (typeof data !== 'string' || data === '' || Buffer.byteLength(data) > 64) throw badRequest('BUTTON_DATA_INVALID');
  }
  if (raw.url !== undefined && (typeof raw.url !== 'string' || raw.url === '' || /\s/.test(raw.url))) {
    throw badRequest(`inline keyboard button URL '${String(raw.url)}' is invalid: Wrong HTTP URL`);
  }
  if (raw.web_app !== undefined) checkWebAppUrl(isObject(raw.web_app) ? raw.web_app.url : undefined);
  // Telegram keeps the text and the one action; anything else a client sends (telegraf's `hide`) is dropped.
  const button: InlineKeyboardButton = { text: raw.text };
  for (const k of actions) (button as Record<string, unknown>)[k] = raw[k];
  return button;
}

/**
 * Validates `reply_markup` (an object, or the JSON of one) and returns the inline keyboard Telegram
 * would attach to the message: undefined for none, an empty one, or a reply keyboard (those are not
 * part of the Message). `inlineOnly` for the edit methods, which take only inline keyboards.
 */
export function checkReplyMarkup(markup: unknown, inlineOnly: boolean): InlineKeyboardMarkup | undefined {
  if (markup === undefined || markup === null || markup === '') return undefined;
  if (!isObject(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  if (markup.inline_keyboard !== undefined) {
    const rows = markup.inline_keyboard;
    if (!Array.isArray(rows)) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
    const keyboard = rows.map((row) => {
      if (!Array.isArray(row)) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      return row.map(checkButton);
    });
    const kept = keyboard.filter((row) => row.length > 0);
    return kept.length > 0 ? { inline_keyboard: kept } : undefined;
  }
  if (inlineOnly) throw badRequest('inline keyboard expected');
  if (markup.keyboard !== undefined || markup.remove_keyboard !== undefined || markup.force_reply !== undefined) return undefined;
  throw badRequest("can't parse reply keyboard markup JSON object");
}

export function sameMarkup(a: InlineKeyboardMarkup | undefined, b: InlineKeyboardMarkup | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
