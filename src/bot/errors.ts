import { isDomainError } from '../domain/errors';
import { MessageKey } from '../ui/i18n';

const KEYS: Record<string, MessageKey> = {
  already_taken: 'claim.alreadyTaken',
  target_reached: 'claim.targetReached',
  already_pledged: 'claim.alreadyPledged',
  wish_closed: 'claim.closed',
  not_published: 'claim.closed',
  pledge_closed: 'claim.closed',
  deadline_passed: 'claim.closed',
  exceeds_remaining: 'claim.exceeds',
  busy: 'claim.busy',
  forbidden: 'error.forbidden',
  wish_not_found: 'error.notFound',
  pledge_not_found: 'error.notFound',
  invite_not_found: 'link.invalid',
  invite_used: 'link.used',
  invite_expired: 'link.expired',
};

/** The one place the bot turns a domain refusal into words; anything unexpected is a generic apology. */
export function messageForError(err: unknown): { key: MessageKey; params: Record<string, string | number>; expected: boolean } {
  if (isDomainError(err)) {
    const key = KEYS[err.code] ?? (err.kind === 'forbidden' ? 'error.forbidden' : err.kind === 'not_found' ? 'error.notFound' : err.kind === 'busy' ? 'error.busy' : undefined);
    if (key) {
      const details = (err.details ?? {}) as Record<string, unknown>;
      return { key, params: { remaining: Number(details.remaining ?? 0) }, expected: true };
    }
  }
  return { key: 'error.generic', params: {}, expected: false };
}
