import express, { Request, Response, IRouter } from 'express';
import { Community } from '../../domain/community';
import { FieldIssue, InvalidError, isDomainError } from '../../domain/errors';
import { halfWidth, readIsoDeadline, tidyText } from '../../domain/input';
import { isStaffFor } from '../../domain/roles';
import { issue } from '../../domain/wish/rules';
import { CATEGORIES, Category, URGENCIES, WishChanges, WishState } from '../../domain/wish/types';
import { parseWishCreate } from '../routes/wishes';
import { communitiesFor } from './board';
import { cardBubble } from './card-preview';
import { BASE, ConsoleDeps, isoDay, pageContext, PageContext } from './context';
import { pageHandler } from './errors';
import { Html, html } from './html';
import { csrfField, page } from './layout';
import { guardForm } from './session';
import { visibleWish } from './visible-wish';

type Values = Record<string, string>;

/** Each form field: its input's id, the domain's name for it, its label. */
const FIELDS = {
  community: { domain: 'communityId', label: 'console.form.community' },
  title: { domain: 'title', label: 'console.form.title', help: 'console.form.titleHelp' },
  description: { domain: 'description', label: 'console.form.description', help: 'console.form.descriptionHelp' },
  category: { domain: 'category', label: 'console.form.category' },
  target: { domain: 'target', label: 'console.form.target', help: 'console.form.targetHelp' },
  unit: { domain: 'unit', label: 'console.form.unit', help: 'console.form.unitHelp' },
  deadline: { domain: 'deadline', label: 'console.form.deadline' },
  urgency: { domain: 'urgency', label: 'console.form.urgency' },
  alias: { domain: 'beneficiary.alias', label: 'console.form.alias', help: 'console.form.aliasHelp' },
  notes: { domain: 'beneficiary.notes', label: 'console.form.notes' },
  contact: { domain: 'beneficiary.contact', label: 'console.form.contact' },
  name: { domain: 'beneficiary.name', label: 'console.form.name' },
} as const;
type FieldName = keyof typeof FIELDS;
const FIELD_OF_DOMAIN = new Map<string, FieldName>(Object.entries(FIELDS).map(([k, f]) => [f.domain, k as FieldName]));

const valuesOf = (req: Request): Values =>
  Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Values;

const optional = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : s);

/** A target as typed: digits (full-width too) are a number; anything else is "not a number" by the rules' words. */
function targetOf(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const s = halfWidth(raw).trim();
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
}

/** The form as the API's create body, so both are read by the same function (parseWishCreate). */
export function createBodyOf(v: Values, publish: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    communityId: optional(v.community),
    title: v.title ?? '',
    description: v.description ?? '',
    category: optional(v.category),
    target: targetOf(v.target),
    deadline: optional(v.deadline),
    urgency: optional(v.urgency) ?? 'normal',
    beneficiary: Object.fromEntries(
      Object.entries({ alias: v.alias ?? '', notes: optional(v.notes), contact: optional(v.contact), name: optional(v.name) }).filter(([, x]) => x !== undefined),
    ),
    publish,
  };
  if (v.category !== 'cash' && optional(v.unit)) body.unit = v.unit;
  return Object.fromEntries(Object.entries(body).filter(([, x]) => x !== undefined));
}

/** A field issue in the reader's language, naming the field: "Title: it cannot be empty". */
function issueText(i: FieldIssue, ctx: PageContext): { field: FieldName | undefined; text: string } {
  const field = FIELD_OF_DOMAIN.get(i.field);
  // A number that is not one reaches the shape check as NaN: say so in the rules' words.
  const code = field === 'target' && i.code === 'wrong_type' ? 'not_a_number' : i.code;
  const label = field ? ctx.t(FIELDS[field].label) : i.field;
  return { field, text: `${label}: ${ctx.t(`issue.${code}`, i.params ?? {})}` };
}

interface FormView {
  mode: 'new' | 'edit';
  values: Values;
  issues: FieldIssue[];
  communities: Community[];
  wish?: WishState;
}

function fieldBlock(ctx: PageContext, name: FieldName, control: (attrs: Html) => Html, errors: Map<FieldName, string>): Html {
  const f = FIELDS[name];
  const help = 'help' in f ? f.help : undefined;
  const error = errors.get(name);
  const described = [help ? `f-${name}-help` : '', error ? `f-${name}-error` : ''].filter(Boolean).join(' ');
  const attrs = html`id="f-${name}" name="${name}"${described ? html` aria-describedby="${described}"` : ''}${error ? html` aria-invalid="true"` : ''}`;
  return html`<div class="field${error ? ' has-error' : ''}">
    <label for="f-${name}">${ctx.t(f.label)}</label>
    ${help ? html`<p class="help" id="f-${name}-help">${ctx.t(help)}</p>` : ''}
    ${error ? html`<p class="field-error" id="f-${name}-error">${error}</p>` : ''}
    ${control(attrs)}
  </div>`;
}

function options(values: readonly string[], label: (v: string) => string, current: string | undefined): Html[] {
  return values.map((v) => html`<option value="${v}" ${v === current ? html`selected` : ''}>${label(v)}</option>`);
}

function formPage(ctx: PageContext, view: FormView, preview: Html): Html {
  const v = view.values;
  const errors = new Map<FieldName, string>();
  const summary: Array<{ field?: FieldName; text: string }> = [];
  for (const i of view.issues) {
    const { field, text } = issueText(i, ctx);
    summary.push({ field, text });
    if (field && !errors.has(field)) errors.set(field, text);
  }
  const heading = view.mode === 'new' ? ctx.t('console.form.newHeading') : ctx.t('console.form.editHeading', { code: view.wish!.code });
  const action = view.mode === 'new' ? `${BASE}/wishes` : `${BASE}/wishes/${view.wish!.id}/edit`;
  const text = (name: FieldName, extra: Html | string = '') => fieldBlock(ctx, name, (a) => html`<input ${a} value="${v[name] ?? ''}" ${extra}>`, errors);
  const area = (name: FieldName, rows: number) => fieldBlock(ctx, name, (a) => html`<textarea ${a} rows="${rows}">${v[name] ?? ''}</textarea>`, errors);
  const select = (name: FieldName, values: readonly string[], label: (x: string) => string) =>
    fieldBlock(ctx, name, (a) => html`<select ${a}>${options(values, label, v[name])}</select>`, errors);
  const isNew = view.mode === 'new';
  return page(
    ctx,
    heading,
    html`<h1>${heading}</h1>
    ${summary.length > 0
      ? html`<div class="error-summary" role="alert" tabindex="-1" data-focus aria-labelledby="errors-h">
          <h2 id="errors-h">${ctx.t('console.form.errors', { count: summary.length })}</h2>
          <ul>${summary.map((s) => html`<li>${s.field ? html`<a href="#f-${s.field}">${s.text}</a>` : s.text}</li>`)}</ul>
        </div>`
      : ''}
    <div class="columns">
      <form method="post" action="${action}" class="stack wish-form" data-preview="${BASE}/preview" novalidate>
        ${csrfField(ctx)}
        ${view.wish ? html`<input type="hidden" name="wish" value="${view.wish.id}">` : ''}
        ${isNew
          ? view.communities.length === 1
            ? html`<input type="hidden" name="community" value="${view.communities[0]!.id}">`
            : select('community', ['', ...view.communities.map((c) => c.id)], (id) => view.communities.find((c) => c.id === id)?.name ?? '—')
          : ''}
        ${text('title', html`maxlength="80" required`)}
        ${area('description', 4)}
        ${isNew ? select('category', CATEGORIES, (c) => ctx.t(`category.${c as Category}`)) : ''}
        ${isNew ? text('target', html`inputmode="numeric" required`) : ''}
        ${isNew ? text('unit', html`maxlength="20"`) : ''}
        ${text('deadline', html`type="date" required`)}
        ${select('urgency', URGENCIES, (u) => ctx.t(u === 'urgent' ? 'newwish.urgency.urgent' : 'newwish.urgency.normal'))}
        ${text('alias', html`maxlength="60" required`)}
        ${isNew ? area('notes', 3) : ''}
        ${isNew ? text('contact', html`maxlength="200"`) : ''}
        ${isNew ? text('name', html`maxlength="60"`) : ''}
        ${isNew ? '' : html`<p class="help">${ctx.t('console.form.editOnly')}</p>`}
        <p class="buttons">
          ${isNew
            ? html`<button type="submit" name="intent" value="draft" class="secondary">${ctx.t('console.form.saveDraft')}</button>
                <button type="submit" name="intent" value="publish">${ctx.t('console.form.savePublish')}</button>`
            : html`<button type="submit">${ctx.t('console.form.save')}</button>`}
        </p>
      </form>
      <section aria-labelledby="preview-h" class="preview">
        <h2 id="preview-h">${ctx.t('console.form.preview')}</h2>
        <p class="help">${ctx.t('console.form.previewHelp')}</p>
        <div id="card-preview" aria-live="polite">${preview}</div>
      </section>
    </div>`,
  );
}

/** A wish as the card would show it with the form's values: what is there, whether or not it is valid yet. */
function previewState(v: Values, base: WishState | undefined, ctx: PageContext, now: Date): WishState | undefined {
  const title = tidyText(v.title ?? '');
  const description = tidyText(v.description ?? '', { multiline: true });
  const alias = tidyText(v.alias ?? '');
  if (!base && !title && !description && !alias) return undefined;
  const deadline = (v.deadline && readIsoDeadline(v.deadline, ctx.timezone)) || base?.deadline || new Date(now.getTime() + 14 * 86_400_000);
  const urgency = v.urgency === 'urgent' ? 'urgent' : 'normal';
  if (base) {
    return { ...base, title: title || base.title, description: description || base.description, deadline, urgency, beneficiary: { ...base.beneficiary, alias: alias || base.beneficiary.alias } };
  }
  const category = (CATEGORIES as readonly string[]).includes(v.category ?? '') ? (v.category as Category) : 'goods';
  const target = targetOf(v.target);
  return {
    id: 'W-0', code: 'W-…', codeNumber: 0, communityId: v.community ?? '', title, description, category,
    target: target !== undefined && Number.isInteger(target) && target > 0 ? target : 1,
    ...(category !== 'cash' && optional(v.unit) ? { unit: tidyText(v.unit!) } : {}),
    deadline, urgency, beneficiary: { alias },
    createdBy: { kind: 'worker', id: 'preview' }, createdAt: now, updatedAt: now,
    lifecycle: 'published', status: 'open', pledged: 0, pledges: [], version: 0,
  };
}

function previewOf(v: Values, base: WishState | undefined, ctx: PageContext, now: Date): Html {
  const state = previewState(v, base, ctx, now);
  return state ? cardBubble(state, ctx) : html`<p class="help">${ctx.t('console.form.previewIncomplete')}</p>`;
}

function valuesOfWish(wish: WishState, timezone: string): Values {
  return { title: wish.title, description: wish.description, deadline: isoDay(wish.deadline, timezone), urgency: wish.urgency, alias: wish.beneficiary.alias };
}

/** The changes an edit form asks for: only fields that differ, so an untouched past deadline does not block a new title. */
function changesOf(v: Values, wish: WishState, timezone: string): WishChanges | InvalidError {
  const changes: WishChanges = {};
  if (v.title !== undefined && v.title !== wish.title) changes.title = v.title;
  if (v.description !== undefined && v.description !== wish.description) changes.description = v.description;
  if (v.alias !== undefined && v.alias !== wish.beneficiary.alias) changes.alias = v.alias;
  if (v.urgency === 'normal' || v.urgency === 'urgent') {
    if (v.urgency !== wish.urgency) changes.urgency = v.urgency;
  }
  if (v.deadline !== undefined && v.deadline !== isoDay(wish.deadline, timezone)) {
    const deadline = v.deadline.trim() === '' ? undefined : readIsoDeadline(v.deadline.trim(), timezone);
    if (!deadline) return InvalidError.fields([issue('deadline', v.deadline.trim() === '' ? 'required' : 'not_a_date')]);
    changes.deadline = deadline;
  }
  return changes;
}

export function wishFormRoutes(router: IRouter, deps: ConsoleDeps): void {
  const form = express.urlencoded({ extended: false, limit: '32kb' });
  const staffCommunities = async (ctx: PageContext) => (await communitiesFor(deps, ctx)).filter((c) => isStaffFor(ctx.actor!, c.id));

  const send = (res: Response, status: number, markup: Html) => {
    res.status(status).setHeader('Cache-Control', 'no-store');
    res.send(String(markup));
  };
  const forbidden = (res: Response, ctx: PageContext) => send(res, 403, page(ctx, ctx.t('console.error.heading'), html`<h1>${ctx.t('console.error.heading')}</h1><p role="alert">${ctx.t('console.error.forbidden')}</p>`));

  router.get(
    `${BASE}/wishes/new`,
    pageHandler(deps, async (req, res) => {
      const ctx = pageContext(req, deps, req.consoleSession);
      const communities = await staffCommunities(ctx);
      if (communities.length === 0) return forbidden(res, ctx);
      const values: Values = { category: 'goods', urgency: 'normal', deadline: isoDay(new Date(deps.clock().getTime() + 14 * 86_400_000), deps.timezone) };
      send(res, 200, formPage(ctx, { mode: 'new', values, issues: [], communities }, previewOf(values, undefined, ctx, deps.clock())));
    }),
  );

  router.post(
    `${BASE}/wishes`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req, res) => {
      const ctx = pageContext(req, deps, req.consoleSession);
      const values = valuesOf(req);
      const communities = await staffCommunities(ctx);
      try {
        const { publish, ...draft } = parseWishCreate(createBodyOf(values, values.intent === 'publish'), deps.timezone, deps.clock());
        const { state } = await deps.wishes.create(draft, ctx.actor!, { publish });
        res.redirect(303, `${BASE}/wishes/${state.id}?done=${publish ? 'published' : 'created'}`);
      } catch (err) {
        if (!(isDomainError(err) && err instanceof InvalidError && err.issues.length > 0)) throw err;
        send(res, 400, formPage(ctx, { mode: 'new', values, issues: err.issues, communities }, previewOf(values, undefined, ctx, deps.clock())));
      }
    }),
  );

  router.get(
    `${BASE}/wishes/:id/edit`,
    pageHandler(deps, async (req, res) => {
      const ctx = pageContext(req, deps, req.consoleSession);
      const wish = await visibleWish(deps, String(req.params.id), ctx.actor!);
      if (!isStaffFor(ctx.actor!, wish.communityId)) return forbidden(res, ctx);
      const values = valuesOfWish(wish, deps.timezone);
      send(res, 200, formPage(ctx, { mode: 'edit', values, issues: [], communities: [], wish }, previewOf(values, wish, ctx, deps.clock())));
    }),
  );

  router.post(
    `${BASE}/wishes/:id/edit`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req, res) => {
      const ctx = pageContext(req, deps, req.consoleSession);
      const wish = await visibleWish(deps, String(req.params.id), ctx.actor!);
      const values = valuesOf(req);
      try {
        const changes = changesOf(values, wish, deps.timezone);
        if (changes instanceof InvalidError) throw changes;
        const { event } = Object.keys(changes).length > 0 ? await deps.consent.edit(wish.id, changes, ctx.actor!) : { event: null };
        res.redirect(303, `${BASE}/wishes/${wish.id}?done=${event ? 'edited' : 'nothing'}`);
      } catch (err) {
        if (!(err instanceof InvalidError && err.issues.length > 0)) throw err;
        send(res, 400, formPage(ctx, { mode: 'edit', values, issues: err.issues, communities: [], wish }, previewOf(values, wish, ctx, deps.clock())));
      }
    }),
  );

  // The live preview: the form's values in, the card's markup out (the page's script swaps it in).
  router.post(
    `${BASE}/preview`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req, res) => {
      const ctx = pageContext(req, deps, req.consoleSession);
      const values = valuesOf(req);
      const base = values.wish ? await visibleWish(deps, values.wish, ctx.actor!) : undefined;
      res.setHeader('Cache-Control', 'no-store');
      res.type('html').send(String(previewOf(values, base, ctx, deps.clock())));
    }),
  );

}
