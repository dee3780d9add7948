// The fake Bot API's call log, narrowed the way `GET /_fake/calls?since=…&method=…&chat_id=…` asks:
// a test or a person reading the log wants "what was sent to this chat since I pressed", not all of it.
import type { RecordedCall } from './types';

export interface CallsFilter {
  /** Calls after this one (`seq` greater than it), or at or after this moment (ms since the epoch). */
  since?: { seq: number } | { at: number };
  /** Any of these methods (compared without case, as the Bot API reads method names). */
  methods?: string[];
  /** Calls whose `chat_id` parameter is this chat. */
  chatId?: number;
}

export class CallsFilterError extends Error {}

const one = (v: unknown): string | undefined => {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(',');
  return String(v);
};

/**
 * Reads the query string: `since` is a call's `seq` (a whole number: the calls after it) or an ISO
 * date/time (the calls answered at or after it); `method` is one name or several separated by commas;
 * `chat_id` a chat id. Anything else is refused with a message naming the parameter.
 */
export function parseCallsFilter(query: Record<string, unknown>): CallsFilter {
  const filter: CallsFilter = {};
  const since = one(query.since)?.trim();
  if (since !== undefined && since !== '') {
    if (/^\d+$/.test(since)) filter.since = { seq: Number(since) };
    else {
      const at = /^\d{4}-\d{2}-\d{2}/.test(since) ? Date.parse(since) : NaN;
      if (Number.isNaN(at)) throw new CallsFilterError(`since must be a call's seq (a whole number) or an ISO date such as 2026-11-23T19:00:00Z, not "${since}"`);
      filter.since = { at };
    }
  }
  const method = one(query.method)?.trim();
  if (method !== undefined && method !== '') {
    const methods = method.split(',').map((m) => m.trim()).filter(Boolean);
    if (!methods.every((m) => /^[A-Za-z]+$/.test(m))) throw new CallsFilterError(`method must be Bot API method names separated by commas, not "${method}"`);
    filter.methods = methods;
  }
  const chat = one(query.chat_id)?.trim();
  if (chat !== undefined && chat !== '') {
    if (!/^-?\d+$/.test(chat) || !Number.isSafeInteger(Number(chat))) throw new CallsFilterError(`chat_id must be a chat id such as -1001234567890, not "${chat}"`);
    filter.chatId = Number(chat);
  }
  return filter;
}

export function filterCalls(calls: readonly RecordedCall[], filter: CallsFilter): RecordedCall[] {
  const methods = filter.methods?.map((m) => m.toLowerCase());
  const since = filter.since;
  return calls.filter(
    (c) =>
      (since === undefined || ('seq' in since ? c.seq > since.seq : c.at >= since.at)) &&
      (methods === undefined || methods.includes(c.method.toLowerCase())) &&
      (filter.chatId === undefined || (c.params.chat_id !== undefined && String(c.params.chat_id).trim() === String(filter.chatId))),
  );
}
