import { testLogger } from '../support/privacy-record';
import { Telegram } from 'telegraf';
import { createFenceStore } from '../../src/db/fence-store';
import { createLeaseStore } from '../../src/db/lease-store';
import { ensureIndexes } from '../../src/db/models';
import { createNotifyModels, NotifyModels } from '../../src/db/notify-models';
import { createCardMessageStore, createOutboxStore, OutboxStore } from '../../src/db/outbox-store';
import { createLeases } from '../../src/notify/lease';
import { createSender, DEFAULT_MAX_ATTEMPTS, SenderDeps, TelegramApi } from '../../src/notify/sender';
import { Metrics, noMetrics } from '../../src/domain/metrics';
import { NewOutboxItem } from '../../src/domain/outbox';
import { CardSource, DeliveryReport } from '../../src/notify/types';
import { FakeTelegram, RecordedCall, startFakeTelegram } from '../fake-telegram';
import { useTestDatabase } from '../support/db';
import { manualClock } from '../support/fixtures';
import { seededRandom } from '../support/random';

const logger = testLogger(process.env.TEST_LOG_LEVEL);
const msg = (id: string, chatId: number, text = id): NewOutboxItem => ({ id, chatId, kind: 'test', payload: { type: 'message', message: { text } } });
const card = (source: string, chatId: number, wishId: string): NewOutboxItem => ({ id: `${source}|${chatId}|card`, chatId, kind: 'card', payload: { type: 'card', wishId } });
const isSend = (text: string) => (c: RecordedCall) => c.method === 'sendMessage' && c.ok && c.params.text === text;

/** A TelegramError as telegraf throws it. */
function telegramError(code: number, description: string, parameters?: { retry_after?: number }) {
  return Object.assign(new Error(`${code}: ${description}`), { code, description, parameters, response: { ok: false, error_code: code, description, parameters } });
}

describe('outbox store', () => {
  const db = useTestDatabase();
  let outbox: OutboxStore;
  let models: NotifyModels;
  beforeAll(async () => {
    models = createNotifyModels(db.conn);
    await ensureIndexes(models);
    outbox = createOutboxStore(models);
  });

  it('ignores items already enqueued, returns what is due oldest first, and cleans up old sent ones', async () => {
    const t0 = new Date('2026-11-22T09:00:00Z');
    expect(await outbox.enqueue([msg('x|1|a', 1), msg('x|2|a', 2)], t0)).toBe(2);
    expect(await outbox.enqueue([msg('x|1|a', 1), { ...msg('x|3|a', 3), notBefore: new Date(t0.getTime() + 60_000) }], new Date(t0.getTime() + 1000))).toBe(1);
    expect((await outbox.due(new Date(t0.getTime() + 5000), 10)).map((i) => i.id)).toEqual(['x|1|a', 'x|2|a']);
    expect((await outbox.due(new Date(t0.getTime() + 5000), 10, [1])).map((i) => i.id)).toEqual(['x|2|a']);
    await outbox.markSent('x|1|a', new Date(t0.getTime() + 2000), 42);
    await outbox.markFailed('x|2|a', 'Forbidden', new Date(t0.getTime() + 2000));
    expect(await outbox.get('x|1|a')).toMatchObject({ id: 'x|1|a', status: 'sent', messageId: 42, payload: { type: 'message', message: { text: 'x|1|a' } } });
    expect(await outbox.pendingCount()).toBe(1);
    expect(await outbox.deleteSentBefore(new Date(t0.getTime() + 3000))).toBe(1);
    expect(await outbox.get('x|1|a')).toBeNull();
    expect(await outbox.get('x|2|a')).toMatchObject({ status: 'failed', lastError: 'Forbidden' });
  });

  it('keeps inline keyboards through storage', async () => {
    const keyboard = [[{ text: 'Claim', callback_data: 'c:1' }], [{ text: 'Site', url: 'https://example.org' }]];
    await outbox.enqueue([{ id: 'k|1|a', chatId: 1, kind: 'test', payload: { type: 'message', message: { text: 'hi', parseMode: 'HTML', keyboard } } }], new Date());
    expect((await outbox.get('k|1|a'))?.payload).toEqual({ type: 'message', message: { text: 'hi', parseMode: 'HTML', keyboard } });
  });

  it('gives a lease to exactly one of many at once, and takes time slots ahead', async () => {
    const store = createLeaseStore(models);
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => store.tryAcquire('race:1', `h${i}`, new Date(Date.now() + 60_000))));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const a = createLeases(store, 'A');
    const b = createLeases(store, 'B');
    const at = new Date('2026-11-22T09:00:04Z');
    expect(await a.acquireSlot('tick', at, 10_000)).toBe(true);
    expect(await a.acquireSlot('tick', new Date('2026-11-22T09:00:09.999Z'), 10_000)).toBe(true);
    expect(await b.acquireSlot('tick', at, 10_000)).toBe(false);
    expect(await b.acquireSlot('tick', new Date('2026-11-22T09:00:10Z'), 10_000)).toBe(true);
    expect(await store.holderOf('tick:2026-11-22T09:00:00.000Z')).toBe('A');
    expect(await store.deleteExpiredBefore(new Date('2026-11-22T09:00:10.001Z'))).toBe(1);
  });
});

describe('sender against the fake Bot API and the real database', () => {
  const db = useTestDatabase();
  let models: NotifyModels;
  let outbox: OutboxStore;
  let fake: FakeTelegram;
  const cardText = new Map<string, string | null>();
  let cards: CardSource;
  let running: Array<ReturnType<typeof createSender>> = [];

  beforeAll(async () => {
    models = createNotifyModels(db.conn);
    await ensureIndexes(models);
    outbox = createOutboxStore(models);
    fake = await startFakeTelegram();
    const store = createCardMessageStore(models);
    cards = {
      render: async (wishId) => {
        const text = cardText.get(wishId);
        return text === null || text === undefined ? null : { text, keyboard: [[{ text: 'Claim', callback_data: `claim:${wishId}` }]] };
      },
      placeOf: store.placeOf,
      remember: store.remember,
    };
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    await models.Outbox.deleteMany({});
    await models.OutboxHistory.deleteMany({});
    await models.Lease.deleteMany({});
    await models.SendFence.deleteMany({});
    fake.reset();
  });
  afterEach(async () => {
    await Promise.all(running.map((s) => s.stop()));
    running = [];
  });

  const api = (): TelegramApi => new Telegram(fake.token, { apiRoot: fake.apiRoot });

  function sender(instanceId: string, opts: Partial<SenderDeps> = {}) {
    const s = createSender({ outbox, leases: createLeaseStore(models), fences: createFenceStore(models), telegram: api(), cards, clock: () => new Date(), logger, instanceId, slotMs: 1000, ...opts });
    running.push(s);
    return s;
  }

  it('sends a voice message by its file id, with its caption and buttons kept through storage', async () => {
    fake.startUser(4242);
    const keyboard = [[{ text: 'Make a draft wish', callback_data: 'ikd:in_voice1' }]];
    const item: NewOutboxItem = { id: 'v|4242|intake', chatId: 4242, kind: 'intake', payload: { type: 'voice', fileId: 'VOICE-1', caption: { text: '<b>New</b> request', parseMode: 'HTML', keyboard } } };
    await outbox.enqueue([item], new Date());
    expect((await outbox.get(item.id))?.payload).toEqual(item.payload);
    expect(await sender('voice').drainOnce()).toMatchObject({ sent: 1, failed: 0 });
    const [voice] = fake.chatMessages(4242);
    expect(voice).toMatchObject({ voice: { file_id: 'VOICE-1' }, caption: 'New request', reply_markup: { inline_keyboard: keyboard } });
    expect(await outbox.get(item.id)).toMatchObject({ status: 'sent', messageId: voice!.message_id });
  });

  it('sends messages, posts a card once, then edits it, coalescing queued refreshes', async () => {
    fake.startUser(11);
    cardText.set('W-1', 'v1');
    const reports: DeliveryReport[] = [];
    // Looser limits than Telegram's, so the edits to one chat need not wait a second each.
    const s = sender('one', { onReport: (r) => reports.push(r), limits: { perChatPerSecond: 50, perGroupPerMinute: 100 } });
    await outbox.enqueue([msg('a|11|test', 11, 'hello'), card('W-1:1', -900, 'W-1')], new Date());
    expect(await s.drainOnce()).toEqual({ sent: 2, failed: 0, retried: 0, coalesced: 0 });
    expect(fake.chatMessages(11).map((m) => m.text)).toEqual(['hello']);
    expect(fake.chatMessages(-900).map((m) => m.text)).toEqual(['v1']);
    const posted = fake.callsOf('sendMessage').find((c) => c.params.chat_id === -900)!;
    expect(posted.params.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Claim', callback_data: 'claim:W-1' }]] });

    // Two refreshes queued while the wish changed twice: one edit shows the latest state.
    cardText.set('W-1', 'v3');
    await outbox.enqueue([card('W-1:2', -900, 'W-1'), card('W-1:3', -900, 'W-1')], new Date());
    expect(await s.drainOnce()).toEqual({ sent: 1, failed: 0, retried: 0, coalesced: 1 });
    expect(fake.callsOf('editMessageText')).toHaveLength(1);
    expect(fake.chatMessages(-900).map((m) => m.text)).toEqual(['v3']);
    expect(reports.map((r) => r.outcome).sort()).toEqual(['coalesced', 'sent', 'sent', 'sent']);
    expect(await outbox.pendingCount()).toBe(0);
    const items = await Promise.all(['W-1:2|-900|card', 'W-1:3|-900|card'].map((id) => outbox.get(id)));
    expect(items.map((i) => i?.status)).toEqual(['sent', 'sent']);

    // Nothing changed: no call at all (sender-cards.test.ts has more).
    const before = fake.calls.length;
    await outbox.enqueue([card('W-1:4', -900, 'W-1')], new Date());
    expect(await s.drainOnce()).toMatchObject({ sent: 1, failed: 0 });
    expect(fake.calls.length).toBe(before);

    // Someone deleted the card: post it again and edit the new one from then on.
    await api().callApi('deleteMessage', { chat_id: -900, message_id: (posted.result as { message_id: number }).message_id });
    cardText.set('W-1', 'v5');
    await outbox.enqueue([card('W-1:5', -900, 'W-1')], new Date());
    expect(await s.drainOnce()).toMatchObject({ sent: 1 });
    expect(fake.chatMessages(-900).map((m) => m.text)).toEqual(['v5']);
    cardText.set('W-1', 'v6');
    await outbox.enqueue([card('W-1:6', -900, 'W-1')], new Date());
    await s.drainOnce();
    expect(fake.chatMessages(-900).map((m) => m.text)).toEqual(['v6']);

    // A card with nothing to show any more (the group left, the wish is gone) is done without a call.
    const calls = fake.calls.length;
    cardText.set('W-1', null);
    await outbox.enqueue([card('W-1:7', -900, 'W-1')], new Date());
    expect(await s.drainOnce()).toMatchObject({ sent: 1 });
    expect(fake.calls.length).toBe(calls);
  });

  it('records a 403 once and does not retry it', async () => {
    const reports: DeliveryReport[] = [];
    await outbox.enqueue([msg('b|12|test', 12)], new Date());
    expect(await sender('one', { onReport: (r) => reports.push(r) }).drainOnce()).toMatchObject({ sent: 0, failed: 1 });
    const item = await outbox.get('b|12|test');
    expect(item?.status).toBe('failed');
    expect(item?.lastError).toContain('Forbidden');
    expect(reports).toEqual([expect.objectContaining({ outcome: 'failed', error: expect.objectContaining({ code: 403 }) })]);
    await sender('two').drainOnce();
    expect(fake.callsOf('sendMessage')).toHaveLength(1);
  });

  it('waits as long as a 429 says, then delivers, without counting it as an attempt', async () => {
    fake.startUser(13);
    let refusedAt = 0;
    const once429: TelegramApi = {
      callApi: async (method, payload) => {
        if (!refusedAt) {
          refusedAt = Date.now();
          throw telegramError(429, 'Too Many Requests: retry after 1', { retry_after: 1 });
        }
        return api().callApi(method, payload);
      },
    };
    const reports: DeliveryReport[] = [];
    const counted: string[] = [];
    const metrics: Metrics = { ...noMetrics, sendOutcome: (kind, outcome) => counted.push(`${kind}:${outcome}`), rateLimited: () => counted.push('429') };
    const s = sender('one', { telegram: once429, onReport: (r) => reports.push(r), metrics });
    await outbox.enqueue([msg('c|13|test', 13)], new Date());
    s.start();
    s.wake();
    const delivered = await fake.waitForCall(isSend('c|13|test'), 10_000);
    expect(delivered.at - refusedAt).toBeGreaterThanOrEqual(1000);
    await s.stop();
    expect(reports.map((r) => r.outcome)).toEqual(['retry', 'sent']);
    // The metrics see the same: the 429, then each attempt's outcome by the item's kind.
    expect(counted).toEqual(['429', 'test:retry', 'test:sent']);
    expect(await outbox.get('c|13|test')).toMatchObject({ status: 'sent', attempts: 0 });
  });

  it('retries network errors with backoff until Telegram answers', async () => {
    fake.startUser(14);
    const failures: number[] = [];
    const flaky: TelegramApi = {
      callApi: async (method, payload) => {
        if (failures.length < 2) {
          failures.push(Date.now());
          throw Object.assign(new Error('request to http://127.0.0.1:1/ failed, reason: connect ECONNREFUSED'), { code: 'ECONNREFUSED', errno: 'ECONNREFUSED' });
        }
        return api().callApi(method, payload);
      },
    };
    const reports: DeliveryReport[] = [];
    // random() = 0: the shortest backoff, 0.5 s after the first failure and 1 s after the second.
    const s = sender('one', { telegram: flaky, random: () => 0, onReport: (r) => reports.push(r) });
    await outbox.enqueue([msg('d|14|test', 14)], new Date());
    s.start();
    const delivered = await fake.waitForCall(isSend('d|14|test'), 10_000);
    await s.stop();
    expect(failures[1]! - failures[0]!).toBeGreaterThanOrEqual(500);
    expect(delivered.at - failures[1]!).toBeGreaterThanOrEqual(1000);
    expect(reports.map((r) => r.outcome)).toEqual(['retry', 'retry', 'sent']);
    expect(reports[0]?.error?.description).toContain('ECONNREFUSED');
    expect(await outbox.get('d|14|test')).toMatchObject({ status: 'sent', attempts: 2, lastError: expect.stringContaining('ECONNREFUSED') });
  });

  it('cuts off a call that hangs, and retries the item under a fresh send fence', async () => {
    const signals: AbortSignal[] = [];
    // The first call never answers, and ignores its abort signal too; the second answers at once.
    const hangsOnce: TelegramApi = {
      callApi: (_method, _payload, options) => {
        signals.push(options?.signal as unknown as AbortSignal);
        return signals.length === 1 ? new Promise(() => undefined) : Promise.resolve({ message_id: 7 });
      },
    };
    const reports: DeliveryReport[] = [];
    let delivered!: () => void;
    const sent = new Promise<void>((resolve) => (delivered = resolve));
    const s = sender('one', { telegram: hangsOnce, callTimeoutMs: 300, random: () => 0, onReport: (r) => (reports.push(r), r.outcome === 'sent' && delivered()) });
    await outbox.enqueue([msg('t|17|test', 17)], new Date());
    s.start();
    await sent;
    await s.stop();
    expect(signals[0]!.aborted).toBe(true);
    expect(reports.map((r) => r.outcome)).toEqual(['retry', 'sent']);
    expect(reports[0]!.error?.description).toMatch(/cut off after 300 ms/);
    expect(await outbox.get('t|17|test')).toMatchObject({ status: 'sent', attempts: 1, generation: 1, messageId: 7 });
    const fences = await models.SendFence.find({ itemId: 't|17|test' }).sort({ generation: 1 }).lean<Array<{ generation: number; holder: string }>>();
    expect(fences.map((f) => [f.generation, f.holder])).toEqual([
      [0, 'one'],
      [1, 'one'],
    ]);
  });

  it('starts no call on a fence about to expire: the attempt is given up unused and the next one takes a fresh fence', async () => {
    const clock = manualClock(new Date());
    cardText.set('W-9', 'card 9');
    let renders = 0;
    // Rendering the first time takes longer than the fence leaves for a call (2 s - 2 x 0.5 s).
    const slowFirst: CardSource = { ...cards, render: async (wishId, chatId) => (++renders === 1 && clock.advance(1500), cards.render(wishId, chatId)) };
    await outbox.enqueue([card('W-9:1', -909, 'W-9')], clock());
    const s = sender('one', { clock, cards: slowFirst, callTimeoutMs: 500, fenceMs: 2000 });
    expect(await s.drainOnce()).toEqual({ sent: 1, failed: 0, retried: 0, coalesced: 0 });
    expect(renders).toBe(2);
    expect(fake.callsOf('sendMessage').filter((c) => c.params.chat_id === -909)).toHaveLength(1);
    expect(await outbox.get('W-9:1|-909|card')).toMatchObject({ status: 'sent', attempts: 0, generation: 1 });
  });

  it('gives up on an item after the last attempt', async () => {
    const down: TelegramApi = { callApi: async () => Promise.reject(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' })) };
    await outbox.enqueue([msg('e|15|test', 15)], new Date());
    // Nine attempts fail (minutes of backoff): still kept. Only the last attempt gives up.
    await models.Outbox.updateOne({ _id: 'e|15|test' }, { $set: { attempts: 9 } });
    expect(await sender('one', { telegram: down }).drainOnce()).toMatchObject({ failed: 0, retried: 1 });
    await models.Outbox.updateOne({ _id: 'e|15|test' }, { $set: { attempts: DEFAULT_MAX_ATTEMPTS - 1, notBefore: new Date(0) } });
    expect(await sender('one', { telegram: down }).drainOnce()).toMatchObject({ failed: 1, retried: 0 });
    expect(await outbox.get('e|15|test')).toMatchObject({ status: 'failed', lastError: expect.stringContaining(`gave up after ${DEFAULT_MAX_ATTEMPTS} attempts`) });
  });

  it('keeps to the limits: one a second per chat, many chats at once, no 429 from a Bot API that counts at arrival with ±50 ms jitter', async () => {
    const limited = await startFakeTelegram({ rateLimit: true, jitterMs: 50, random: seededRandom(4343) });
    try {
      const users = Array.from({ length: 100 }, (_, i) => 40_000 + i);
      for (const u of users) limited.startUser(u);
      await outbox.enqueue([...users.map((u) => msg(`f|${u}|test`, u)), ...[1, 2, 3].map((n) => msg(`g${n}|${users[0]}|test`, users[0]!))], new Date());
      const s = sender('one', { telegram: new Telegram(limited.token, { apiRoot: limited.apiRoot }) });
      s.start();
      await limited.waitForCalls((c) => c.method === 'sendMessage' && c.ok, users.length + 3, 60_000);
      await s.stop();
      expect(limited.stats().tooManyRequests).toBe(0);
      const toFirst = limited.callsOf('sendMessage').filter((c) => c.params.chat_id === users[0]);
      expect(toFirst.map((c) => c.params.text)).toEqual([`f|${users[0]}|test`, `g1|${users[0]}|test`, `g2|${users[0]}|test`, `g3|${users[0]}|test`]);
      for (let i = 1; i < toFirst.length; i++) expect(toFirst[i]!.at - toFirst[i - 1]!.at).toBeGreaterThanOrEqual(1000);
      // Never more than 30 in any second, as they arrived (a slow machine only spreads them further).
      const arrivals = limited.callsOf('sendMessage').map((c) => c.at);
      expect(Math.max(...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + 1000).length))).toBeLessThanOrEqual(30);
    } finally {
      await limited.close();
    }
  });

  it('reads the outbox at once when woken, not at its next poll', async () => {
    fake.startUser(16);
    // Its next poll is ten minutes away: only the wake can explain a delivery within the wait below.
    const s = sender('one', { pollMs: 600_000 });
    s.start();
    await outbox.enqueue([msg('h|16|test', 16)], new Date());
    s.wake();
    await fake.waitForCall(isSend('h|16|test'), 60_000);
  });

  /** Runs the senders together until `count` messages went out, and checks none went twice. */
  async function expectEachSentOnce(senders: Array<{ start(): void; stop(): Promise<unknown> }>, count: number) {
    for (const s of senders) s.start();
    await fake.waitForCalls((c) => c.method === 'sendMessage' && c.ok, count, 30_000);
    await Promise.all(senders.map((s) => s.stop()));
    const texts = fake.callsOf('sendMessage').map((c) => String(c.params.text));
    expect(texts).toHaveLength(count);
    expect(new Set(texts).size).toBe(count);
  }

  it('two senders on one database deliver 200 messages, each exactly once', async () => {
    const users = Array.from({ length: 100 }, (_, i) => 20_000 + i);
    for (const u of users) fake.startUser(u);
    await outbox.enqueue(
      users.flatMap((u) => [msg(`m1|${u}|test`, u), msg(`m2|${u}|test`, u)]),
      new Date(),
    );
    // Short slots, so the turn changes hands several times while they send.
    const a = sender('A', { slotMs: 300, limits: { globalPerSecond: 100 } });
    const b = sender('B', { slotMs: 300, limits: { globalPerSecond: 100 } });
    await expectEachSentOnce([a, b], 200);
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('when turns alternate between two senders, each of 200 messages is still sent exactly once', async () => {
    const users = Array.from({ length: 100 }, (_, i) => 25_000 + i);
    for (const u of users) fake.startUser(u);
    await outbox.enqueue(
      users.flatMap((u) => [msg(`n1|${u}|test`, u), msg(`n2|${u}|test`, u)]),
      new Date(),
    );
    // A only ever gets even slots and B odd ones, so the turn changes hands every 300 ms, sends in flight.
    const store = createLeaseStore(models);
    const slotParity = (key: string) => (Date.parse(key.slice(key.indexOf(':') + 1)) / 300) % 2;
    const only = (parity: number): SenderDeps['leases'] => ({
      tryAcquire: async (key, holder, expiresAt) => slotParity(key) === parity && store.tryAcquire(key, holder, expiresAt),
    });
    const sentBy = { A: 0, B: 0 };
    const a = sender('A', { slotMs: 300, leases: only(0), limits: { globalPerSecond: 100 }, onReport: (r) => r.outcome === 'sent' && sentBy.A++ });
    const b = sender('B', { slotMs: 300, leases: only(1), limits: { globalPerSecond: 100 }, onReport: (r) => r.outcome === 'sent' && sentBy.B++ });
    await expectEachSentOnce([a, b], 200);
    expect(sentBy.A).toBeGreaterThan(0);
    expect(sentBy.B).toBeGreaterThan(0);
    expect(sentBy.A + sentBy.B).toBe(200);
  });

  it('picks up the queue of a sender that stopped holding its slot, once that slot has ended', async () => {
    fake.startUser(30);
    const store = createLeaseStore(models);
    let tookSlot!: () => void;
    const took = new Promise<void>((resolve) => (tookSlot = resolve));
    const first = sender('first', {
      slotMs: 300,
      leases: { tryAcquire: async (...args) => (await store.tryAcquire(...args)) && (tookSlot(), true) },
    });
    first.start();
    // It takes the current slot (and perhaps the next), then "crashes": it never sends again and releases nothing.
    await took;
    await first.stop();
    await outbox.enqueue([msg('late|30|test', 30)], new Date());
    const second = sender('second', { slotMs: 300 });
    second.start();
    const delivered = await fake.waitForCall(isSend('late|30|test'), 30_000);
    const leases = await models.Lease.find({}).lean<Array<{ _id: string; holder: string; expiresAt: Date }>>();
    expect(leases.some((l) => l.holder === 'second')).toBe(true);
    // Not before first's last slot had ended.
    const firstUntil = Math.max(...leases.filter((l) => l.holder === 'first').map((l) => l.expiresAt.getTime()));
    expect(delivered.at).toBeGreaterThanOrEqual(firstUntil);
  });
});
