import { Request, IRouter } from 'express';
import { Community } from '../../domain/community';
import { canSee, visibleCommunities } from '../../domain/roles';
import { CATEGORIES, Category, LIVE_STATUSES, WISH_STATUSES, WishState, WishStatus } from '../../domain/wish/types';
import { livePledges } from '../../domain/wish/views';
import { amountOf } from '../../ui/format';
import { BASE, ConsoleDeps, formatDate, pageContext, PageContext } from './context';
import { pageHandler } from './errors';
import { html } from './html';
import { page } from './layout';

const DAY = 86_400_000;

/** What needs a worker's eye first: overdue, then stale (no change in days), then a near deadline, then the rest. */
export type Attention = 'overdue' | 'stale' | 'near' | 'none';
const RANK: Record<Attention, number> = { overdue: 0, stale: 1, near: 2, none: 3 };

export function attentionOf(wish: WishState, now: Date, opts: { staleAfterDays: number; deadlineWarningDays: number }): Attention {
  if (!LIVE_STATUSES.includes(wish.status)) return 'none';
  if (wish.deadline.getTime() < now.getTime()) return 'overdue';
  if (now.getTime() - wish.updatedAt.getTime() >= opts.staleAfterDays * DAY) return 'stale';
  if (wish.deadline.getTime() - now.getTime() <= opts.deadlineWarningDays * DAY) return 'near';
  return 'none';
}

export function boardOrder(wishes: WishState[], now: Date, opts: { staleAfterDays: number; deadlineWarningDays: number }): Array<{ wish: WishState; attention: Attention }> {
  return wishes
    .map((wish) => ({ wish, attention: attentionOf(wish, now, opts) }))
    .sort((a, b) => RANK[a.attention] - RANK[b.attention] || a.wish.deadline.getTime() - b.wish.deadline.getTime() || a.wish.codeNumber - b.wish.codeNumber);
}

/** A pledger as staff see them on the board: by name, unless they chose anonymity. */
export function donorLabel(p: { anonymous: boolean; displayName?: string }, ctx: PageContext): string {
  return p.anonymous ? ctx.t('card.anonymous') : (p.displayName ?? ctx.t('card.someone'));
}

interface Filters {
  status: string;
  category?: Category;
  q?: string;
  communityId?: string;
}

function filtersOf(req: Request): Filters {
  const one = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const status = one(req.query.status);
  const category = one(req.query.category);
  const q = one(req.query.q).slice(0, 100);
  const communityId = one(req.query.community).slice(0, 64);
  return {
    status: status === 'all' || (WISH_STATUSES as readonly string[]).includes(status) ? status : 'live',
    ...((CATEGORIES as readonly string[]).includes(category) ? { category: category as Category } : {}),
    ...(q ? { q } : {}),
    ...(communityId ? { communityId } : {}),
  };
}

function statusesFor(filter: string): WishStatus[] | undefined {
  if (filter === 'all') return undefined;
  if (filter === 'live') return [...LIVE_STATUSES, 'draft'];
  return [filter as WishStatus];
}

/** The communities this actor may read, for filters and forms. */
export async function communitiesFor(deps: ConsoleDeps, ctx: PageContext): Promise<Community[]> {
  const all = await deps.communities.list();
  return all.filter((c) => ctx.actor && canSee(ctx.actor, c.id));
}

function row(wish: WishState, attention: Attention, ctx: PageContext, opts: { staleAfterDays: number }, communityName: string | undefined) {
  const live = livePledges(wish);
  const names = live.map((p) => donorLabel(p, ctx));
  const pledged = amountOf(wish, wish.pledged, ctx.lang, ctx.currency);
  const target = amountOf(wish, wish.target, ctx.lang, ctx.currency);
  const badge =
    attention === 'overdue'
      ? ctx.t('console.board.overdue')
      : attention === 'stale'
        ? ctx.t('console.board.stale', { days: opts.staleAfterDays })
        : attention === 'near'
          ? ctx.t('console.board.nearDeadline')
          : undefined;
  return html`<li class="wish-row attention-${attention}">
    <h2 class="wish-title"><a href="${BASE}/wishes/${wish.id}"><span class="code">${wish.code}</span> ${wish.title}</a></h2>
    <p class="meta">
      <span class="status status-${wish.status}">${ctx.t(`status.${wish.status}`)}</span>
      <span>${ctx.t(`category.${wish.category}`)}</span>
      ${wish.urgency === 'urgent' ? html`<span class="urgent">${ctx.t('card.urgent')}</span>` : ''}
      ${badge ? html`<strong class="badge badge-${attention}">${badge}</strong>` : ''}
      ${communityName ? html`<span class="community">${communityName}</span>` : ''}
    </p>
    <p class="progress-line">
      <progress max="${wish.target}" value="${Math.min(wish.pledged, wish.target)}" aria-label="${ctx.t('console.board.progress', { pledged, target })}"></progress>
      <span>${pledged} / ${target}</span>
    </p>
    <p class="meta">
      <span>${ctx.t('console.board.until', { date: formatDate(wish.deadline, ctx) })}</span>
      <span>${names.length > 0 ? ctx.t('console.board.pledgedBy', { names: names.join(ctx.lang === 'zh' ? '、' : ', ') }) : ctx.t('console.board.nobody')}</span>
    </p>
  </li>`;
}

export function boardRoutes(router: IRouter, deps: ConsoleDeps): void {
  const settings = { staleAfterDays: deps.staleAfterDays ?? 5, deadlineWarningDays: deps.deadlineWarningDays ?? 3 };

  router.get(
    `${BASE}/`,
    pageHandler(deps, async (req, res) => {
      const ctx = pageContext(req, deps, req.consoleSession);
      const actor = ctx.actor!;
      const filters = filtersOf(req);
      const communities = await communitiesFor(deps, ctx);
      const asked = filters.communityId && canSee(actor, filters.communityId) ? [filters.communityId] : undefined;
      const wishes = filters.communityId && !asked
        ? []
        : await deps.wishes.list({
            status: statusesFor(filters.status),
            communityIds: asked ?? visibleCommunities(actor),
            category: filters.category,
            text: filters.q,
            limit: 500,
          });
      const ordered = boardOrder(wishes, deps.clock(), settings);
      const names = new Map(communities.map((c) => [c.id, c.name]));
      const option = (value: string, label: string, current: string | undefined) =>
        html`<option value="${value}" ${value === (current ?? '') ? html`selected` : ''}>${label}</option>`;
      res.setHeader('Cache-Control', 'no-store');
      res.send(
        String(
          page(
            ctx,
            ctx.t('console.board.heading'),
            html`<h1>${ctx.t('console.board.heading')}</h1>
            <form method="get" action="${BASE}/" class="filters" role="search" aria-label="${ctx.t('console.board.filters')}">
              <div class="field">
                <label for="f-status">${ctx.t('console.board.status')}</label>
                <select id="f-status" name="status">
                  ${option('live', ctx.t('console.board.live'), filters.status)}
                  ${option('all', ctx.t('console.board.any'), filters.status)}
                  ${WISH_STATUSES.map((s) => option(s, ctx.t(`status.${s}`), filters.status))}
                </select>
              </div>
              <div class="field">
                <label for="f-category">${ctx.t('console.board.category')}</label>
                <select id="f-category" name="category">
                  ${option('', ctx.t('console.board.any'), filters.category)}
                  ${CATEGORIES.map((c) => option(c, ctx.t(`category.${c}`), filters.category))}
                </select>
              </div>
              ${communities.length > 1
                ? html`<div class="field">
                    <label for="f-community">${ctx.t('console.board.community')}</label>
                    <select id="f-community" name="community">
                      ${option('', ctx.t('console.board.any'), filters.communityId)}
                      ${communities.map((c) => option(c.id, c.name, filters.communityId))}
                    </select>
                  </div>`
                : ''}
              <div class="field">
                <label for="f-q">${ctx.t('console.board.q')}</label>
                <input id="f-q" name="q" type="search" value="${filters.q ?? ''}" maxlength="100">
              </div>
              <button type="submit">${ctx.t('console.board.apply')}</button>
            </form>
            <p class="count" role="status">${ctx.t('console.board.count', { count: ordered.length })}</p>
            ${ordered.length === 0
              ? html`<p>${ctx.t('console.board.empty')}</p>`
              : html`<ul class="wishes">${ordered.map(({ wish, attention }) => row(wish, attention, ctx, settings, communities.length > 1 ? names.get(wish.communityId) : undefined))}</ul>`}`,
          ),
        ),
      );
    }),
  );
}
