import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import { outboxId } from '../../domain/outbox';
import { actorFor, donorIdOf } from '../../domain/people';
import { isStaff } from '../../domain/roles';
import { escapeHtml } from '../../ui/format';
import { AnyBotContext, BotContext, BotDeps, Flow, isPrivate } from '../context';
import { errorCodeOf, refusalText } from '../errors';
import { manageKeyboard, offerConsoleMenu } from './console-button';
import { replyHtml } from './reply';
import { publicWish } from '../public-wish';
import { renderCard } from '../../ui/card';

/**
 * A donor who pressed Claim before ever opening a chat with the bot could not be sent their next
 * steps (Telegram refuses with 403). Now that they have opened it, they get them: once per pledge.
 */
async function sendMissedNextSteps(deps: BotDeps, ctx: AnyBotContext): Promise<boolean> {
  const telegramId = ctx.from!.id;
  const donorId = donorIdOf(telegramId);
  const wishes = await deps.wishes.list({ donorId, status: ['open', 'partially_pledged', 'fully_pledged'], limit: 50 });
  const missed = [];
  for (const wish of wishes) {
    for (const pledge of wish.pledges.filter((p) => p.donorId === donorId && p.status === 'active')) {
      const first = await deps.outboxItem(outboxId(pledge.id, telegramId, 'next_steps'));
      if (first?.status === 'failed') missed.push({ wish, pledge });
    }
  }
  if (missed.length > 0) await deps.enqueue(await deps.relay.requested.lateNextSteps(missed));
  return missed.length > 0;
}
import { startIntake } from './intake';
import { joinTeam } from './teams';
import { showPledges, startAmountFlow } from './pledges';

/** Deep links: `worker_<token>`, `resident_<token>`, `donor_<token>`, `ask_<linkCode>`, `team_<joinCode>`, `pledges`, `amount_<wishId>`. */
export function startFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  c.start(async (ctx) => {
    if (!isPrivate(ctx)) return replyHtml(ctx, ctx.local.t('help.group'));
    const payload = ctx.payload.trim();
    const { t } = ctx.local;
    const person = ctx.local.person!;
    const invite = /^(worker|resident|donor)_([0-9A-Z]{6,32})$/.exec(payload);
    if (invite) {
      try {
        const redeemed = await deps.invites.redeem(invite[2]!, person.telegramId);
        if (redeemed.kind === 'worker') {
          await deps.people.addWorkerCommunities(person.telegramId, redeemed.communityIds, deps.clock());
          const names = await Promise.all(redeemed.communityIds.map(async (id) => (await deps.communities.get(id))?.name ?? id));
          // Now a worker: the console goes on their menu button and under this message.
          ctx.local.actor = actorFor({ ...person, workerOf: [...new Set([...person.workerOf, ...redeemed.communityIds])] }, deps.adminIds);
          await offerConsoleMenu(deps, ctx);
          return replyHtml(ctx, t('worker.welcome', { communities: escapeHtml(names.join(', ')) }), manageKeyboard(deps, ctx));
        }
        if (redeemed.kind === 'donor') {
          // Asked directly by a worker: the card, with its buttons, in this chat only.
          const wish = await publicWish(deps, redeemed.wishId);
          const card = renderCard(wish, ctx.local.locale, { invited: true });
          return replyHtml(ctx, `${t('privateLink.card')}\n\n${card.text}`, card.keyboard);
        }
        // Linked, and a draft is shown to them at once (through the outbox) to decide on.
        const wish = await deps.consent.link(redeemed.wishId, person.telegramId);
        return replyHtml(ctx, t('resident.welcome', { code: wish.code, title: escapeHtml(wish.title) }));
      } catch (err) {
        const text = refusalText(err, ctx.local.locale);
        if (text === undefined) throw err;
        ctx.local.noteError?.(errorCodeOf(err));
        return ctx.reply(text);
      }
    }
    const team = /^team_([0-9A-Z]{10})$/.exec(payload);
    if (team) return joinTeam(deps, ctx, team[1]!);
    const ask = /^ask_([0-9A-Za-z]{4,32})$/.exec(payload);
    if (ask) return startIntake(deps, ctx, ask[1]!);
    const caughtUp = await sendMissedNextSteps(deps, ctx);
    // Opened from a Claim answer: the next steps (just sent, or listed) are what they came for.
    if (payload === 'pledges') return caughtUp ? undefined : showPledges(deps, ctx);
    const amount = /^amount_(W-\d+)$/.exec(payload);
    if (amount) return startAmountFlow(deps, ctx, amount[1]!);
    const manage = manageKeyboard(deps, ctx);
    if (manage) await offerConsoleMenu(deps, ctx);
    return replyHtml(ctx, t('start.welcome', { name: escapeHtml(person.name) }), manage);
  });

  c.help(async (ctx) => {
    if (!isPrivate(ctx)) return replyHtml(ctx, ctx.local.t('help.group'));
    const actor = ctx.local.actor;
    const person = ctx.local.person;
    // Someone who is only a resident sees what a resident can do; the donor commands too once they give.
    if (person && person.residentOf.length > 0 && !(actor && isStaff(actor))) {
      const gives = person.donor !== undefined || (await deps.wishes.list({ donorId: donorIdOf(person.telegramId), limit: 1 })).length > 0;
      return replyHtml(ctx, ctx.local.t('help.resident', { donor: gives ? 1 : '' }));
    }
    return replyHtml(
      ctx,
      ctx.local.t('help.private', {
        staff: actor && isStaff(actor) ? 1 : '',
        admin: actor?.kind === 'admin' ? 1 : '',
        resident: (ctx.local.person?.residentOf.length ?? 0) > 0 ? 1 : '',
      }),
    );
  });

  c.command('cancel', async (ctx) => {
    if (!ctx.from) return;
    const current = await ctx.local.session.get<Flow>();
    if (!current) return ctx.reply(ctx.local.t('nothingToCancel'));
    await ctx.local.session.clear();
    return ctx.reply(ctx.local.t('cancelled'));
  });

  return c;
}

/** Last in line: unknown commands get a hint; stray private text gets pointed at /help. */
export function fallbackFeature(_deps: BotDeps) {
  const c = new Composer<BotContext>();
  // A button from an old message, or data we never made: answer it so the button stops spinning.
  c.on('callback_query', async (ctx) => {
    await ctx.answerCbQuery(ctx.local.t('refusal.stale_button'));
  });

  c.on(message('text'), async (ctx) => {
    const text = ctx.message.text;
    if (text.startsWith('/')) {
      const [command = ''] = text.slice(1).split(/\s/, 1);
      const [, addressee] = command.split('@');
      // In groups, commands for other bots are none of our business.
      if (!isPrivate(ctx) && addressee && addressee.toLowerCase() !== ctx.botInfo.username.toLowerCase()) return;
      if (!isPrivate(ctx) && !addressee) return;
      return ctx.reply(ctx.local.t('unknown.command'));
    }
    if (isPrivate(ctx)) return replyHtml(ctx, ctx.local.t('hint.help'));
  });
  return c;
}
