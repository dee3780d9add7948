import express, { Request, IRouter, Response } from 'express';
import QRCode from 'qrcode';
import { BusyError, NotFoundError } from '../../domain/errors';
import { isStaffFor } from '../../domain/roles';
import { WishState } from '../../domain/wish/types';
import { amountOf } from '../../ui/format';
import { assessmentSection } from './assessment';
import { consentSection } from './consent-section';
import { matchesSection } from './matches';
import { donorLabel } from './board';
import { cardBubble } from './card-preview';
import { BASE, ConsoleDeps, formatDate, pageContext, PageContext } from './context';
import { pageHandler } from './errors';
import { Html, html, trusted } from './html';
import { actionForm, csrfField, flash, page } from './layout';
import { guardForm } from './session';
import { timeline } from './timeline';
import { visibleWish } from './visible-wish';


const DONE = ['created', 'published', 'edited', 'cancelled', 'confirmed', 'asked', 'consent', 'invited', 'nothing'] as const;
type Done = (typeof DONE)[number];

function doneMessage(req: Request, ctx: PageContext, code: string): string | undefined {
  const done = req.query.done;
  if (typeof done !== 'string' || !(DONE as readonly string[]).includes(done)) return undefined;
  return ctx.t(`console.done.${done as Done}`, { code });
}


function detailsList(wish: WishState, ctx: PageContext, communityName: string): Html {
  const item = (term: string, value: Html | string) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`;
  return html`<dl class="details">
    ${item(ctx.t('console.wish.status'), ctx.t(`status.${wish.status}`))}
    ${item(ctx.t('console.wish.category'), ctx.t(`category.${wish.category}`))}
    ${item(ctx.t('console.wish.target'), amountOf(wish, wish.target, ctx.lang, ctx.currency))}
    ${item(ctx.t('console.wish.pledged'), amountOf(wish, wish.pledged, ctx.lang, ctx.currency))}
    ${item(ctx.t('console.wish.deadline'), formatDate(wish.deadline, ctx))}
    ${item(ctx.t('console.wish.urgency'), ctx.t(wish.urgency === 'urgent' ? 'newwish.urgency.urgent' : 'newwish.urgency.normal'))}
    ${item(ctx.t('console.wish.community'), communityName)}
    ${item(ctx.t('console.wish.alias'), wish.beneficiary.alias)}
  </dl>
  <h3>${ctx.t('console.wish.description')}</h3>
  <p class="prewrap">${wish.description}</p>`;
}

function pledgesTable(wish: WishState, ctx: PageContext, staff: boolean): Html {
  if (wish.pledges.length === 0) return html`<p>${ctx.t('console.wish.noPledges')}</p>`;
  const open = wish.lifecycle === 'published';
  return html`<table class="pledges">
    <caption class="visually-hidden">${ctx.t('console.wish.pledges')}</caption>
    <thead><tr><th scope="col">${ctx.t('console.wish.donor')}</th><th scope="col">${ctx.t('console.wish.amount')}</th><th scope="col">${ctx.t('console.wish.pledgeStatus')}</th>${staff ? html`<th scope="col"><span class="visually-hidden">${ctx.t('console.wish.actions')}</span></th>` : ''}</tr></thead>
    <tbody>
    ${wish.pledges.map(
      (p) => html`<tr>
        <td>${donorLabel(p, ctx)}</td>
        <td>${amountOf(wish, p.amount, ctx.lang, ctx.currency)}</td>
        <td>${ctx.t(`pledgeStatus.${p.status}`)}</td>
        ${staff
          ? html`<td>${open && p.status === 'delivered'
              ? actionForm(ctx, wish, 'confirm', ctx.t('console.wish.confirm'), html`<input type="hidden" name="pledgeId" value="${p.id}">`)
              : open && p.status === 'active'
                ? actionForm(ctx, wish, 'confirm', ctx.t('console.wish.handedOver'), html`<input type="hidden" name="pledgeId" value="${p.id}"><input type="hidden" name="handedOver" value="1">`, 'secondary')
                : ''}</td>`
          : ''}
      </tr>`,
    )}
    </tbody>
  </table>`;
}

function actions(wish: WishState, ctx: PageContext): Html | string {
  const editable = wish.lifecycle === 'draft' || wish.lifecycle === 'published';
  if (!editable) return '';
  return html`<section aria-labelledby="actions-h" class="actions">
    <h2 id="actions-h">${ctx.t('console.wish.actions')}</h2>
    <p class="buttons">
      <a class="button" href="${BASE}/wishes/${wish.id}/edit">${ctx.t('console.wish.edit')}</a>
      ${wish.lifecycle === 'draft' ? actionForm(ctx, wish, 'publish', ctx.t('console.wish.publish')) : ''}
      ${actionForm(ctx, wish, 'resident-link', ctx.t('console.wish.residentLink'), '', 'secondary')}
    </p>
    <form method="post" action="${BASE}/wishes/${wish.id}/cancel" class="stack cancel">
      ${csrfField(ctx)}
      <div class="field">
        <label for="cancel-reason">${ctx.t('console.wish.cancelReason')}</label>
        <input id="cancel-reason" name="reason" maxlength="500">
      </div>
      <button type="submit" class="danger">${ctx.t('console.wish.cancel')}</button>
    </form>
  </section>`;
}

export async function wishPage(deps: ConsoleDeps, req: Request, wish: WishState, extra: { residentLink?: Html; status?: number } = {}): Promise<string> {
  const ctx = pageContext(req, deps, req.consoleSession);
  const actor = ctx.actor!;
  const staff = isStaffFor(actor, wish.communityId);
  const [events, community, assessment, suggestions] = await Promise.all([
    deps.wishes.history(wish.id),
    deps.communities.get(wish.communityId),
    staff && deps.assessments ? deps.assessments.get(wish.id) : null,
    deps.matching && wish.lifecycle === 'published'
      ? Promise.all([deps.matching.matches.matchesFor(wish.id, actor), deps.matching.invitations.ofWish(wish.id), deps.matching.areaName(wish.communityId)])
      : null,
  ]);
  const b = wish.beneficiary;
  return String(
    page(
      ctx,
      `${wish.code} ${wish.title}`,
      html`<h1><span class="code">${wish.code}</span> ${wish.title}</h1>
      ${flash(doneMessage(req, ctx, wish.code))}
      ${extra.residentLink ?? ''}
      <div class="columns">
        <section aria-labelledby="details-h">
          <h2 id="details-h">${ctx.t('console.wish.details')}</h2>
          ${detailsList(wish, ctx, community?.name ?? wish.communityId)}
          ${staff
            ? html`<section aria-labelledby="private-h" class="private">
                <h3 id="private-h">${ctx.t('console.wish.private')}</h3>
                <dl class="details">
                  <div><dt>${ctx.t('console.wish.name')}</dt><dd>${b.name ?? ctx.t('console.wish.none')}</dd></div>
                  <div><dt>${ctx.t('console.wish.contact')}</dt><dd>${b.contact ?? ctx.t('console.wish.none')}</dd></div>
                  <div><dt>${ctx.t('console.wish.notes')}</dt><dd class="prewrap">${b.notes ?? ctx.t('console.wish.none')}</dd></div>
                </dl>
              </section>`
            : ''}
        </section>
        <section aria-labelledby="card-h">
          <h2 id="card-h">${ctx.t('console.form.preview')}</h2>
          ${cardBubble(wish, ctx)}
        </section>
      </div>
      <section aria-labelledby="pledges-h">
        <h2 id="pledges-h">${ctx.t('console.wish.pledges')}</h2>
        ${pledgesTable(wish, ctx, staff)}
      </section>
      ${suggestions ? matchesSection(ctx, wish, suggestions[0].matches, suggestions[1], suggestions[2]) : ''}
      ${staff ? consentSection(ctx, wish) : ''}
      ${staff ? actions(wish, ctx) : ''}
      ${staff && deps.assessments ? assessmentSection(ctx, wish.id, assessment) : ''}
      <section aria-labelledby="history-h">
        <h2 id="history-h">${ctx.t('console.wish.history')}</h2>
        ${timeline(events, wish, ctx)}
      </section>`,
    ),
  );
}

export function wishPageRoutes(router: IRouter, deps: ConsoleDeps): void {
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const field = (req: Request, name: string) => {
    const v = (req.body as Record<string, unknown> | undefined)?.[name];
    return typeof v === 'string' ? v : undefined;
  };
  const back = (wish: WishState, done: Done) => `${BASE}/wishes/${wish.id}?done=${done}`;

  router.get(
    `${BASE}/wishes/:id`,
    pageHandler(deps, async (req, res) => {
      const wish = await visibleWish(deps, String(req.params.id), req.consoleSession!.actor);
      res.setHeader('Cache-Control', 'no-store');
      res.send(await wishPage(deps, req, wish));
    }),
  );

  router.post(
    `${BASE}/wishes/:id/publish`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req, res) => {
      const actor = req.consoleSession!.actor;
      const wish = await visibleWish(deps, String(req.params.id), actor);
      const { event } = await deps.wishes.publish(wish.id, actor);
      res.redirect(303, back(wish, event ? 'published' : 'nothing'));
    }),
  );

  router.post(
    `${BASE}/wishes/:id/cancel`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req, res) => {
      const actor = req.consoleSession!.actor;
      const wish = await visibleWish(deps, String(req.params.id), actor);
      const { event } = await deps.wishes.cancel(wish.id, actor, field(req, 'reason')?.trim() || undefined);
      res.redirect(303, back(wish, event ? 'cancelled' : 'nothing'));
    }),
  );

  router.post(
    `${BASE}/wishes/:id/confirm`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req, res) => {
      const actor = req.consoleSession!.actor;
      const wish = await visibleWish(deps, String(req.params.id), actor);
      const pledgeId = field(req, 'pledgeId') ?? '';
      if (!wish.pledges.some((p) => p.id === pledgeId)) throw new NotFoundError('pledge_not_found', `No pledge ${pledgeId} on ${wish.id}`);
      const { event } = await deps.wishes.confirm(wish.id, pledgeId, actor, { handedOver: field(req, 'handedOver') === '1' });
      res.redirect(303, back(wish, event ? 'confirmed' : 'nothing'));
    }),
  );

  // The link is one-time and shown once, on the answer to this form (not behind a redirect).
  router.post(`${BASE}/wishes/:id/resident-link`, form, guardForm(deps), pageHandler(deps, (req, res) => oneTimeLinkPage(deps, req, res, 'resident')));

}

const LINK_TEXTS = {
  resident: { title: 'console.wish.residentLink', help: 'console.wish.residentLinkHelp' },
  donor: { title: 'console.consent.donorLink', help: 'console.consent.donorLinkHelp' },
} as const;

/**
 * A one-time deep link made and shown on the wish page, once: the resident's (with a QR code to print
 * or show on a phone) or one invited donor's for a wish kept out of the groups.
 */
export async function oneTimeLinkPage(deps: ConsoleDeps, req: Request, res: Response, kind: 'resident' | 'donor'): Promise<void> {
  const actor = req.consoleSession!.actor;
  const ctx = pageContext(req, deps, req.consoleSession);
  const wish = await visibleWish(deps, String(req.params.id), actor);
  const username = deps.botUsername();
  if (!username) throw new BusyError('busy', ctx.t('console.wish.botNotReady'));
  const invite = kind === 'resident' ? await deps.invites.linkResident(wish.id, actor) : await deps.invites.inviteDonor(wish.id, actor);
  const url = `https://t.me/${username}?start=${kind}_${invite.token}`;
  const qr = kind === 'resident' ? await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) : undefined;
  const block = html`<section class="resident-link" aria-labelledby="link-h" role="status">
    <h2 id="link-h" tabindex="-1" data-focus>${ctx.t(LINK_TEXTS[kind].title)}</h2>
    <p>${ctx.t(LINK_TEXTS[kind].help)}</p>
    <p><a href="${url}" class="link-url">${url}</a></p>
    <p>${ctx.t('console.wish.residentLinkExpires', { date: formatDate(invite.expiresAt, ctx) })}</p>
    ${qr ? html`<div class="qr" role="img" aria-label="${ctx.t('console.wish.residentLinkQr', { code: wish.code })}">${trusted(qr)}</div>` : ''}
  </section>`;
  res.setHeader('Cache-Control', 'no-store');
  res.send(await wishPage(deps, req, wish, { residentLink: block }));
}
