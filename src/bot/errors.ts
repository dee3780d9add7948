import { asUnavailable } from '../db/unavailable';
import { DomainError, InvalidError, isDomainError } from '../domain/errors';
import { Locale, money } from '../ui/format';
import { t } from '../ui/i18n';

/**
 * The one place the bot turns a domain refusal into words, in the reader's language: every
 * refusal code has its own text (`refusal.<code>`), and a refused field its reason (`issue.<code>`).
 * An unreachable database reads as the `unavailable` refusal. Anything else is not a refusal: undefined, and the caller lets it reach the apology in bot.catch.
 */
export function refusalText(thrown: unknown, locale: Locale): string | undefined {
  const err = asUnavailable(thrown);
  if (!isDomainError(err)) return undefined;
  const first = err instanceof InvalidError ? err.issues[0] : undefined;
  if (first) return t(locale.language, 'newwish.invalid', { reason: t(locale.language, `issue.${first.code}`, first.params ?? {}) });
  return t(locale.language, `refusal.${err.code}`, refusalParams(err, locale));
}

/** Amounts a refusal mentions, as money: only cash wishes refuse with an amount. */
function refusalParams(err: DomainError, locale: Locale): Record<string, string | number> {
  const details = (err.details ?? {}) as Record<string, unknown>;
  const params: Record<string, string | number> = {};
  for (const key of ['remaining', 'amount'] as const) {
    if (typeof details[key] === 'number') params[key] = money(details[key], locale.currency);
  }
  return params;
}

/** The code an error is counted under (metrics): a domain refusal's own code, else `internal`. */
export function errorCodeOf(thrown: unknown): string {
  const err = asUnavailable(thrown);
  return isDomainError(err) ? err.code : 'internal';
}

/** A refusal that trying again soon may cure (contention): a button stays in place for it. */
export function isTransient(err: unknown): boolean {
  const e = asUnavailable(err);
  return isDomainError(e) && (e.kind === 'busy' || e.kind === 'unavailable');
}
