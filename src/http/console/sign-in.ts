import express, { IRouter } from 'express';
import { hashToken } from '../../domain/access';
import { isDomainError } from '../../domain/errors';
import { mayUse } from '../../domain/roles';
import { BASE, ConsoleDeps, pageContext, PageContext, sameOrigin } from './context';
import { html } from './html';
import { page } from './layout';
import { clearSessionCookie, guardForm, startSession } from './session';

function signInPage(ctx: PageContext, error?: string) {
  return page(
    ctx,
    ctx.t('console.signIn.heading'),
    html`<h1>${ctx.t('console.signIn.heading')}</h1>
    ${error ? html`<div class="error-summary" role="alert" tabindex="-1" data-focus><p id="token-error">${error}</p></div>` : ''}
    <form method="post" action="${BASE}/sign-in" class="stack">
      <div class="field">
        <label for="token">${ctx.t('console.signIn.token')}</label>
        <p class="help" id="token-help">${ctx.t('console.signIn.tokenHelp')}</p>
        <input id="token" name="token" type="password" autocomplete="current-password" required
          aria-describedby="token-help${error ? ' token-error' : ''}" ${error ? html`aria-invalid="true"` : ''}>
      </div>
      <button type="submit">${ctx.t('console.signIn.submit')}</button>
    </form>`,
  );
}

/** Sign-in with an API token (admins, workers, auditors), and sign-out. */
export function signInRoutes(router: IRouter, deps: ConsoleDeps): void {
  const form = express.urlencoded({ extended: false, limit: '8kb' });

  router.get(`${BASE}/sign-in`, (req, res) => {
    if (req.consoleSession) return res.redirect(303, `${BASE}/`);
    res.send(String(signInPage(pageContext(req, deps))));
  });

  router.post(`${BASE}/sign-in`, form, async (req, res) => {
    const ctx = pageContext(req, deps);
    // No session yet, so no CSRF token: a form posted from another site is refused by where it came from.
    if (!sameOrigin(req)) return res.status(403).send(String(signInPage(ctx, ctx.t('console.error.csrf'))));
    const token = typeof req.body?.token === 'string' ? req.body.token.trim() : '';
    let actor;
    try {
      actor = await deps.resolveToken(token || undefined);
    } catch (err) {
      if (isDomainError(err) && err.kind === 'unauthenticated') return res.status(401).send(String(signInPage(ctx, ctx.t('console.signIn.failed'))));
      throw err;
    }
    if (!mayUse(actor, 'read')) return res.status(403).send(String(signInPage(ctx, ctx.t('console.signIn.notStaff'))));
    await startSession(deps, req, res, actor, { tokenHash: hashToken(token) });
    res.redirect(303, `${BASE}/`);
  });

  router.post(`${BASE}/sign-out`, form, guardForm(deps, { allowReadOnly: true }), async (req, res) => {
    await deps.sessions.delete(req.consoleSession!.id);
    clearSessionCookie(req, res);
    res.redirect(303, `${BASE}/sign-in`);
  });

}
