import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import { languageOf } from '../../domain/people';
import { escapeHtml } from '../../ui/format';
import { translator } from '../../ui/i18n';
import { hoursText, slotWhen } from '../../ui/service-card';
import { BotContext, BotDeps, isPrivate } from '../context';
import { answerRefusal, replyHtml, replyRefusal, retireButtons } from './reply';

// Volunteer teams in the bot: joining with the lead's link, the team's group, the lead's /myteams and
// everyone's /myhours; and the slot buttons: sign up in the team's chat (never more than the places),
// Can't come, I'm here (with a location if they like), Done; the lead's Confirm and Fill the place.

const SLOT = 'SR-[0-9A-Z]{6}\\.\\d{1,2}';

/** `t.me/<bot>?start=team_<joinCode>`: the member joins the team. */
export async function joinTeam(deps: BotDeps, ctx: BotContext, joinCode: string) {
  const { t } = ctx.local;
  if (!deps.teams) return ctx.reply(t('refusal.team_not_found'));
  try {
    const person = ctx.local.person!;
    const { team, already } = await deps.teams.service.join(joinCode, { telegramId: person.telegramId, name: person.name || ctx.from!.first_name });
    return replyHtml(ctx, t(already ? 'team.alreadyMember' : 'team.joined', { team: escapeHtml(team.name) }));
  } catch (err) {
    return replyRefusal(ctx, err);
  }
}

/** A press's answer is seen by the presser only: in their language, even in a group set to another. */
function presser(deps: BotDeps, ctx: BotContext) {
  const lang = languageOf(ctx.local.person, deps.defaultLanguage);
  return { lang, t: translator(lang), locale: { ...ctx.local.locale, language: lang } };
}

export function teamsFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();
  const person = (ctx: BotContext) => ({ telegramId: ctx.from!.id, name: ctx.local.person?.name || ctx.from!.first_name });

  c.command('teamchat', async (ctx) => {
    const { actor } = ctx.local;
    // A group with no language of its own is answered in the lead's.
    const t = ctx.local.group?.language ? ctx.local.t : presser(deps, ctx).t;
    const code = ctx.payload.trim().toUpperCase();
    if (isPrivate(ctx) || !/^[0-9A-Z]{10}$/.test(code)) return ctx.reply(t('team.chatUsage'));
    if (!deps.teams || !actor) return ctx.reply(t('refusal.team_not_found'));
    try {
      // Sent inside a forum topic: the topic is the team's chat (telegraf's reply goes there too).
      const message = ctx.message as { is_topic_message?: boolean; message_thread_id?: number };
      const topicId = message.is_topic_message ? message.message_thread_id : undefined;
      const team = await deps.teams.service.linkChat(code, ctx.chat.id, actor, topicId);
      return replyHtml(ctx, t(topicId !== undefined ? 'team.topicLinked' : 'team.chatLinked', { team: escapeHtml(team.name) }));
    } catch (err) {
      return replyRefusal(ctx, err);
    }
  });

  c.command('myteams', async (ctx) => {
    const { t } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(t('privateOnly', { command: '/myteams' }));
    const led = deps.teams ? await deps.teams.service.ledBy(ctx.from.id) : [];
    if (led.length === 0) return ctx.reply(t('team.mine.none'));
    const lines = led.map(({ team, members }) => t('team.mine.line', { team: escapeHtml(team.name), members, code: team.joinCode, link: `https://t.me/${ctx.botInfo.username}?start=team_${team.joinCode}` }));
    return replyHtml(ctx, lines.join('\n\n'));
  });

  c.command('myhours', async (ctx) => {
    const { t } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(t('privateOnly', { command: '/myhours' }));
    const rows = deps.teams ? await deps.teams.service.myHours(ctx.from.id) : [];
    if (rows.length === 0) return ctx.reply(t('hours.none'));
    return replyHtml(ctx, [t('hours.header'), ...rows.map((r) => t('hours.line', { team: escapeHtml(r.team.name), hours: hoursText(r.minutes), slots: r.slots }))].join('\n'));
  });

  // Sign up, in the team's chat: the answer says whether they got a place; the card shows who did.
  c.action(new RegExp(`^sg:(${SLOT})$`), async (ctx) => {
    Object.assign(ctx.local, presser(deps, ctx)); // refusals too
    const { t, locale } = ctx.local;
    if (!deps.teams) return ctx.answerCbQuery(t('refusal.stale_button'));
    try {
      const result = await deps.teams.service.signUp(ctx.match[1]!, person(ctx));
      const when = slotWhen(result.slot.startsAt, locale.language, locale.timeZone);
      if (result.outcome === 'full') return ctx.answerCbQuery(t('slot.full'), { show_alert: true });
      if (result.outcome === 'already') return ctx.answerCbQuery(t('slot.already', { when }));
      await ctx.answerCbQuery(t('slot.signedUp', { when }));
      const found = await deps.teams.service.requestView(result.slot.requestId);
      if (found) await deps.enqueue([deps.teams.messages.card(found.team, found.request), await deps.teams.messages.signedUp(found.request, result.slot, ctx.from.id, result.place)]);
    } catch (err) {
      return answerRefusal(ctx, err);
    }
  });

  c.action(new RegExp(`^sl:(${SLOT})$`), async (ctx) => {
    const { t } = ctx.local;
    if (!deps.teams) return ctx.answerCbQuery(t('refusal.stale_button'));
    try {
      const { slot, left } = await deps.teams.service.leave(ctx.match[1]!, ctx.from.id);
      await ctx.answerCbQuery(t(left ? 'slot.left' : 'slot.notSignedUp'));
      await retireButtons(ctx);
      if (!left) return;
      await ctx.reply(t('slot.left'));
      const found = await deps.teams.service.requestView(slot.requestId);
      if (found) await deps.enqueue([await deps.teams.messages.toLead(found.team, found.request, slot, 'left', person(ctx)), ...(await deps.teams.messages.placeOpened(found.team, found.request, slot))]);
    } catch (err) {
      await answerRefusal(ctx, err);
      await retireButtons(ctx, err);
    }
  });

  c.action(new RegExp(`^ci:(${SLOT})$`), async (ctx) => {
    const { t } = ctx.local;
    if (!deps.teams) return ctx.answerCbQuery(t('refusal.stale_button'));
    try {
      const { slot, repeat } = await deps.teams.service.checkIn(ctx.match[1]!, person(ctx));
      await ctx.answerCbQuery(t(repeat ? 'slot.checkedInAgain' : 'slot.checkedIn'));
      await retireButtons(ctx);
      await replyHtml(ctx, t(repeat ? 'slot.checkedInAgain' : 'slot.checkedIn'), [[{ text: t('slot.button.done'), callback_data: `dn:${slot.id}` }]]);
    } catch (err) {
      return answerRefusal(ctx, err);
    }
  });

  c.on(message('location'), async (ctx, next) => {
    if (!isPrivate(ctx) || !deps.teams) return next();
    const { latitude, longitude } = ctx.message.location;
    const slot = await deps.teams.service.located(person(ctx), latitude, longitude);
    // Not at a slot: the location is for the conversation with the worker, if anything.
    if (!slot) return next();
    await ctx.reply(ctx.local.t('slot.located'));
    const found = await deps.teams.service.requestView(slot.requestId);
    if (found) await deps.enqueue([await deps.teams.messages.toLead(found.team, found.request, slot, 'located', { ...person(ctx), latitude, longitude })]);
  });

  c.action(new RegExp(`^dn:(${SLOT})$`), async (ctx) => {
    const { t } = ctx.local;
    if (!deps.teams) return ctx.answerCbQuery(t('refusal.stale_button'));
    try {
      const { slot, repeat } = await deps.teams.service.done(ctx.match[1]!, person(ctx));
      await ctx.answerCbQuery(t('slot.doneThanks'));
      await retireButtons(ctx);
      if (repeat) return;
      await ctx.reply(t('slot.doneThanks'));
      const found = await deps.teams.service.requestView(slot.requestId);
      if (found) await deps.enqueue([await deps.teams.messages.toLead(found.team, found.request, slot, 'done', person(ctx))]);
    } catch (err) {
      return answerRefusal(ctx, err);
    }
  });

  // The lead's Confirm: the member's hours count, and they are thanked.
  c.action(new RegExp(`^sc:(${SLOT}):(\\d{1,15})$`), async (ctx) => {
    const { t, actor } = ctx.local;
    if (!deps.teams || !actor) return ctx.answerCbQuery(t('refusal.stale_button'));
    try {
      const { slot, member, repeat } = await deps.teams.service.confirm(ctx.match[1]!, Number(ctx.match[2]), actor);
      await ctx.answerCbQuery(repeat ? t('slot.confirmedAlready') : t('slot.confirmed', { name: member.name, hours: hoursText(member.minutes ?? 0) }));
      await retireButtons(ctx);
      if (repeat) return;
      const found = await deps.teams.service.requestView(slot.requestId);
      if (found) await deps.enqueue([await deps.teams.messages.confirmed(found.request, slot, member.telegramId, member.minutes ?? 0), deps.teams.messages.card(found.team, found.request)]);
    } catch (err) {
      return answerRefusal(ctx, err);
    }
  });

  // The lead's answer to a no-show: the place opens again, and the team is asked.
  c.action(new RegExp(`^fp:(${SLOT}):(\\d{1,15})$`), async (ctx) => {
    const { t, actor } = ctx.local;
    if (!deps.teams || !actor) return ctx.answerCbQuery(t('refusal.stale_button'));
    try {
      const { slot, freed } = await deps.teams.service.fillPlace(ctx.match[1]!, Number(ctx.match[2]), actor);
      await ctx.answerCbQuery(t(freed ? 'slot.placeFreed' : 'slot.placeNotFreed'));
      await retireButtons(ctx);
      if (!freed) return;
      const found = await deps.teams.service.requestView(slot.requestId);
      if (found) await deps.enqueue(await deps.teams.messages.placeOpened(found.team, found.request, slot));
    } catch (err) {
      await answerRefusal(ctx, err);
      await retireButtons(ctx, err);
    }
  });

  return c;
}
