import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { IRouter, RequestHandler } from 'express';
import { assessmentRoutes } from './assessment';
import { consentRoutes } from './consent';
import { matchRoutes } from './matches';
import { boardRoutes } from './board';
import { communityRoutes } from './communities';
import { BASE, ConsoleDeps, LANG_COOKIE, pageContext, setCookie } from './context';
import { donorRoutes } from './donors';
import { teamRoutes } from './teams';
import { reportRoutes } from './reports';
import { stockRoutes } from './stock';
import { directoryRoutes } from './directory';
import { sendErrorPage } from './errors';
import { exportRoutes } from './exports';
import { intakeRoutes } from './intakes';
import { miniAppRoutes } from './miniapp';
import { loadSession, requireSession } from './session';
import { signInRoutes } from './sign-in';
import { wishFormRoutes } from './wish-form';
import { wishPageRoutes } from './wish-page';

export type { ConsoleDeps, ConsoleExport, ConsoleOptions } from './context';

/**
 * The CSS and JS files: beside this file when run from the sources (tsx, jest), and in the source
 * tree when run compiled from dist/ (tsc copies no assets), so `npm start` serves the same files.
 */
export function assetsDir(): string {
  const candidates = [path.join(__dirname, 'assets'), path.resolve(__dirname, '..', '..', '..', '..', 'src', 'http', 'console', 'assets')];
  return candidates.find((dir) => existsSync(path.join(dir, 'console.css'))) ?? candidates[0]!;
}

/**
 * Pages get a policy of their own: only our own files (no inline code, no CDN), forms only to us,
 * and framing only by Telegram's web client (the Mini App).
 */
const pagePolicy: RequestHandler = (_req, res, next) => {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'self' https://web.telegram.org",
  );
  res.removeHeader('X-Frame-Options');
  // helmet's no-referrer makes browsers send `Origin: null` on our own forms; same-origin keeps it.
  res.setHeader('Referrer-Policy', 'same-origin');
  next();
};

/** `?lang=` on any page is remembered for the next ones. */
const rememberLanguage: RequestHandler = (req, res, next) => {
  const lang = req.query.lang;
  if (lang === 'en' || lang === 'zh') setCookie(req, res, LANG_COOKIE, lang, { maxAgeSeconds: 365 * 86400 });
  next();
};

/**
 * The web console under /console: server-rendered pages, plain forms, one small script. Its routes
 * are added to the app itself (full paths, no sub-router), so route listings name them as served.
 */
export function mountConsole(app: IRouter, deps: ConsoleDeps): void {
  app.use(`${BASE}/assets`, express.static(assetsDir(), { fallthrough: false, index: false, maxAge: '1h' }));
  app.use(BASE, pagePolicy, rememberLanguage, loadSession(deps));
  signInRoutes(app, deps);
  miniAppRoutes(app, deps);
  app.use(BASE, requireSession(deps));
  boardRoutes(app, deps);
  wishFormRoutes(app, deps);
  wishPageRoutes(app, deps);
  assessmentRoutes(app, deps);
  consentRoutes(app, deps);
  matchRoutes(app, deps);
  communityRoutes(app, deps);
  intakeRoutes(app, deps);
  donorRoutes(app, deps);
  directoryRoutes(app, deps);
  teamRoutes(app, deps);
  reportRoutes(app, deps);
  stockRoutes(app, deps);
  exportRoutes(app, deps);
  app.use(BASE, (req, res) => sendErrorPage(res, pageContext(req, deps, req.consoleSession), 404, pageContext(req, deps).t('console.error.notFound')));
}
