import express, { IRouter, Request } from 'express';
import { FieldIssue, ForbiddenError, InvalidError } from '../../domain/errors';
import { Area, SKILLS } from '../../domain/resources/types';
import { canSee, isStaffFor } from '../../domain/roles';
import { HOME, SlotView, Team } from '../../domain/teams/types';
import { wallToInstant } from '../../domain/time';
import { issue } from '../../domain/wish/rules';
import { Actor } from '../../domain/wish/types';
import { hoursText, slotWhen } from '../../ui/service-card';
import { MessageKey } from '../../ui/i18n';
import { BASE, ConsoleDeps, ConsoleTeams, pageContext, PageContext } from './context';
import { pageHandler } from './errors';
import { Html, html } from './html';
import { csrfField, flash, page } from './layout';
import { guardForm } from './session';

// Volunteer teams in the console: each community's teams, forming one (its lead chosen from the people
// the directory and the workers list know in Telegram), a team's members, its join link, its service
// requests with who holds each place, hours per member; and a new service request in slots, whose card
// goes to the team's chat. The same domain calls as the API and the bot.


const SLOT_ROWS = 3;
/** The form's own label for a field the rules name ("slots.0.minutes" is Slot 1, Minutes). */
function fieldLabel(ctx: PageContext, field: string): string {
  const slot = /^slots\.(\d+)\.(startsAt|minutes|place|places)$/.exec(field);
  if (slot) return `${ctx.t('console.teams.slot', { n: Number(slot[1]) + 1 })}, ${ctx.t(`console.teams.${slot[2]}` as MessageKey)}`;
  const own: Record<string, MessageKey> = { name: 'console.teams.name', skill: 'console.teams.skill', leadTelegramId: 'console.teams.lead', leadName: 'console.teams.lead', title: 'console.teams.title', description: 'console.teams.description', slots: 'console.teams.slots' };
  const key = own[field] ?? (field.startsWith('areaIds') ? 'console.teams.areas' : undefined);
  return key ? ctx.t(key) : field;
}
const issueText = (ctx: PageContext, i: FieldIssue) => `${fieldLabel(ctx, i.field)}: ${ctx.t(`issue.${i.code}` as MessageKey, i.params ?? {})}`;
const issuesBlock = (ctx: PageContext, issues: FieldIssue[]) =>
  issues.length === 0 ? '' : html`<div class="errors" role="alert"><p>${ctx.t('console.teams.fix')}</p><ul>${issues.map((i) => html`<li>${issueText(ctx, i)}</li>`)}</ul></div>`;

function slotList(ctx: PageContext, slots: SlotView[]): Html {
  return html`<ul class="slots">${slots.map(
    (v) => html`<li>${slotWhen(v.slot.startsAt, ctx.lang, ctx.timezone)} · ${hoursText(v.slot.minutes)} h · ${v.slot.place === HOME ? ctx.t('slot.place.home') : v.slot.place} ·
      ${ctx.t('console.teams.taken', { taken: v.signups.length, places: v.slot.places })}
      ${v.signups.length > 0 ? html`<ul>${v.signups.map((s) => html`<li>${s.name}: ${ctx.t(`console.teams.status.${s.status}` as MessageKey)}</li>`)}</ul>` : ''}</li>`,
  )}</ul>`;
}

function teamForm(ctx: PageContext, communityId: string, candidates: Array<{ telegramId: number; name: string }>, areas: Area[], issues: FieldIssue[] = []): Html {
  if (candidates.length === 0) return html`<p>${ctx.t('console.teams.noCandidates')}</p>`;
  return html`<form method="post" action="${BASE}/teams" class="stack">
    ${csrfField(ctx)}<input type="hidden" name="communityId" value="${communityId}">
    <h3>${ctx.t('console.teams.form')}</h3>
    ${issuesBlock(ctx, issues)}
    <label>${ctx.t('console.teams.name')} <input name="name" required maxlength="60"></label>
    <label>${ctx.t('console.teams.skill')} <select name="skill">${SKILLS.map((s) => html`<option value="${s}">${ctx.t(`skill.${s}` as MessageKey)}</option>`)}</select></label>
    <label>${ctx.t('console.teams.lead')} <select name="lead">${candidates.map((c) => html`<option value="${c.telegramId}">${c.name}</option>`)}</select></label>
    <fieldset><legend>${ctx.t('console.teams.areas')}</legend>${areas.map((a) => html`<label><input type="checkbox" name="areaIds" value="${a.id}"> ${a.name}</label>`)}</fieldset>
    <button type="submit">${ctx.t('console.teams.create')}</button>
  </form>`;
}

function requestForm(ctx: PageContext, team: Team, issues: FieldIssue[] = []): Html {
  const row = (n: number) => html`<fieldset><legend>${ctx.t('console.teams.slot', { n: n + 1 })}</legend>
    <label>${ctx.t('console.teams.startsAt')} <input type="datetime-local" name="startsAt"${n === 0 ? html` required` : ''}></label>
    <label>${ctx.t('console.teams.minutes')} <input type="number" name="minutes" min="15" max="720" value="90"></label>
    <label>${ctx.t('console.teams.place')} <input name="place" maxlength="100" placeholder="${ctx.t('console.teams.placeHint')}"></label>
    <label>${ctx.t('console.teams.places')} <input type="number" name="places" min="1" max="20" value="2"></label>
  </fieldset>`;
  return html`<form method="post" action="${BASE}/teams/${team.id}/requests" class="stack">
    ${csrfField(ctx)}
    <h2>${ctx.t('console.teams.newRequest')}</h2>
    ${issuesBlock(ctx, issues)}
    <label>${ctx.t('console.teams.title')} <input name="title" required maxlength="80"></label>
    <label>${ctx.t('console.teams.description')} <textarea name="description" maxlength="500"></textarea></label>
    ${Array.from({ length: SLOT_ROWS }, (_, n) => row(n))}
    <button type="submit">${ctx.t('console.teams.post')}</button>
  </form>`;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

export function teamRoutes(router: IRouter, deps: ConsoleDeps): void {
  if (!deps.teams) return;
  const teams: ConsoleTeams = deps.teams;
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  const send = (req: Request, res: express.Response, ctx: PageContext, title: string, body: Html, status = 200) => {
    res.status(status).setHeader('Cache-Control', 'no-store');
    res.send(String(page(ctx, title, body)));
  };

  async function listPage(req: Request, actor: Actor, problem?: { communityId: string; issues: FieldIssue[] }): Promise<Html> {
    const ctx = pageContext(req, deps, req.consoleSession);
    const sections: Html[] = [];
    for (const c of (await deps.communities.list()).filter((x) => canSee(actor, x.id))) {
      const rows = await teams.service.teamsOf(c.id, actor);
      const staff = isStaffFor(actor, c.id);
      sections.push(html`<section class="community"><h2>${c.name}</h2>
        ${rows.length === 0 ? html`<p>${ctx.t('console.teams.none')}</p>` : html`<ul>${rows.map((t) => html`<li><a href="${BASE}/teams/${t.id}">${t.name}</a> · ${ctx.t(`skill.${t.skill}` as MessageKey)} · ${ctx.t('console.teams.ledBy', { name: t.leadName })}</li>`)}</ul>`}
        ${staff ? teamForm(ctx, c.id, await teams.candidates(c.id), await teams.areasOf(c.id), problem?.communityId === c.id ? problem.issues : []) : ''}
      </section>`);
    }
    return html`<h1>${ctx.t('console.teams.heading')}</h1>${flash(req.query.done === 'posted' ? ctx.t('console.teams.posted') : undefined)}<p>${ctx.t('console.teams.help')}</p>${sections}`;
  }

  router.get(
    `${BASE}/teams`,
    pageHandler(deps, async (req, res) => {
      const ctx = pageContext(req, deps, req.consoleSession);
      send(req, res, ctx, ctx.t('console.teams.heading'), await listPage(req, req.consoleSession!.actor));
    }),
  );

  router.post(
    `${BASE}/teams`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req, res) => {
      const actor = req.consoleSession!.actor;
      const ctx = pageContext(req, deps, req.consoleSession);
      const communityId = String(req.body.communityId ?? '');
      const lead = Number(req.body.lead);
      const candidate = (await teams.candidates(communityId).catch(() => [])).find((c) => c.telegramId === lead);
      try {
        if (!candidate) throw InvalidError.fields([issue('leadTelegramId', 'not_a_choice', { choices: ctx.t('console.teams.lead') })]);
        const team = await teams.service.createTeam({ communityId, name: String(req.body.name ?? ''), skill: String(req.body.skill ?? ''), leadTelegramId: lead, leadName: candidate.name, areaIds: list(req.body.areaIds) }, actor);
        res.redirect(303, `${BASE}/teams/${team.id}`);
      } catch (err) {
        if (!(err instanceof InvalidError && err.issues.length > 0)) throw err;
        send(req, res, ctx, ctx.t('console.teams.heading'), await listPage(req, actor, { communityId, issues: err.issues }), 400);
      }
    }),
  );

  async function teamPage(req: Request, id: string, issues: FieldIssue[] = []): Promise<{ ctx: PageContext; title: string; body: Html }> {
    const actor = req.consoleSession!.actor;
    const ctx = pageContext(req, deps, req.consoleSession);
    const team = await teams.service.team(id, actor);
    const staff = isStaffFor(actor, team.communityId);
    const members = await teams.service.membersOf(team.id, actor);
    const { members: hours } = await teams.service.hours(team.id, actor);
    const requests = [];
    for (const r of await teams.service.requestsOf(team.id, actor)) requests.push({ r, view: await teams.service.requestView(r.id) });
    const username = deps.botUsername();
    const link = staff && username ? `https://t.me/${username}?start=team_${team.joinCode}` : undefined;
    const body = html`<h1>${team.name}</h1>
      ${flash(req.query.done === 'posted' ? ctx.t('console.teams.posted') : undefined)}
      <p>${ctx.t(`skill.${team.skill}` as MessageKey)} · ${ctx.t('console.teams.ledBy', { name: team.leadName })} · ${team.chatId === undefined ? ctx.t('console.teams.noChat') : team.chatTopicId !== undefined ? ctx.t('console.teams.hasTopic') : ctx.t('console.teams.hasChat')}</p>
      ${link ? html`<p>${ctx.t('console.teams.joinLink')} <a href="${link}" class="link-url">${link}</a></p>` : ''}
      <h2>${ctx.t('console.teams.members', { count: members.length })}</h2>
      <table><thead><tr><th scope="col">${ctx.t('console.teams.member')}</th><th scope="col">${ctx.t('console.teams.slotsServed')}</th><th scope="col">${ctx.t('console.teams.hours')}</th></tr></thead>
      <tbody>${hours.map((m) => html`<tr><td>${m.name}</td><td>${m.slots}</td><td>${hoursText(m.minutes)}</td></tr>`)}</tbody></table>
      <h2>${ctx.t('console.teams.requests')}</h2>
      ${requests.length === 0 ? html`<p>${ctx.t('console.teams.noRequests')}</p>` : requests.map(({ r, view }) => html`<section><h3>${r.title}</h3>${r.description ? html`<p class="prewrap">${r.description}</p>` : ''}${view ? slotList(ctx, view.slots) : ''}</section>`)}
      ${staff ? requestForm(ctx, team, issues) : ''}
      <p><a href="${BASE}/teams">${ctx.t('console.teams.back')}</a></p>`;
    return { ctx, title: team.name, body };
  }

  router.get(
    `${BASE}/teams/:id`,
    pageHandler(deps, async (req, res) => {
      const { ctx, title, body } = await teamPage(req, String(req.params.id));
      send(req, res, ctx, title, body);
    }),
  );

  router.post(
    `${BASE}/teams/:id/requests`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req, res) => {
      const actor = req.consoleSession!.actor;
      const id = String(req.params.id);
      const team = await teams.service.team(id, actor);
      if (!isStaffFor(actor, team.communityId)) throw new ForbiddenError('forbidden', pageContext(req, deps, req.consoleSession).t('console.readOnly'));
      const [starts, minutes, places, placeNames] = [list(req.body.startsAt), list(req.body.minutes), list(req.body.places), list(req.body.place)];
      // Rows left without a time are not slots; a time in the form is the service's wall clock.
      const slots = starts.flatMap((s, i) => {
        if (s.trim() === '') return [];
        const wall = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(s.trim()) ? Date.parse(`${s.trim()}:00Z`) : NaN;
        return [{ startsAt: Number.isNaN(wall) ? new Date(NaN) : wallToInstant(wall, deps.timezone), minutes: Number(minutes[i] ?? 0), place: (placeNames[i] ?? '').trim() === '' ? HOME : placeNames[i]!, places: Number(places[i] ?? 0) }];
      });
      try {
        const { request } = await teams.service.createRequest(team.id, { title: String(req.body.title ?? ''), ...(String(req.body.description ?? '').trim() ? { description: String(req.body.description) } : {}), slots }, actor);
        await teams.postCard(request.id);
        res.redirect(303, `${BASE}/teams/${team.id}?done=posted`);
      } catch (err) {
        if (!(err instanceof InvalidError && err.issues.length > 0)) throw err;
        const { ctx, title, body } = await teamPage(req, id, err.issues);
        send(req, res, ctx, title, body, 400);
      }
    }),
  );
}
