import { timingSafeEqual } from 'node:crypto';
import express, { RequestHandler } from 'express';
import { errorBody } from './errors';

/** Body limits in bytes. The API's bodies are small; Telegram's updates stay far below 1 MB. */
export const API_BODY_LIMIT = 64 * 1024;
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/** Whether the request says it carries a body (a length or chunked transfer). */
function hasBody(req: { headers: Record<string, string | string[] | undefined> }): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}

/**
 * Refuses a body whose Content-Length is over `limit` at once, before reading a byte of it, and
 * closes the connection: body-parser would first read the whole claimed body off the socket (and
 * wait for ever when a client claims 20 MB and sends 20 bytes).
 */
export function refuseOversize(limit: number): RequestHandler {
  return (req, res, next) => {
    // Node's parser has already refused a Content-Length that is not a number.
    const raw = req.headers['content-length'];
    if (raw !== undefined && Number(raw) > limit) {
      res.setHeader('Connection', 'close');
      res.status(413).json(errorBody('too_large', `The request body is too large (at most ${limit} bytes)`, { limit }));
      return;
    }
    next();
  };
}

/**
 * A body that does not arrive within `ms` (a Content-Length larger than what is sent, a trickle)
 * gets a 408 and the connection is closed, instead of holding a request open until the server's
 * own request timeout.
 */
export function bodyTimeout(ms: number): RequestHandler {
  return (req, res, next) => {
    if (ms <= 0 || !hasBody(req) || req.complete) return next();
    const timer = setTimeout(() => {
      if (req.complete) return;
      if (!res.headersSent) {
        res.setHeader('Connection', 'close');
        res.status(408).json(errorBody('body_timeout', `The request body did not arrive within ${Math.round(ms / 1000)} s`));
      }
      // The rest of the body is not coming: free the socket once the answer is out.
      res.once('finish', () => req.socket.destroy());
      if (res.writableFinished) req.socket.destroy();
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    req.once('end', clear);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}

/** Refuses a request whose `header` is not `value` before its body is read (compared in constant time). */
export function requireSecretHeader(header: string, value: string): RequestHandler {
  const expected = Buffer.from(value);
  return (req, res, next) => {
    const given = Buffer.from(req.get(header) ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.setHeader('Connection', 'close');
    res.status(403).json(errorBody('forbidden', `Missing or wrong ${header}`));
  };
}

/** A JSON body of at most `limit` bytes, refused from its Content-Length when that says more. */
export function jsonBody(limit: number, opts: { anyContentType?: boolean } = {}): RequestHandler[] {
  return [refuseOversize(limit), express.json({ limit, strict: true, ...(opts.anyContentType ? { type: () => true } : {}) })];
}

/** After jsonBody: a POST that carried no body at all is refused here rather than handed on with nothing to read. */
export const requireBodyOnPost: RequestHandler = (req, res, next) => {
  if (req.method !== 'POST' || req.body !== undefined) return next();
  res.status(400).json(errorBody('body_required', 'A JSON body is required'));
};
