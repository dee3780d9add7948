import { isDomainError, UnavailableError } from '../domain/errors';

/** Driver errors that mean "the database cannot be reached", not "the request was wrong". */
const UNREACHABLE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
]);

/**
 * Whether an error means the database is out of reach (stopped, restarting, network cut), so the
 * caller should say "try again in a minute" rather than "something went wrong". Walks `cause`.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isDomainError(e)) return e.kind === 'unavailable';
    const name = (e as { name?: unknown }).name;
    if (typeof name === 'string' && UNREACHABLE.has(name)) return true;
    const message = (e as { message?: unknown }).message;
    // mongoose, when commands are buffered while disconnected and the buffer times out.
    if (typeof message === 'string' && /buffering timed out|Client must be connected|connection .* closed/i.test(message)) return true;
  }
  return false;
}

/** The same error as a domain refusal when it is an outage; anything else unchanged. */
export function asUnavailable(err: unknown): unknown {
  if (isDomainError(err) || !isDatabaseUnavailable(err)) return err;
  return new UnavailableError('unavailable', 'The database cannot be reached right now; please try again in a minute');
}
