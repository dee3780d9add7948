import { ensureIndexes } from '../../src/db/models';
import { createNotifyModels } from '../../src/db/notify-models';
import { createOutboxStore } from '../../src/db/outbox-store';
import { startFakeTelegram } from '../fake-telegram';
import { useTestDatabase } from '../support/db';
import { killChildren, spawnTs, watchOutput } from '../support/processes';

afterAll(killChildren);

const USERS = 50;
const PER_USER = 10;
const TOTAL = USERS * PER_USER;
/** The sender's default bound on sends awaiting Telegram or the database. */
const MAX_IN_FLIGHT = 40;
const SLOT_MS = 1000;
/** Short fences, so the survivor takes up what the killed sender had in flight within seconds. */
const FENCE_MS = 4000;
const CALL_TIMEOUT_MS = 1000;

describe('a sender killed part way through the outbox', () => {
  const db = useTestDatabase();

  it('loses nothing: a new sender delivers the rest once the dead one\'s fences expire, re-sending only what it had in flight', async () => {
    const models = createNotifyModels(db.conn);
    await ensureIndexes(models);
    const outbox = createOutboxStore(models);
    // A little latency, so there are always requests in flight when the kill lands.
    const fake = await startFakeTelegram({ latencyMs: 20 });
    try {
      const users = Array.from({ length: USERS }, (_, i) => 60_000 + i);
      for (const u of users) fake.startUser(u);
      const items = users.flatMap((u) =>
        Array.from({ length: PER_USER }, (_, n) => ({ id: `crash:${n}|${u}|test`, chatId: u, kind: 'test', payload: { type: 'message' as const, message: { text: `message ${n} to ${u}` } } })),
      );
      await outbox.enqueue(items, new Date());

      const start = (id: string) => {
        const child = spawnTs('test/support/sender-process.ts', [db.uri, db.dbName, fake.apiRoot, fake.token, id, String(SLOT_MS), String(FENCE_MS), String(CALL_TIMEOUT_MS)]);
        return { child, out: watchOutput(child) };
      };
      const first = start('first');
      await fake.waitForCalls((c) => c.method === 'sendMessage' && c.ok, 150, 60_000);
      first.child.kill('SIGKILL');
      await first.out.exited;

      // What the dead sender had not recorded as sent (some of which Telegram had already received).
      const unrecorded = new Set(
        (await models.Outbox.find({ status: 'pending' }, { payload: 1 }).lean<Array<{ payload: { message: { text: string } } }>>()).map((d) => d.payload.message.text),
      );
      const secondStarted = Date.now();
      const received = new Set(fake.callsOf('sendMessage').filter((c) => c.ok).map((c) => String(c.params.text)));
      const allDelivered = new Promise<void>((resolve) => {
        if (received.size === TOTAL) resolve();
        fake.onCall((c) => {
          if (c.method === 'sendMessage' && c.ok) received.add(String(c.params.text));
          if (received.size === TOTAL) resolve();
        });
      });
      const second = start('second');
      await allDelivered;
      second.child.kill('SIGTERM'); // a graceful stop records what it sent before exiting
      await second.out.exited;

      const sends = fake.callsOf('sendMessage').filter((c) => c.ok);
      const counts = new Map<string, number>();
      for (const c of sends) counts.set(String(c.params.text), (counts.get(String(c.params.text)) ?? 0) + 1);
      const twice = [...counts].filter(([, n]) => n > 1).map(([t]) => t);
      const beforeKill = sends.filter((c) => c.at < secondStarted).map((c) => String(c.params.text));
      const inFlightAtKill = new Set(beforeKill.filter((t) => unrecorded.has(t))).size;
      console.log(
        `crash test: delivered ${counts.size}, duplicates ${twice.length}, in flight at kill ${inFlightAtKill} ` +
          `(the killed sender got ${beforeKill.length} of ${TOTAL} to the Bot API; ${unrecorded.size} were still pending in the outbox)`,
      );
      expect(counts.size).toBe(TOTAL);
      expect(await outbox.pendingCount()).toBe(0);
      expect([...counts.values()].every((n) => n <= 2)).toBe(true);
      // Only what the killed sender had handed to Telegram without recording it is sent again: never an item recorded as sent.
      expect(twice.every((t) => unrecorded.has(t))).toBe(true);
      expect(twice.length).toBeLessThanOrEqual(MAX_IN_FLIGHT);
      // Each was in flight under a fence of the killed sender, and the survivor took the next generation once it expired.
      const idOf = new Map(items.map((i) => [i.payload.message.text, i.id]));
      const fences = await models.SendFence.find({ itemId: { $in: twice.map((t) => idOf.get(t)!) } }).lean<Array<{ itemId: string; generation: number; holder: string }>>();
      for (const t of twice) {
        const held = fences.filter((f) => f.itemId === idOf.get(t)).sort((a, b) => a.generation - b.generation);
        expect(held.map((f) => f.holder)).toEqual(['first', 'second']);
        expect(held[1]!.generation).toBe(held[0]!.generation + 1);
      }
    } finally {
      await fake.close();
    }
  });
});
