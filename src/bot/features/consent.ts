import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import { charCount, tidyText } from '../../domain/input';
import { residentActor } from '../../domain/people';
import { isStaff, isStaffFor } from '../../domain/roles';
import { MESSAGE_MAX } from '../../domain/wish/decide';
import { isRedacted } from '../../domain/wish/consent';
import { ConsentPurpose, WishState } from '../../domain/wish/types';
import { InlineKeyboard } from '../../domain/outbox';
import { callbackData } from '../../ui/callbacks';
import { clip, escapeHtml, shortDate } from '../../ui/format';
import { BotContext, BotDeps, Flow, isPrivate } from '../context';
import { answerRefusal, replyHtml, replyRefusal, retireButtons } from './reply';

const ANSWERS = { g: 'given', c: 'changes', p: 'private' } as const;
/** Shown in the groups now, so its resident may stop it. */
const shownInGroups = (wish: WishState) => !isRedacted(wish) && wish.lifecycle !== 'draft' && !wish.residentErased;

/** What /privacy lists for each wish: the purposes a resident decides in the bot (erasure is /erase). */
const SHOWN_PURPOSES: Array<Exclude<ConsentPurpose, 'store'>> = ['publish', 'contact', 'photos'];

/**
 * The resident's say over what is published: their answer to the preview of their card ("Publish as
 * shown", "Ask for changes", "Keep it private"), /privacy to see and take back what they agreed to,
 * and, for workers, asking them and a one-time link that shows a private wish to one donor.
 */
export function consentFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  c.action(/^cs:(W-\d{4,9}):(\d{1,6}):([gcp])$/, async (ctx) => {
    const [, wishId, seq, letter] = ctx.match as unknown as [string, string, string, keyof typeof ANSWERS];
    const { t } = ctx.local;
    const person = ctx.local.person;
    if (!person) return ctx.answerCbQuery(t('refusal.stale_button'));
    const answer = ANSWERS[letter];
    try {
      const { state } = await deps.consent.answer(wishId!, residentActor(person), answer, Number(seq));
      await ctx.answerCbQuery();
      await retireButtons(ctx);
      if (answer === 'changes') {
        await ctx.local.session.set<Flow>({ flow: 'consentChanges', wishId: state.id });
        return replyHtml(ctx, t('consent.askChanges', { code: state.code }));
      }
      return replyHtml(ctx, t(answer === 'given' ? 'consent.published' : 'consent.keptPrivate', { code: state.code }));
    } catch (err) {
      await answerRefusal(ctx, err);
      return retireButtons(ctx, err);
    }
  });

  // The words that go with "Ask for changes": to the worker, as a message of the wish.
  c.on(message('text'), async (ctx, next) => {
    if (!isPrivate(ctx) || ctx.message.text.startsWith('/')) return next();
    const session = await ctx.local.session.get<Flow>();
    if (session?.flow !== 'consentChanges') return next();
    const { t } = ctx.local;
    const text = tidyText(ctx.message.text, { multiline: true });
    if (charCount(text) === 0) return next();
    if (charCount(text) > MESSAGE_MAX) return ctx.reply(t('conversation.tooLong', { max: MESSAGE_MAX }));
    try {
      await deps.wishes.execute(session.wishId, { type: 'message', from: 'resident', text, key: `tg:${ctx.update.update_id}` }, residentActor(ctx.local.person!));
    } catch (err) {
      await ctx.local.session.clear();
      return replyRefusal(ctx, err);
    }
    await ctx.local.session.clear();
    return ctx.reply(t('consent.changesSent'));
  });

  // A worker asks the resident: the card as the groups would see it goes to them with the three answers.
  c.action(/^ca:(W-\d{4,9})$/, async (ctx) => {
    const actor = ctx.local.actor;
    const { t } = ctx.local;
    if (!actor || !isStaff(actor)) return ctx.answerCbQuery(t('refusal.forbidden'));
    try {
      const { state } = await deps.consent.ask(ctx.match[1]!, actor);
      await ctx.answerCbQuery();
      await retireButtons(ctx);
      return replyHtml(ctx, t('consent.askSent', { code: state.code }));
    } catch (err) {
      return answerRefusal(ctx, err);
    }
  });

  c.command('privacy', async (ctx) => {
    const { t } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(t('privateOnly', { command: '/privacy' }));
    const person = ctx.local.person!;
    const wishes = person.residentOf.length > 0 ? await deps.wishes.list({ ids: person.residentOf, limit: 20 }) : [];
    if (wishes.length === 0) return replyHtml(ctx, t('privacy.none'));
    const lines = [t('privacy.header')];
    const keyboard: InlineKeyboard = [];
    for (const wish of wishes.sort((a, b) => b.codeNumber - a.codeNumber)) {
      lines.push(t('privacy.wish', { code: wish.code, title: escapeHtml(clip(wish.title, 60)) }));
      for (const purpose of SHOWN_PURPOSES) lines.push(privacyLine(wish, purpose));
      keyboard.push(...privacyButtons(wish));
    }
    lines.push('', t('privacy.footer'));
    if (wishes.filter(shownInGroups).length > 1) keyboard.unshift([{ text: t('privacy.button.stopAll'), callback_data: 'pv:all' }]);
    return replyHtml(ctx, lines.join('\n'), keyboard);

    function privacyLine(wish: WishState, purpose: (typeof SHOWN_PURPOSES)[number]): string {
      const record = wish.consents?.[purpose];
      const notAsked = purpose === 'publish' && !record && wish.lifecycle === 'published' && !wish.consentRequired;
      return t('privacy.line', {
        purpose: t(`consent.purpose.${purpose}`),
        answer: record ? t(`consent.answer.${record.answer}`) : notAsked ? t('consent.answer.given') : t('privacy.notAsked'),
        when: record ? shortDate(record.at, ctx.local.locale.language, deps.timeZone) : '',
        via: record?.via === 'in_person' ? 1 : '',
      });
    }
    function privacyButtons(wish: WishState): InlineKeyboard {
      const rows: InlineKeyboard = [];
      if (shownInGroups(wish)) rows.push([{ text: t('privacy.button.withdraw', { code: wish.code, purpose: t('consent.purpose.publish') }), callback_data: callbackData.privacy(wish.id, 'publish', 'w') }]);
      for (const purpose of ['contact', 'photos'] as const) {
        const given = wish.consents?.[purpose]?.answer === 'given';
        const label = t(given ? 'privacy.button.withdraw' : 'privacy.button.give', { code: wish.code, purpose: t(`consent.purpose.${purpose}`) });
        rows.push([{ text: clip(label, 60), callback_data: callbackData.privacy(wish.id, purpose, given ? 'w' : 'g') }]);
      }
      return rows;
    }
  });

  // Publishing taken back for every wish of theirs at once: each live card is redacted.
  c.action('pv:all', async (ctx) => {
    const { t } = ctx.local;
    const person = ctx.local.person;
    if (!person || person.residentOf.length === 0) return ctx.answerCbQuery(t('refusal.stale_button'));
    const resident = residentActor(person);
    const wishes = (await deps.wishes.list({ ids: person.residentOf, limit: 20 })).filter(shownInGroups);
    for (const wish of wishes) await deps.consent.withdraw(wish.id, resident, 'publish');
    await ctx.answerCbQuery();
    await retireButtons(ctx);
    return replyHtml(ctx, t('privacy.withdrawnAll', { codes: wishes.map((w) => w.code).join(', ') }));
  });

  c.action(/^pv:(W-\d{4,9}):(publish|contact|photos):([wg])$/, async (ctx) => {
    const [, wishId, purpose, change] = ctx.match as unknown as [string, string, 'publish' | 'contact' | 'photos', 'w' | 'g'];
    const { t } = ctx.local;
    const person = ctx.local.person;
    if (!person) return ctx.answerCbQuery(t('refusal.stale_button'));
    const resident = residentActor(person);
    try {
      const { state } =
        change === 'w' ? await deps.consent.withdraw(wishId!, resident, purpose) : await deps.consent.give(wishId!, resident, purpose as 'contact' | 'photos');
      await ctx.answerCbQuery();
      await retireButtons(ctx);
      const params = { code: state.code, purpose: t(`consent.purpose.${purpose}`), publish: purpose === 'publish' ? 1 : '' };
      return replyHtml(ctx, t(change === 'w' ? 'privacy.withdrawn' : 'privacy.given', params));
    } catch (err) {
      return answerRefusal(ctx, err);
    }
  });

  // One donor, asked directly, sees a wish the resident kept out of the groups.
  c.command('privatelink', async (ctx) => {
    const { t, actor } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(t('privateOnly', { command: '/privatelink' }));
    if (!actor || !isStaff(actor)) return ctx.reply(t('refusal.forbidden'));
    const code = ctx.payload.trim().toUpperCase();
    if (!/^W-\d{4,9}$/.test(code)) return ctx.reply(t('privateLink.usage'));
    try {
      const wish = await deps.wishes.get(code);
      if (!isStaffFor(actor, wish.communityId)) return ctx.reply(t('refusal.wish_not_found'));
      const invite = await deps.invites.inviteDonor(wish.id, actor);
      return replyHtml(ctx, t('privateLink.link', { code: wish.code, url: `https://t.me/${ctx.botInfo.username}?start=donor_${invite.token}` }));
    } catch (err) {
      return replyRefusal(ctx, err);
    }
  });

  return c;
}
