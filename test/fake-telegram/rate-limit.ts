// Telegram's sending limits as sliding windows, pure over `now` so they can be tested directly.

export interface RateLimits {
  globalPerSecond: number;
  perGroupPerMinute: number;
  perChatPerSecond: number;
}

export const TELEGRAM_LIMITS: RateLimits = { globalPerSecond: 30, perGroupPerMinute: 20, perChatPerSecond: 1 };

export function createRateWindows(limits: RateLimits = TELEGRAM_LIMITS) {
  const global: number[] = [];
  const perChat = new Map<number, number[]>();
  const perGroup = new Map<number, number[]>();

  const prune = (xs: number[], since: number) => {
    while (xs.length > 0 && xs[0]! <= since) xs.shift();
  };
  /** Seconds until a window with `max` entries in `spanMs` frees a slot, or 0 when there is room. */
  const waitFor = (xs: number[], spanMs: number, max: number, now: number) => {
    prune(xs, now - spanMs);
    return xs.length < max ? 0 : xs[xs.length - max]! + spanMs - now;
  };

  return {
    /** Records the send and returns 0, or returns the whole seconds to wait (at least 1) without recording. */
    take(chatId: number, now: number): number {
      const chat = perChat.get(chatId) ?? [];
      const group = perGroup.get(chatId) ?? [];
      const waitMs = Math.max(
        waitFor(global, 1000, limits.globalPerSecond, now),
        waitFor(chat, 1000, limits.perChatPerSecond, now),
        chatId < 0 ? waitFor(group, 60_000, limits.perGroupPerMinute, now) : 0,
      );
      if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
      global.push(now);
      chat.push(now);
      perChat.set(chatId, chat);
      if (chatId < 0) {
        group.push(now);
        perGroup.set(chatId, group);
      }
      return 0;
    },
  };
}
