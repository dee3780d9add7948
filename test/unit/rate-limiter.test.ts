import { createRateLimiter, SendLimits } from '../../src/notify/rate-limiter';
import { classify, failureOf, MAX_BACKOFF_MS } from '../../src/notify/telegram-errors';

/** Telegram's windows exactly, bursts allowed. */
const exact = { marginMs: 0, globalBurst: 30 };

/** A limiter whose sends are answered the moment they go out (no round trip), as most of these tests want. */
function instant(limits: Partial<SendLimits> = {}) {
  const l = createRateLimiter(limits);
  return Object.assign(l, {
    /** reserve() and, if granted, an answer at the same moment. */
    send(chatId: number, now: number): { ok: true } | { ok: false; waitMs: number } {
      const r = l.reserve(chatId, now);
      if (!r.ok) return r;
      l.settle(r.ticket, now);
      return { ok: true };
    },
  });
}

describe('rate limiter', () => {
  it('lets 30 sends a second through to different chats, then says when the next may go', () => {
    const l = instant(exact);
    for (let i = 0; i < 30; i++) expect(l.send(1000 + i, i * 10).ok).toBe(true);
    expect(l.send(2000, 500)).toEqual({ ok: false, waitMs: 500 });
    // The window slides: the first send leaves it at 1000 ms, the second at 1010 ms.
    expect(l.send(2000, 1000)).toEqual({ ok: true });
    expect(l.send(2001, 1000)).toEqual({ ok: false, waitMs: 10 });
    expect(l.send(2001, 1010)).toEqual({ ok: true });
  });

  it('keeps one send a second to a chat, private or group', () => {
    const l = instant(exact);
    expect(l.send(7, 0).ok).toBe(true);
    expect(l.send(7, 999)).toEqual({ ok: false, waitMs: 1 });
    expect(l.send(8, 999).ok).toBe(true);
    expect(l.send(7, 1000).ok).toBe(true);
    expect(l.send(-7, 0).ok).toBe(true);
    expect(l.send(-7, 400)).toEqual({ ok: false, waitMs: 600 });
  });

  it('keeps 20 sends a minute to a group, and none of that to private chats', () => {
    const l = instant(exact);
    for (let i = 0; i < 20; i++) expect(l.send(-5, i * 1000).ok).toBe(true);
    // The 21st waits until the first is a minute old.
    expect(l.send(-5, 20_000)).toEqual({ ok: false, waitMs: 40_000 });
    expect(l.waitMs(-5, 59_999)).toBe(1);
    expect(l.send(-5, 60_000).ok).toBe(true);
    expect(l.send(-5, 61_000).ok).toBe(true);
    expect(l.send(-5, 61_500)).toEqual({ ok: false, waitMs: 500 });
    for (let i = 0; i < 25; i++) expect(l.send(5, 100_000 + i * 1000).ok).toBe(true);
  });

  it('widens each window by the margin, on top of the round trip', () => {
    const l = instant({ marginMs: 40 });
    expect(l.send(1, 0).ok).toBe(true);
    expect(l.send(1, 1000)).toEqual({ ok: false, waitMs: 40 });
    expect(l.send(1, 1040).ok).toBe(true);
    for (let i = 0; i < 20; i++) l.send(-1, i * 2000);
    expect(l.waitMs(-1, 60_000)).toBe(400);
  });

  it('spreads a second’s sends over it: at most 5 in any sixth of a second by default', () => {
    const l = instant({ marginMs: 0 });
    for (let i = 0; i < 5; i++) expect(l.send(100 + i, 0).ok).toBe(true);
    expect(l.send(200, 0)).toEqual({ ok: false, waitMs: 1000 / 6 });
    expect(l.send(200, 1000 / 6).ok).toBe(true);
    // Late by 50 ms: the next few may catch up at once.
    for (let i = 1; i < 5; i++) expect(l.send(300 + i, 1000 / 6 + 50).ok).toBe(true);
    expect(l.send(400, 1000 / 6 + 50).ok).toBe(false);
    // Still 30 in a second.
    let sent = 10;
    for (let t = 200; t < 1000; t++) if (l.send(1000 + t, t).ok) sent++;
    expect(sent).toBe(30);
  });

  it('hands back a send Telegram refused', () => {
    const l = instant(exact);
    for (let i = 0; i < 19; i++) expect(l.send(-3, i * 1000).ok).toBe(true);
    const refused = l.reserve(-3, 19_000);
    if (!refused.ok) throw new Error('expected room');
    expect(l.waitMs(-3, 20_000)).toBe(40_000);
    l.release(refused.ticket);
    expect(l.send(-3, 20_000).ok).toBe(true);
    expect(l.waitMs(-3, 21_000)).toBe(39_000);
  });

  it('counts a send until a window after its answer came back, since Telegram counted it somewhere in between', () => {
    const l = createRateLimiter(exact);
    const r = l.reserve(7, 0);
    if (!r.ok) throw new Error('expected room');
    // Unanswered: it may arrive any time, so the chat stays taken; the wait given assumes an answer now.
    expect(l.waitMs(7, 500)).toBe(1000);
    expect(l.waitMs(7, 1500)).toBe(1000);
    // Answered 300 ms after it went out: it arrived by then, so the next may go a second after that.
    l.settle(r.ticket, 300);
    expect(l.waitMs(7, 1000)).toBe(300);
    expect(l.reserve(7, 1300).ok).toBe(true);
  });

  it('keeps 30 a second overall however late the answers come', () => {
    const l = createRateLimiter(exact);
    const tickets = Array.from({ length: 30 }, (_, i) => {
      const r = l.reserve(3000 + i, i * 20);
      if (!r.ok) throw new Error(`expected room for send ${i}`);
      return r.ticket;
    });
    // All still in flight a second later: none may be assumed to have arrived yet.
    expect(l.reserve(4000, 1600)).toEqual({ ok: false, waitMs: 1000 });
    // The first ten answered at 700 ms: ten more may go a second after that.
    for (const t of tickets.slice(0, 10)) l.settle(t, 700);
    expect(l.waitMs(4000, 1600)).toBe(100);
    for (let i = 0; i < 10; i++) expect(l.reserve(4000 + i, 1700).ok).toBe(true);
    expect(l.reserve(4100, 1700).ok).toBe(false);
  });

  it('takes other limits when given', () => {
    const l = instant({ globalPerSecond: 2, perChatPerSecond: 2, perGroupPerMinute: 3, marginMs: 0, globalBurst: 2 });
    expect(l.send(-1, 0).ok).toBe(true);
    expect(l.send(-1, 0).ok).toBe(true);
    expect(l.send(2, 0)).toEqual({ ok: false, waitMs: 1000 });
    expect(l.send(-1, 1000).ok).toBe(true);
    expect(l.send(-1, 1001)).toEqual({ ok: false, waitMs: 58_999 });
    expect(() => instant({ globalPerSecond: 0 })).toThrow(/globalPerSecond/);
  });

  it('blocks a chat, or everyone, until a 429 retry_after has passed', () => {
    const l = instant(exact);
    l.blockUntil(3, 5000);
    expect(l.send(3, 100)).toEqual({ ok: false, waitMs: 4900 });
    expect(l.send(4, 100).ok).toBe(true);
    expect(l.send(3, 5000).ok).toBe(true);
    l.blockUntil('global', 9000);
    expect(l.send(4, 6000)).toEqual({ ok: false, waitMs: 3000 });
    expect(l.send(-4, 6000)).toEqual({ ok: false, waitMs: 3000 });
    expect(l.send(4, 9000).ok).toBe(true);
    // A shorter block never shortens a longer one.
    l.blockUntil(6, 20_000);
    l.blockUntil(6, 10_000);
    expect(l.waitMs(6, 10_000)).toBe(10_000);
  });

  it('names the chats not worth fetching for, and forgets idle ones', () => {
    const l = instant(exact);
    for (let i = 0; i < 20; i++) expect(l.send(-9, i * 1000).ok).toBe(true);
    expect(l.send(-8, 19_000).ok).toBe(true);
    l.blockUntil(12, 30_000);
    expect(l.blockedChats(20_000, 2000).sort()).toEqual([-9, 12]);
    l.prune(80_000);
    expect(l.blockedChats(80_000, 1)).toEqual([]);
    expect(l.send(-9, 80_000).ok).toBe(true);
  });
});

describe('what the sender does with a failed call', () => {
  const telegramError = (code: number, description: string, retryAfter?: number) =>
    Object.assign(new Error(`${code}: ${description}`), {
      code,
      description,
      response: { ok: false, error_code: code, description, ...(retryAfter ? { parameters: { retry_after: retryAfter } } : {}) },
    });

  it('reads telegraf errors and network errors', () => {
    expect(failureOf(telegramError(429, 'Too Many Requests: retry after 7', 7))).toEqual({ code: 429, description: 'Too Many Requests: retry after 7', retryAfter: 7 });
    expect(failureOf(Object.assign(new Error('request to http://x failed, reason: connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toEqual({
      description: 'request to http://x failed, reason: connect ECONNREFUSED',
    });
    expect(failureOf(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toEqual({ description: 'ECONNRESET: socket hang up' });
  });

  it('waits as told on 429 without counting an attempt', () => {
    expect(classify(failureOf(telegramError(429, 'Too Many Requests: retry after 7', 7)), 1, 10)).toMatchObject({ kind: 'retry', afterMs: 7000, rateLimited: true });
  });

  it('gives up at once on 403 and on chats that are gone', () => {
    expect(classify({ code: 403, description: 'Forbidden: bot was blocked by the user' }, 1, 10)).toMatchObject({ kind: 'failed', code: 403 });
    expect(classify({ code: 403, description: "Forbidden: bot can't initiate conversation with a user" }, 1, 10)).toMatchObject({ kind: 'failed' });
    expect(classify({ code: 400, description: 'Bad Request: chat not found' }, 1, 10)).toMatchObject({ kind: 'failed', code: 400 });
    expect(classify({ code: 400, description: 'Bad Request: PEER_ID_INVALID' }, 1, 10)).toMatchObject({ kind: 'failed' });
  });

  it('backs off exponentially with jitter on network errors and 5xx, capped, then gives up', () => {
    const at = (attempts: number, r: number) => classify({ description: 'connect ECONNREFUSED' }, attempts, 10, () => r);
    expect(at(1, 0)).toMatchObject({ kind: 'retry', afterMs: 500 });
    expect(at(1, 1)).toMatchObject({ kind: 'retry', afterMs: 1000 });
    expect(at(4, 1)).toMatchObject({ kind: 'retry', afterMs: 8000 });
    expect(at(9, 1)).toMatchObject({ kind: 'retry', afterMs: 256_000 });
    expect(classify({ code: 502, description: 'Bad Gateway' }, 9, 12, () => 1)).toMatchObject({ kind: 'retry', afterMs: 256_000, code: 502 });
    expect(classify({ code: 500, description: 'Internal' }, 11, 12, () => 1)).toMatchObject({ kind: 'retry', afterMs: MAX_BACKOFF_MS });
    expect(at(10, 0.5)).toMatchObject({ kind: 'failed', error: expect.stringContaining('gave up after 10 attempts') });
  });
});
