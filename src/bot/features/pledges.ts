import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import { readNumber } from '../../domain/input';
import { donorActor, donorIdOf, donorRefOf } from '../../domain/people';
import { remainingAmount } from '../../domain/wish/views';
import { InlineKeyboard } from '../../domain/outbox';
import { donorKeyboard } from '../../notify/messages';
import { parseWishCallback } from '../../ui/callbacks';
import { amountOf, clip, escapeHtml, money } from '../../ui/format';
import { AnyBotContext, BotContext, BotDeps, Flow, isPrivate } from '../context';
import { answerRefusal, replyHtml, replyRefusal, retireButtons } from './reply';
import { publicWish } from '../public-wish';

/** /mypledges: every pledge of the sender, with Delivered/Withdraw on the ones still open. */
export async function showPledges(deps: BotDeps, ctx: AnyBotContext) {
  const { t, locale } = ctx.local;
  const donorId = donorIdOf(ctx.from!.id);
  const wishes = await deps.wishes.list({ donorId, limit: 50 });
  const mine = wishes.flatMap((w) => w.pledges.filter((p) => p.donorId === donorId).map((p) => ({ w, p })));
  if (mine.length === 0) return ctx.reply(t('mypledges.none'));
  mine.sort((a, b) => b.p.pledgedAt.getTime() - a.p.pledgedAt.getTime());
  await ctx.reply(t('mypledges.header'));
  for (const { w, p } of mine.slice(0, 10)) {
    const what = escapeHtml(amountOf(w, p.amount, locale.language, locale.currency));
    const text = t('mypledges.item', { code: w.code, title: escapeHtml(clip(w.title, 60)), what, status: t(`pledgeStatus.${p.status}`) });
    const open = p.status === 'active' && w.lifecycle === 'published';
    const keyboard: InlineKeyboard | undefined = open ? donorKeyboard(p, w, ctx.local.lang) : undefined;
    await replyHtml(ctx, text, keyboard);
  }
}

/** Asks a donor in private how much to pledge; the next text message answers. */
export async function startAmountFlow(deps: BotDeps, ctx: AnyBotContext, wishId: string, opts: { privately?: boolean } = {}) {
  const { t, locale } = ctx.local;
  const send = (text: string) => (opts.privately ? ctx.telegram.sendMessage(ctx.from!.id, text, { parse_mode: 'HTML' }) : replyHtml(ctx, text));
  let wish;
  try {
    wish = await publicWish(deps, wishId);
  } catch (err) {
    if (opts.privately) throw err;
    return replyRefusal(ctx, err);
  }
  // A deep link made by hand for a wish that takes no amounts.
  if (wish.category !== 'cash') return send(t('refusal.use_claim'));
  const remaining = remainingAmount(wish);
  if (wish.lifecycle !== 'published' || remaining <= 0) return send(t(remaining <= 0 && wish.lifecycle === 'published' ? 'refusal.target_reached' : 'refusal.wish_closed'));
  await ctx.local.session.set<Flow>({ flow: 'amount', wishId });
  return send(t('other.askAmount', { code: wish.code, title: escapeHtml(wish.title), remaining: money(remaining, locale.currency) }));
}

export function pledgesFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  c.command('mypledges', async (ctx) => {
    if (!isPrivate(ctx)) return ctx.reply(ctx.local.t('privateOnly', { command: '/mypledges' }));
    return showPledges(deps, ctx);
  });

  c.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    const parsed = data ? parseWishCallback(data) : undefined;
    if (!parsed || !('pledgeId' in parsed)) return next();
    const { t } = ctx.local;
    if (parsed.action === 'stillOn') {
      const wish = await deps.wishes.get(parsed.pledgeId.split(':')[0]!).catch(() => null);
      const pledge = wish?.pledges.find((p) => p.id === parsed.pledgeId);
      if (!pledge || pledge.donorId !== donorIdOf(ctx.from.id) || pledge.status !== 'active' || wish?.lifecycle !== 'published') {
        await retireButtons(ctx);
        return ctx.answerCbQuery(t('reminder.stillOn.notNeeded'));
      }
      await deps.reminderAnswers.record(pledge.id, deps.clock());
      await retireButtons(ctx);
      return ctx.answerCbQuery(t('reminder.stillOn.ok'));
    }
    if (parsed.action !== 'delivered' && parsed.action !== 'withdraw') return next();
    const wishId = parsed.pledgeId.split(':')[0]!;
    const command = parsed.action === 'delivered' ? { type: 'deliver' as const, pledgeId: parsed.pledgeId } : { type: 'withdraw' as const, pledgeId: parsed.pledgeId };
    try {
      // Pressed twice (or on an old message), it is simply done: the same answer, no second event.
      const { state, event } = await deps.wishes.execute(wishId, command, donorActor(ctx.local.person!), { returnAtCommit: true });
      const key = parsed.action === 'withdraw' ? 'donor.withdraw.ok' : state.category === 'service' ? 'donor.done.ok' : 'donor.delivered.ok';
      const text = t(key, { code: state.code });
      await ctx.answerCbQuery(text);
      await retireButtons(ctx);
      if (event) await ctx.reply(text);
    } catch (err) {
      await answerRefusal(ctx, err);
      await retireButtons(ctx, err);
    }
  });

  // The "other amount" answer.
  c.on(message('text'), async (ctx, next) => {
    if (!isPrivate(ctx) || ctx.message.text.startsWith('/')) return next();
    const session = await ctx.local.session.get<Flow>();
    if (session?.flow !== 'amount') return next();
    const { t, locale } = ctx.local;
    const wish = await deps.wishes.get(session.wishId);
    const remaining = remainingAmount(wish);
    if (remaining <= 0 || wish.lifecycle !== 'published') {
      await ctx.local.session.clear();
      return ctx.reply(t(remaining <= 0 && wish.lifecycle === 'published' ? 'refusal.target_reached' : 'refusal.wish_closed'));
    }
    const n = readNumber(ctx.message.text);
    if (!n.ok || n.value < 1 || n.value > remaining) return ctx.reply(t('other.invalid', { remaining: money(remaining, locale.currency) }));
    await ctx.local.session.clear();
    const person = ctx.local.person!;
    try {
      const { event } = await deps.wishes.execute(wish.id, { type: 'pledge', donor: donorRefOf(person), amount: n.value }, donorActor(person));
      // The next steps follow from the outbox, as for a button press; a repeat has had them already.
      if (!event) await ctx.reply(t('pledge.ok', { code: wish.code, amount: money(n.value, locale.currency) }));
    } catch (err) {
      return replyRefusal(ctx, err);
    }
  });

  return c;
}
