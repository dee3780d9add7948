// Telegram's sending limits, kept on our side so we never hear 429: about 30 messages a second overall,
// 20 a minute per group, 1 a second per chat. Pure: every call takes `now` in milliseconds.
//
// Telegram counts a request when it ARRIVES, which we never see: only that it lies between the moment
// we sent the request and the moment its answer came back. So each send occupies our windows from
// when it goes out until a full window after its answer (or, while unanswered, indefinitely): two
// sends a window apart here are then a window apart there, whatever the network did to either of them
// in between. That margin is exactly one round trip, no more; `marginMs` adds a little on top for what
// the round trip does not cover (clock granularity, Telegram's own bookkeeping).

export interface SendLimits {
  /** Sends in any one second, all chats together. */
  globalPerSecond: number;
  /** Sends to one group (a negative chat id) in any 60 seconds. */
  perGroupPerMinute: number;
  /** Sends to one chat, private or group, in any one second. */
  perChatPerSecond: number;
  /** Added to each one-second window (ten times that to the minute window). */
  marginMs: number;
  /**
   * At most this many sends overall in any `globalBurst / globalPerSecond` of a second (5: any 1/6 s),
   * counted when they go out: a second's sends are spread over it rather than sent in one burst.
   */
  globalBurst: number;
}

export const DEFAULT_LIMITS: SendLimits = { globalPerSecond: 30, perGroupPerMinute: 20, perChatPerSecond: 1, marginMs: 20, globalBurst: 5 };

/** One send in the windows: when it went out, and when its answer came back (undefined while in flight). */
export interface Ticket {
  readonly chatId: number;
  readonly sentAt: number;
  answeredAt?: number;
}

export type Reservation = { ok: true; ticket: Ticket } | { ok: false; waitMs: number };

export const isGroup = (chatId: number) => chatId < 0;

export function createRateLimiter(given: Partial<SendLimits> = {}) {
  const limits = { ...DEFAULT_LIMITS, ...given };
  for (const [name, n] of Object.entries(limits)) {
    if (!(Number.isFinite(n) && n >= 0) || (name !== 'marginMs' && n < 1)) throw new Error(`send limit ${name} must be positive, got ${n}`);
  }
  const secondMs = 1000 + limits.marginMs;
  const burstMs = (secondMs * Math.min(limits.globalBurst, limits.globalPerSecond)) / limits.globalPerSecond;
  const minuteMs = 60_000 + 10 * limits.marginMs;
  /** Every send still in some window, in the order they went out. */
  let global: Ticket[] = [];
  const perChat = new Map<number, Ticket[]>();
  const perGroup = new Map<number, Ticket[]>();
  const blocked = new Map<number | 'global', number>();

  /** Whether a send may still have arrived within `spanMs` before `now` (an unanswered one always may). */
  const live = (t: Ticket, spanMs: number, now: number) => t.answeredAt === undefined || t.answeredAt > now - spanMs;

  /**
   * Milliseconds until a window of `spanMs` holding at most `max` sends has room at `now` (0: room now).
   * An unanswered send is taken as answered now: the real wait is never shorter, so waiting this long
   * and asking again wastes nothing.
   */
  function waitIn(xs: Ticket[] | undefined, spanMs: number, max: number, now: number): number {
    if (!xs || xs.length < max) return 0;
    const leaving = xs.filter((t) => live(t, spanMs, now)).map((t) => (t.answeredAt ?? now) + spanMs);
    if (leaving.length < max) return 0;
    leaving.sort((a, b) => a - b);
    return leaving[leaving.length - max]! - now;
  }

  /** The burst window counts sends when they go out (times in order). */
  function burstWait(now: number): number {
    const recent = global.filter((t) => t.sentAt > now - burstMs);
    return recent.length >= limits.globalBurst ? recent[recent.length - limits.globalBurst]!.sentAt + burstMs - now : 0;
  }

  /** Drops sends that can no longer matter to any window they are in. */
  function forget(now: number): void {
    const keep = (spanMs: number) => (t: Ticket) => live(t, spanMs, now) || t.sentAt > now - burstMs;
    if (global.length > 0 && !global.every(keep(secondMs))) global = global.filter(keep(secondMs));
    for (const [k, xs] of perChat) {
      const left = xs.filter((t) => live(t, secondMs, now));
      if (left.length === 0) perChat.delete(k);
      else if (left.length < xs.length) perChat.set(k, left);
    }
    for (const [k, xs] of perGroup) {
      const left = xs.filter((t) => live(t, minuteMs, now));
      if (left.length === 0) perGroup.delete(k);
      else if (left.length < xs.length) perGroup.set(k, left);
    }
  }

  /** The wait every chat shares, asked once per chat in a pass: kept until the windows change. */
  let shared: { now: number; ms: number } | undefined;
  function sharedWait(now: number): number {
    if (shared?.now !== now) shared = { now, ms: Math.max((blocked.get('global') ?? 0) - now, waitIn(global, secondMs, limits.globalPerSecond, now), burstWait(now)) };
    return shared.ms;
  }

  /** How long until a message to this chat may go (0: now), without taking anything. */
  function waitMs(chatId: number, now: number): number {
    return Math.max(
      0,
      sharedWait(now),
      (blocked.get(chatId) ?? 0) - now,
      waitIn(perChat.get(chatId), secondMs, limits.perChatPerSecond, now),
      isGroup(chatId) ? waitIn(perGroup.get(chatId), minuteMs, limits.perGroupPerMinute, now) : 0,
    );
  }

  const push = <K>(m: Map<K, Ticket[]>, k: K, t: Ticket) => {
    const xs = m.get(k);
    if (xs) xs.push(t);
    else m.set(k, [t]);
  };
  const remove = (xs: Ticket[] | undefined, t: Ticket) => {
    const i = xs ? xs.indexOf(t) : -1;
    if (i >= 0) xs!.splice(i, 1);
  };

  return {
    limits,
    waitMs,
    /** Takes the right to send one message to this chat now, or says how long to wait. */
    reserve(chatId: number, now: number): Reservation {
      forget(now);
      const wait = waitMs(chatId, now);
      if (wait > 0) return { ok: false, waitMs: wait };
      const ticket: Ticket = { chatId, sentAt: now };
      shared = undefined;
      global.push(ticket);
      push(perChat, chatId, ticket);
      if (isGroup(chatId)) push(perGroup, chatId, ticket);
      return { ok: true, ticket };
    },
    /** The call went out and its answer (or error) came back at `at`: Telegram counted it by then, if at all. */
    settle(ticket: Ticket, at: number): void {
      ticket.answeredAt = Math.max(ticket.sentAt, at);
      shared = undefined;
    },
    /** No call went out on it, or Telegram refused it (429) and so did not count it: neither do we. */
    release(ticket: Ticket): void {
      shared = undefined;
      remove(global, ticket);
      remove(perChat.get(ticket.chatId), ticket);
      if (isGroup(ticket.chatId)) remove(perGroup.get(ticket.chatId), ticket);
    },
    /** Telegram said 429 "retry after": nothing more to this chat (or to anyone) until then. */
    blockUntil(target: number | 'global', until: number): void {
      shared = undefined;
      blocked.set(target, Math.max(blocked.get(target) ?? 0, until));
    },
    /** Chats that cannot take a message for at least `minWaitMs` (full group windows, 429 blocks). */
    blockedChats(now: number, minWaitMs: number): number[] {
      const candidates = new Set<number>(perGroup.keys());
      for (const k of blocked.keys()) if (k !== 'global') candidates.add(k);
      return [...candidates].filter((chatId) => waitMs(chatId, now) >= minWaitMs);
    },
    /** Forgets chats idle past every window, so a long-running sender does not grow. */
    prune(now: number): void {
      shared = undefined;
      forget(now);
      for (const [k, until] of blocked) if (until <= now) blocked.delete(k);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
