import { Composer } from 'telegraf';
import { languageOf } from '../../domain/people';
import { isStaffFor } from '../../domain/roles';
import { Actor } from '../../domain/wish/types';
import { callbackData } from '../../ui/callbacks';
import { renderMyData } from '../../ui/mydata';
import { t } from '../../ui/i18n';
import { BotContext, BotDeps, isPrivate } from '../context';
import { replyHtml, retireButtons } from './reply';

/** Erasure with nobody to confirm it (no wish, no intake): done by the service itself. */
const SELF_SERVICE: Actor = { kind: 'system', id: 'erasure' };

/**
 * Their data: /mydata shows a person what is stored about them; /erase asks for it to be erased
 * (Yes / No); a worker of their community confirms with the button the request sent them, and the
 * person is told. Someone linked to no wish and with no intake is erased at once.
 */
export function theirDataFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();
  const data = deps.theirData;
  if (!data) return c;

  c.command('mydata', async (ctx) => {
    const { t: tr, locale } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(tr('privateOnly', { command: '/mydata' }));
    const about = await data.describe(ctx.from.id);
    const asked = await data.requests.byTelegramId(ctx.from.id);
    if (asked) about.erasureAskedAt = new Date(asked.requestedAt);
    for (const piece of renderMyData(about, locale)) await replyHtml(ctx, piece);
  });

  c.command('erase', async (ctx) => {
    const { t: tr } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(tr('privateOnly', { command: '/erase' }));
    const links = await data.links(ctx.from.id);
    const now = links.wishCodes.length === 0 && links.intakes === 0;
    return replyHtml(ctx, tr(now ? 'erase.explainNow' : 'erase.explain'), [
      [
        { text: tr('erase.button.yes'), callback_data: callbackData.erase('yes') },
        { text: tr('erase.button.no'), callback_data: callbackData.erase('no') },
      ],
    ]);
  });

  c.action(/^er:(yes|no)$/, async (ctx) => {
    const { t: tr } = ctx.local;
    if (!isPrivate(ctx)) return ctx.answerCbQuery(tr('refusal.stale_button'));
    await ctx.answerCbQuery();
    await retireButtons(ctx);
    if (ctx.match[1] === 'no') return ctx.reply(tr('erase.kept'));
    const telegramId = ctx.from.id;
    const links = await data.links(telegramId);
    if (links.wishCodes.length === 0 && links.intakes === 0) {
      await data.erase(telegramId, SELF_SERVICE);
      ctx.local.forgotten = true;
      return ctx.reply(tr('erase.doneNow'));
    }
    const { request, fresh } = await data.requests.ask({ telegramId, communityIds: links.communityIds, wishCodes: links.wishCodes, requestedAt: deps.clock() });
    if (!fresh) return ctx.reply(tr('erase.askedAgain'));
    await deps.enqueue(await deps.relay.requested.erasureRequested(request, ctx.local.person?.name ?? ''));
    return ctx.reply(tr('erase.asked'));
  });

  // A worker's Confirm erasure: staff of one of the resident's communities, or an admin.
  c.action(/^erc:([A-Za-z0-9_-]{8,24})$/, async (ctx) => {
    const { t: tr, actor } = ctx.local;
    const request = await data.requests.byToken(ctx.match[1]!);
    if (request === 'done') {
      await retireButtons(ctx);
      return ctx.answerCbQuery(tr('erase.already'));
    }
    if (!request) return ctx.answerCbQuery(tr('refusal.stale_button'));
    if (!actor || !(actor.kind === 'admin' || request.communityIds.some((id) => isStaffFor(actor, id)))) return ctx.answerCbQuery(tr('refusal.forbidden'));
    await ctx.answerCbQuery();
    // The resident's language, read before their profile goes.
    const lang = languageOf(await deps.people.get(request.telegramId), deps.defaultLanguage);
    await data.erase(request.telegramId, actor);
    const first = await data.requests.done(request, actor.id, deps.clock());
    await retireButtons(ctx);
    if (!first) return ctx.reply(tr('erase.already'));
    await ctx.reply(tr('erase.confirmed', { codes: request.wishCodes.join(', ') || '-' }));
    // Sent directly rather than through the outbox, whose history would keep the resident's chat id.
    await ctx.telegram.sendMessage(request.telegramId, t(lang, 'erase.toResident')).catch((err: unknown) => deps.logger.warn({ err }, 'erasure: the resident could not be told'));
  });

  return c;
}
