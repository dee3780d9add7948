import pino from 'pino';
import { Telegram } from 'telegraf';
import { createLeaseStore } from '../../src/db/lease-store';
import { createNotifyModels, ensureNotifyIndexes, NotifyModels } from '../../src/db/notify-models';
import { createCardMessageStore, createOutboxStore, OutboxStore } from '../../src/db/outbox-store';
import { classify, createSender } from '../../src/notify/sender';
import { createRateLimiter } from '../../src/notify/rate-limiter';
import { CardSource, NewOutboxItem } from '../../src/notify/types';
import { FakeTelegram, startFakeTelegram } from '../fake-telegram';
import { useTestDatabase } from '../support/db';

const logger = pino({ level: 'silent' });
const msg = (id: string, chatId: number, text = id): NewOutboxItem => ({ id, chatId, kind: 'test', payload: { type: 'message', message: { text } } });

describe('rate limiter', () => {
  it('keeps to 30/s overall, 20/min per group and 1/s per chat', () => {
    const l = createRateLimiter({ globalPerSecond: 30, perGroupPerMinute: 20, perChatPerSecond: 1, marginMs: 0 });
    for (let i = 0; i < 30; i++) expect(l.reserve(1000 + i, 0).ok).toBe(true);
    expect(l.reserve(2000, 0)).toEqual({ ok: false, waitMs: 1000 });
    const g = createRateLimiter({ globalPerSecond: 30, perGroupPerMinute: 20, perChatPerSecond: 1, marginMs: 0 });
    for (let i = 0; i < 20; i++) expect(g.reserve(-5, i * 1000).ok).toBe(true);
    const refused = g.reserve(-5, 20_000);
    expect(refused.ok).toBe(false);
    expect(g.reserve(-5, 60_000).ok).toBe(true);
    expect(g.reserve(7, 0).ok).toBe(true);
    expect(g.reserve(7, 500).ok).toBe(false);
  });

  it('classifies Telegram failures: 429 waits, 403 is final, network errors back off', () => {
    expect(classify({ code: 429, description: 'Too Many Requests', retryAfter: 7 }, 1, 10)).toMatchObject({ kind: 'retry', afterMs: 7000, rateLimited: true });
    expect(classify({ code: 403, description: 'Forbidden: bot was blocked by the user' }, 1, 10)).toMatchObject({ kind: 'failed', code: 403 });
    expect(classify({ code: 400, description: 'Bad Request: chat not found' }, 1, 10)).toMatchObject({ kind: 'failed' });
    expect(classify({ description: 'ECONNREFUSED' }, 1, 10)).toMatchObject({ kind: 'retry' });
    expect(classify({ description: 'ECONNREFUSED' }, 10, 10)).toMatchObject({ kind: 'failed' });
  });
});

describe('sender against the fake Bot API and the real database', () => {
  const db = useTestDatabase();
  let models: NotifyModels;
  let outbox: OutboxStore;
  let fake: FakeTelegram;
  const cardText = new Map<string, string>();
  let cards: CardSource;

  beforeAll(async () => {
    models = createNotifyModels(db.conn);
    await ensureNotifyIndexes(models);
    outbox = createOutboxStore(models);
    fake = await startFakeTelegram();
    const store = createCardMessageStore(models);
    cards = { render: async (wishId) => ({ text: cardText.get(wishId) ?? 'gone' }), messageIdOf: store.messageIdOf, remember: store.remember };
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    await models.Outbox.deleteMany({});
    fake.reset();
  });

  function sender(instanceId: string, opts: { telegram?: unknown; slotMs?: number } = {}) {
    return createSender({
      outbox,
      leases: createLeaseStore(models),
      telegram: opts.telegram ?? new Telegram(fake.token, { apiRoot: fake.apiRoot }),
      cards,
      clock: () => new Date(),
      logger,
      instanceId,
      slotMs: opts.slotMs ?? 1000,
    });
  }

  it('sends messages, posts a card once, then edits it, coalescing queued refreshes', async () => {
    fake.startUser(11);
    cardText.set('W-1', 'v1');
    await outbox.enqueue([msg('a|11|test', 11, 'hello'), { id: 'W-1:1|-900|card', chatId: -900, kind: 'card', payload: { type: 'card', wishId: 'W-1' } }], new Date());
    const s = sender('one');
    await s.drainOnce();
    expect(fake.chatMessages(-900).map((m) => m.text)).toEqual(['v1']);
    cardText.set('W-1', 'v3');
    await outbox.enqueue(
      ['W-1:2', 'W-1:3'].map((src) => ({ id: `${src}|-900|card`, chatId: -900, kind: 'card', payload: { type: 'card' as const, wishId: 'W-1' } })),
      new Date(),
    );
    await s.drainOnce();
    expect(fake.callsOf('editMessageText')).toHaveLength(1);
    expect(fake.chatMessages(-900).map((m) => m.text)).toEqual(['v3']);
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('records a 403 once and does not retry it', async () => {
    await outbox.enqueue([msg('b|12|test', 12)], new Date());
    await sender('one').drainOnce();
    const item = await outbox.get('b|12|test');
    expect(item?.status).toBe('failed');
    expect(item?.lastError).toContain('Forbidden');
    expect(fake.callsOf('sendMessage')).toHaveLength(1);
  });

  it('waits as told by 429 and retries network errors with backoff', async () => {
    let calls = 0;
    const flaky = {
      callApi: async (method: string, payload: Record<string, unknown>) => {
        calls++;
        if (calls === 1) throw Object.assign(new Error('429'), { response: { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } });
        if (calls === 2) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        return new Telegram(fake.token, { apiRoot: fake.apiRoot }).callApi(method as 'sendMessage', payload as never);
      },
    };
    fake.startUser(13);
    await outbox.enqueue([msg('c|13|test', 13)], new Date());
    const s = sender('one', { telegram: flaky });
    await s.drainOnce();
    let item = await outbox.get('c|13|test');
    expect(item?.status).toBe('pending');
    expect(item!.notBefore.getTime()).toBeGreaterThan(Date.now() + 500);
    await models.Outbox.updateOne({ _id: 'c|13|test' }, { $set: { notBefore: new Date() } });
    await s.drainOnce();
    item = await outbox.get('c|13|test');
    expect(item?.attempts).toBe(1);
    expect(item?.lastError).toContain('ECONNREFUSED');
    await models.Outbox.updateOne({ _id: 'c|13|test' }, { $set: { notBefore: new Date() } });
    await s.drainOnce();
    expect((await outbox.get('c|13|test'))?.status).toBe('sent');
  });

  it('two senders on one database deliver 200 messages, each exactly once', async () => {
    const users = Array.from({ length: 100 }, (_, i) => 20_000 + i);
    for (const u of users) fake.startUser(u);
    await outbox.enqueue(users.flatMap((u) => [msg(`m1|${u}|test`, u), msg(`m2|${u}|test`, u)]), new Date());
    const a = sender('A');
    const b = sender('B');
    a.start();
    b.start();
    await fake.waitForCalls((c) => c.method === 'sendMessage' && c.ok, 200, 30_000);
    await Promise.all([a.stop(), b.stop()]);
    const texts = fake.callsOf('sendMessage').map((c) => String(c.params.text));
    expect(texts).toHaveLength(200);
    expect(new Set(texts).size).toBe(200);
  });

  it('picks up a stopped sender’s queue once its slot has ended', async () => {
    fake.startUser(30);
    const first = sender('first', { slotMs: 400 });
    first.start();
    await first.stop(); // holds the current slot and never sends again
    await outbox.enqueue([msg('late|30|test', 30)], new Date());
    const second = sender('second', { slotMs: 400 });
    second.start();
    await fake.waitForCall((c) => c.method === 'sendMessage' && c.params.text === 'late|30|test', 5000);
    await second.stop();
  });
});
