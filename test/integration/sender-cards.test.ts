import { testLogger } from '../support/privacy-record';
import { Telegram } from 'telegraf';
import { createFenceStore } from '../../src/db/fence-store';
import { createLeaseStore } from '../../src/db/lease-store';
import { ensureIndexes } from '../../src/db/models';
import { createNotifyModels, NotifyModels } from '../../src/db/notify-models';
import { createCardMessageStore, createOutboxStore, OutboxStore } from '../../src/db/outbox-store';
import { NewOutboxItem } from '../../src/domain/outbox';
import { createSender, SenderDeps } from '../../src/notify/sender';
import { CardSource, DeliveryReport } from '../../src/notify/types';
import { FakeTelegram, startFakeTelegram } from '../fake-telegram';
import { useTestDatabase } from '../support/db';
import { seededRandom } from '../support/random';

const logger = testLogger(process.env.TEST_LOG_LEVEL);

describe('cards through the sender', () => {
  const db = useTestDatabase();
  let models: NotifyModels;
  let outbox: OutboxStore;
  /** What each wish's card says now; null: nothing to show. */
  const cardText = new Map<string, string | null>();
  let cards: CardSource;

  beforeAll(async () => {
    models = createNotifyModels(db.conn);
    await ensureIndexes(models);
    outbox = createOutboxStore(models);
    const store = createCardMessageStore(models);
    cards = {
      render: async (wishId) => {
        const text = cardText.get(wishId);
        return text === null || text === undefined ? null : { text, keyboard: [[{ text: 'Pledge 50', callback_data: `p:${wishId}:50` }]] };
      },
      placeOf: store.placeOf,
      remember: store.remember,
    };
  });

  const refresh = (source: string, chatId: number, wishId: string): NewOutboxItem => ({ id: `${source}|${chatId}|card`, chatId, kind: 'card', payload: { type: 'card', wishId } });

  function sender(telegram: SenderDeps['telegram'], opts: Partial<SenderDeps> = {}) {
    return createSender({ outbox, leases: createLeaseStore(models), fences: createFenceStore(models), telegram, cards, clock: () => new Date(), logger, instanceId: 'cards', ...opts });
  }

  /** Resolves once `n` reports of the sender say an item is done (sent or coalesced). */
  function reportsDone(n: number) {
    const reports: DeliveryReport[] = [];
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const onReport = (r: DeliveryReport) => {
      reports.push(r);
      if (reports.filter((x) => x.outcome === 'sent' || x.outcome === 'coalesced').length === n) resolve();
    };
    return { reports, done, onReport };
  }

  it('22 cards to 3 groups, posted and then refreshed, against Telegram’s limits counted at arrival with ±50 ms jitter: no 429, and no edit that changes nothing', async () => {
    const fake = await startFakeTelegram({ rateLimit: true, jitterMs: 50, random: seededRandom(2211) });
    try {
      const groups = [-1_001_001, -1_001_002, -1_001_003];
      const wishes = Array.from({ length: 22 }, (_, i) => `W-${2000 + i}`);
      for (const w of wishes) cardText.set(w, `${w}: 0 / 300 pledged`);
      const progress = reportsDone(2 * wishes.length * groups.length);
      const s = sender(new Telegram(fake.token, { apiRoot: fake.apiRoot }), { onReport: progress.onReport });
      s.start();
      // 22 posts per group: the 21st and 22nd must wait until the group's minute has passed.
      await outbox.enqueue(groups.flatMap((g) => wishes.map((w) => refresh(`${w}:1`, g, w))), new Date());
      s.wake();
      await fake.waitForCalls((c) => c.method === 'sendMessage' && c.ok, wishes.length * groups.length, 240_000);
      // Then every card is refreshed; half of the wishes changed, the other half (fully pledged, say) did not.
      for (const w of wishes.filter((_, i) => i % 2 === 0)) cardText.set(w, `${w}: 100 / 300 pledged`);
      await outbox.enqueue(groups.flatMap((g) => wishes.map((w) => refresh(`${w}:2`, g, w))), new Date());
      s.wake();
      await progress.done;
      await s.stop();

      expect(fake.stats().tooManyRequests).toBe(0);
      const edits = fake.callsOf('editMessageText');
      expect(edits.filter((c) => !c.ok).map((c) => c.description)).toEqual([]);
      expect(edits).toHaveLength((wishes.length / 2) * groups.length);
      for (const g of groups) {
        expect(fake.chatMessages(g).map((m) => m.text)).toEqual(wishes.map((w, i) => `${w}: ${i % 2 === 0 ? 100 : 0} / 300 pledged`));
      }
      expect(await outbox.pendingCount()).toBe(0);
    } finally {
      await fake.close();
    }
  }, 300_000);

  describe('one card in one group', () => {
    const group = -1_002_001;
    let fake: FakeTelegram;
    beforeAll(async () => {
      fake = await startFakeTelegram();
    });
    afterAll(async () => {
      await fake.close();
    });
    beforeEach(() => fake.reset());

    // Looser limits than Telegram's, so the calls to one chat need not wait a second each.
    const quick = () => sender(new Telegram(fake.token, { apiRoot: fake.apiRoot }), { limits: { perChatPerSecond: 50, perGroupPerMinute: 100 } });
    const repost = (source: string, wishId: string): NewOutboxItem => ({ id: `${source}|${group}|card`, chatId: group, kind: 'card', payload: { type: 'card', wishId, repost: true } });

    it('a refresh whose card did not change makes no Bot API call; Telegram’s "not modified" still counts as sent', async () => {
      const s = quick();
      cardText.set('W-3000', 'W-3000: 0 / 300 pledged');
      await outbox.enqueue([refresh('W-3000:1', group, 'W-3000')], new Date());
      await s.drainOnce();
      expect(fake.callsOf('sendMessage')).toHaveLength(1);

      // Nothing changed (a fully pledged card pledged again, say): no call at all.
      await outbox.enqueue([refresh('W-3000:2', group, 'W-3000')], new Date());
      expect(await s.drainOnce()).toEqual({ sent: 1, failed: 0, retried: 0, coalesced: 0 });
      expect(fake.calls).toHaveLength(1);

      // Changed: one edit, and what it showed is remembered.
      cardText.set('W-3000', 'W-3000: 300 / 300 pledged');
      await outbox.enqueue([refresh('W-3000:3', group, 'W-3000'), refresh('W-3000:4', group, 'W-3000')], new Date());
      expect(await s.drainOnce()).toEqual({ sent: 1, failed: 0, retried: 0, coalesced: 1 });
      expect(fake.callsOf('editMessageText')).toMatchObject([{ ok: true, params: { text: 'W-3000: 300 / 300 pledged' } }]);
      await outbox.enqueue([refresh('W-3000:5', group, 'W-3000')], new Date());
      await s.drainOnce();
      expect(fake.calls).toHaveLength(2);

      // What was remembered is older than the message (say a crash between the edit and the write): Telegram says "not modified".
      await models.CardMessage.updateOne({ _id: `W-3000|${group}` }, { $set: { hash: 'older' } });
      await outbox.enqueue([refresh('W-3000:6', group, 'W-3000')], new Date());
      expect(await s.drainOnce()).toMatchObject({ sent: 1, failed: 0, retried: 0 });
      expect(fake.calls.at(-1)).toMatchObject({ method: 'editMessageText', ok: false, description: expect.stringContaining('message is not modified') });
      await outbox.enqueue([refresh('W-3000:7', group, 'W-3000')], new Date());
      await s.drainOnce();
      expect(fake.calls).toHaveLength(3);
      expect(await outbox.pendingCount()).toBe(0);
    });

    it('a repost posts the card as a new message, and later refreshes edit the new one', async () => {
      const s = quick();
      cardText.set('W-3001', 'W-3001: 0 / 300 pledged');
      await outbox.enqueue([refresh('W-3001:1', group, 'W-3001')], new Date());
      await s.drainOnce();
      const first = fake.callsOf('sendMessage')[0]!.result as { message_id: number };

      // Unchanged, but asked to repost (the bot was added back to the group): a new message.
      await outbox.enqueue([repost('W-3001:back', 'W-3001')], new Date());
      expect(await s.drainOnce()).toMatchObject({ sent: 1 });
      const second = fake.callsOf('sendMessage')[1]!.result as { message_id: number };
      expect(second.message_id).not.toBe(first.message_id);

      cardText.set('W-3001', 'W-3001: 50 / 300 pledged');
      await outbox.enqueue([refresh('W-3001:2', group, 'W-3001')], new Date());
      await s.drainOnce();
      expect(fake.callsOf('editMessageText')).toMatchObject([{ ok: true, params: { message_id: second.message_id } }]);
      expect(fake.chatMessages(group).map((m) => [m.message_id, m.text])).toEqual([
        [first.message_id, 'W-3001: 0 / 300 pledged'],
        [second.message_id, 'W-3001: 50 / 300 pledged'],
      ]);

      // A repost waiting behind an ordinary refresh is not lost when they are sent as one.
      cardText.set('W-3001', 'W-3001: 100 / 300 pledged');
      await outbox.enqueue([refresh('W-3001:3', group, 'W-3001'), repost('W-3001:back2', 'W-3001')], new Date());
      expect(await s.drainOnce()).toMatchObject({ sent: 1, coalesced: 1 });
      expect(fake.callsOf('sendMessage')).toHaveLength(3);
      expect(fake.callsOf('editMessageText')).toHaveLength(1);
      const third = fake.callsOf('sendMessage')[2]!.result as { message_id: number; text: string };
      expect(third.text).toBe('W-3001: 100 / 300 pledged');
      expect(await createCardMessageStore(models).placeOf('W-3001', group)).toMatchObject({ messageId: third.message_id });
    });
  });
});
