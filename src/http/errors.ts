import { ErrorRequestHandler, RequestHandler } from 'express';
import { Logger } from 'pino';
import { asUnavailable } from '../db/unavailable';
import { ErrorKind, isDomainError } from '../domain/errors';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  busy: 503,
  unavailable: 503,
};

function body(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export const notFoundRoute: RequestHandler = (req, res) => {
  res.status(404).json(body('route_not_found', `No route ${req.method} ${req.path}`));
};

/** The one place HTTP maps errors: domain refusals to 4xx, body-parser failures to 400/413, an unreachable database to 503, the rest to a bare 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (thrown, req, res, _next) => {
    const err = asUnavailable(thrown);
    if (isDomainError(err)) {
      if (err.kind === 'busy') res.setHeader('Retry-After', '1');
      if (err.kind === 'unavailable') res.setHeader('Retry-After', '30');
      res.status(STATUS[err.kind]).json(body(err.code, err.message, err.details));
      return;
    }
    const parserType = (err as { type?: string }).type;
    if (parserType === 'entity.parse.failed') {
      res.status(400).json(body('invalid_json', 'The request body is not valid JSON'));
      return;
    }
    if (parserType === 'entity.too.large') {
      res.status(413).json(body('too_large', 'The request body is too large'));
      return;
    }
    if (parserType && (err as { status?: number }).status && (err as { status: number }).status < 500) {
      res.status((err as { status: number }).status).json(body('bad_request', (err as Error).message));
      return;
    }
    (req.log ?? logger).error({ err }, 'unhandled error');
    res.status(500).json(body('internal', 'Something went wrong on our side; it has been logged'));
  };
}
