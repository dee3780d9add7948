import type { InlineKeyboardMarkup } from 'telegraf/types';
import { InlineKeyboard } from '../../domain/outbox';
import { AnyBotContext } from '../context';
import { errorCodeOf, isTransient, refusalText } from '../errors';

export function markup(keyboard: InlineKeyboard | undefined): { reply_markup?: InlineKeyboardMarkup } {
  return keyboard && keyboard.length > 0 ? { reply_markup: { inline_keyboard: keyboard as InlineKeyboardMarkup['inline_keyboard'] } } : {};
}

/** Replies in HTML; callers escape anything a user wrote. */
export function replyHtml(ctx: AnyBotContext, text: string, keyboard?: InlineKeyboard) {
  return ctx.reply(text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...markup(keyboard) });
}

/** Says why a domain call was refused, in the chat's language; rethrows the unexpected. */
export async function replyRefusal(ctx: AnyBotContext, err: unknown): Promise<void> {
  const text = refusalText(err, ctx.local.locale);
  if (text === undefined) throw err;
  ctx.local.noteError?.(errorCodeOf(err));
  await ctx.reply(text);
}

/** Answers a button press with a refusal; rethrows the unexpected (bot.catch still answers it). */
export async function answerRefusal(ctx: AnyBotContext, err: unknown): Promise<void> {
  const text = refusalText(err, ctx.local.locale);
  if (text === undefined) throw err;
  ctx.local.noteError?.(errorCodeOf(err));
  await ctx.answerCbQuery(text);
}

/**
 * A button in a private message whose action is done or no longer applies (Delivered pressed,
 * a confirmation made by someone else, a wish closed) is taken off its message, so it cannot be
 * pressed in vain again. A refusal that may pass (busy) leaves it.
 */
export async function retireButtons(ctx: AnyBotContext, err?: unknown): Promise<void> {
  if (err !== undefined && isTransient(err)) return;
  await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
}
