import { Request, RequestHandler, Response } from 'express';
import { mayUse } from '../../domain/roles';
import { Actor } from '../../domain/wish/types';
import { ConsoleSession } from '../../db/console-session-store';
import { BASE, ConsoleDeps, cookiesOf, csrfMatches, newSecret, pageContext, sameOrigin, setCookie, SESSION_COOKIE, sha256 } from './context';
import { sendErrorPage } from './errors';

declare module 'express-serve-static-core' {
  interface Request {
    consoleSession?: ConsoleSession;
  }
}

/** Starts a session for this actor and sets its cookie: HttpOnly, SameSite=Strict, Path=/console, Secure over https. */
export async function startSession(deps: ConsoleDeps, req: Request, res: Response, actor: Actor, how: { tokenHash?: string; telegramId?: number }): Promise<void> {
  // Signing in again replaces the session this browser had.
  if (req.consoleSession) await deps.sessions.delete(req.consoleSession.id);
  const raw = newSecret();
  const now = deps.clock();
  const hours = deps.sessionHours ?? 12;
  await deps.sessions.insert({
    id: sha256(raw),
    actor,
    ...(how.tokenHash ? { tokenHash: how.tokenHash } : {}),
    ...(how.telegramId !== undefined ? { telegramId: how.telegramId } : {}),
    csrfSecret: newSecret(),
    createdAt: now,
    expiresAt: new Date(now.getTime() + hours * 3_600_000),
  });
  setCookie(req, res, SESSION_COOKIE, raw, { maxAgeSeconds: hours * 3600 });
}

export function clearSessionCookie(req: Request, res: Response): void {
  setCookie(req, res, SESSION_COOKIE, '', { maxAgeSeconds: 0 });
}

/**
 * The session the cookie names, if it still stands: not expired, its token not revoked, its Telegram
 * user still staff (their communities read afresh). A session that no longer stands is deleted.
 */
async function currentSession(deps: ConsoleDeps, req: Request): Promise<ConsoleSession | undefined> {
  const raw = cookiesOf(req)[SESSION_COOKIE];
  if (!raw || raw.length > 100) return undefined;
  const session = await deps.sessions.get(sha256(raw));
  if (!session) return undefined;
  let standing = session.expiresAt.getTime() > deps.clock().getTime();
  if (standing && session.tokenHash && deps.tokenStillValid) standing = await deps.tokenStillValid(session.tokenHash);
  if (standing && session.telegramId !== undefined) {
    const actor = await deps.actorForTelegramUser(session.telegramId);
    if (actor && mayUse(actor, 'read')) session.actor = actor;
    else standing = false;
  }
  if (!standing) {
    await deps.sessions.delete(session.id);
    return undefined;
  }
  return session;
}

/** Sets req.consoleSession when there is one; pages that need it redirect to sign-in, forms answer 401. */
export function loadSession(deps: ConsoleDeps): RequestHandler {
  return async (req, _res, next) => {
    req.consoleSession = await currentSession(deps, req);
    next();
  };
}

export function requireSession(deps: Pick<ConsoleDeps, 'timezone' | 'currency'>): RequestHandler {
  return (req, res, next) => {
    if (req.consoleSession) return next();
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.redirect(303, `${BASE}/sign-in`);
      return;
    }
    const ctx = pageContext(req, deps);
    sendErrorPage(res, ctx, 401, ctx.t('refusal.unauthenticated'));
  };
}

/**
 * Every form that changes something: from our own site (Sec-Fetch-Site, Origin), carrying the
 * session's CSRF token, and sent by someone who may write (auditors read only: 403).
 */
export function guardForm(deps: Pick<ConsoleDeps, 'timezone' | 'currency'>, opts: { allowReadOnly?: boolean } = {}): RequestHandler {
  return (req, res, next) => {
    const session = req.consoleSession;
    const ctx = pageContext(req, deps, session);
    if (!session) return sendErrorPage(res, ctx, 401, ctx.t('refusal.unauthenticated'));
    const token = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (!sameOrigin(req) || !csrfMatches(session.csrfSecret, token)) return sendErrorPage(res, ctx, 403, ctx.t('console.error.csrf'));
    if (!opts.allowReadOnly && !mayUse(session.actor, 'write')) return sendErrorPage(res, ctx, 403, ctx.t('console.error.forbidden'));
    next();
  };
}
