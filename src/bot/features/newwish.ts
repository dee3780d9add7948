import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import { isStaff, isStaffFor } from '../../domain/roles';
import { renderCard } from '../../ui/card';
import { callbackData } from '../../ui/callbacks';
import { escapeHtml } from '../../ui/format';
import { MessageKey, Translate } from '../../ui/i18n';
import { InlineKeyboard } from '../../domain/outbox';
import { AnyBotContext, BotContext, BotDeps, Flow, isPrivate } from '../context';
import { FieldIssue } from '../../domain/errors';
import { Draft, nextStep, readAnswer, readChoice, StepName, toWishDraft } from './newwish-steps';
import { replyHtml, replyRefusal } from './reply';

type WizardSession = Extract<Flow, { flow: 'newwish' }>;

const QUESTION: Partial<Record<StepName, MessageKey>> = {
  title: 'newwish.askTitle',
  description: 'newwish.askDescription',
  category: 'newwish.askCategory',
  deadline: 'newwish.askDeadline',
  urgency: 'newwish.askUrgency',
  alias: 'newwish.askAlias',
  notes: 'newwish.askNotes',
};

/** "That doesn't work: <reason>. Please try again." in the worker's language. */
function invalid(t: Translate, problem: FieldIssue): string {
  return t('newwish.invalid', { reason: t(`issue.${problem.code}`, problem.params ?? {}) });
}

/** /newwish: a step-by-step private conversation for workers, with a preview before publishing. */
export function newWishFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  const save = (ctx: AnyBotContext, step: StepName, draft: Draft) =>
    ctx.local.session.set<Flow>({ flow: 'newwish', step, draft: draft as Record<string, unknown> });

  /**
   * Asks the next question, then saves the step: if the process dies in between, Telegram redelivers
   * the answer and it is asked again (the session does not yet say this update moved it on).
   */
  async function ask(ctx: AnyBotContext, step: StepName, draft: Draft) {
    const sent = await question(ctx, step, draft);
    await save(ctx, step, draft);
    return sent;
  }

  async function question(ctx: AnyBotContext, step: StepName, draft: Draft) {
    const t: Translate = ctx.local.t;
    if (step === 'community') {
      const communities = await Promise.all((ctx.local.actor?.communityIds ?? []).map((id) => deps.communities.get(id)));
      const keyboard = communities.filter((x) => x !== null).map((x) => [{ text: x.name, callback_data: callbackData.wizard(`com_${x.id}`) }]);
      return ctx.reply(t('newwish.chooseCommunity'), { reply_markup: { inline_keyboard: keyboard } });
    }
    if (step === 'category') {
      const keyboard: InlineKeyboard = [(['goods', 'cash', 'service'] as const).map((x) => ({ text: t(`category.${x}`), callback_data: callbackData.wizard(`cat_${x}`) }))];
      return replyHtml(ctx, t('newwish.askCategory'), keyboard);
    }
    if (step === 'urgency') {
      const keyboard: InlineKeyboard = [(['normal', 'urgent'] as const).map((x) => ({ text: t(`newwish.urgency.${x}`), callback_data: callbackData.wizard(`urg_${x}`) }))];
      return replyHtml(ctx, t('newwish.askUrgency'), keyboard);
    }
    if (step === 'target') return ctx.reply(t(draft.category === 'cash' ? 'newwish.askTargetCash' : draft.category === 'service' ? 'newwish.askTargetVisits' : 'newwish.askTargetItems'));
    if (step === 'preview') {
      const wish = toWishDraft(draft);
      const preview = renderCard(
        { ...wish, id: 'W-…', code: 'W-…', codeNumber: 0, createdBy: { kind: 'worker', id: '' }, createdAt: new Date(), lifecycle: 'published', status: 'open', pledged: 0, pledges: [], version: 0, updatedAt: new Date() },
        ctx.local.locale,
      );
      const keyboard: InlineKeyboard = [
        [
          { text: t('newwish.button.publish'), callback_data: callbackData.wizard('publish') },
          { text: t('newwish.button.discard'), callback_data: callbackData.wizard('discard') },
        ],
        // The resident sees the card and decides before anyone else does.
        [{ text: t('newwish.button.askFirst'), callback_data: callbackData.wizard('askfirst') }],
      ];
      return replyHtml(ctx, t('newwish.preview', { card: preview.text, notes: escapeHtml(draft.notes ?? '–') }), keyboard);
    }
    return ctx.reply(t(QUESTION[step]!));
  }

  c.command('newwish', async (ctx) => {
    const { t, actor } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(t('privateOnly', { command: '/newwish' }));
    if (!actor || !isStaff(actor)) return ctx.reply(t('newwish.staffOnly'));
    if (actor.kind === 'admin') {
      const all = await deps.communities.list();
      if (all.length === 0) return ctx.reply(t('communities.none'));
      ctx.local.actor = { ...actor, communityIds: all.map((x) => x.id) };
    }
    const ids = ctx.local.actor!.communityIds ?? [];
    if (ids.length === 1) return ask(ctx, 'title', { communityId: ids[0] });
    return ask(ctx, 'community', {});
  });

  c.action(/^nw:(com_(\w+)|cat_(\w+)|urg_(\w+)|publish|askfirst|discard)$/, async (ctx) => {
    const { t } = ctx.local;
    const session = await ctx.local.session.get<WizardSession>();
    if (session?.flow !== 'newwish') return ctx.answerCbQuery(t('callback.expired'));
    const draft = session.draft as Draft;
    const [, whole, communityId, category, urgency] = ctx.match;
    await ctx.answerCbQuery();
    await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);

    if (communityId && session.step === 'community') {
      if (!ctx.local.actor || !isStaffFor(ctx.local.actor, communityId)) return ctx.reply(t('refusal.forbidden'));
      return ask(ctx, 'title', { ...draft, communityId });
    }
    if ((category && session.step === 'category') || (urgency && session.step === 'urgency')) {
      const step = session.step as 'category' | 'urgency';
      const result = readChoice(step, (category ?? urgency)!, draft);
      if (!result.ok) return ctx.reply(invalid(t, result.issue));
      return ask(ctx, nextStep(step), result.draft);
    }
    if (whole === 'discard') {
      await ctx.local.session.clear();
      return ctx.reply(t('newwish.discarded'));
    }
    if (whole === 'askfirst' && session.step === 'preview') {
      await ctx.local.session.clear();
      try {
        const { state } = await deps.wishes.create(toWishDraft(draft), ctx.local.actor!);
        const invite = await deps.invites.linkResident(state.id, ctx.local.actor!);
        return await replyHtml(ctx, t('newwish.savedAskFirst', { code: state.code, link: `https://t.me/${ctx.botInfo.username}?start=resident_${invite.token}` }));
      } catch (err) {
        return replyRefusal(ctx, err);
      }
    }
    if (whole === 'publish' && session.step === 'preview') {
      await ctx.local.session.clear();
      try {
        const { state } = await deps.wishes.create(toWishDraft(draft), ctx.local.actor!, { publish: true });
        const groups = await deps.groups.ofCommunity(state.communityId);
        await ctx.reply(t('newwish.published', { code: state.code, groups: groups.length }));
        const invite = await deps.invites.linkResident(state.id, ctx.local.actor!);
        return await replyHtml(ctx, t('worker.residentLink', { code: state.code, link: `https://t.me/${ctx.botInfo.username}?start=resident_${invite.token}` }));
      } catch (err) {
        return replyRefusal(ctx, err);
      }
    }
    return ctx.reply(t('newwish.invalid', { reason: t('issue.not_a_choice') }));
  });

  c.on(message('text'), async (ctx, next) => {
    if (!isPrivate(ctx) || ctx.message.text.startsWith('/')) return next();
    const session = await ctx.local.session.get<WizardSession>();
    if (session?.flow !== 'newwish') return next();
    const { t } = ctx.local;
    const draft = session.draft as Draft;
    const input = ctx.message.text;
    const step = session.step as StepName;
    const result = readAnswer(step, input, draft, { now: deps.clock(), timeZone: deps.timeZone });
    if (!result.ok) return ctx.reply(invalid(t, result.issue));
    return ask(ctx, nextStep(step), result.draft);
  });

  return c;
}
