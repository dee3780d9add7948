// Telegram's sending limits, kept on our side so we (almost) never hear 429: about 30 messages a
// second overall, 20 a minute per group, 1 a second per chat. Pure: every call takes `now`.

export interface SendLimits {
  globalPerSecond: number;
  perGroupPerMinute: number;
  perChatPerSecond: number;
  /** Added to each window, so network jitter between us and Telegram cannot squeeze two sends into one. */
  marginMs: number;
}

export const DEFAULT_LIMITS: SendLimits = { globalPerSecond: 30, perGroupPerMinute: 20, perChatPerSecond: 1, marginMs: 40 };

export type Reservation = { ok: true } | { ok: false; waitMs: number };

export function createRateLimiter(limits: SendLimits = DEFAULT_LIMITS) {
  const global: number[] = [];
  const perChat = new Map<number, number[]>();
  const perGroup = new Map<number, number[]>();
  const blocked = new Map<number | 'global', number>();

  const waitIn = (xs: number[] | undefined, spanMs: number, max: number, now: number) => {
    if (!xs) return 0;
    while (xs.length > 0 && xs[0]! <= now - spanMs) xs.shift();
    return xs.length < max ? 0 : xs[xs.length - max]! + spanMs - now;
  };

  function waitMs(chatId: number, now: number): number {
    const m = limits.marginMs;
    return Math.max(
      0,
      (blocked.get('global') ?? 0) - now,
      (blocked.get(chatId) ?? 0) - now,
      waitIn(global, 1000 + m, limits.globalPerSecond, now),
      waitIn(perChat.get(chatId), 1000 + m, limits.perChatPerSecond, now),
      chatId < 0 ? waitIn(perGroup.get(chatId), 60_000 + 10 * m, limits.perGroupPerMinute, now) : 0,
    );
  }

  return {
    /** How long until a message to this chat may go (0 = now), without taking the slot. */
    waitMs,
    /** Takes a slot for a message to this chat now, or says how long to wait. */
    reserve(chatId: number, now: number): Reservation {
      const wait = waitMs(chatId, now);
      if (wait > 0) return { ok: false, waitMs: wait };
      global.push(now);
      const chat = perChat.get(chatId) ?? [];
      chat.push(now);
      perChat.set(chatId, chat);
      if (chatId < 0) {
        const group = perGroup.get(chatId) ?? [];
        group.push(now);
        perGroup.set(chatId, group);
      }
      return { ok: true };
    },
    /** Telegram said "retry after": nothing more to this chat (or anyone) until then. */
    blockUntil(target: number | 'global', until: number): void {
      blocked.set(target, Math.max(blocked.get(target) ?? 0, until));
    },
    /** Forgets chats idle for a while, so a long-running sender does not grow. */
    prune(now: number): void {
      for (const [k, xs] of perChat) if ((xs.at(-1) ?? 0) < now - 2000) perChat.delete(k);
      for (const [k, xs] of perGroup) if ((xs.at(-1) ?? 0) < now - 70_000) perGroup.delete(k);
      for (const [k, until] of blocked) if (until < now) blocked.delete(k);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
