import { Request, RequestHandler, Response } from 'express';
import { Logger } from 'pino';
import { DomainError, isDomainError } from '../../domain/errors';
import { asUnavailable } from '../../db/unavailable';
import { catalogs, MessageKey } from '../../ui/i18n';
import { BASE, ConsoleDeps, pageContext, PageContext } from './context';
import { html } from './html';
import { page } from './layout';

const STATUS: Record<DomainError['kind'], number> = { invalid: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, busy: 503, unavailable: 503 };

/** A refusal in the page's language: the bot's own words for the code when it has them. */
export function refusalText(err: DomainError, ctx: PageContext): string {
  if (err.kind === 'not_found') return ctx.t('console.error.notFound');
  const key = `refusal.${err.code}` as MessageKey;
  return key in catalogs[ctx.lang] ? ctx.t(key) : err.message;
}

export function sendErrorPage(res: Response, ctx: PageContext, status: number, message: string): void {
  res.status(status).setHeader('Cache-Control', 'no-store');
  res.send(
    String(
      page(
        ctx,
        ctx.t('console.error.heading'),
        html`<h1>${ctx.t('console.error.heading')}</h1>
        <p role="alert">${message}</p>
        <p><a href="${BASE}/">${ctx.t('console.error.back')}</a></p>`,
      ),
    ),
  );
}

/** A console handler whose refusals become pages in the reader's language; anything else is logged and is a 500 page. */
export function pageHandler(deps: Pick<ConsoleDeps, 'timezone' | 'currency'> & { logger: Logger }, fn: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return async (req, res) => {
    try {
      await fn(req, res);
    } catch (thrown) {
      const ctx = pageContext(req, deps, req.consoleSession);
      const err = asUnavailable(thrown);
      if (isDomainError(err)) return sendErrorPage(res, ctx, STATUS[err.kind], refusalText(err, ctx));
      (req.log ?? deps.logger).error({ err }, 'console page failed');
      sendErrorPage(res, ctx, 500, ctx.t('console.error.generic'));
    }
  };
}
