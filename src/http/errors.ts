import { ErrorRequestHandler, RequestHandler } from 'express';
import { Logger } from 'pino';
import { asUnavailable } from '../db/unavailable';
import { ErrorKind, isDomainError } from '../domain/errors';
import { Metrics } from '../domain/metrics';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  busy: 503,
  unavailable: 503,
};

/** The one shape of every error answer: `{error: {code, message, details?}}`. */
export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * Counts every error answer by its code, wherever it was written: this handler below, the 404 for
 * an unknown route, and the middleware that answer for themselves (body limits and timeouts, the
 * rate limit, the webhook's secret). Mounted first; it watches `res.json` for an error body.
 */
export function countErrors(metrics: Pick<Metrics, 'error'>): RequestHandler {
  return (_req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const code = res.statusCode >= 400 ? (body as { error?: { code?: unknown } } | null)?.error?.code : undefined;
      if (typeof code === 'string') metrics.error(code, 'http');
      return json(body);
    };
    next();
  };
}

export const notFoundRoute: RequestHandler = (req, res) => {
  const path = req.path.length > 200 ? `${req.path.slice(0, 200)}…` : req.path;
  res.status(404).json(errorBody('route_not_found', `No route ${req.method} ${path}`));
};

/** What body-parser (and raw-body under it) call the caller's failures, in our words. Their 500s (stream.encoding.set, stream.not.readable) are ours and stay 500s. */
const PARSER_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON' },
  'entity.too.large': { status: 413, code: 'too_large', message: 'The request body is too large' },
  'encoding.unsupported': { status: 415, code: 'unsupported_encoding', message: 'Unsupported Content-Encoding: send the body as identity, gzip, deflate or br' },
  'charset.unsupported': { status: 415, code: 'unsupported_charset', message: 'Unsupported charset: send JSON as UTF-8' },
  'request.aborted': { status: 400, code: 'request_aborted', message: 'The request was aborted before its body arrived' },
  'request.size.invalid': { status: 400, code: 'bad_length', message: 'The body does not have the length its Content-Length says' },
};

const CODE_OF_STATUS: Record<number, string> = { 400: 'bad_request', 404: 'route_not_found', 405: 'method_not_allowed', 408: 'body_timeout', 413: 'too_large', 415: 'unsupported_media_type', 431: 'headers_too_large' };

/** A 4xx the HTTP layer (router, body-parser, zlib under it) raised, as status + body; undefined for anything else. */
export function httpErrorOf(err: unknown): { status: number; body: ReturnType<typeof errorBody> } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; code?: unknown; expose?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  // The router decodes path parameters with decodeURIComponent: '%ZZ' or a cut '%E0%A4%A' is the caller's mistake.
  if (err instanceof URIError || (err as Error).name === 'URIError') {
    return { status: 400, body: errorBody('bad_path', 'The path has broken percent-encoding (such as %ZZ or a cut-off %E0%A4)') };
  }
  const known = typeof e.type === 'string' ? PARSER_ERRORS[e.type] : undefined;
  if (known) return { status: known.status, body: errorBody(known.code, known.message) };
  if (status === undefined || status < 400 || status >= 500) return undefined;
  // A gzip/deflate/br body that does not decompress: zlib's error, given a 400 by body-parser.
  if (typeof e.code === 'string' && /^(Z_|ERR__ERROR_|ERR_BROTLI)/.test(e.code)) {
    return { status: 400, body: errorBody('bad_encoding', 'The request body does not decompress as its Content-Encoding says') };
  }
  const message = e.expose === true && typeof e.message === 'string' ? e.message.slice(0, 200) : 'The request could not be handled as sent';
  return { status, body: errorBody(CODE_OF_STATUS[status] ?? 'bad_request', message) };
}

/** The one place HTTP maps errors: domain refusals to 4xx, transport failures (path, body, encoding) to 4xx, an unreachable database to 503, the rest to a bare 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (thrown, req, res, _next) => {
    if (res.headersSent) {
      // An answer is already out (e.g. a 408 for a body that never came, then the aborted read fails): nothing more to say.
      if (!res.writableEnded) res.destroy();
      return;
    }
    const err = asUnavailable(thrown);
    if (isDomainError(err)) {
      if (err.kind === 'busy') res.setHeader('Retry-After', '1');
      if (err.kind === 'unavailable') res.setHeader('Retry-After', '30');
      res.status(STATUS[err.kind]).json(errorBody(err.code, err.message, err.details));
      return;
    }
    const http = httpErrorOf(err);
    if (http) {
      res.status(http.status).json(http.body);
      return;
    }
    (req.log ?? logger).error({ err }, 'unhandled error');
    res.status(500).json(errorBody('internal', 'Something went wrong on our side; it has been logged'));
  };
}
