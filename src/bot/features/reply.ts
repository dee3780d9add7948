import type { InlineKeyboardMarkup } from 'telegraf/types';
import { InlineKeyboard } from '../../domain/outbox';
import { AnyBotContext } from '../context';
import { messageForError } from '../errors';

export function markup(keyboard: InlineKeyboard | undefined): { reply_markup?: InlineKeyboardMarkup } {
  return keyboard && keyboard.length > 0 ? { reply_markup: { inline_keyboard: keyboard as InlineKeyboardMarkup["inline_keyboard"] } } : {};
}

/** Replies in HTML; callers escape anything a user wrote. */
export function replyHtml(ctx: AnyBotContext, text: string, keyboard?: InlineKeyboard) {
  return ctx.reply(text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...markup(keyboard) });
}

/** Says why a domain call was refused, in the chat's language; rethrows the unexpected. */
export async function replyRefusal(ctx: AnyBotContext, err: unknown): Promise<void> {
  const { key, params, expected } = messageForError(err);
  if (!expected) throw err;
  await ctx.reply(ctx.local.t(key, params));
}

/** Answers a button press with a refusal; rethrows the unexpected (bot.catch still answers it). */
export async function answerRefusal(ctx: AnyBotContext, err: unknown): Promise<void> {
  const { key, params, expected } = messageForError(err);
  if (!expected) throw err;
  await ctx.answerCbQuery(ctx.local.t(key, params));
}

export function senderId(ctx: AnyBotContext): number {
  return ctx.from!.id;
}
