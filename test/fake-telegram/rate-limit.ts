// Telegram's sending limits as sliding windows, pure over `now` (milliseconds) so they can be tested
// directly: at most `globalPerSecond` sends in any 1 s, `perChatPerSecond` to one chat in any 1 s, and
// `perGroupPerMinute` to one group (negative chat id) in any 60 s.

export interface RateLimits {
  globalPerSecond: number;
  perGroupPerMinute: number;
  perChatPerSecond: number;
}

export const TELEGRAM_LIMITS: RateLimits = { globalPerSecond: 30, perGroupPerMinute: 20, perChatPerSecond: 1 };

export interface RateWindows {
  /** Whole seconds (at least 1) until a send to `chatId` at `now` would be allowed, or 0 when it is allowed now. Records nothing. */
  check(chatId: number, now: number): number;
  /** Records the send and returns 0 when allowed; otherwise returns check()'s wait and records nothing. */
  take(chatId: number, now: number): number;
}

export function createRateWindows(limits: RateLimits = TELEGRAM_LIMITS): RateWindows {
  for (const [name, n] of Object.entries(limits)) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`rate limit ${name} must be a positive integer, got ${n}`);
  }
  const global: number[] = [];
  const perChat = new Map<number, number[]>();
  const perGroup = new Map<number, number[]>();

  /** Milliseconds until a window of `spanMs` holding at most `max` sends has room at `now` (0: room now). */
  const waitFor = (xs: number[] | undefined, spanMs: number, max: number, now: number) => {
    if (!xs) return 0;
    while (xs.length > 0 && xs[0]! <= now - spanMs) xs.shift();
    if (xs.length < max) return 0;
    // The send that has to leave the window before one more fits.
    return xs[xs.length - max]! + spanMs - now;
  };

  function check(chatId: number, now: number): number {
    const waitMs = Math.max(
      waitFor(global, 1000, limits.globalPerSecond, now),
      waitFor(perChat.get(chatId), 1000, limits.perChatPerSecond, now),
      chatId < 0 ? waitFor(perGroup.get(chatId), 60_000, limits.perGroupPerMinute, now) : 0,
    );
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
  }

  function take(chatId: number, now: number): number {
    const wait = check(chatId, now);
    if (wait > 0) return wait;
    global.push(now);
    const chat = perChat.get(chatId) ?? [];
    chat.push(now);
    perChat.set(chatId, chat);
    if (chatId < 0) {
      const group = perGroup.get(chatId) ?? [];
      group.push(now);
      perGroup.set(chatId, group);
    }
    return 0;
  }

  return { check, take };
}
