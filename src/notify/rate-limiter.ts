// Telegram's sending limits, kept on our side so we (almost) never hear 429: about 30 messages a
// second overall, 20 a minute per group, 1 a second per chat. Sliding windows over the times of our
// own sends; pure: every call takes `now` in milliseconds.

export interface SendLimits {
  /** Sends in any one second, all chats together. */
  globalPerSecond: number;
  /** Sends to one group (a negative chat id) in any 60 seconds. */
  perGroupPerMinute: number;
  /** Sends to one chat, private or group, in any one second. */
  perChatPerSecond: number;
  /**
   * Added to each one-second window (ten times that to the minute window): we time a send when we
   * hand it to the network and Telegram times it when it arrives, so two sends a full window apart
   * here must still be a window apart there, whatever the jitter between.
   */
  marginMs: number;
  /**
   * At most this many sends overall in any `globalBurst / globalPerSecond` of a second (5: any 1/6 s):
   * a second's sends are spread over it rather than sent in one burst, which would reach Telegram
   * spread out by queueing and crowd the next second's window.
   */
  globalBurst: number;
}

export const DEFAULT_LIMITS: SendLimits = { globalPerSecond: 30, perGroupPerMinute: 20, perChatPerSecond: 1, marginMs: 40, globalBurst: 5 };

export type Reservation = { ok: true } | { ok: false; waitMs: number };

export const isGroup = (chatId: number) => chatId < 0;

export function createRateLimiter(given: Partial<SendLimits> = {}) {
  const limits = { ...DEFAULT_LIMITS, ...given };
  for (const [name, n] of Object.entries(limits)) {
    if (!(Number.isFinite(n) && n >= 0) || (name !== 'marginMs' && n < 1)) throw new Error(`send limit ${name} must be positive, got ${n}`);
  }
  const secondMs = 1000 + limits.marginMs;
  const burstMs = (secondMs * Math.min(limits.globalBurst, limits.globalPerSecond)) / limits.globalPerSecond;
  const minuteMs = 60_000 + 10 * limits.marginMs;
  const global: number[] = [];
  const perChat = new Map<number, number[]>();
  const perGroup = new Map<number, number[]>();
  const blocked = new Map<number | 'global', number>();

  /** Milliseconds until a window of `spanMs` holding at most `max` sends has room at `now` (0 or less: room now). */
  const waitIn = (xs: number[] | undefined, spanMs: number, max: number, now: number) =>
    // Room once the send `max` places back has left the window (times are in order).
    xs && xs.length >= max ? xs[xs.length - max]! + spanMs - now : 0;
  const forget = (xs: number[] | undefined, spanMs: number, now: number) => {
    while (xs && xs.length > 0 && xs[0]! <= now - spanMs) xs.shift();
  };

  /** How long until a message to this chat may go (0: now), without taking anything. */
  function waitMs(chatId: number, now: number): number {
    forget(global, secondMs, now);
    forget(perChat.get(chatId), secondMs, now);
    if (isGroup(chatId)) forget(perGroup.get(chatId), minuteMs, now);
    return Math.max(
      0,
      (blocked.get('global') ?? 0) - now,
      (blocked.get(chatId) ?? 0) - now,
      waitIn(global, secondMs, limits.globalPerSecond, now),
      waitIn(global, burstMs, limits.globalBurst, now),
      waitIn(perChat.get(chatId), secondMs, limits.perChatPerSecond, now),
      isGroup(chatId) ? waitIn(perGroup.get(chatId), minuteMs, limits.perGroupPerMinute, now) : 0,
    );
  }

  const push = <K>(m: Map<K, number[]>, k: K, now: number) => {
    const xs = m.get(k);
    if (xs) xs.push(now);
    else m.set(k, [now]);
  };

  return {
    limits,
    waitMs,
    /** Takes the right to send one message to this chat now, or says how long to wait. */
    reserve(chatId: number, now: number): Reservation {
      const wait = waitMs(chatId, now);
      if (wait > 0) return { ok: false, waitMs: wait };
      global.push(now);
      push(perChat, chatId, now);
      if (isGroup(chatId)) push(perGroup, chatId, now);
      return { ok: true };
    },
    /** A send reserved at `at` was refused (429): Telegram did not count it, so neither do we. */
    release(chatId: number, at: number): void {
      const drop = (xs: number[] | undefined) => {
        const i = xs ? xs.lastIndexOf(at) : -1;
        if (i >= 0) xs!.splice(i, 1);
      };
      drop(global);
      drop(perChat.get(chatId));
      if (isGroup(chatId)) drop(perGroup.get(chatId));
    },
    /** Telegram said 429 "retry after": nothing more to this chat (or to anyone) until then. */
    blockUntil(target: number | 'global', until: number): void {
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
      for (const [k, xs] of perChat) if ((xs.at(-1) ?? 0) <= now - secondMs) perChat.delete(k);
      for (const [k, xs] of perGroup) if ((xs.at(-1) ?? 0) <= now - minuteMs) perGroup.delete(k);
      for (const [k, until] of blocked) if (until <= now) blocked.delete(k);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
