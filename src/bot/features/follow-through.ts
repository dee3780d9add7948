import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import { charCount, tidyText } from '../../domain/input';
import { donorIdOf } from '../../domain/people';
import { isStaff } from '../../domain/roles';
import { normaliseWishId } from '../../domain/wish/code';
import { Actor } from '../../domain/wish/types';
import { parseWishCallback } from '../../ui/callbacks';
import { amountOf, clip, donorLabel, escapeHtml, progressText } from '../../ui/format';
import { AnyBotContext, BotContext, BotDeps, Flow, isPrivate } from '../context';
import { manageKeyboard } from './console-button';
import { answerRefusal, replyHtml, replyRefusal, retireButtons } from './reply';

const THANKS_MAX = 500;

/** Who confirms: the linked resident of this wish, else the sender's own role (worker, admin). */
function confirmerFor(ctx: AnyBotContext, wishId: string): Actor {
  const person = ctx.local.person!;
  if (person.residentOf.includes(wishId)) {
    return { kind: 'resident', id: donorIdOf(person.telegramId), name: person.name, telegramId: person.telegramId, wishIds: person.residentOf };
  }
  return ctx.local.actor!;
}

/** Confirming receipt, the resident's thank-you, /mywishes and /cancelwish. */
export function followThroughFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  c.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    const parsed = data ? parseWishCallback(data) : undefined;
    const { t, locale } = ctx.local;
    if (parsed?.action === 'confirm') {
      const wishId = parsed.pledgeId.split(':')[0]!;
      try {
        // Confirmed already (twice pressed, or by the resident first): answered as done.
        const { state, event } = await deps.wishes.confirm(wishId, parsed.pledgeId, confirmerFor(ctx, wishId));
        // The answer names what was confirmed: whose help and how much (an anonymous donor stays unnamed).
        const pledge = state.pledges.find((p) => p.id === parsed.pledgeId);
        const text = t('worker.confirm.ok', {
          code: state.code,
          fulfilled: state.lifecycle === 'fulfilled' ? 1 : '',
          donor: pledge ? donorLabel(pledge, locale.language, 'plain') : t('card.someone'),
          amount: pledge ? amountOf(state, pledge.amount, locale.language, locale.currency) : '',
        });
        await ctx.answerCbQuery(text);
        await retireButtons(ctx);
        if (event) await ctx.reply(text);
      } catch (err) {
        await answerRefusal(ctx, err);
        await retireButtons(ctx, err);
      }
      return;
    }
    if (parsed?.action === 'thanks') {
      if (!ctx.local.person?.residentOf.includes(parsed.wishId)) return ctx.answerCbQuery(t('refusal.forbidden'));
      await ctx.local.session.set<Flow>({ flow: 'thanks', wishId: parsed.wishId });
      await ctx.answerCbQuery();
      return ctx.reply(t('resident.askThanks'));
    }
    return next();
  });

  // The resident's thank-you, relayed to each donor who helped (and the worker) through the outbox.
  c.on(message('text'), async (ctx, next) => {
    if (!isPrivate(ctx) || ctx.message.text.startsWith('/')) return next();
    const session = await ctx.local.session.get<Flow>();
    if (session?.flow !== 'thanks') return next();
    const text = tidyText(ctx.message.text, { multiline: true });
    if (charCount(text) === 0 || charCount(text) > THANKS_MAX) return ctx.reply(ctx.local.t('resident.askThanks'));
    const wish = await deps.wishes.get(session.wishId);
    if (wish.lifecycle !== 'fulfilled') {
      await ctx.local.session.clear();
      return ctx.reply(ctx.local.t('resident.thanksNone'));
    }
    await deps.enqueue(await deps.relay.requested.residentThanks(wish, text, String(ctx.update.update_id)));
    await ctx.local.session.clear();
    return ctx.reply(ctx.local.t('resident.thanksSent'));
  });

  c.command('mywishes', async (ctx) => {
    const { t, actor, person, locale } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(t('privateOnly', { command: '/mywishes' }));
    const ids = person?.residentOf ?? [];
    const byRole =
      actor && isStaff(actor)
        ? await deps.wishes.list({ communityIds: actor.kind === 'worker' ? actor.communityIds : undefined, limit: 20 })
        : [];
    const linked = ids.length > 0 ? await deps.wishes.list({ ids, limit: 20 }) : [];
    const all = [...new Map([...linked, ...byRole].map((w) => [w.id, w])).values()];
    if (all.length === 0) return replyHtml(ctx, t('mywishes.none'), manageKeyboard(deps, ctx));
    const lines = all.map((w) =>
      t('mywishes.item', {
        code: w.code,
        title: escapeHtml(clip(w.title, 60)),
        status: t(`status.${w.status}`),
        progress: escapeHtml(progressText(w, locale)),
      }),
    );
    return replyHtml(ctx, `${t('mywishes.header')}\n${lines.join('\n')}`, manageKeyboard(deps, ctx));
  });

  c.command('cancelwish', async (ctx) => {
    const { t, actor } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(t('privateOnly', { command: '/cancelwish' }));
    const [rawId = '', ...reason] = ctx.payload.trim().split(/\s+/);
    const wishId = normaliseWishId(rawId);
    if (!wishId) return replyHtml(ctx, t('cancelwish.usage'));
    try {
      const { state } = await deps.wishes.cancel(wishId, actor!, reason.join(' ').slice(0, 500) || undefined);
      return ctx.reply(t('cancelwish.ok', { code: state.code }));
    } catch (err) {
      return replyRefusal(ctx, err);
    }
  });

  return c;
}
