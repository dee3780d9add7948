import { IRouter, Request } from 'express';
import { byFulfilled, DonorPledge, donorNameFor, DonorSummary } from '../../domain/donors';
import { NotFoundError } from '../../domain/errors';
import { canSee, seesPrivateDetails, visibleCommunities } from '../../domain/roles';
import { PLEDGE_STATUSES } from '../../domain/wish/types';
import { MessageKey } from '../../ui/i18n';
import { amountOf, money, quantity } from '../../ui/format';
import { communityDonor, communityDonors } from '../exports';
import { communitiesFor } from './board';
import { BASE, ConsoleDeps, formatDate, pageContext, PageContext } from './context';
import { pageHandler } from './errors';
import { Html, html } from './html';
import { page } from './layout';

// The Donors page: who pledged on the reader's communities' wishes and what reached residents, and
// one donor's pledges. Donors are named in URLs by their public id (`d-…`) only, so no Telegram id
// is ever in an address; an anonymous donor is "Anonymous" to everyone, with their name in a small
// note only for readers who see private details (staff, never an auditor).

const PUBLIC_ID = /^d-[A-Za-z0-9_-]{1,40}$/;

/** The name this reader reads first: "Anonymous" for anonymous donors, whoever reads. */
function shownName(d: Pick<DonorSummary, 'anonymous' | 'displayName'>, ctx: PageContext): string {
  return d.anonymous ? ctx.t('console.donors.anonymous') : (d.displayName ?? ctx.t('card.someone'));
}

/** Staff learn the name an anonymous donor gave; others nothing. */
function privateNote(d: Pick<DonorSummary, 'anonymous' | 'displayName'>, ctx: PageContext): Html | string {
  const name = d.anonymous ? donorNameFor(d, seesPrivateDetails(ctx.actor!)) : undefined;
  return name ? html` <small class="private-note">${ctx.t('console.donors.anonymousName', { name })}</small>` : '';
}

function typeText(d: Pick<DonorSummary, 'type'>, ctx: PageContext): string {
  if (!d.type) return ctx.t('console.donors.none');
  const s = ctx.t(`donorType.${d.type}` as MessageKey);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "pledged: 2", "withdrawn: 1": the states they have pledges in. */
function pledgeCounts(d: DonorSummary, ctx: PageContext): Html {
  const items = PLEDGE_STATUSES.filter((s) => d.pledges[s] > 0).map((s) => html`<li>${ctx.t('console.donors.statusCount', { status: ctx.t(`pledgeStatus.${s}`), count: d.pledges[s] })}</li>`);
  return html`<ul class="counts">${items}</ul>`;
}

/** What reached residents: money for cash wishes, items for goods, visits for services. */
function fulfilledTotals(d: DonorSummary, ctx: PageContext): Html | string {
  const parts: string[] = [];
  if (d.fulfilled.cash > 0) parts.push(money(d.fulfilled.cash, ctx.currency));
  if (d.fulfilled.goods > 0) parts.push(quantity(d.fulfilled.goods, 'goods', undefined, ctx.lang));
  if (d.fulfilled.service > 0) parts.push(quantity(d.fulfilled.service, 'service', undefined, ctx.lang));
  return parts.length === 0 ? ctx.t('console.donors.none') : html`<ul class="counts">${parts.map((p) => html`<li>${p}</li>`)}</ul>`;
}

function communityFilterOf(req: Request): string | undefined {
  const v = typeof req.query.community === 'string' ? req.query.community.trim().slice(0, 64) : '';
  return v || undefined;
}

/** Links to the donors files of one community, when the console offers them. */
function downloads(deps: ConsoleDeps, ctx: PageContext, communityId: string | undefined): Html | string {
  const files = (deps.exports ?? []).filter((x) => x.name.startsWith('donors.'));
  if (files.length === 0) return '';
  if (!communityId) return html`<p class="help">${ctx.t('console.donors.downloadChoose')}</p>`;
  return html`<section aria-labelledby="dl-h" class="downloads">
    <h2 id="dl-h">${ctx.t('console.donors.download')}</h2>
    <ul>${files.map((x) => html`<li><a href="${BASE}/exports/${x.name}?communityId=${encodeURIComponent(communityId)}">${x.title[ctx.lang]}</a></li>`)}</ul>
  </section>`;
}

function pledgeDates(p: DonorPledge, ctx: PageContext): Html {
  const line = (key: MessageKey, d: Date | undefined) => (d ? html`<li>${ctx.t(key, { date: formatDate(new Date(d), ctx) })}</li>` : '');
  return html`<ul class="counts">
    ${line('console.donors.date.pledged', p.pledgedAt)}
    ${line('console.donors.date.delivered', p.deliveredAt)}
    ${line('console.donors.date.confirmed', p.confirmedAt)}
    ${p.status === 'withdrawn' || p.status === 'released' ? line('console.donors.date.closed', p.closedAt) : ''}
  </ul>`;
}

export function donorRoutes(router: IRouter, deps: ConsoleDeps): void {
  router.get(
    `${BASE}/donors`,
    pageHandler(deps, async (req, res) => {
      const ctx = pageContext(req, deps, req.consoleSession);
      const actor = ctx.actor!;
      const communities = await communitiesFor(deps, ctx);
      const asked = communityFilterOf(req);
      // A community the reader may not read shows nothing, as on the board.
      const scope = asked ? (canSee(actor, asked) ? [asked] : []) : visibleCommunities(actor);
      const donors = scope && scope.length === 0 ? [] : await communityDonors(deps, scope);
      const ordered = byFulfilled(donors, (d) => shownName(d, ctx), ctx.lang === 'zh' ? 'zh-CN' : 'en');
      const oneCommunity = asked && scope?.length === 1 ? asked : communities.length === 1 ? communities[0]!.id : undefined;
      const option = (value: string, label: string) => html`<option value="${value}" ${value === (asked ?? '') ? html`selected` : ''}>${label}</option>`;
      const detailHref = (d: DonorSummary) => `${BASE}/donors/${d.publicId}`;
      res.setHeader('Cache-Control', 'no-store');
      res.send(
        String(
          page(
            ctx,
            ctx.t('console.donors.heading'),
            html`<h1>${ctx.t('console.donors.heading')}</h1>
            <p class="help">${ctx.t('console.donors.help')}</p>
            ${communities.length > 1
              ? html`<form method="get" action="${BASE}/donors" class="filters" role="search" aria-label="${ctx.t('console.board.filters')}">
                  <div class="field">
                    <label for="f-community">${ctx.t('console.board.community')}</label>
                    <select id="f-community" name="community">
                      ${option('', ctx.t('console.board.any'))}
                      ${communities.map((c) => option(c.id, c.name))}
                    </select>
                  </div>
                  <button type="submit">${ctx.t('console.board.apply')}</button>
                </form>`
              : ''}
            <p class="count" role="status">${ctx.t('console.donors.count', { count: ordered.length })}</p>
            ${ordered.length === 0
              ? html`<p>${ctx.t('console.donors.empty')}</p>`
              : html`<div class="table-wrap" role="region" aria-labelledby="donors-caption" tabindex="0">
                  <table class="pledges donors">
                    <caption id="donors-caption">${ctx.t('console.donors.caption')}</caption>
                    <thead><tr>
                      <th scope="col">${ctx.t('console.donors.col.donor')}</th>
                      <th scope="col">${ctx.t('console.donors.col.type')}</th>
                      <th scope="col">${ctx.t('console.donors.col.pledges')}</th>
                      <th scope="col">${ctx.t('console.donors.col.fulfilled')}</th>
                      <th scope="col">${ctx.t('console.donors.col.totals')}</th>
                    </tr></thead>
                    <tbody>
                      ${ordered.map(
                        (d) => html`<tr>
                          <th scope="row"><a href="${detailHref(d)}">${shownName(d, ctx)}</a>${privateNote(d, ctx)}</th>
                          <td>${typeText(d, ctx)}</td>
                          <td>${pledgeCounts(d, ctx)}</td>
                          <td>${d.fulfilled.count}</td>
                          <td>${fulfilledTotals(d, ctx)}</td>
                        </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>`}
            ${downloads(deps, ctx, oneCommunity)}`,
          ),
        ),
      );
    }),
  );

  router.get(
    `${BASE}/donors/:publicId`,
    pageHandler(deps, async (req, res) => {
      const ctx = pageContext(req, deps, req.consoleSession);
      const actor = ctx.actor!;
      const asked = String(req.params.publicId);
      const notFound = () => new NotFoundError('donor_not_found', `No donor ${asked}`);
      if (!PUBLIC_ID.test(asked)) throw notFound();
      // Public ids only, for everyone: a Telegram-based id is never part of a console address.
      const found = await communityDonor(deps, visibleCommunities(actor), asked, { publicOnly: true });
      if (!found) throw notFound();
      const { donor, pledges } = found;
      const name = shownName(donor, ctx);
      const staff = seesPrivateDetails(actor);
      const item = (label: string, value: Html | string | number) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
      res.setHeader('Cache-Control', 'no-store');
      res.send(
        String(
          page(
            ctx,
            name,
            html`<p><a href="${BASE}/donors">${ctx.t('console.donors.back')}</a></p>
            <h1>${name}${privateNote(donor, ctx)}</h1>
            <dl class="details">
              ${item(ctx.t('console.donors.col.type'), typeText(donor, ctx))}
              ${item(ctx.t('console.donors.reference'), donor.publicId)}
              ${staff && donor.username ? item(ctx.t('console.donors.telegram'), `@${donor.username}`) : ''}
              ${item(ctx.t('console.donors.col.pledges'), pledgeCounts(donor, ctx))}
              ${item(ctx.t('console.donors.col.fulfilled'), donor.fulfilled.count)}
              ${item(ctx.t('console.donors.col.totals'), fulfilledTotals(donor, ctx))}
            </dl>
            <section aria-labelledby="pledges-h">
              <h2 id="pledges-h">${ctx.t('console.donors.pledgesHeading')}</h2>
              <div class="table-wrap" role="region" aria-labelledby="pledges-caption" tabindex="0">
                <table class="pledges">
                  <caption id="pledges-caption" class="visually-hidden">${ctx.t('console.donors.pledgesCaption', { name })}</caption>
                  <thead><tr>
                    <th scope="col">${ctx.t('console.donors.col.wish')}</th>
                    <th scope="col">${ctx.t('console.donors.col.amount')}</th>
                    <th scope="col">${ctx.t('console.donors.col.status')}</th>
                    <th scope="col">${ctx.t('console.donors.col.dates')}</th>
                  </tr></thead>
                  <tbody>
                    ${pledges.map(
                      (p) => html`<tr>
                        <th scope="row"><a href="${BASE}/wishes/${p.wish.id}"><span class="code">${p.wish.code}</span> ${p.wish.title}</a></th>
                        <td>${amountOf(p.wish, p.amount, ctx.lang, ctx.currency)}</td>
                        <td>${ctx.t(`pledgeStatus.${p.status}`)}</td>
                        <td>${pledgeDates(p, ctx)}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
            </section>`,
          ),
        ),
      );
    }),
  );
}
