import { InlineKeyboard } from '../../domain/outbox';
import { isStaff } from '../../domain/roles';
import { AnyBotContext, BotDeps } from '../context';

// The console inside Telegram: a "Manage" button under a worker's private messages and the chat's menu
// button, both opening the Mini App (only when CONSOLE_URL gives the service an https address).

/** The "Manage" button for staff in a private chat, or nothing. */
export function manageKeyboard(deps: Pick<BotDeps, 'miniAppUrl'>, ctx: AnyBotContext): InlineKeyboard | undefined {
  const actor = ctx.local.actor;
  if (!deps.miniAppUrl || !actor || !isStaff(actor) || ctx.chat?.type !== 'private') return undefined;
  return [[{ text: ctx.local.t('console.manage'), web_app: { url: deps.miniAppUrl } }]];
}

/**
 * Puts the console on the menu button of a worker's private chat. Best effort: the worker can still
 * use the Manage button or a browser if Telegram refuses.
 */
export async function offerConsoleMenu(deps: Pick<BotDeps, 'miniAppUrl' | 'logger'>, ctx: AnyBotContext): Promise<void> {
  if (!deps.miniAppUrl || ctx.chat?.type !== 'private') return;
  await ctx.telegram
    .setChatMenuButton({ chatId: ctx.chat.id, menuButton: { type: 'web_app', text: ctx.local.t('console.menu'), web_app: { url: deps.miniAppUrl } } })
    .catch((err: unknown) => deps.logger.warn({ err, chatId: ctx.chat?.id }, 'could not set the console menu button'));
}
