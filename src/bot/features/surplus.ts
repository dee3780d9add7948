import { Composer } from 'telegraf';
import { languageOf } from '../../domain/people';
import { translator } from '../../ui/i18n';
import { BotContext, BotDeps } from '../context';
import { answerRefusal } from './reply';

// A press on a surplus card: one unit for the presser if there is one left and they are under the
// cap (unique inserts decide), answered in their own language; the card is refreshed and the taker is
// told privately where and when to collect.
export function surplusFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  c.action(/^sp:(SP-[0-9A-Z]{6})$/, async (ctx) => {
    const lang = languageOf(ctx.local.person, deps.defaultLanguage);
    Object.assign(ctx.local, { lang, t: translator(lang), locale: { ...ctx.local.locale, language: lang } });
    const { t } = ctx.local;
    if (!deps.surplus) return ctx.answerCbQuery(t('refusal.stale_button'));
    try {
      const result = await deps.surplus.service.take(ctx.match[1]!, { telegramId: ctx.from.id, name: ctx.local.person?.name || ctx.from.first_name });
      if (result.outcome === 'gone') return ctx.answerCbQuery(t('surplus.gone'), { show_alert: true });
      if (result.outcome === 'cap_reached') return ctx.answerCbQuery(t('surplus.capReached', { mine: result.mine }));
      await ctx.answerCbQuery(t('surplus.took', { mine: result.mine }));
      await deps.enqueue([deps.surplus.messages.card(result.offer), await deps.surplus.messages.took(result.offer, ctx.from.id, result.mine, lang)]);
    } catch (err) {
      return answerRefusal(ctx, err);
    }
  });

  return c;
}
