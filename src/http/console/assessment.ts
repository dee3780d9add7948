import express, { IRouter, Request } from 'express';
import { Assessment, AssessmentInput, LIFE_DOMAINS, needsOutsideHelp, readAssessment, REFERRALS_MAX } from '../../domain/assessment';
import { FieldIssue, ForbiddenError, isDomainError } from '../../domain/errors';
import { isStaffFor } from '../../domain/roles';
import { BASE, ConsoleDeps, formatDate, pageContext, PageContext } from './context';
import { pageHandler } from './errors';
import { Html, html } from './html';
import { csrfField, page } from './layout';
import { guardForm } from './session';
import { visibleWish } from './visible-wish';

// The needs assessment of a wish, recorded with the resident: the parts of life the need touches,
// their strengths and goals in their words, and referrals. Staff only: auditors never see it.

/** The assessment's summary on the wish page (staff only), with a link to record or change it. */
export function assessmentSection(ctx: PageContext, wishId: string, a: Assessment | null): Html {
  const domains = a && a.domains.length > 0 ? a.domains.map((d) => ctx.t(`console.domain.${d}`)).join(', ') : ctx.t('console.wish.none');
  return html`<section aria-labelledby="assessment-h" class="private">
    <h2 id="assessment-h">${ctx.t('console.assessment.heading')}</h2>
    ${a
      ? html`<dl class="details">
          <div><dt>${ctx.t('console.assessment.domains')}</dt><dd>${domains}</dd></div>
          <div><dt>${ctx.t('console.assessment.strengths')}</dt><dd class="prewrap">${a.strengths || ctx.t('console.wish.none')}</dd></div>
          <div><dt>${ctx.t('console.assessment.goals')}</dt><dd class="prewrap">${a.goals || ctx.t('console.wish.none')}</dd></div>
          <div><dt>${ctx.t('console.assessment.referrals')}</dt><dd>${a.referrals.length > 0 ? html`<ul>${a.referrals.map((r) => html`<li>${r}</li>`)}</ul>` : ctx.t('console.wish.none')}</dd></div>
        </dl>
        ${needsOutsideHelp(a) && a.referrals.length === 0 ? html`<p class="notice" role="note">${ctx.t('console.assessment.outsideHelp')}</p>` : ''}
        <p class="muted">${ctx.t('console.assessment.recorded', { name: a.recordedBy.name ?? a.recordedBy.id, date: formatDate(a.updatedAt, ctx, true) })}</p>`
      : html`<p>${ctx.t('console.assessment.none')}</p>`}
    <p><a class="button secondary" href="${BASE}/wishes/${wishId}/assessment">${ctx.t(a ? 'console.assessment.edit' : 'console.assessment.record')}</a></p>
  </section>`;
}

const FIELDS = ['domains', 'strengths', 'goals', 'referrals'] as const;
type Field = (typeof FIELDS)[number];

/** A refusal in the reader's words, named by the field's label (`referrals.3` is the referrals field). */
function issueText(ctx: PageContext, i: FieldIssue): string {
  const field = FIELDS.find((f) => i.field === f || i.field.startsWith(`${f}.`));
  return `${field ? ctx.t(`console.assessment.${field}`) : i.field}: ${ctx.t(`issue.${i.code}`, i.params ?? {})}`;
}

function formPage(ctx: PageContext, wish: { id: string; code: string; title: string }, values: AssessmentInput, issues: FieldIssue[]): Html {
  const errorOf = (field: Field) => issues.find((i) => i.field === field || i.field.startsWith(`${field}.`));
  const fieldError = (field: Field) => {
    const i = errorOf(field);
    return i ? html`<p class="field-error" id="a-${field}-error">${issueText(ctx, i)}</p>` : '';
  };
  const invalid = (field: Field) => (errorOf(field) ? html` aria-invalid="true" aria-describedby="a-${field}-error"` : '');
  const twoOrMore = values.domains.filter((d) => (LIFE_DOMAINS as readonly string[]).includes(d)).length >= 2;
  return page(
    ctx,
    `${wish.code} ${ctx.t('console.assessment.heading')}`,
    html`<h1><span class="code">${wish.code}</span> ${ctx.t('console.assessment.heading')}</h1>
    <p>${ctx.t('console.assessment.help')}</p>
    ${issues.length > 0
      ? html`<div class="error-summary" role="alert" tabindex="-1" data-focus aria-labelledby="errors-h">
          <h2 id="errors-h">${ctx.t('console.form.errors', { count: issues.length })}</h2>
          <ul>${issues.map((i) => html`<li>${issueText(ctx, i)}</li>`)}</ul>
        </div>`
      : ''}
    <form method="post" action="${BASE}/wishes/${wish.id}/assessment" class="stack">
      ${csrfField(ctx)}
      <fieldset${invalid('domains')}>
        <legend>${ctx.t('console.assessment.domains')}</legend>
        ${LIFE_DOMAINS.map(
          (d) => html`<label class="check"><input type="checkbox" name="domains" value="${d}"${values.domains.includes(d) ? html` checked` : ''}> ${ctx.t(`console.domain.${d}`)}</label>`,
        )}
        ${fieldError('domains')}
      </fieldset>
      ${twoOrMore ? html`<p class="notice" role="note">${ctx.t('console.assessment.outsideHelp')}</p>` : ''}
      <div class="field">
        <label for="a-strengths">${ctx.t('console.assessment.strengths')}</label>
        <textarea id="a-strengths" name="strengths" rows="4"${invalid('strengths')}>${values.strengths}</textarea>
        ${fieldError('strengths')}
      </div>
      <div class="field">
        <label for="a-goals">${ctx.t('console.assessment.goals')}</label>
        <textarea id="a-goals" name="goals" rows="4"${invalid('goals')}>${values.goals}</textarea>
        ${fieldError('goals')}
      </div>
      <div class="field">
        <label for="a-referrals">${ctx.t('console.assessment.referrals')}</label>
        <p class="help" id="a-referrals-help">${ctx.t('console.assessment.referralsHelp', { max: REFERRALS_MAX })}</p>
        <textarea id="a-referrals" name="referrals" rows="4" aria-describedby="a-referrals-help"${invalid('referrals')}>${values.referrals.join('\n')}</textarea>
        ${fieldError('referrals')}
      </div>
      <p class="buttons"><button type="submit">${ctx.t('console.assessment.save')}</button> <a href="${BASE}/wishes/${wish.id}">${ctx.t('console.assessment.back')}</a></p>
    </form>`,
  );
}

function inputOf(req: Request): AssessmentInput {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const domains = Array.isArray(body.domains) ? body.domains.map(text) : typeof body.domains === 'string' ? [body.domains] : [];
  return { domains, strengths: text(body.strengths), goals: text(body.goals), referrals: text(body.referrals).split(/\r?\n/) };
}

export function assessmentRoutes(router: IRouter, deps: ConsoleDeps): void {
  const form = express.urlencoded({ extended: false, limit: '32kb' });
  const store = deps.assessments;
  if (!store) return;

  /** The wish, if the reader is its community's staff: an auditor may not see an assessment at all. */
  async function staffWish(req: Request) {
    const actor = req.consoleSession!.actor;
    const wish = await visibleWish(deps, String(req.params.id), actor);
    if (!isStaffFor(actor, wish.communityId)) throw new ForbiddenError('forbidden', pageContext(req, deps, req.consoleSession).t('console.readOnly'));
    return wish;
  }

  router.get(
    `${BASE}/wishes/:id/assessment`,
    pageHandler(deps, async (req, res) => {
      const wish = await staffWish(req);
      const a = await store.get(wish.id);
      const values: AssessmentInput = a ? { domains: a.domains, strengths: a.strengths, goals: a.goals, referrals: a.referrals } : { domains: [], strengths: '', goals: '', referrals: [] };
      res.setHeader('Cache-Control', 'no-store');
      res.send(String(formPage(pageContext(req, deps, req.consoleSession), wish, values, [])));
    }),
  );

  router.post(
    `${BASE}/wishes/:id/assessment`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req, res) => {
      const wish = await staffWish(req);
      const actor = req.consoleSession!.actor;
      const input = inputOf(req);
      try {
        await store.save(readAssessment(input, wish.id, { id: actor.id, ...(actor.name ? { name: actor.name } : {}) }, deps.clock()));
      } catch (err) {
        if (!isDomainError(err) || err.kind !== 'invalid') throw err;
        res.status(400).send(String(formPage(pageContext(req, deps, req.consoleSession), wish, input, (err.details as { fields?: FieldIssue[] } | undefined)?.fields ?? [])));
        return;
      }
      res.redirect(303, `${BASE}/wishes/${wish.id}#assessment-h`);
    }),
  );
}
