import express, { IRouter, Request } from 'express';
import QRCode from 'qrcode';
import { Community } from '../../domain/community';
import { ForbiddenError } from '../../domain/errors';
import { draftFromIntake, Intake } from '../../domain/intake';
import { isStaff, isStaffFor } from '../../domain/roles';
import { draftWording } from '../../ui/intake';
import { BASE, ConsoleDeps, formatDate, pageContext, PageContext } from './context';
import { pageHandler } from './errors';
import { Html, html, trusted } from './html';
import { csrfField, flash, page } from './layout';
import { guardForm } from './session';

// Intakes: what residents told their community in their own words (src/bot/features/intake.ts), and
// each community's intake link with its QR code to print. Staff only: an auditor never sees the words.

function intakeItem(ctx: PageContext, i: Intake): Html {
  const contact = i.mayContact ? ctx.t(`intake.choice.${i.contactHow ?? 'telegram'}`) : ctx.t('intake.noContact');
  const by = i.recordedBy === 'resident' ? ctx.t('console.intakes.fromResident', { name: i.residentFirstName ?? ctx.t('intake.aResident') }) : ctx.t('console.intakes.onBehalf', { name: i.recordedBy.name ?? i.recordedBy.workerId });
  return html`<li class="intake">
    <p><strong>${ctx.t(i.status === 'new' ? 'console.intakes.status.new' : 'console.intakes.status.drafted')}</strong> · ${formatDate(i.createdAt, ctx, true)} · ${by}</p>
    ${i.words ? html`<p class="prewrap">${i.words}</p>` : html`<p><em>${ctx.t('console.intakes.voice')}</em></p>`}
    <dl class="details">
      <div><dt>${ctx.t('console.intakes.byWhen')}</dt><dd>${ctx.t(`intake.choice.${i.byWhen}`)}</dd></div>
      <div><dt>${ctx.t('console.intakes.urgency')}</dt><dd>${ctx.t(`intake.choice.${i.urgency}`)}</dd></div>
      <div><dt>${ctx.t('console.intakes.contact')}</dt><dd>${contact}</dd></div>
    </dl>
    ${i.status === 'new'
      ? html`<form method="post" action="${BASE}/intakes/${i.id}/draft" class="inline">${csrfField(ctx)}<button type="submit">${ctx.t('intake.makeDraft')}</button></form>`
      : i.wishId
        ? html`<p><a href="${BASE}/wishes/${i.wishId}">${ctx.t('console.intakes.openDraft')}</a></p>`
        : ''}
  </li>`;
}

async function communitySection(deps: ConsoleDeps, ctx: PageContext, c: Community, intakes: Intake[]): Promise<Html> {
  const username = deps.botUsername();
  const url = username ? `https://t.me/${username}?start=ask_${c.linkCode}` : undefined;
  const svg = url ? await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) : undefined;
  return html`<section aria-labelledby="ik-${c.id}" class="community">
    <h2 id="ik-${c.id}">${c.name}</h2>
    ${url && svg
      ? html`<p>${ctx.t('console.intakes.linkHelp')}</p>
          <p><a href="${url}" class="link-url">${url}</a></p>
          <div class="qr" role="img" aria-label="${ctx.t('console.intakes.qr', { community: c.name })}">${trusted(svg)}</div>`
      : html`<p>${ctx.t('console.wish.botNotReady')}</p>`}
    ${intakes.length === 0 ? html`<p>${ctx.t('console.intakes.none')}</p>` : html`<ul class="intakes">${intakes.map((i) => intakeItem(ctx, i))}</ul>`}
  </section>`;
}

export function intakeRoutes(router: IRouter, deps: ConsoleDeps): void {
  const intakes = deps.intakes;
  if (!intakes) return;
  const form = express.urlencoded({ extended: false, limit: '4kb' });

  /** Staff only: an auditor may not see what residents wrote. */
  function staffOnly(req: Request) {
    const actor = req.consoleSession!.actor;
    if (!isStaff(actor)) throw new ForbiddenError('forbidden', pageContext(req, deps, req.consoleSession).t('console.readOnly'));
    return actor;
  }

  router.get(
    `${BASE}/intakes`,
    pageHandler(deps, async (req, res) => {
      const actor = staffOnly(req);
      const ctx = pageContext(req, deps, req.consoleSession);
      const mine = (await deps.communities.list()).filter((c) => isStaffFor(actor, c.id));
      const sections = await Promise.all(mine.map(async (c) => communitySection(deps, ctx, c, await intakes.store.listOf(c.id))));
      const done = req.query.done === 'already' ? ctx.t('intake.alreadyDrafted') : undefined;
      res.setHeader('Cache-Control', 'no-store');
      res.send(
        String(
          page(
            ctx,
            ctx.t('console.intakes.heading'),
            html`<h1>${ctx.t('console.intakes.heading')}</h1>${flash(done)}<p>${ctx.t('console.intakes.help')}</p>${mine.length === 0 ? html`<p>${ctx.t('intake.noCommunities')}</p>` : sections}`,
          ),
        ),
      );
    }),
  );

  // The same domain path as the bot's button: one draft per intake, the resident linked to it.
  router.post(
    `${BASE}/intakes/:id/draft`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req, res) => {
      const actor = staffOnly(req);
      const ctx = pageContext(req, deps, req.consoleSession);
      const id = String(req.params.id);
      if (!/^in_[a-z0-9]{6,20}$/.test(id)) throw new ForbiddenError('forbidden', ctx.t('refusal.forbidden'));
      const outcome = await draftFromIntake({ intakes: intakes.store, wishes: deps.wishes, linkResident: (w, r, a) => deps.consent.link(w, r, a), clock: deps.clock }, id, actor, async (i) =>
        draftWording(ctx.t, (await deps.communities.get(i.communityId))?.name),
      );
      if (outcome.kind === 'drafted') return res.redirect(303, `${BASE}/wishes/${outcome.wish.id}`);
      res.redirect(303, outcome.intake.wishId ? `${BASE}/wishes/${outcome.intake.wishId}` : `${BASE}/intakes?done=already`);
    }),
  );
}
