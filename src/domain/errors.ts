// Typed refusals. Each transport (HTTP, bot) maps them to its own words in one place.

export type ErrorKind = 'not_found' | 'forbidden' | 'conflict' | 'invalid' | 'busy' | 'unauthenticated';

export interface FieldIssue {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
  /** A stable machine-readable reason, e.g. `already_taken`, used for translations and API clients. */
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
}

export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}

/** The request is well formed but the current state refuses it (already taken, target reached, closed). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

export class InvalidError extends DomainError {
  readonly kind = 'invalid';

  static fields(issues: FieldIssue[]): InvalidError {
    const names = [...new Set(issues.map((i) => i.field))];
    return new InvalidError('invalid_input', `Invalid ${names.join(', ')}`, { fields: issues });
  }
}

/** Too much contention: the caller may simply try again. */
export class BusyError extends DomainError {
  readonly kind = 'busy';
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}
