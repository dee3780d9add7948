import express, { IRouter } from 'express';
import { mayUse } from '../../domain/roles';
import { errorBody } from '../errors';
import { BASE, ConsoleDeps, pageContext, sameOrigin } from './context';
import { html } from './html';
import { page } from './layout';
import { startSession } from './session';

// The package ships CommonJS too (its "require" export), but its types are ES-module only.
type InitDataNode = typeof import('@telegram-apps/init-data-node', { with: { 'resolution-mode': 'import' } });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validate } = require('@telegram-apps/init-data-node') as InitDataNode;

/** Telegram's initData older than this is refused (the Mini App is opened again for a fresh one). */
export const INIT_DATA_MAX_AGE_SECONDS = 3600;

/**
 * The Telegram user the initData speaks for, if Telegram signed it with our bot's token within the
 * last hour; undefined for anything else (tampered, another bot's, too old, malformed).
 */
export function telegramUserOf(initData: string, botToken: string): { id: number } | undefined {
  try {
    validate(initData, botToken, { expiresIn: INIT_DATA_MAX_AGE_SECONDS });
    const user = JSON.parse(new URLSearchParams(initData).get('user') ?? 'null') as { id?: unknown } | null;
    return typeof user?.id === 'number' && Number.isSafeInteger(user.id) ? { id: user.id } : undefined;
  } catch {
    return undefined;
  }
}

/** Where to go after signing in: a console page of ours (a "Manage" button may name a wish), never elsewhere. */
export function safeNext(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length > 200) return undefined;
  return /^\/console\/[A-Za-z0-9_\-/]*$/.test(raw) && !raw.includes('//') ? raw : undefined;
}

/**
 * The Telegram Mini App: the bot's menu button (and a worker's "Manage" button) open GET
 * /console/miniapp (`?next=/console/wishes/W-1001` to land on a wish), whose script posts Telegram's initData here; the server checks Telegram's
 * signature and age, and a staff member gets the same session cookie as a token sign-in.
 */
export function miniAppRoutes(router: IRouter, deps: ConsoleDeps): void {
  const body = [express.json({ limit: '8kb' }), express.urlencoded({ extended: false, limit: '8kb' })];

  router.get(`${BASE}/miniapp`, (req, res) => {
    const ctx = pageContext(req, deps);
    res.send(
      String(
        page(
          ctx,
          ctx.t('console.signIn.heading'),
          html`<h1>${ctx.t('console.signIn.heading')}</h1>
          <p id="miniapp-status" role="status" data-miniapp data-next="${safeNext(req.query.next) ?? `${BASE}/`}" data-failed="${ctx.t('console.signIn.miniappFailed')}">${ctx.t('console.signIn.miniapp')}</p>`,
        ),
      ),
    );
  });

  router.post(`${BASE}/miniapp/sign-in`, ...body, async (req, res) => {
    const unauthorized = () => res.status(401).json(errorBody('unauthenticated', 'Telegram did not sign this in: open the console from the bot again'));
    if (!sameOrigin(req)) return res.status(403).json(errorBody('forbidden', 'Sign in from the console itself'));
    const initData = (req.body as Record<string, unknown> | undefined)?.initData;
    if (typeof initData !== 'string' || initData.length === 0 || initData.length > 4096) return unauthorized();
    const user = telegramUserOf(initData, deps.botToken);
    if (!user) return unauthorized();
    const actor = await deps.actorForTelegramUser(user.id);
    if (!actor || !mayUse(actor, 'read')) return unauthorized();
    await startSession(deps, req, res, actor, { telegramId: user.id });
    res.json({ ok: true, next: safeNext((req.body as Record<string, unknown>).next) ?? `${BASE}/` });
  });

}
