import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import { charCount, tidyText } from '../../domain/input';
import { donorActor, donorIdOf, Person } from '../../domain/people';
import { isStaff } from '../../domain/roles';
import { MESSAGE_MAX } from '../../domain/wish/decide';
import { Actor, LIVE_STATUSES, Pledge, WishCommand, WishState } from '../../domain/wish/types';
import { clip, escapeHtml } from '../../ui/format';
import { AnyBotContext, BotContext, BotDeps, Flow, isPrivate } from '../context';
import { replyHtml, replyRefusal } from './reply';

/**
 * The reference a relayed message ends with, `W-1042:7`: the id of the message event it carries. The
 * bot's own message cannot be altered by the worker, so the reference is trusted as the bot wrote it.
 */
const REF = /(W-\d+):(\d+)\D*$/;

/** The conversation a replied-to message belongs to: a message this bot relayed, with its reference. */
export function conversationRef(replied: unknown, botId: number): { wishId: string; seq: number } | undefined {
  if (typeof replied !== 'object' || replied === null) return undefined;
  const m = replied as { from?: { id?: number }; text?: unknown };
  if (m.from?.id !== botId || typeof m.text !== 'string') return undefined;
  const found = REF.exec(m.text);
  return found ? { wishId: found[1]!, seq: Number(found[2]) } : undefined;
}

const byNewestCode = (a: WishState, b: WishState) => b.codeNumber - a.codeNumber;

/** The resident's live wish their words are about: the one they are linked to, or the newest of several. */
async function residentWish(deps: BotDeps, person: Person): Promise<WishState | undefined> {
  if (person.residentOf.length === 0) return undefined;
  const linked = await deps.wishes.list({ ids: person.residentOf, limit: 20 });
  return linked.filter((w) => LIVE_STATUSES.includes(w.status)).sort(byNewestCode)[0];
}

/** The donor's pledge still in hand that their words are about: the only one, or the newest of several. */
async function donorPledge(deps: BotDeps, person: Person): Promise<{ wish: WishState; pledge: Pledge } | undefined> {
  const donorId = donorIdOf(person.telegramId);
  const wishes = await deps.wishes.list({ donorId, status: [...LIVE_STATUSES], limit: 50 });
  const mine = wishes.flatMap((wish) => wish.pledges.filter((p) => p.donorId === donorId && p.status === 'active').map((pledge) => ({ wish, pledge })));
  return mine.sort((a, b) => b.pledge.pledgedAt.getTime() - a.pledge.pledgedAt.getTime())[0];
}

/**
 * A conversation through the bot. A resident's free text goes to their wish's worker, a donor's to the
 * worker of the wish they pledged to; the worker answers by replying to the relayed message. Each
 * message is a `message` event of the wish (the staff's history) and reaches the other side through
 * the outbox, with nobody's Telegram name, username or id in it.
 */
export function conversationFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  async function relay(ctx: AnyBotContext, wish: WishState, command: WishCommand, actor: Actor): Promise<boolean> {
    try {
      await deps.wishes.execute(wish.id, command, actor);
      return true;
    } catch (err) {
      await replyRefusal(ctx, err);
      return false;
    }
  }

  c.on(message('text'), async (ctx, next) => {
    if (!isPrivate(ctx) || ctx.message.text.startsWith('/')) return next();
    const person = ctx.local.person;
    if (!person || (await ctx.local.session.get<Flow>())) return next();
    const { t } = ctx.local;
    const text = tidyText(ctx.message.text, { multiline: true });
    const key = `tg:${ctx.update.update_id}`;
    const tooLong = () => ctx.reply(t('conversation.tooLong', { max: MESSAGE_MAX }));

    // A worker's answer: a reply to a message relayed to them.
    const ref = conversationRef(ctx.message.reply_to_message, ctx.botInfo.id);
    const actor = ctx.local.actor;
    if (ref && actor && isStaff(actor)) {
      const events = await deps.wishes.history(ref.wishId).catch(() => []);
      const asked = events.find((e) => e.seq === ref.seq);
      if (asked?.type === 'message' && asked.from !== 'worker') {
        if (charCount(text) > MESSAGE_MAX) return tooLong();
        const wish = await deps.wishes.get(ref.wishId);
        const to = { kind: asked.from, id: asked.actor.id };
        const command: WishCommand = { type: 'message', from: 'worker', text, key, to, fromName: ctx.from.first_name };
        if (await relay(ctx, wish, command, actor)) return ctx.reply(t('conversation.answerSent', { code: wish.code, donor: to.kind === 'donor' ? 1 : '' }));
        return;
      }
    }
    if (charCount(text) === 0) return next();

    const wish = await residentWish(deps, person);
    if (wish) {
      if (charCount(text) > MESSAGE_MAX) return tooLong();
      const resident: Actor = { kind: 'resident', id: donorIdOf(person.telegramId), name: person.name, telegramId: person.telegramId, wishIds: person.residentOf };
      if (await relay(ctx, wish, { type: 'message', from: 'resident', text, key }, resident)) {
        return replyHtml(ctx, t('conversation.sent', { code: wish.code, title: escapeHtml(clip(wish.title, 60)) }));
      }
      return;
    }

    const pledged = await donorPledge(deps, person);
    if (pledged) {
      if (charCount(text) > MESSAGE_MAX) return tooLong();
      const command: WishCommand = { type: 'message', from: 'donor', text, key, pledgeId: pledged.pledge.id };
      if (await relay(ctx, pledged.wish, command, donorActor(person))) {
        return replyHtml(ctx, t('conversation.sentDonor', { code: pledged.wish.code, title: escapeHtml(clip(pledged.wish.title, 60)) }));
      }
      return;
    }
    return next();
  });

  return c;
}
