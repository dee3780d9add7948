import { Composer } from 'telegraf';
import { InvitationAnswer } from '../../domain/resources/invitations';
import { MatchReason } from '../../domain/resources/matching';
import { InlineKeyboard } from '../../domain/outbox';
import { isStaff, isStaffFor } from '../../domain/roles';
import { clip, escapeHtml } from '../../ui/format';
import { isPrivate } from '../context';
import { BotContext, BotDeps } from '../context';
import { answerRefusal, replyHtml, replyRefusal, retireButtons } from './reply';

const ANSWERS: Record<string, InvitationAnswer> = { c: 'can', n: 'cant', l: 'not_now' };

/**
 * An invited resource answers in its own chat: Can takes the wish under the same rule as a group
 * claim (two at once: one wins, the other is thanked and told it is taken); Can't and Not now are
 * recorded and stop further asks. The worker hears each answer.
 */
export function invitationsFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  c.action(/^iv:(W-\d{4,9}):([A-Za-z0-9_-]{1,40}):([cnl])$/, async (ctx) => {
    const { t } = ctx.local;
    if (!deps.invitations) return ctx.answerCbQuery(t('refusal.stale_button'));
    const [, wishId, resourceId, letter] = ctx.match as unknown as [string, string, string, string];
    try {
      const { reply, wish } = await deps.invitations.answer(wishId!, resourceId!, ctx.from!.id, ANSWERS[letter!]!);
      const text = reply.answer !== 'can' ? t('invitation.declined') : reply.outcome === 'taken' ? t('invitation.taken', { code: wish.code }) : t('invitation.took', { code: wish.code });
      await ctx.answerCbQuery(text);
      await retireButtons(ctx);
      await ctx.reply(text);
    } catch (err) {
      await answerRefusal(ctx, err);
    }
  });

  // A worker's /matches W-1001: the best few suggestions with their reasons, a button to ask each privately.
  c.command('matches', async (ctx) => {
    const { t, actor } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(t('privateOnly', { command: '/matches' }));
    if (!actor || !isStaff(actor)) return ctx.reply(t('refusal.forbidden'));
    const code = ctx.payload.trim().toUpperCase();
    if (!/^W-\d{4,9}$/.test(code)) return ctx.reply(t('matches.usage'));
    if (!deps.matching || !deps.invitations) return ctx.reply(t('matches.none'));
    try {
      const { wish, matches } = await deps.matching.matchesFor(code, actor);
      if (!isStaffFor(actor, wish.communityId)) return ctx.reply(t('refusal.wish_not_found'));
      const top = matches.slice(0, 5);
      if (top.length === 0) return ctx.reply(t('matches.none'));
      const lines = top.map((m, i) => `${i + 1}. <b>${escapeHtml(m.name)}</b>: ${m.reasons.map((r) => reasonWords(t, r)).join('; ')}`);
      const keyboard: InlineKeyboard = top.map((m) => [{ text: clip(t('matches.ask', { name: m.name }), 60), callback_data: `ia:${wish.id}:${m.resourceId}` }]);
      return replyHtml(ctx, `${t('matches.header', { code: wish.code })}\n${lines.join('\n')}`, keyboard);
    } catch (err) {
      return replyRefusal(ctx, err);
    }
  });

  c.action(/^ia:(W-\d{4,9}):([A-Za-z0-9_-]{1,40})$/, async (ctx) => {
    const { t, actor } = ctx.local;
    if (!actor || !isStaff(actor) || !deps.invitations) return ctx.answerCbQuery(t('refusal.forbidden'));
    try {
      const { invited, skipped } = await deps.invitations.invite(ctx.match[1]!, [ctx.match[2]!], actor);
      return ctx.answerCbQuery(invited.length > 0 ? t('matches.asked') : t(`matches.skipped.${skipped[0]?.reason ?? 'already_asked'}` as never));
    } catch (err) {
      return answerRefusal(ctx, err);
    }
  });

  return c;
}

/** A reason, short, for a chat line. */
function reasonWords(t: BotContext['local']['t'], r: MatchReason): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(r)) if (k !== 'code' && (typeof v === 'string' || typeof v === 'number')) params[k] = v;
  return t(`matches.reason.${r.code}` as never, params as never);
}
