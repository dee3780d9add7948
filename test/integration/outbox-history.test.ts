import { testLogger } from '../support/privacy-record';
import { Telegram } from 'telegraf';
import { createFenceStore } from '../../src/db/fence-store';
import { createLeaseStore } from '../../src/db/lease-store';
import { ensureIndexes } from '../../src/db/models';
import { createNotifyModels, NotifyModels } from '../../src/db/notify-models';
import { createCardMessageStore, createOutboxStore, OutboxStore } from '../../src/db/outbox-store';
import { housekeeping } from '../../src/jobs/maintenance';
import { createSender, SenderDeps } from '../../src/notify/sender';
import { NewOutboxItem } from '../../src/domain/outbox';
import { createRuntime } from '../../src/runtime';
import { CardSource } from '../../src/notify/types';
import { FakeTelegram, startFakeTelegram } from '../fake-telegram';
import { useTestDatabase } from '../support/db';
import { DAY } from '../support/fixtures';

const logger = testLogger(process.env.TEST_LOG_LEVEL);
const msg = (id: string, chatId: number, text = id): NewOutboxItem => ({ id, chatId, kind: 'test', payload: { type: 'message', message: { text } } });
const card = (source: string, chatId: number, wishId: string): NewOutboxItem => ({ id: `${source}|${chatId}|card`, chatId, kind: 'card', payload: { type: 'card', wishId } });

/** A pending document as enqueue writes it, written straight into `outbox` (a copy that raced a move, or an older version's item). */
function pendingDoc(id: string, chatId: number, at: Date, over: Record<string, unknown> = {}) {
  return { _id: id, chatId, kind: 'test', payload: { type: 'message', message: { text: id } }, status: 'pending', notBefore: at, attempts: 0, createdAt: at, ...over };
}

describe('the outbox keeps pending items apart from their sent history', () => {
  const db = useTestDatabase();
  let models: NotifyModels;
  let outbox: OutboxStore;
  let fake: FakeTelegram;
  let cards: CardSource;
  const cardText = new Map<string, string>();

  beforeAll(async () => {
    models = createNotifyModels(db.conn);
    await ensureIndexes(models);
    outbox = createOutboxStore(models);
    fake = await startFakeTelegram();
    const places = createCardMessageStore(models);
    cards = { render: async (wishId) => ({ text: cardText.get(wishId) ?? wishId }), placeOf: places.placeOf, remember: places.remember };
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    await Promise.all([models.Outbox.deleteMany({}), models.OutboxHistory.deleteMany({}), models.SendFence.deleteMany({}), models.Lease.deleteMany({})]);
    fake.reset();
  });

  const sender = (opts: Partial<SenderDeps> = {}) =>
    createSender({
      outbox,
      leases: createLeaseStore(models),
      fences: createFenceStore(models),
      telegram: new Telegram(fake.token, { apiRoot: fake.apiRoot }),
      cards,
      clock: () => new Date(),
      logger,
      instanceId: 'history-test',
      limits: { perChatPerSecond: 50, perGroupPerMinute: 100 },
      ...opts,
    });
  const sends = () => fake.callsOf('sendMessage').length;

  it('moves a sent item out of the outbox into the history, keeping what was sent', async () => {
    fake.startUser(21);
    await outbox.enqueue([msg('a|21|test', 21, 'hello')], new Date());
    expect(await sender().drainOnce()).toMatchObject({ sent: 1 });
    expect(await models.Outbox.countDocuments({})).toBe(0);
    const stored = await models.OutboxHistory.findById('a|21|test').lean<Record<string, unknown>>();
    expect(stored).toMatchObject({ chatId: 21, kind: 'test', status: 'sent', attempts: 0, payload: { type: 'message', message: { text: 'hello' } } });
    expect(stored!.sentAt).toBeInstanceOf(Date);
    expect(stored!.createdAt).toBeInstanceOf(Date);
    expect(typeof stored!.messageId).toBe('number');
    expect(await outbox.get('a|21|test')).toMatchObject({ id: 'a|21|test', status: 'sent', messageId: stored!.messageId });
  });

  it('sends a new item without reading the history', async () => {
    fake.startUser(20);
    const historyReads: string[] = [];
    const watched = { ...outbox, get: (id: string) => (historyReads.push(id), outbox.get(id)), discardIfSettled: (id: string) => (historyReads.push(id), outbox.discardIfSettled(id)) };
    await outbox.enqueue([msg('n1|20|test', 20), msg('n2|20|test', 20)], new Date());
    expect(await sender({ outbox: watched }).drainOnce()).toMatchObject({ sent: 2 });
    expect(historyReads).toEqual([]);
  });

  it('a sent item enqueued again is not sent again: not by its sender, not by another while its fence holds, and its copy is deleted once the fence expires', async () => {
    fake.startUser(22);
    const first = sender();
    await outbox.enqueue([msg('b|22|test', 22)], new Date());
    await first.drainOnce();
    const sent = await outbox.get('b|22|test');
    // Enqueued again after the move (the history is not read: the copy goes in).
    expect(await outbox.enqueue([msg('b|22|test', 22), msg('c|22|test', 22)], new Date())).toBe(2);
    expect(await first.drainOnce()).toMatchObject({ sent: 1 });
    expect(await sender({ instanceId: 'other' }).drainOnce()).toMatchObject({ sent: 0 });
    expect(await outbox.pendingCount()).toBe(1);
    const later = () => new Date(Date.now() + 2 * 60_000);
    expect(await sender({ instanceId: 'later', clock: later }).drainOnce()).toEqual({ sent: 0, failed: 0, retried: 0, coalesced: 0 });
    expect(fake.callsOf('sendMessage').map((c) => c.params.text)).toEqual(['b|22|test', 'c|22|test']);
    expect(await outbox.pendingCount()).toBe(0);
    expect(await outbox.get('b|22|test')).toEqual(sent);
  });

  it('a pending copy inserted once its item is in the history is not sent (an enqueue racing the move)', async () => {
    fake.startUser(23);
    await outbox.enqueue([msg('d|23|test', 23)], new Date());
    await sender().drainOnce();
    await models.Outbox.collection.insertOne(pendingDoc('d|23|test', 23, new Date()) as never);
    expect(await sender({ instanceId: 'later', clock: () => new Date(Date.now() + 2 * 60_000) }).drainOnce()).toMatchObject({ sent: 0 });
    expect(fake.callsOf('sendMessage')).toHaveLength(1);
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('an item left in both after a crash between the history insert and the outbox delete is not sent again', async () => {
    fake.startUser(25);
    const at = new Date(Date.now() - 5 * 60_000);
    // Retried twice, then sent under fence #2 by a sender that died before deleting its pending document.
    await models.Outbox.collection.insertOne(pendingDoc('f|25|test', 25, at, { generation: 2, attempts: 2 }) as never);
    await createFenceStore(models).tryTake({ itemId: 'f|25|test', generation: 2, holder: 'dead', createdAt: at, until: new Date(at.getTime() + 60_000) });
    await models.OutboxHistory.collection.insertOne({ ...pendingDoc('f|25|test', 25, at, { generation: 2, attempts: 2 }), status: 'sent', sentAt: at, messageId: 9 } as never);
    expect(await sender().drainOnce()).toMatchObject({ sent: 0 });
    expect(sends()).toBe(0);
    expect(await outbox.pendingCount()).toBe(0);
    expect(await outbox.get('f|25|test')).toMatchObject({ status: 'sent', messageId: 9 });
  });

  it('a copy of a card refresh already sent is not coalesced into the next one, nor sent', async () => {
    cardText.set('W-9', 'v1');
    await outbox.enqueue([card('W-9:1', -925, 'W-9')], new Date());
    await sender().drainOnce();
    cardText.set('W-9', 'v2');
    await outbox.enqueue([card('W-9:2', -925, 'W-9')], new Date());
    const later = new Date(Date.now() + 1000);
    await models.Outbox.collection.insertOne({ ...pendingDoc('W-9:1|-925|card', -925, later), kind: 'card', payload: { type: 'card', wishId: 'W-9' } } as never);
    expect(await sender({ instanceId: 'later', clock: () => new Date(Date.now() + 2 * 60_000) }).drainOnce()).toEqual({ sent: 1, failed: 0, retried: 0, coalesced: 0 });
    expect(fake.callsOf('sendMessage')).toHaveLength(1);
    expect(fake.callsOf('editMessageText')).toHaveLength(1);
    expect(await models.OutboxHistory.findById('W-9:1|-925|card').lean()).not.toHaveProperty('outcome');
    expect(await outbox.pendingCount()).toBe(0);
  });

  it('records failures and coalesced refreshes in the history, and counts each collection', async () => {
    const at = new Date('2026-11-22T09:00:00Z');
    await outbox.enqueue([msg('g|1|test', 1), msg('g|2|test', 2), msg('g|3|test', 3), card('W-8:1', -3, 'W-8'), card('W-8:2', -3, 'W-8')], at);
    await outbox.markSent('g|1|test', at, 5);
    await outbox.markFailed('g|2|test', 'Forbidden: bot was blocked by the user', at);
    await outbox.markCoalesced(['W-8:1|-3|card'], at);
    expect(await outbox.countByStatus()).toEqual({ pending: 2, sent: 2, failed: 1 });
    expect(await outbox.pendingCount()).toBe(2);
    expect(await models.OutboxHistory.findById('W-8:1|-3|card').lean()).toMatchObject({ status: 'sent', outcome: 'coalesced', sentAt: at });
    expect(await models.OutboxHistory.findById('g|2|test').lean()).toMatchObject({ status: 'failed', lastError: 'Forbidden: bot was blocked by the user', failedAt: at });
    expect(await outbox.get('g|2|test')).toMatchObject({ status: 'failed', lastError: 'Forbidden: bot was blocked by the user' });
    // Recording twice (a write retried after a lost answer) changes nothing.
    await outbox.markSent('g|1|test', new Date(at.getTime() + 1000), 6);
    expect(await outbox.get('g|1|test')).toMatchObject({ status: 'sent', messageId: 5, sentAt: at });
    expect((await outbox.due(new Date(at.getTime() + 1000), 10)).map((i) => i.id).sort()).toEqual(['W-8:2|-3|card', 'g|3|test']);
  });

  it('due() reads only the outbox, however long the history', async () => {
    const at = new Date('2026-11-22T09:00:00Z');
    const history = Array.from({ length: 300 }, (_, i) => ({ ...pendingDoc(`h${i}|${i}|test`, i, at), status: 'sent', sentAt: at }));
    await models.OutboxHistory.collection.insertMany(history as never[]);
    await outbox.enqueue([msg('p|1|test', 1), msg('p|2|test', 2)], at);
    expect((await outbox.due(new Date(at.getTime() + 1000), 1000)).map((i) => i.id).sort()).toEqual(['p|1|test', 'p|2|test']);
    expect(await outbox.countByStatus()).toEqual({ pending: 2, sent: 300, failed: 0 });
  });

  it('housekeeping deletes old sent items from the history, keeping recent ones, failed ones and everything pending', async () => {
    const now = new Date('2026-12-20T09:00:00Z');
    const old = new Date(now.getTime() - 30 * DAY);
    const recent = new Date(now.getTime() - DAY);
    await outbox.enqueue([msg('o|1|test', 1), msg('o|2|test', 2), msg('o|3|test', 3), msg('o|4|test', 4)], old);
    await outbox.markSent('o|1|test', old);
    await outbox.markSent('o|2|test', recent);
    await outbox.markFailed('o|3|test', 'Forbidden', old);
    const none = async () => 0;
    const removed = await housekeeping({ updates: { deleteBefore: none }, outbox, leases: { deleteExpiredBefore: none }, turns: { deleteEndedBefore: none }, fences: { deleteCreatedBefore: none }, keepDays: 14 }, now);
    expect(removed.outbox).toBe(1);
    expect(await outbox.get('o|1|test')).toBeNull();
    expect(await outbox.get('o|2|test')).toMatchObject({ status: 'sent' });
    expect(await outbox.get('o|3|test')).toMatchObject({ status: 'failed' });
    expect(await outbox.get('o|4|test')).toMatchObject({ status: 'pending' });
  });

  describe('items an older version left in the outbox once sent or failed', () => {
    const at = new Date('2026-11-22T09:00:00Z');
    const seedOldLayout = () =>
      models.Outbox.collection.insertMany([
        { ...pendingDoc('old1|31|test', 31, at), status: 'sent', sentAt: at, messageId: 3 },
        { ...pendingDoc('old2|32|test', 32, at), status: 'failed', lastError: 'Forbidden', failedAt: at },
        pendingDoc('old3|33|test', 33, at),
      ] as never[]);

    it('are never due, and start-up moves them into the history, leaving pending ones', async () => {
      await seedOldLayout();
      expect((await outbox.due(new Date(at.getTime() + 1000), 10)).map((i) => i.id)).toEqual(['old3|33|test']);
      const rt = await createRuntime({
        conn: db.conn,
        models: db.models,
        clock: () => new Date(),
        logger,
        bot: { token: '1:x', apiRoot: 'http://127.0.0.1:9', adminIds: [] },
        defaultLanguage: 'en',
        timeZone: 'Asia/Shanghai',
        instanceId: 'startup-move',
      });
      expect(await models.Outbox.find({}).distinct('_id')).toEqual(['old3|33|test']);
      expect(await rt.outbox.countByStatus()).toEqual({ pending: 1, sent: 1, failed: 1 });
      expect(await rt.outbox.get('old1|31|test')).toMatchObject({ status: 'sent', messageId: 3 });
      expect(await rt.outbox.get('old2|32|test')).toMatchObject({ status: 'failed', lastError: 'Forbidden' });
    });

    it('moving them again (a second start, a crash part way) changes nothing, and one settled in the last minute waits for the next start', async () => {
      const later = new Date(at.getTime() + DAY);
      await seedOldLayout();
      // A crash part way: one already copied into the history, still in the outbox.
      await models.OutboxHistory.collection.insertOne({ ...pendingDoc('old1|31|test', 31, at), status: 'sent', sentAt: at, messageId: 3 } as never);
      // Settled just now by an older instance still running.
      await models.Outbox.collection.insertOne({ ...pendingDoc('old4|34|test', 34, at), status: 'sent', sentAt: new Date(later.getTime() - 30_000) } as never);
      expect(await outbox.moveSettledToHistory(later)).toBe(2);
      expect(await outbox.moveSettledToHistory(later)).toBe(0);
      expect(await outbox.countByStatus()).toEqual({ pending: 1, sent: 1, failed: 1 });
      expect(await outbox.get('old1|31|test')).toMatchObject({ status: 'sent', messageId: 3 });
      expect((await outbox.due(later, 10)).map((i) => i.id)).toEqual(['old3|33|test']);
      expect(await outbox.moveSettledToHistory(new Date(later.getTime() + 60_000))).toBe(1);
      expect((await models.Outbox.find({}).distinct('_id')).sort()).toEqual(['old3|33|test']);
      expect(await outbox.countByStatus()).toEqual({ pending: 1, sent: 2, failed: 1 });
    });
  });
});
