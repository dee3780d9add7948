import { Composer } from 'telegraf';
import { canMessage, donorActor, donorIdOf, donorRefOf } from '../../domain/people';
import { InvalidError, NotFoundError } from '../../domain/errors';
import { WishState } from '../../domain/wish/types';
import { isRedacted } from '../../domain/wish/consent';
import { isPublic, livePledgeOf, remainingAmount } from '../../domain/wish/views';
import { mayBePreset, parseWishCallback } from '../../ui/callbacks';
import { amountOf, clip, money, shortDate } from '../../ui/format';
import { BotContext, BotDeps } from '../context';
import { answerRefusal } from './reply';
import { startAmountFlow } from './pledges';

/** The buttons on a wish card: Claim, Pledge <n>, Other amount, Details. */
export function cardsFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  c.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    const parsed = data ? parseWishCallback(data) : undefined;
    if (!parsed || !('wishId' in parsed) || !['claim', 'pledge', 'other', 'details'].includes(parsed.action)) return next();
    const { t, locale } = ctx.local;
    const person = ctx.local.person;
    if (!person) return ctx.answerCbQuery(t('refusal.stale_button'));
    const startLink = (payload: string) => `https://t.me/${ctx.botInfo.username}?start=${payload}`;

    // Buttons we never put on this wish's card (forged, or from another kind of wish) are stale, and
    // a draft reads as no wish at all. Claim and Pledge check this on the read their decision uses.
    // An amount a card offered: a round one or the remainder. A remainder since pledged (by others:
    // more than is left; by this donor: their repeat) still fits, and the decision answers it truly.
    const pledgeFits = (amount: number, wish: WishState) =>
      mayBePreset(amount, remainingAmount(wish)) || amount > remainingAmount(wish) || livePledgeOf(wish, donorIdOf(person.telegramId))?.amount === amount;
    const mustFit = (wish: WishState) => {
      if (!isPublic(wish)) throw new NotFoundError('wish_not_found', `No wish ${wish.id}`);
      const cash = wish.category === 'cash';
      const fits =
        parsed.action === 'details' ||
        (parsed.action === 'claim' && !cash) ||
        (parsed.action === 'other' && cash) ||
        (parsed.action === 'pledge' && cash && pledgeFits(parsed.amount, wish));
      if (!fits) throw new InvalidError('stale_button', `This button does not belong on ${wish.code}`);
    };

    if (parsed.action === 'claim' || parsed.action === 'pledge') {
      const donor = donorRefOf(person);
      const command = parsed.action === 'pledge' ? { type: 'pledge' as const, donor, amount: parsed.amount } : { type: 'claim' as const, donor };
      let code: string;
      try {
        // A second press by the same person is answered exactly like the first: it is theirs.
        code = (await deps.wishes.execute(parsed.wishId, command, donorActor(person), { guard: mustFit, returnAtCommit: true })).state.code;
      } catch (err) {
        return answerRefusal(ctx, err);
      }
      // The next steps go out through the outbox; if the bot may not write to them yet, open the chat.
      if (!canMessage(person)) return ctx.answerCbQuery(t('claim.okStartBot', { code }), { url: startLink('pledges') });
      const ok = parsed.action === 'pledge' ? t('pledge.ok', { code, amount: money(parsed.amount, locale.currency) }) : t('claim.ok', { code });
      return ctx.answerCbQuery(ok);
    }

    let wish: WishState;
    try {
      wish = await deps.wishes.get(parsed.wishId);
      mustFit(wish);
    } catch (err) {
      return answerRefusal(ctx, err);
    }

    if (parsed.action === 'details') {
      const text = t('details.text', {
        code: wish.code,
        title: clip(wish.title, 60),
        category: t(`category.${wish.category}`),
        target: amountOf(wish, wish.target, locale.language, locale.currency),
        status: t(`status.${wish.status}`),
        deadline: shortDate(wish.deadline, locale.language, deps.timeZone),
      });
      // A redacted wish's description is not for the groups any more.
      return ctx.answerCbQuery(clip(isRedacted(wish) ? text : `${text}\n${clip(wish.description, 200)}`, 200), { show_alert: true });
    }

    if (parsed.action === 'other') {
      if (!canMessage(person)) return ctx.answerCbQuery(t('other.openPrivate'), { url: startLink(`amount_${parsed.wishId}`) });
      await ctx.answerCbQuery(t('other.openPrivate'));
      return startAmountFlow(deps, ctx, parsed.wishId, { privately: true });
    }
  });

  return c;
}
