import { Composer } from 'telegraf';
import { InvitationAnswer } from '../../domain/resources/invitations';
import { BotContext, BotDeps } from '../context';
import { answerRefusal, retireButtons } from './reply';

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

  return c;
}
