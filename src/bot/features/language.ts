import { Composer } from 'telegraf';
import { Language } from '../../domain/community';
import { configureRefusal } from '../../domain/groups';
import { callbackData } from '../../ui/callbacks';
import { t } from '../../ui/i18n';
import { BotContext, BotDeps, isPrivate } from '../context';
import { groupActorFacts } from './groups';

const CHOICES: Array<{ lang: Language; label: string }> = [
  { lang: 'en', label: 'English' },
  { lang: 'zh', label: '中文' },
];

/** /language per person in private chats, per group in groups (its administrators or its community's workers there). */
export function languageFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  c.command('language', async (ctx) => {
    if (!isPrivate(ctx)) {
      const refusal = configureRefusal(await groupActorFacts(ctx, deps), ctx.local.group?.communityId);
      if (refusal) return ctx.reply(ctx.local.t(`refusal.${refusal.code}`));
    }
    await ctx.reply(ctx.local.t('language.choose'), {
      reply_markup: { inline_keyboard: [CHOICES.map((x) => ({ text: x.label, callback_data: callbackData.language(x.lang) }))] },
    });
  });

  c.action(/^lang:(en|zh)$/, async (ctx) => {
    const lang = ctx.match[1] as Language;
    const now = deps.clock();
    if (isPrivate(ctx)) {
      await deps.people.setLanguage(ctx.from.id, lang, now);
    } else {
      // The group's Telegram administrators or its community's workers: not any worker who happens to be in it.
      const refusal = configureRefusal(await groupActorFacts(ctx, deps), ctx.local.group?.communityId);
      if (refusal) return ctx.answerCbQuery(ctx.local.t(`refusal.${refusal.code}`));
      await deps.groups.setPresence(ctx.chat!.id, (ctx.chat as { title?: string }).title ?? '', true, now);
      await deps.groups.setLanguage(ctx.chat!.id, lang, now);
    }
    await ctx.answerCbQuery(t(lang, 'language.set'));
    await ctx.editMessageText(t(lang, 'language.set')).catch(() => undefined);
  });

  return c;
}
