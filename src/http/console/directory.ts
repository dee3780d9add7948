import express, { IRouter, Request, Response } from 'express';
import { Community } from '../../domain/community';
import { FieldIssue, InvalidError } from '../../domain/errors';
import { ResourceInput } from '../../domain/resources/rules';
import { Area, Resource, RESOURCE_KINDS, RESOURCE_STATES, ResourceState, SKILLS, WEEKDAYS } from '../../domain/resources/types';
import { canSee, isStaffFor } from '../../domain/roles';
import { Actor, CATEGORIES } from '../../domain/wish/types';
import { directoryRow } from '../../ui/directory-table';
import { MessageKey } from '../../ui/i18n';
import { BASE, ConsoleDeps, formatDate, pageContext, PageContext } from './context';
import { pageHandler } from './errors';
import { Html, html } from './html';
import { csrfField, flash, page } from './layout';
import { guardForm } from './session';

// The resource directory in the console: each community's entries (filter by state), the ones not
// asked for a while, adding an entry and an area; an entry's page with its contact (staff only),
// Approve / Pause / Retire and an edit form. The same domain calls as the API and /offer.

const RESTING_DAYS = 30;
const MOVES: Array<{ verb: 'approve' | 'pause' | 'retire'; to: ResourceState }> = [
  { verb: 'approve', to: 'approved' },
  { verb: 'pause', to: 'paused' },
  { verb: 'retire', to: 'retired' },
];

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === '' ? [] : [String(v)]);
const optionalText = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const optionalNumber = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : undefined);

/** What the form sent, as the directory's rules read it. */
function inputOf(body: Record<string, unknown>, communityId: string): ResourceInput {
  const fromTime = optionalText(body.fromTime);
  const untilTime = optionalText(body.untilTime);
  const weekdays = list(body.weekdays);
  const requests = optionalNumber(body.requestsPerMonth);
  const moneyPerMonth = optionalNumber(body.moneyPerMonth);
  return {
    communityId,
    kind: String(body.kind ?? '') as ResourceInput['kind'],
    name: String(body.name ?? ''),
    offer: { categories: list(body.categories), skills: list(body.skills), ...(optionalText(body.note) ? { note: String(body.note) } : {}) },
    areaIds: list(body.areaIds),
    ...(weekdays.length || fromTime || untilTime ? { availability: { ...(weekdays.length ? { weekdays } : {}), ...(fromTime ? { fromTime } : {}), ...(untilTime ? { untilTime } : {}) } } : {}),
    ...(requests !== undefined || moneyPerMonth !== undefined ? { capacity: { ...(requests !== undefined ? { requestsPerMonth: requests } : {}), ...(moneyPerMonth !== undefined ? { moneyPerMonth } : {}) } } : {}),
    ...(optionalText(body.contact) ? { contact: String(body.contact) } : {}),
  };
}

function fieldLabel(ctx: PageContext, field: string): string {
  const head = field.split('.')[0]!;
  const key = `console.dir.field.${field.startsWith('offer.note') ? 'note' : field.startsWith('availability') ? 'availability' : field.startsWith('capacity') ? 'capacity' : head}` as MessageKey;
  return ctx.t(key);
}
const issuesBlock = (ctx: PageContext, issues: FieldIssue[]) =>
  issues.length === 0 ? '' : html`<div class="errors" role="alert"><p>${ctx.t('console.teams.fix')}</p><ul>${issues.map((i) => html`<li>${fieldLabel(ctx, i.field)}: ${ctx.t(`issue.${i.code}` as MessageKey, i.params ?? {})}</li>`)}</ul></div>`;

function resourceForm(ctx: PageContext, action: string, areas: Area[], r: Partial<Resource> | undefined, issues: FieldIssue[], submit: string): Html {
  const checked = (on: boolean) => (on ? html` checked` : '');
  const box = (name: string, value: string, label: string, on: boolean) => html`<label><input type="checkbox" name="${name}" value="${value}"${checked(on)}> ${label}</label>`;
  return html`<form method="post" action="${action}" class="stack">
    ${csrfField(ctx)}
    ${issuesBlock(ctx, issues)}
    <label>${ctx.t('console.dir.field.name')} <input name="name" maxlength="80" value="${r?.name ?? ''}"></label>
    <label>${ctx.t('console.dir.field.kind')} <select name="kind">${RESOURCE_KINDS.map((k) => html`<option value="${k}"${r?.kind === k ? html` selected` : ''}>${ctx.t(`export.dir.kind.${k}` as MessageKey)}</option>`)}</select></label>
    <fieldset><legend>${ctx.t('console.dir.field.offer')}</legend>
      ${CATEGORIES.map((c) => box('categories', c, ctx.t(`offer.what.${c}` as MessageKey), r?.offer?.categories.includes(c) ?? false))}
      ${SKILLS.map((s) => box('skills', s, ctx.t(`skill.${s}` as MessageKey), r?.offer?.skills.includes(s) ?? false))}
    </fieldset>
    <label>${ctx.t('console.dir.field.note')} <input name="note" maxlength="300" value="${r?.offer?.note ?? ''}"></label>
    <fieldset><legend>${ctx.t('console.dir.field.areaIds')}</legend>
      ${areas.length === 0 ? html`<p>${ctx.t('console.dir.noAreas')}</p>` : areas.map((a) => box('areaIds', a.id, a.name, r?.areaIds?.includes(a.id) ?? false))}
    </fieldset>
    <fieldset><legend>${ctx.t('console.dir.field.availability')}</legend>
      ${WEEKDAYS.map((d) => box('weekdays', d, ctx.t(`offer.day.${d}` as MessageKey), r?.availability?.weekdays?.includes(d) ?? false))}
      <label>${ctx.t('console.dir.from')} <input type="time" name="fromTime" value="${r?.availability?.fromTime ?? ''}"></label>
      <label>${ctx.t('console.dir.until')} <input type="time" name="untilTime" value="${r?.availability?.untilTime ?? ''}"></label>
    </fieldset>
    <label>${ctx.t('console.dir.requestsPerMonth')} <input type="number" name="requestsPerMonth" min="0" value="${r?.capacity?.requestsPerMonth ?? ''}"></label>
    <label>${ctx.t('console.dir.moneyPerMonth')} <input type="number" name="moneyPerMonth" min="0" value="${r?.capacity?.moneyPerMonth ?? ''}"></label>
    <label>${ctx.t('console.dir.field.contact')} <input name="contact" maxlength="200" value="${r?.contact ?? ''}" autocomplete="off"></label>
    <button type="submit">${submit}</button>
  </form>`;
}

export function directoryRoutes(router: IRouter, deps: ConsoleDeps): void {
  if (!deps.directory) return;
  const { resources, matching } = deps.directory;
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const send = (res: Response, ctx: PageContext, title: string, body: Html, status = 200) => {
    res.status(status).setHeader('Cache-Control', 'no-store');
    res.send(String(page(ctx, title, body)));
  };
  const localeOf = (ctx: PageContext) => ({ language: ctx.lang, timeZone: ctx.timezone, currency: ctx.currency });

  async function communitySection(req: Request, ctx: PageContext, actor: Actor, c: Community, problem?: { issues: FieldIssue[]; values: ResourceInput; areaIssues?: FieldIssue[] }): Promise<Html> {
    const state = typeof req.query.state === 'string' && (RESOURCE_STATES as readonly string[]).includes(req.query.state) ? req.query.state : undefined;
    const areas = await resources.areasOf(c.id);
    const entries = (await resources.list(c.id, actor)).filter((r) => !state || r.state === state);
    const resting = await matching.resting(c.id, RESTING_DAYS);
    const staff = isStaffFor(actor, c.id);
    const row = (r: Resource) => {
      const [name, kind, st, offers, areaNames] = directoryRow(r, areas, localeOf(ctx));
      return html`<tr><td><a href="${BASE}/resources/${r.id}">${name}</a></td><td>${kind}</td><td>${st}</td><td>${offers}</td><td>${areaNames}</td></tr>`;
    };
    return html`<section class="community" aria-labelledby="dir-${c.id}"><h2 id="dir-${c.id}">${c.name}</h2>
      <p>${ctx.t('console.dir.filter')} <a href="${BASE}/directory">${ctx.t('console.dir.all')}</a> ${RESOURCE_STATES.map((s) => html` · <a href="${BASE}/directory?state=${s}">${ctx.t(`mydata.offerState.${s}` as MessageKey)}</a>`)}</p>
      ${entries.length === 0 ? html`<p>${ctx.t('console.dir.none')}</p>` : html`<table><thead><tr><th scope="col">${ctx.t('export.dir.name')}</th><th scope="col">${ctx.t('export.dir.kind')}</th><th scope="col">${ctx.t('export.dir.state')}</th><th scope="col">${ctx.t('export.dir.offers')}</th><th scope="col">${ctx.t('export.dir.areas')}</th></tr></thead><tbody>${entries.map(row)}</tbody></table>`}
      <h3>${ctx.t('console.dir.resting', { days: RESTING_DAYS })}</h3>
      ${resting.length === 0 ? html`<p>${ctx.t('console.dir.restingNone')}</p>` : html`<ul>${resting.map((x) => html`<li><a href="${BASE}/resources/${x.resource.id}">${x.resource.name}</a>: ${x.lastAskedAt ? ctx.t('console.dir.lastAsked', { date: formatDate(x.lastAskedAt, ctx) }) : ctx.t('console.dir.neverAsked')}</li>`)}</ul>`}
      ${staff
        ? html`<h3>${ctx.t('console.dir.add')}</h3>${resourceForm(ctx, `${BASE}/communities/${c.id}/resources`, areas, problem ? ({ ...problem.values, offer: { categories: problem.values.offer.categories ?? [], skills: problem.values.offer.skills ?? [], ...(problem.values.offer.note ? { note: problem.values.offer.note } : {}) } } as Partial<Resource>) : undefined, problem?.issues ?? [], ctx.t('console.dir.addButton'))}
          <h3>${ctx.t('console.dir.addArea')}</h3>
          <form method="post" action="${BASE}/communities/${c.id}/areas" class="stack">${csrfField(ctx)}${issuesBlock(ctx, problem?.areaIssues ?? [])}
            <label>${ctx.t('console.dir.field.name')} <input name="name" maxlength="60"></label>
            <label>${ctx.t('console.dir.level')} <select name="level">${(['district', 'community', 'building'] as const).map((l) => html`<option value="${l}">${ctx.t(`console.dir.level.${l}` as MessageKey)}</option>`)}</select></label>
            <label>${ctx.t('console.dir.parent')} <select name="parentId"><option value="">-</option>${areas.map((a) => html`<option value="${a.id}">${a.name}</option>`)}</select></label>
            <button type="submit">${ctx.t('console.dir.addAreaButton')}</button></form>`
        : ''}
    </section>`;
  }

  async function listPage(req: Request, res: Response, problem?: { communityId: string; issues: FieldIssue[]; values: ResourceInput; areaIssues?: FieldIssue[] }) {
    const actor = req.consoleSession!.actor;
    const ctx = pageContext(req, deps, req.consoleSession);
    const sections: Html[] = [];
    for (const c of (await deps.communities.list()).filter((x) => canSee(actor, x.id))) sections.push(await communitySection(req, ctx, actor, c, problem?.communityId === c.id ? problem : undefined));
    const done = req.query.done === 'duplicate' ? ctx.t('console.dir.duplicate') : req.query.done === 'area' ? ctx.t('console.dir.areaAdded') : undefined;
    send(res, ctx, ctx.t('console.dir.heading'), html`<h1>${ctx.t('console.dir.heading')}</h1>${flash(done)}<p>${ctx.t('console.dir.help')}</p>${sections}`, problem ? 400 : 200);
  }

  router.get(`${BASE}/directory`, pageHandler(deps, (req, res) => listPage(req, res)));

  router.post(
    `${BASE}/communities/:id/resources`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req, res) => {
      const actor = req.consoleSession!.actor;
      const input = inputOf(req.body as Record<string, unknown>, String(req.params.id));
      try {
        const { resource, duplicateOf } = await resources.create(input, actor);
        res.redirect(303, `${BASE}/resources/${resource.id}${duplicateOf.length > 0 ? '?done=duplicate' : ''}`);
      } catch (err) {
        if (!(err instanceof InvalidError && err.issues.length > 0)) throw err;
        await listPage(req, res, { communityId: input.communityId, issues: err.issues, values: input });
      }
    }),
  );

  router.post(
    `${BASE}/communities/:id/areas`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req, res) => {
      const actor = req.consoleSession!.actor;
      const communityId = String(req.params.id);
      const body = req.body as Record<string, unknown>;
      try {
        await resources.addArea(communityId, { name: String(body.name ?? ''), level: String(body.level ?? '') as Area['level'], ...(optionalText(body.parentId) ? { parentId: String(body.parentId) } : {}) }, actor);
        res.redirect(303, `${BASE}/directory?done=area`);
      } catch (err) {
        if (!(err instanceof InvalidError && err.issues.length > 0)) throw err;
        await listPage(req, res, { communityId, issues: [], values: inputOf({}, communityId), areaIssues: err.issues });
      }
    }),
  );

  async function resourcePage(req: Request, res: Response, issues: FieldIssue[] = [], values?: Partial<Resource>) {
    const actor = req.consoleSession!.actor;
    const ctx = pageContext(req, deps, req.consoleSession);
    const r = await resources.get(String(req.params.id), actor);
    const staff = isStaffFor(actor, r.communityId);
    const areas = await resources.areasOf(r.communityId);
    const [, kind, state, offers, areaNames, when, capacity] = directoryRow(r, areas, localeOf(ctx));
    const done = req.query.done === 'duplicate' ? ctx.t('console.dir.duplicate') : req.query.done === 'saved' ? ctx.t('console.dir.saved') : undefined;
    const body = html`<h1>${r.name}</h1>${flash(done)}
      <dl class="details">
        <div><dt>${ctx.t('export.dir.kind')}</dt><dd>${kind}</dd></div>
        <div><dt>${ctx.t('export.dir.state')}</dt><dd>${state}</dd></div>
        <div><dt>${ctx.t('export.dir.offers')}</dt><dd>${offers}</dd></div>
        <div><dt>${ctx.t('export.dir.areas')}</dt><dd>${areaNames}</dd></div>
        <div><dt>${ctx.t('export.dir.availability')}</dt><dd>${when || '-'}</dd></div>
        <div><dt>${ctx.t('export.dir.capacity')}</dt><dd>${capacity || '-'}</dd></div>
        ${staff && r.contact ? html`<div><dt>${ctx.t('console.dir.field.contact')}</dt><dd>${r.contact}</dd></div>` : ''}
        ${staff ? html`<div><dt>${ctx.t('console.dir.telegram')}</dt><dd>${r.telegramId !== undefined ? ctx.t('console.dir.canAsk') : ctx.t('console.dir.cannotAsk')}</dd></div>` : ''}
      </dl>
      ${staff
        ? html`<div class="actions">${MOVES.filter((m) => m.to !== r.state).map((m) => html`<form method="post" action="${BASE}/resources/${r.id}/${m.verb}" class="inline">${csrfField(ctx)}<button type="submit">${ctx.t(`console.dir.move.${m.verb}` as MessageKey)}</button></form>`)}</div>
          <h2>${ctx.t('console.dir.edit')}</h2>${resourceForm(ctx, `${BASE}/resources/${r.id}/edit`, areas, values ?? r, issues, ctx.t('console.dir.save'))}`
        : ''}
      <p><a href="${BASE}/directory">${ctx.t('console.dir.back')}</a></p>`;
    send(res, ctx, r.name, body, issues.length > 0 ? 400 : 200);
  }

  router.get(`${BASE}/resources/:id`, pageHandler(deps, (req, res) => resourcePage(req, res)));

  for (const m of MOVES) {
    router.post(
      `${BASE}/resources/:id/${m.verb}`,
      form,
      guardForm(deps),
      pageHandler(deps, async (req, res) => {
        const { resource } = await resources.move(String(req.params.id), m.to, req.consoleSession!.actor);
        res.redirect(303, `${BASE}/resources/${resource.id}?done=saved`);
      }),
    );
  }

  router.post(
    `${BASE}/resources/:id/edit`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req, res) => {
      const actor = req.consoleSession!.actor;
      const current = await resources.get(String(req.params.id), actor);
      const { communityId: _community, ...changes } = inputOf(req.body as Record<string, unknown>, current.communityId);
      // What the form cannot show is kept (the account and link it was offered with); what it shows empty is cleared.
      try {
        await resources.edit(current.id, { ...changes, availability: changes.availability, capacity: changes.capacity, contact: changes.contact }, actor);
        res.redirect(303, `${BASE}/resources/${current.id}?done=saved`);
      } catch (err) {
        if (!(err instanceof InvalidError && err.issues.length > 0)) throw err;
        await resourcePage(req, res, err.issues, { ...current, ...changes, offer: { categories: (changes.offer.categories ?? []) as Resource['offer']['categories'], skills: (changes.offer.skills ?? []) as Resource['offer']['skills'] } } as Partial<Resource>);
      }
    }),
  );
}
