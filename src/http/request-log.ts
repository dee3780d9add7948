import { randomUUID } from 'node:crypto';
import { RequestHandler } from 'express';
import { Logger } from 'pino';

declare module 'express-serve-static-core' {
  interface Request {
    log?: Logger;
  }
}

/** A child logger per request, and one line when it finishes. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    req.log = logger.child({ reqId: req.get('x-request-id') ?? randomUUID() });
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      req.log!.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}
