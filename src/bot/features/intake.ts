import { Composer } from 'telegraf';
import { isDomainError } from '../../domain/errors';
import { draftFromIntake, intakeIdOf, readIntake } from '../../domain/intake';
import { isStaff, isStaffFor } from '../../domain/roles';
import { InlineKeyboard } from '../../domain/outbox';
import { escapeHtml } from '../../ui/format';
import { draftWording } from '../../ui/intake';
import { AnyBotContext, BotContext, BotDeps, Flow, isPrivate } from '../context';
import { answerRefusal, markup, replyHtml, replyRefusal, retireButtons } from './reply';

/** Callback data (≤64 bytes): `ik:<step>:<value>` for the resident's answers, `ikd:<intake id>` for "Make a draft wish". */
const STEPS = { w: ['this_week', 'this_month', 'no_rush'], u: ['normal', 'urgent'], m: ['yes', 'no'], h: ['telegram', 'phone', 'visit'] } as const;
type Step = keyof typeof STEPS;
const NEXT: Record<Step, Step | undefined> = { w: 'u', u: 'm', m: 'h', h: undefined };

function stepKeyboard(ctx: AnyBotContext, step: Step): InlineKeyboard {
  return [STEPS[step].map((v) => ({ text: ctx.local.t(`intake.choice.${v}` as never), callback_data: `ik:${step}:${v}` }))];
}

/** `/start ask_<linkCode>`: a resident opens their community's intake link. */
export async function startIntake(deps: BotDeps, ctx: AnyBotContext, linkCode: string) {
  const { t } = ctx.local;
  const community = deps.intakes ? await deps.communities.byLinkCode(linkCode) : null;
  if (!community) return ctx.reply(t('intake.unknownLink'));
  await ctx.local.session.set<Flow>({ flow: 'intake', step: 'words', communityId: community.id, draft: {} });
  return replyHtml(ctx, t('intake.ask', { community: escapeHtml(community.name) }));
}

/** Intake in their own words: the resident's flow, /intakelink for staff, and "Make a draft wish" for workers. */
export function intakeFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  c.command('intakelink', async (ctx) => {
    const { t, actor } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(t('privateOnly', { command: '/intakelink' }));
    if (!actor || !isStaff(actor)) return ctx.reply(t('refusal.forbidden'));
    const all = await deps.communities.list();
    const mine = all.filter((cm) => isStaffFor(actor, cm.id));
    if (mine.length === 0) return ctx.reply(t('intake.noCommunities'));
    const lines = mine.map((cm) => `${escapeHtml(cm.name)}: https://t.me/${ctx.botInfo.username}?start=ask_${cm.linkCode}`);
    return replyHtml(ctx, `${t('intake.links')}\n${lines.join('\n')}`);
  });

  // A worker who meets a resident in person records the intake on their behalf, and the intake says so.
  c.command('intake', async (ctx) => {
    const { t, actor } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(t('privateOnly', { command: '/intake' }));
    if (!actor || !isStaff(actor) || !deps.intakes) return ctx.reply(t('refusal.forbidden'));
    const code = ctx.payload.trim();
    const community = /^[0-9A-Za-z]{4,32}$/.test(code) ? await deps.communities.byLinkCode(code) : null;
    if (!code) return ctx.reply(t('intake.usage'));
    if (!community || !isStaffFor(actor, community.id)) return ctx.reply(t('intake.unknownLink'));
    await ctx.local.session.set<Flow>({ flow: 'intake', step: 'words', communityId: community.id, draft: {}, onBehalf: true });
    return replyHtml(ctx, t('intake.askOnBehalf', { community: escapeHtml(community.name) }));
  });

  // The resident's words (text or voice) while the intake flow is on; precedes every other private text.
  c.on('message', async (ctx, next) => {
    if (!isPrivate(ctx) || !deps.intakes) return next();
    const msg = ctx.message as { text?: string; voice?: { file_id: string } };
    if (msg.text?.startsWith('/')) return next();
    const session = await ctx.local.session.get<Flow>();
    if (session?.flow !== 'intake') return next();
    const { t } = ctx.local;
    if (session.step !== 'words') return ctx.reply(t('intake.useButtons'));
    const words = msg.text?.trim();
    if (!words && !msg.voice) return ctx.reply(t('intake.askAgain'));
    if (words && words.length > 2000) return ctx.reply(t('intake.tooLong'));
    // The words go in the session's sealed draft (its `notes`, sealed at rest like a beneficiary's).
    const draft = words ? { notes: words } : { voiceFileId: msg.voice!.file_id };
    await ctx.local.session.set<Flow>({ ...session, step: 'w', draft });
    return ctx.reply(t('intake.q.w'), markup(stepKeyboard(ctx, 'w')));
  });

  // The resident's answers, one step at a time; the last one records the intake and tells the workers.
  c.action(/^ik:([wumh]):([a-z_]{1,20})$/, async (ctx) => {
    const { t } = ctx.local;
    const step = ctx.match[1] as Step;
    const value = ctx.match[2]!;
    const session = deps.intakes && isPrivate(ctx) ? await ctx.local.session.get<Flow>() : undefined;
    if (!deps.intakes || session?.flow !== 'intake' || session.step !== step || !(STEPS[step] as readonly string[]).includes(value)) return ctx.answerCbQuery(t('refusal.stale_button'));
    // A press redelivered after a crash may have been answered already: its answer is refused, its work still done.
    await ctx.answerCbQuery().catch(() => undefined);
    await retireButtons(ctx);
    const draft = { ...session.draft, [step]: value };
    const next = step === 'm' && value === 'no' ? undefined : NEXT[step];
    if (next) {
      await ctx.local.session.set<Flow>({ ...session, step: next, draft });
      return ctx.reply(t(`intake.q.${next}` as never), markup(stepKeyboard(ctx, next)));
    }
    const intake = readIntake(
      {
        communityId: session.communityId,
        ...(session.onBehalf ? {} : { residentTelegramId: ctx.from.id, residentFirstName: ctx.from.first_name }),
        words: typeof draft.notes === 'string' ? draft.notes : undefined,
        voiceFileId: typeof draft.voiceFileId === 'string' ? draft.voiceFileId : undefined,
        byWhen: String(draft.w),
        urgency: String(draft.u),
        mayContact: draft.m === 'yes',
        contactHow: typeof draft.h === 'string' ? draft.h : undefined,
        recordedBy: session.onBehalf ? { workerId: String(ctx.from.id), name: ctx.local.person?.name ?? ctx.from.first_name } : 'resident',
      },
      // This press, handled again after a crash, records the same intake and asks for the same messages.
      intakeIdOf(`${ctx.from.id}:${ctx.callbackQuery.id}`),
      deps.clock(),
    );
    await deps.intakes.insert(intake);
    const community = await deps.communities.get(intake.communityId);
    await deps.enqueue(await deps.relay.requested.intake(intake, community?.name ?? ''));
    // Last: once the session moves on, a redelivered press is skipped as already applied.
    await ctx.local.session.clear();
    return ctx.reply(t(session.onBehalf ? 'intake.recorded' : 'intake.thanks'));
  });

  // "Make a draft wish" under the workers' message.
  c.action(/^ikd:(in_[a-z0-9]{6,20})$/, async (ctx) => {
    const { t, actor } = ctx.local;
    if (!deps.intakes || !actor) return ctx.answerCbQuery(t('refusal.forbidden'));
    try {
      const outcome = await draftFromIntake({ intakes: deps.intakes, wishes: deps.wishes, linkResident: (w, r, a) => deps.consent.link(w, r, a), clock: deps.clock }, ctx.match[1]!, actor, async (intake) =>
        draftWording(t, (await deps.communities.get(intake.communityId))?.name),
      );
      if (outcome.kind === 'already') return ctx.answerCbQuery(t('intake.alreadyDrafted'));
      await ctx.answerCbQuery();
      await retireButtons(ctx);
      return replyHtml(ctx, t('intake.drafted', { code: outcome.wish.code }));
    } catch (err) {
      // Refused or failed; when before the wish was made, its claim was given back and the next press can make it.
      if (isDomainError(err) && err.kind === 'forbidden') return answerRefusal(ctx, err);
      await ctx.answerCbQuery();
      return replyRefusal(ctx, err);
    }
  });

  return c;
}
