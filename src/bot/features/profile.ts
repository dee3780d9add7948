import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import { DONOR_TYPES, DonorType } from '../../domain/people';
import { Person } from '../../domain/people';
import { callbackData } from '../../ui/callbacks';
import { escapeHtml, takeGraphemes } from '../../ui/format';
import { AnyBotContext, BotContext, BotDeps, Flow, isPrivate } from '../context';
import { replyHtml } from './reply';

function profileOf(person: Person): NonNullable<Person['donor']> {
  return person.donor ?? { type: 'individual', displayName: takeGraphemes(person.name, 40), anonymous: false };
}

/** /profile: donor type, display name, anonymity, and whether the monthly thanks may name them. */
export function profileFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  const show = async (ctx: AnyBotContext) => {
    const { t } = ctx.local;
    const p = profileOf(ctx.local.person!);
    const thanks = t(p.thanked ? 'profile.thanked' : 'profile.notThanked');
    return replyHtml(ctx, `${t('profile.show', { name: escapeHtml(p.displayName), type: t(`donorType.${p.type}`), anonymous: p.anonymous ? 1 : '' })}\n${thanks}`, [
      [{ text: t('profile.button.type'), callback_data: callbackData.profile('type') }],
      [{ text: t('profile.button.name'), callback_data: callbackData.profile('name') }],
      [{ text: t(p.anonymous ? 'profile.button.named' : 'profile.button.anonymous'), callback_data: callbackData.profile(p.anonymous ? 'named' : 'anon') }],
      [{ text: t(p.thanked ? 'profile.button.noThank' : 'profile.button.thank'), callback_data: callbackData.profile(p.thanked ? 'nothank' : 'thank') }],
    ]);
  };

  c.command('profile', async (ctx) => {
    if (!isPrivate(ctx)) return ctx.reply(ctx.local.t('privateOnly', { command: '/profile' }));
    return show(ctx);
  });

  c.action(/^pf:(type|name|anon|named|thank|nothank|t_(\w+))$/, async (ctx) => {
    const { t } = ctx.local;
    const person = ctx.local.person!;
    const choice = ctx.match[1]!;
    const now = deps.clock();
    const current = profileOf(person);
    if (choice === 'type') {
      await ctx.answerCbQuery();
      return ctx.reply(t('profile.chooseType'), {
        reply_markup: { inline_keyboard: DONOR_TYPES.map((type) => [{ text: t(`donorType.${type}`), callback_data: callbackData.profile(`t_${type}`) }]) },
      });
    }
    if (choice === 'name') {
      await ctx.local.session.set<Flow>({ flow: 'profileName' });
      await ctx.answerCbQuery();
      return ctx.reply(t('profile.askName'));
    }
    if (choice.startsWith('t_')) {
      const type = choice.slice(2) as DonorType;
      if (!DONOR_TYPES.includes(type)) return ctx.answerCbQuery(t('callback.expired'));
      await deps.people.setDonorProfile(person.telegramId, { ...current, type }, now);
    } else if (choice === 'thank' || choice === 'nothank') {
      await deps.people.setDonorProfile(person.telegramId, { ...current, thanked: choice === 'thank' }, now);
    } else {
      await deps.people.setDonorProfile(person.telegramId, { ...current, anonymous: choice === 'anon' }, now);
    }
    await ctx.answerCbQuery(t('profile.saved'));
    ctx.local.person = (await deps.people.get(person.telegramId)) ?? person;
    return show(ctx);
  });

  c.on(message('text'), async (ctx, next) => {
    if (!isPrivate(ctx) || ctx.message.text.startsWith('/')) return next();
    if ((await ctx.local.session.get<Flow>())?.flow !== 'profileName') return next();
    const name = ctx.message.text.trim().replace(/\s+/g, ' ');
    if (name.length < 1 || name.length > 40) return ctx.reply(ctx.local.t('profile.nameInvalid'));
    const person = ctx.local.person!;
    await deps.people.setDonorProfile(person.telegramId, { ...profileOf(person), displayName: name }, deps.clock());
    await ctx.local.session.clear();
    ctx.local.person = (await deps.people.get(person.telegramId)) ?? person;
    await ctx.reply(ctx.local.t('profile.saved'));
    return show(ctx);
  });

  return c;
}
