// What a failed Bot API call means for the outbox item behind it: wait and retry, or give up for good.
// Pure: no I/O, no clock (the caller passes its random source for the backoff jitter).

export interface ApiFailure {
  /** Telegram's error_code; undefined for network errors (and for calls we cut off). */
  code?: number;
  description: string;
  retryAfter?: number;
}

export type Outcome =
  | { kind: 'sent'; messageId?: number }
  | { kind: 'retry'; afterMs: number; error: string; code?: number; rateLimited?: boolean }
  | { kind: 'failed'; code?: number; error: string }
  /** The attempt was given up before its call (the turn ended, the fence ran short, the card is busy elsewhere): not an attempt. */
  | { kind: 'later'; afterMs: number; reason: string };

/** A TelegramError (telegraf) or any `{response: {error_code, description, parameters}}`; else a network error. */
export function failureOf(err: unknown): ApiFailure {
  const e = (err ?? {}) as {
    response?: { error_code?: unknown; description?: unknown; parameters?: { retry_after?: unknown } };
    code?: unknown;
    description?: unknown;
    parameters?: { retry_after?: unknown };
    message?: unknown;
  };
  const r = e.response;
  if (r && typeof r.error_code === 'number') {
    const retryAfter = r.parameters?.retry_after;
    return { code: r.error_code, description: String(r.description ?? ''), ...(typeof retryAfter === 'number' ? { retryAfter } : {}) };
  }
  if (typeof e.code === 'number' && typeof e.description === 'string') {
    const retryAfter = e.parameters?.retry_after;
    return { code: e.code, description: e.description, ...(typeof retryAfter === 'number' ? { retryAfter } : {}) };
  }
  // Network: ECONNREFUSED, ETIMEDOUT, fetch failures, aborts. Keep the errno code in the text.
  const message = typeof e.message === 'string' ? e.message : String(err);
  return { description: typeof e.code === 'string' && !message.includes(e.code) ? `${e.code}: ${message}` : message };
}

/** Telegram will never take these: the user blocked us or never started, the chat is gone, we may not write there. */
const PERMANENT_400 = /chat not found|PEER_ID_INVALID|user not found|user is deactivated|group chat was upgraded|not enough rights|have no rights|CHAT_WRITE_FORBIDDEN|CHAT_RESTRICTED/i;

export const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * What to do after a failed call, given the attempts so far including this one: 429 waits as told
 * (not an attempt); 403 and a chat that is gone are final; other 4xx are requests Telegram will never
 * take, also final, except 401/404 (a wrong token or API root: ours to fix, so keep the items);
 * 5xx and network errors back off exponentially with jitter, up to `maxAttempts`.
 */
export function classify(f: ApiFailure, attempts: number, maxAttempts: number, random: () => number = Math.random): Outcome {
  if (f.code === 429) return { kind: 'retry', afterMs: Math.max(1, f.retryAfter ?? 1) * 1000, error: f.description, code: 429, rateLimited: true };
  if (f.code === 403 || (f.code === 400 && PERMANENT_400.test(f.description))) return { kind: 'failed', code: f.code, error: f.description };
  if (f.code !== undefined && f.code >= 400 && f.code < 500 && f.code !== 401 && f.code !== 404) return { kind: 'failed', code: f.code, error: f.description };
  if (attempts >= maxAttempts) return { kind: 'failed', code: f.code, error: `gave up after ${attempts} attempts: ${f.description}` };
  const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (attempts - 1));
  return { kind: 'retry', afterMs: Math.round(base / 2 + (random() * base) / 2), error: f.description, ...(f.code !== undefined ? { code: f.code } : {}) };
}

/** An edit that would change nothing: the message already shows it, as good as sent. */
export const isNotModified = (f: ApiFailure) => f.code === 400 && /message is not modified/i.test(f.description);

/** The message to edit was deleted, or is too old or not ours to edit: post a new one instead. */
export const isEditGone = (f: ApiFailure) => f.code === 400 && /message to edit not found|message can't be edited/i.test(f.description);
