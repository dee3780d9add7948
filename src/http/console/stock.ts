import express, { IRouter, Request, Response } from 'express';
import { Community } from '../../domain/community';
import { FieldIssue, InvalidError } from '../../domain/errors';
import { canSee, isStaffFor } from '../../domain/roles';
import { CONDITIONS } from '../../domain/stock/types';
import { Actor } from '../../domain/wish/types';
import { MessageKey } from '../../ui/i18n';
import { BASE, ConsoleDeps, pageContext, PageContext } from './context';
import { pageHandler } from './errors';
import { Html, html } from './html';
import { csrfField, flash, page } from './layout';
import { guardForm } from './session';

// Stock in the console: each community's goods (on the shelf, set aside, handed out), recording what
// arrived, and offering surplus as a card in one of the community's groups. The same domain calls as
// the API and /received.

const issuesBlock = (ctx: PageContext, issues: FieldIssue[]) =>
  issues.length === 0 ? '' : html`<div class="errors" role="alert"><p>${ctx.t('console.teams.fix')}</p><ul>${issues.map((i) => html`<li>${ctx.t(`console.stock.field.${i.field.split('.')[0]}` as MessageKey)}: ${ctx.t(`issue.${i.code}` as MessageKey, i.params ?? {})}</li>`)}</ul></div>`;

export function stockRoutes(router: IRouter, deps: ConsoleDeps): void {
  if (!deps.stock) return;
  const { service, surplus, postSurplusCard } = deps.stock;
  const form = express.urlencoded({ extended: false, limit: '8kb' });

  async function section(ctx: PageContext, actor: Actor, c: Community, issues: FieldIssue[]): Promise<Html> {
    const items = await service.list(c.id, actor);
    const staff = isStaffFor(actor, c.id);
    const groups = staff ? ((await deps.groupsOf?.(c.id)) ?? []) : [];
    return html`<section class="community"><h2>${c.name}</h2>
      ${items.length === 0
        ? html`<p>${ctx.t('console.stock.none')}</p>`
        : html`<table><thead><tr><th scope="col">${ctx.t('console.stock.field.name')}</th><th scope="col">${ctx.t('console.stock.available')}</th><th scope="col">${ctx.t('console.stock.allocated')}</th><th scope="col">${ctx.t('console.stock.distributed')}</th><th scope="col">${ctx.t('console.stock.received')}</th></tr></thead>
          <tbody>${items.map((i) => html`<tr><td>${i.name} (${i.unit})</td><td>${i.available}</td><td>${i.allocated}</td><td>${i.distributed}</td><td>${i.received}</td></tr>`)}</tbody></table>`}
      ${staff
        ? html`<h3>${ctx.t('console.stock.receive')}</h3>
          <form method="post" action="${BASE}/communities/${c.id}/stock" class="stack">${csrfField(ctx)}${issuesBlock(ctx, issues)}
            <label>${ctx.t('console.stock.field.name')} <input name="name" maxlength="60"></label>
            <label>${ctx.t('console.stock.field.unit')} <input name="unit" maxlength="20" placeholder="pcs"></label>
            <label>${ctx.t('console.stock.field.quantity')} <input type="number" name="quantity" min="1"></label>
            <label>${ctx.t('console.stock.field.from')} <input name="from" maxlength="80"></label>
            <label>${ctx.t('console.stock.field.condition')} <select name="condition">${CONDITIONS.map((x) => html`<option value="${x}">${ctx.t(`console.stock.condition.${x}` as MessageKey)}</option>`)}</select></label>
            <label>${ctx.t('console.stock.field.expiry')} <input type="date" name="expiry"></label>
            <button type="submit">${ctx.t('console.stock.receiveButton')}</button></form>
          ${items.some((i) => i.available > 0) && groups.length > 0
            ? html`<h3>${ctx.t('console.stock.offer')}</h3>
              <form method="post" action="${BASE}/communities/${c.id}/surplus" class="stack">${csrfField(ctx)}
                <label>${ctx.t('console.stock.field.name')} <select name="itemId">${items.filter((i) => i.available > 0).map((i) => html`<option value="${i.itemId}">${i.name} (${i.available} ${i.unit})</option>`)}</select></label>
                <label>${ctx.t('console.stock.field.quantity')} <input type="number" name="quantity" min="1"></label>
                <label>${ctx.t('console.stock.field.cap')} <input type="number" name="cap" min="1" value="2"></label>
                <label>${ctx.t('console.stock.field.chatId')} <select name="chatId">${groups.map((g) => html`<option value="${g.chatId}">${g.title}</option>`)}</select></label>
                <label>${ctx.t('console.stock.field.where')} <input name="where" maxlength="120"></label>
                <label>${ctx.t('console.stock.field.when')} <input name="when" maxlength="120"></label>
                <button type="submit">${ctx.t('console.stock.offerButton')}</button></form>`
            : ''}`
        : ''}
    </section>`;
  }

  async function listPage(req: Request, res: Response, problem?: { communityId: string; issues: FieldIssue[] }) {
    const actor = req.consoleSession!.actor;
    const ctx = pageContext(req, deps, req.consoleSession);
    const sections: Html[] = [];
    for (const c of (await deps.communities.list()).filter((x) => canSee(actor, x.id))) sections.push(await section(ctx, actor, c, problem?.communityId === c.id ? problem.issues : []));
    const done = req.query.done === 'received' ? ctx.t('console.stock.received.done') : req.query.done === 'offered' ? ctx.t('console.stock.offered') : undefined;
    res.status(problem ? 400 : 200).setHeader('Cache-Control', 'no-store');
    res.send(String(page(ctx, ctx.t('console.stock.heading'), html`<h1>${ctx.t('console.stock.heading')}</h1>${flash(done)}<p>${ctx.t('console.stock.help')}</p>${sections}`)));
  }

  router.get(`${BASE}/stock`, pageHandler(deps, (req, res) => listPage(req, res)));

  const attempt = (fn: (req: Request) => Promise<string>) =>
    pageHandler(deps, async (req, res) => {
      try {
        res.redirect(303, await fn(req));
      } catch (err) {
        if (!(err instanceof InvalidError && err.issues.length > 0)) throw err;
        await listPage(req, res, { communityId: String(req.params.id), issues: err.issues });
      }
    });

  router.post(
    `${BASE}/communities/:id/stock`,
    form,
    guardForm(deps),
    attempt(async (req) => {
      const b = req.body as Record<string, string | undefined>;
      const expiry = b.expiry ? new Date(`${b.expiry}T00:00:00Z`) : undefined;
      await service.receive({ communityId: String(req.params.id), name: b.name ?? '', unit: b.unit ?? '', quantity: Number(b.quantity ?? ''), from: { name: b.from ?? '' }, condition: b.condition ?? 'good', ...(expiry ? { expiry } : {}) }, req.consoleSession!.actor);
      return `${BASE}/stock?done=received`;
    }),
  );

  router.post(
    `${BASE}/communities/:id/surplus`,
    form,
    guardForm(deps),
    attempt(async (req) => {
      const b = req.body as Record<string, string | undefined>;
      const offer = await surplus.create({ itemId: b.itemId ?? '', quantity: Number(b.quantity ?? ''), cap: Number(b.cap ?? ''), chatId: Number(b.chatId ?? ''), where: b.where ?? '', when: b.when ?? '' }, req.consoleSession!.actor);
      await postSurplusCard(offer.id);
      return `${BASE}/stock?done=offered`;
    }),
  );
}
