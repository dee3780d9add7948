import express, { IRouter, Request } from 'express';
import { InvalidError } from '../../domain/errors';
import { Invitation, InvitationReply } from '../../domain/resources/invitations';
import { Match, MatchReason } from '../../domain/resources/matching';
import { isStaffFor } from '../../domain/roles';
import { issue } from '../../domain/wish/rules';
import { WishState } from '../../domain/wish/types';
import { BASE, ConsoleDeps, formatDate, PageContext } from './context';
import { pageHandler } from './errors';
import { Html, html } from './html';
import { csrfField } from './layout';
import { guardForm } from './session';
import { visibleWish } from './visible-wish';

/** How many suggestions the wish page shows. */
const SHOWN = 8;

/** One reason in the reader's words: "serves Building 3", "fulfilled 4 of 5 it took". */
export function reasonText(ctx: PageContext, r: MatchReason, areaName: (id: string) => string): string {
  switch (r.code) {
    case 'offers_category':
      return ctx.t('console.match.offersCategory', { category: ctx.t(`category.${r.category}`) });
    case 'offers_skill':
      return ctx.t('console.match.offersSkill', { skill: r.skill });
    case 'area_contains':
      return ctx.t('console.match.areaContains', { area: areaName(r.areaId) });
    case 'area_neighbours':
      return ctx.t('console.match.areaNeighbours', { area: areaName(r.areaId) });
    case 'capacity_left':
      return ctx.t('console.match.capacityLeft', { requests: r.requests ?? '', money: r.money ?? '' });
    case 'fulfilled_rate':
      return ctx.t('console.match.fulfilledRate', { fulfilled: r.fulfilled, taken: r.taken });
    case 'not_asked_recently':
      return ctx.t('console.match.notAskedRecently', { days: r.days ?? '' });
    case 'asked_recently':
      return ctx.t('console.match.askedRecently', { days: r.days });
    default:
      return ctx.t(`console.match.${r.code}`);
  }
}

/**
 * Suggestions for the wish (the directory ranked for it, each with its reasons), with checkboxes to ask
 * a few privately; then who was asked and what they answered. Staff ask; auditors only read.
 */
export function matchesSection(ctx: PageContext, wish: WishState, matches: Match[], invitations: Array<Invitation & { reply?: InvitationReply }>, areaName: (id: string) => string): Html {
  const staff = ctx.actor !== undefined && isStaffFor(ctx.actor, wish.communityId);
  const asked = new Set(invitations.map((i) => i.resourceId));
  const canAsk = staff && wish.lifecycle === 'published' && wish.pledged < wish.target;
  const shown = matches.slice(0, SHOWN);
  const nameOf = (id: string) => matches.find((m) => m.resourceId === id)?.name ?? id;
  return html`<section aria-labelledby="matches-h" class="matches">
    <h2 id="matches-h">${ctx.t('console.match.heading')}</h2>
    ${shown.length === 0
      ? html`<p>${ctx.t('console.match.none')}</p>`
      : html`<form method="post" action="${BASE}/wishes/${wish.id}/invitations" class="stack">
          ${csrfField(ctx)}
          <ol class="match-list">
            ${shown.map(
              (m) => html`<li>
                <label>${canAsk && !asked.has(m.resourceId) ? html`<input type="checkbox" name="resourceIds" value="${m.resourceId}"> ` : ''}<b>${m.name}</b> <span class="muted">(${ctx.t(`console.match.kind.${m.kind}`)})</span></label>
                <ul class="reasons">${m.reasons.map((r) => html`<li>${reasonText(ctx, r, areaName)}</li>`)}</ul>
              </li>`,
            )}
          </ol>
          ${canAsk ? html`<button type="submit">${ctx.t('console.match.ask')}</button>` : ''}
        </form>`}
    ${invitations.length > 0
      ? html`<h3>${ctx.t('console.match.asked')}</h3>
          <ul>${invitations.map(
            (i) => html`<li>${nameOf(i.resourceId)}: ${i.reply ? ctx.t(`console.match.answer.${i.reply.outcome === 'taken' ? 'late' : i.reply.answer}`) : ctx.t('console.match.answer.waiting')} <span class="muted">${formatDate(i.askedAt, ctx, true)}</span></li>`,
          )}</ul>`
      : ''}
  </section>`;
}

export function matchRoutes(router: IRouter, deps: ConsoleDeps): void {
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  router.post(
    `${BASE}/wishes/:id/invitations`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req: Request, res) => {
      const actor = req.consoleSession!.actor;
      const wish = await visibleWish(deps, String(req.params.id), actor);
      if (!deps.matching) throw InvalidError.fields([issue('resourceIds', 'required')]);
      const raw = (req.body as Record<string, unknown>).resourceIds;
      const ids = (Array.isArray(raw) ? raw : [raw]).filter((x): x is string => typeof x === 'string');
      const { invited } = await deps.matching.invitations.invite(wish.id, ids, actor);
      res.redirect(303, `${BASE}/wishes/${wish.id}?done=${invited.length > 0 ? 'invited' : 'nothing'}`);
    }),
  );
}
