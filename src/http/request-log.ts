import { randomUUID } from 'node:crypto';
import { RequestHandler } from 'express';
import { Logger } from 'pino';

declare module 'express-serve-static-core' {
  interface Request {
    log?: Logger;
    /** This request's id: the caller's X-Request-Id when it is a sane one, else a fresh UUID. */
    id?: string;
  }
}

/** What we accept from a caller's X-Request-Id; anything else (15 KB, newlines, unicode) is replaced, not logged. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestIdOf(header: string | undefined): string {
  return header !== undefined && REQUEST_ID.test(header) ? header : randomUUID();
}

/** A child logger per request, the request id echoed in X-Request-Id, and one line when it finishes. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    req.id = requestIdOf(req.get('x-request-id'));
    res.setHeader('X-Request-Id', req.id);
    req.log = logger.child({ reqId: req.id });
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The path is the caller's: keep a hostile one from filling the log.
      const path = req.path.length > 200 ? `${req.path.slice(0, 200)}…` : req.path;
      req.log!.info({ method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}
