// Typed refusals. Each transport (HTTP, bot) maps them to its own words in one place.

export type ErrorKind = 'not_found' | 'forbidden' | 'conflict' | 'invalid' | 'busy' | 'unavailable' | 'unauthenticated';

/**
 * Every reason the domain can give for refusing, with its kind. The bot has an English and a
 * Chinese text for each (`refusal.<code>` in the catalogs; a test enumerates this list), the API
 * returns the code as `error.code`.
 */
export const REFUSALS = {
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  wish_not_found: 'not_found',
  donor_not_found: 'not_found',
  pledge_not_found: 'not_found',
  community_not_found: 'not_found',
  invite_not_found: 'not_found',
  /** An API token id that names no token. */
  token_not_found: 'not_found',
  /** A Telegram id that names no resident of the asker's communities. */
  resident_not_found: 'not_found',
  invalid_input: 'invalid',
  use_claim: 'invalid',
  use_pledge: 'invalid',
  deadline_passed: 'invalid',
  not_published: 'conflict',
  wish_closed: 'conflict',
  already_taken: 'conflict',
  target_reached: 'conflict',
  exceeds_remaining: 'conflict',
  already_pledged: 'conflict',
  pledge_closed: 'conflict',
  pledge_delivered: 'conflict',
  not_due: 'conflict',
  invite_used: 'conflict',
  invite_expired: 'conflict',
  /** A button whose data does not fit the wish it names (forged, or from an older version). */
  stale_button: 'invalid',
  /** A receipt confirmed before the pledge was marked delivered. */
  not_delivered: 'conflict',
  /** A worker confirming a pledge they made themselves: the resident or another worker must. */
  own_pledge: 'forbidden',
  /** A group already linked to another community, moved by someone who may not move it. */
  group_linked_elsewhere: 'forbidden',
  /** Linking a group, or changing its settings, needs its Telegram administrators. */
  not_group_admin: 'forbidden',
  /** Publishing a wish whose resident has not said yes (ask them, or record what they said in person). */
  consent_needed: 'conflict',
  /** Asking the resident of a wish that no resident follows in Telegram. */
  no_resident: 'conflict',
  /** A resident's answer to a preview of the card that has changed since. */
  card_changed: 'conflict',
  /** A resident pressing a different answer to a question they already answered. */
  already_answered: 'conflict',
  /** Acting on the personal side of a wish whose resident was erased. */
  resident_erased: 'conflict',
  /** A directory entry moved where its state does not allow (a retired one approved). */
  resource_state: 'conflict',
  /** A directory entry that does not exist (or is another community's). */
  resource_not_found: 'not_found',
  /** A volunteer team that does not exist (or is another community's), or a join link that names none. */
  team_not_found: 'not_found',
  /** A slot of a service request that does not exist. */
  slot_not_found: 'not_found',
  /** Signing up for a team's slot without being in the team. */
  not_team_member: 'forbidden',
  /** Signing up or leaving after the slot started. */
  slot_started: 'conflict',
  /** Checking in too early, or after the slot ended. */
  slot_not_yet: 'conflict',
  slot_over: 'conflict',
  /** Checking in, leaving or saying Done at a slot one is not signed up for. */
  not_signed_up: 'conflict',
  /** Done or confirmed before checking in. */
  not_checked_in: 'conflict',
  /** An item the community's stock has never received. */
  item_not_found: 'not_found',
  /** An allocation of stock that does not exist. */
  allocation_not_found: 'not_found',
  /** Allocating, transferring or writing off more than is on the shelf. */
  not_enough_stock: 'conflict',
  /** A surplus offer that does not exist, or has closed. */
  offer_not_found: 'not_found',
  offer_closed: 'conflict',
  busy: 'busy',
  /** One person pressing faster than anyone reads: a short pause, then it works again. */
  slow_down: 'busy',
  /** The database cannot be reached right now; nothing was changed. */
  unavailable: 'unavailable',
} as const satisfies Record<string, ErrorKind>;

export type RefusalCode = keyof typeof REFUSALS;
export const REFUSAL_CODES = Object.keys(REFUSALS) as RefusalCode[];

/**
 * What is wrong with one field of some input. `code` is stable (the bot translates it, API clients
 * may branch on it); `message` is the English wording the API returns.
 */
export interface FieldIssue {
  field: string;
  code: IssueCode;
  message: string;
  params?: Record<string, string | number>;
}

/** Every reason a field can be refused; the bot has `issue.<code>` in both catalogs for each. */
export const ISSUE_CODES = [
  'required',
  'wrong_type',
  'unknown_field',
  'too_short',
  'too_long',
  'not_a_number',
  'not_whole',
  'too_small',
  'too_large',
  'not_a_date',
  'date_past',
  'date_too_far',
  'has_phone',
  'has_email',
  'has_id_number',
  'has_name',
  'not_a_choice',
  'unknown_community',
  'not_a_worker',
  'unknown_area',
  'ends_before_start',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
  /** A stable machine-readable reason, e.g. `already_taken`, used for translations and API clients. */
  readonly code: RefusalCode;
  readonly details?: Record<string, unknown>;

  constructor(code: RefusalCode, message: string, details?: Record<string, unknown>) {
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

  /** The field issues of an `invalid_input` refusal (empty for other invalid codes). */
  get issues(): FieldIssue[] {
    return ((this.details?.fields as FieldIssue[] | undefined) ?? []).slice();
  }
}

/** Too much contention: the caller may simply try again. */
export class BusyError extends DomainError {
  readonly kind = 'busy';
}

/** A store the request needs cannot be reached (database down): nothing was changed, try again in a minute. */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable';
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}
