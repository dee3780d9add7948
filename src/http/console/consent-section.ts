import { publishAnswer, isRedacted, needsConsent } from '../../domain/wish/consent';
import { WishState } from '../../domain/wish/types';
import { BASE, formatDate, PageContext } from './context';
import { Html, html } from './html';
import { actionForm, csrfField } from './layout';

/**
 * What the resident agreed to, on the wish page (staff only): their answer about publishing and
 * when; asking them (they see the card first); recording what they said in person, with a note; and
 * a one-time link for one donor when the wish is kept out of the groups.
 */
export function consentSection(ctx: PageContext, wish: WishState): Html | string {
  const live = wish.lifecycle === 'draft' || wish.lifecycle === 'published';
  if (!live && !wish.consents) return '';
  const record = wish.consents?.publish;
  const linked = (wish.residents ?? []).length > 0;
  const asked = wish.consentAsked !== undefined && (record?.seq ?? 0) < wish.consentAsked.seq;
  const status = record
    ? ctx.t('console.consent.answer', {
        answer: ctx.t(`consent.answer.${record.answer}`),
        when: formatDate(record.at, ctx),
        inPerson: record.via === 'in_person' ? 1 : '',
      })
    : asked
      ? ctx.t('console.consent.waiting')
      : needsConsent(wish)
        ? ctx.t('console.consent.needed')
        : ctx.t('console.consent.notLinked');
  const answer = publishAnswer(wish);
  return html`<section aria-labelledby="consent-h" class="consent">
    <h2 id="consent-h">${ctx.t('console.consent.heading')}</h2>
    <p role="status">${status}</p>
    ${isRedacted(wish) ? html`<p>${ctx.t('console.consent.redacted')}</p>` : ''}
    ${live
      ? html`<p class="buttons">
          ${linked ? actionForm(ctx, wish, 'consent-request', ctx.t(asked ? 'console.consent.askAgain' : 'console.consent.ask'), '', 'secondary') : ''}
          ${wish.lifecycle === 'published' && answer === 'private' ? actionForm(ctx, wish, 'donor-link', ctx.t('console.consent.donorLink'), '', 'secondary') : ''}
        </p>
        <details>
          <summary>${ctx.t('console.consent.inPerson')}</summary>
          <form method="post" action="${BASE}/wishes/${wish.id}/consent" class="stack">
            ${csrfField(ctx)}
            <fieldset>
              <legend>${ctx.t('console.consent.theySaid')}</legend>
              <label><input type="radio" name="answer" value="given" checked> ${ctx.t('console.consent.given')}</label>
              <label><input type="radio" name="answer" value="private"> ${ctx.t('console.consent.private')}</label>
              <label><input type="radio" name="answer" value="withdrawn"> ${ctx.t('console.consent.withdrawn')}</label>
            </fieldset>
            <div class="field">
              <label for="consent-note">${ctx.t('console.consent.note')}</label>
              <textarea id="consent-note" name="note" maxlength="500" required aria-describedby="consent-note-help"></textarea>
              <p id="consent-note-help" class="help">${ctx.t('console.consent.noteHelp')}</p>
            </div>
            ${wish.lifecycle === 'draft' ? html`<label><input type="checkbox" name="publish" value="1" checked> ${ctx.t('console.consent.publishToo')}</label>` : ''}
            <button type="submit">${ctx.t('console.consent.record')}</button>
          </form>
        </details>`
      : ''}
  </section>`;
}
