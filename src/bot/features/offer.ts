import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import { isDomainError } from '../../domain/errors';
import { InlineKeyboard } from '../../domain/outbox';
import { isStaffFor } from '../../domain/roles';
import { RESOURCE_KINDS, ResourceKind, WEEKDAYS } from '../../domain/resources/types';
import { clip, escapeHtml } from '../../ui/format';
import { BotContext, BotDeps, Flow, isPrivate } from '../context';
import { markup, replyHtml, replyRefusal, retireButtons } from './reply';

/** What /offer asks about: kinds of wish and the skills most asked for, as buttons. */
const OFFERS = ['goods', 'cash', 'service', 'haircut', 'repairs', 'medical', 'shopping', 'companionship', 'tutoring'] as const;
const CATEGORY_OFFERS = ['goods', 'cash', 'service'];
const PER_MONTH = [1, 2, 4, 8] as const;
const OFFER_KINDS: ResourceKind[] = ['person', 'business', 'organisation'];

type OfferFlow = Extract<Flow, { flow: 'offer' }>;

const toggled = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
const mark = (on: boolean, text: string) => (on ? `✅ ${text}` : text);

/**
 * /offer: a person or a business tells the community what it can give, where, when and how often, in
 * buttons, then its name; a proposed directory entry under its own Telegram account, which a worker
 * approves with one press. The same rules as the API name anything wrong.
 */
export function offerFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();

  async function show(ctx: BotContext, session: OfferFlow) {
    const { t } = ctx.local;
    const d = session.draft;
    await ctx.local.session.set<Flow>(session);
    if (session.step === 'what') {
      const rows: InlineKeyboard = OFFERS.map((o) => [{ text: mark(d.offers.includes(o), t(`offer.what.${o}` as never)), callback_data: `of:o:${o}` }]);
      rows.push([{ text: t('offer.next'), callback_data: 'of:next' }]);
      return ctx.reply(t('offer.askWhat'), markup(rows));
    }
    if (session.step === 'where') {
      const areas = (await deps.directory?.resources.areasOf(d.communityId)) ?? [];
      if (areas.length === 0) {
        await ctx.local.session.clear();
        return ctx.reply(t('offer.noAreas'));
      }
      const rows: InlineKeyboard = areas.slice(0, 20).map((a) => [{ text: mark(d.areaIds.includes(a.id), clip(a.name, 40)), callback_data: `of:a:${a.id}` }]);
      rows.push([{ text: t('offer.next'), callback_data: 'of:next' }]);
      return ctx.reply(t('offer.askWhere'), markup(rows));
    }
    if (session.step === 'when') {
      const rows: InlineKeyboard = [WEEKDAYS.slice(0, 4), WEEKDAYS.slice(4)].map((row) => row.map((w) => ({ text: mark(d.weekdays.includes(w), t(`offer.day.${w}` as never)), callback_data: `of:w:${w}` })));
      rows.push([{ text: t(d.weekdays.length === 0 ? 'offer.anyTime' : 'offer.next'), callback_data: 'of:next' }]);
      return ctx.reply(t('offer.askWhen'), markup(rows));
    }
    if (session.step === 'often') return ctx.reply(t('offer.askOften'), markup([PER_MONTH.map((n) => ({ text: t('offer.perMonth', { n }), callback_data: `of:f:${n}` }))]));
    if (session.step === 'kind') return ctx.reply(t('offer.askKind'), markup([OFFER_KINDS.map((k) => ({ text: t(`offer.kind.${k}` as never), callback_data: `of:k:${k}` }))]));
    return ctx.reply(t('offer.askName'));
  }

  async function start(ctx: BotContext, communityId: string) {
    return show(ctx, { flow: 'offer', step: 'what', draft: { communityId, offers: [], areaIds: [], weekdays: [] } });
  }

  c.command('offer', async (ctx) => {
    const { t } = ctx.local;
    if (!isPrivate(ctx)) return ctx.reply(t('privateOnly', { command: '/offer' }));
    if (!deps.directory) return ctx.reply(t('offer.unavailable'));
    const code = ctx.payload.trim();
    if (code) {
      const community = /^[0-9A-Za-z]{4,32}$/.test(code) ? await deps.communities.byLinkCode(code) : null;
      if (!community) return ctx.reply(t('offer.unknownCommunity'));
      return start(ctx, community.id);
    }
    const all = (await deps.communities.list()).slice(0, 20);
    if (all.length === 0) return ctx.reply(t('communities.none'));
    if (all.length === 1) return start(ctx, all[0]!.id);
    return ctx.reply(t('offer.askCommunity'), markup(all.map((cm) => [{ text: clip(cm.name, 40), callback_data: `of:c:${cm.id}` }])));
  });

  c.action(/^of:(c|again):([A-Za-z0-9_-]{1,40})$/, async (ctx) => {
    await ctx.answerCbQuery();
    if (!deps.directory || !(await deps.communities.get(ctx.match[2]!))) return ctx.reply(ctx.local.t('offer.unknownCommunity'));
    await retireButtons(ctx);
    return start(ctx, ctx.match[2]!);
  });

  c.action(/^of:(o|a|w|f|k|next):?([A-Za-z0-9_-]{0,40})$/, async (ctx) => {
    const session = await ctx.local.session.get<Flow>();
    if (session?.flow !== 'offer') return ctx.answerCbQuery(ctx.local.t('refusal.stale_button'));
    const [, what, value] = ctx.match as unknown as [string, string, string];
    const d = session.draft;
    const next = (step: OfferFlow['step']) => ({ ...session, step });
    await ctx.answerCbQuery();
    await retireButtons(ctx);
    if (what === 'o' && (OFFERS as readonly string[]).includes(value)) return show(ctx, { ...session, draft: { ...d, offers: toggled(d.offers, value) } });
    if (what === 'a') return show(ctx, { ...session, draft: { ...d, areaIds: toggled(d.areaIds, value) } });
    if (what === 'w' && (WEEKDAYS as readonly string[]).includes(value)) return show(ctx, { ...session, draft: { ...d, weekdays: toggled(d.weekdays, value) } });
    if (what === 'f' && PER_MONTH.includes(Number(value) as never)) return show(ctx, { ...next('kind'), draft: { ...d, perMonth: Number(value) } });
    if (what === 'k' && (RESOURCE_KINDS as readonly string[]).includes(value)) return show(ctx, { ...next('name'), draft: { ...d, kind: value as ResourceKind } });
    if (what === 'next') {
      // Each step says what is missing before moving on.
      if (session.step === 'what' && d.offers.length === 0) return show(ctx, session).then(() => ctx.reply(ctx.local.t('offer.pickOne')));
      if (session.step === 'where' && d.areaIds.length === 0) return show(ctx, session).then(() => ctx.reply(ctx.local.t('offer.pickArea')));
      const order: OfferFlow['step'][] = ['what', 'where', 'when', 'often'];
      return show(ctx, next(order[order.indexOf(session.step) + 1] ?? 'often'));
    }
    return show(ctx, session);
  });

  c.on(message('text'), async (ctx, nextHandler) => {
    if (!isPrivate(ctx) || ctx.message.text.startsWith('/')) return nextHandler();
    const session = await ctx.local.session.get<Flow>();
    if (session?.flow !== 'offer' || !deps.directory) return nextHandler();
    const { t } = ctx.local;
    if (session.step !== 'name') return ctx.reply(t('offer.useButtons'));
    const d = session.draft;
    try {
      const { resource } = await deps.directory.resources.create(
        {
          communityId: d.communityId,
          kind: d.kind ?? 'person',
          name: ctx.message.text,
          offer: { categories: d.offers.filter((o) => CATEGORY_OFFERS.includes(o)), skills: d.offers.filter((o) => !CATEGORY_OFFERS.includes(o)) },
          areaIds: d.areaIds,
          ...(d.weekdays.length > 0 ? { availability: { weekdays: d.weekdays } } : {}),
          ...(d.perMonth ? { capacity: { requestsPerMonth: d.perMonth } } : {}),
          telegramId: ctx.from.id,
        },
        { kind: 'donor', id: `tg:${ctx.from.id}`, name: ctx.from.first_name, telegramId: ctx.from.id },
      );
      await ctx.local.session.clear();
      await replyHtml(ctx, t('offer.thanks', { name: escapeHtml(resource.name) }));
      // The community's workers hear of it, each in their language, with one button to approve.
      await deps.enqueue(await deps.relay.requested.resourceOffered(resource));
    } catch (err) {
      // A name the rules refuse: asked again; anything else ends the offer with the reason.
      if (isDomainError(err) && err.code === 'invalid_input') return replyRefusal(ctx, err);
      await ctx.local.session.clear();
      return replyRefusal(ctx, err);
    }
  });

  c.action(/^of:ok:([A-Za-z0-9_-]{1,40})$/, async (ctx) => {
    const { t, actor } = ctx.local;
    if (!deps.directory || !actor) return ctx.answerCbQuery(t('refusal.forbidden'));
    try {
      const current = await deps.directory.resources.get(ctx.match[1]!, actor);
      if (!isStaffFor(actor, current.communityId)) return ctx.answerCbQuery(t('refusal.forbidden'));
      const { resource, changed } = await deps.directory.resources.move(current.id, 'approved', actor);
      await ctx.answerCbQuery(t('offer.approved', { name: resource.name }));
      await retireButtons(ctx);
      if (changed) await deps.enqueue(await deps.relay.requested.resourceApproved(resource));
    } catch (err) {
      const text = isDomainError(err) ? t(`refusal.${err.code}` as never) : t('error.generic');
      return ctx.answerCbQuery(text);
    }
  });

  return c;
}

