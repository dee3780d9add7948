import { testLogger } from '../support/privacy-record';
import { Telegram } from 'telegraf';
import { createFenceStore } from '../../src/db/fence-store';
import { createLeaseStore } from '../../src/db/lease-store';
import { ensureIndexes } from '../../src/db/models';
import { createNotifyModels, NotifyModels } from '../../src/db/notify-models';
import { createCardMessageStore, createOutboxStore } from '../../src/db/outbox-store';
import { createFences } from '../../src/notify/fences';
import { createSender } from '../../src/notify/sender';
import { NewOutboxItem } from '../../src/domain/outbox';
import { FakeTelegram, startFakeTelegram } from '../fake-telegram';
import { useTestDatabase } from '../support/db';
import { seededRandom, slowed } from '../support/random';

const logger = testLogger(process.env.TEST_LOG_LEVEL);

describe('several senders on one database', () => {
  const db = useTestDatabase();
  let models: NotifyModels;
  let fake: FakeTelegram;
  const random = seededRandom(20261122);

  beforeAll(async () => {
    models = createNotifyModels(db.conn);
    await ensureIndexes(models);
    // The Bot API answers each call after a random 0-800 ms.
    fake = await startFakeTelegram({ jitterMs: 400, random });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    await Promise.all([models.Outbox.deleteMany({}), models.OutboxHistory.deleteMany({}), models.SendFence.deleteMany({}), models.Lease.deleteMany({})]);
    fake.reset();
  });

  it('when twenty senders find a dead holder’s fence at once, exactly one takes the next generation', async () => {
    const outbox = createOutboxStore(models);
    const store = createFenceStore(models);
    await outbox.enqueue([{ id: 'dead|1|test', chatId: 1, kind: 'test', payload: { type: 'message', message: { text: 'x' } } }], new Date());
    const [item] = await outbox.due(new Date(), 10);
    const longAgo = new Date(Date.now() - 120_000);
    expect(await store.tryTake({ itemId: item!.id, generation: 0, holder: 'dead', createdAt: longAgo, until: new Date(longAgo.getTime() + 60_000) })).toBe(true);
    const takes = await Promise.all(Array.from({ length: 20 }, (_, i) => createFences({ store, outbox, holderId: `s${i}`, clock: () => new Date() }).take(item!)));
    expect(takes.filter((t) => t.kind === 'held')).toEqual([expect.objectContaining({ generation: 1 })]);
    expect(takes.filter((t) => t.kind === 'busy')).toHaveLength(19);
  });

  // Its length follows the machine's load (three send loops racing for 300 ms turns on two cores): 300
  // messages still see the turn change hands dozens of times (every 300 ms), and the time limit only catches a hang.
  it('three senders, a slow Bot API, a slow database and turns changing hands every 300 ms: each of 300 messages is sent exactly once', async () => {
    const users = Array.from({ length: 150 }, (_, i) => 70_000 + i);
    for (const u of users) fake.startUser(u);
    const items: NewOutboxItem[] = users.flatMap((u) => [1, 2].map((n) => ({ id: `x${n}|${u}|test`, chatId: u, kind: 'test', payload: { type: 'message' as const, message: { text: `x${n} to ${u}` } } })));
    const outbox = createOutboxStore(models);
    await outbox.enqueue(items, new Date());

    const received = new Set<string>();
    const allReceived = new Promise<void>((resolve) =>
      fake.onCall((c) => {
        if (c.method === 'sendMessage' && c.ok) received.add(String(c.params.text));
        if (received.size === items.length) resolve();
      }),
    );
    const cards = createCardMessageStore(models);
    // Sender i only ever gets slots k with k % 3 == i, so the turn changes hands every 300 ms, sends in flight.
    const leaseStore = createLeaseStore(models);
    const slotIndex = (key: string) => Date.parse(key.slice(key.indexOf(':') + 1)) / 300;
    const sentBy = new Map<string, number>();
    const senders = ['A', 'B', 'C'].map((instanceId, i) =>
      createSender({
        // A slow database: every read and write of the outbox and the fences waits 0-20 ms on the way there and back.
        outbox: slowed(createOutboxStore(models), random, 20),
        fences: slowed(createFenceStore(models), random, 20),
        leases: { tryAcquire: async (key, holder, expiresAt) => slotIndex(key) % 3 === i && leaseStore.tryAcquire(key, holder, expiresAt) },
        onReport: (r) => r.outcome === 'sent' && sentBy.set(instanceId, (sentBy.get(instanceId) ?? 0) + 1),
        telegram: new Telegram(fake.token, { apiRoot: fake.apiRoot }),
        cards: { render: async () => null, ...cards },
        clock: () => new Date(),
        logger: logger.child({ instanceId }),
        instanceId,
        slotMs: 300,
        limits: { globalPerSecond: 100 },
      }),
    );
    for (const s of senders) s.start();
    await allReceived;
    await Promise.all(senders.map((s) => s.stop()));

    const sends = fake.callsOf('sendMessage').filter((c) => c.ok).map((c) => String(c.params.text));
    const duplicates = sends.length - new Set(sends).size;
    expect({ sends: sends.length, duplicates }).toEqual({ sends: items.length, duplicates: 0 });
    expect(await outbox.pendingCount()).toBe(0);
    // Each of them had turns and sent some.
    expect([...sentBy.keys()].sort()).toEqual(['A', 'B', 'C']);
  }, 600_000);
});
