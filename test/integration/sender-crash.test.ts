import { createNotifyModels, ensureNotifyIndexes } from '../../src/db/notify-models';
import { createOutboxStore } from '../../src/db/outbox-store';
import { startFakeTelegram } from '../fake-telegram';
import { useTestDatabase } from '../support/db';
import { killChildren, spawnTs, watchOutput } from '../support/processes';

afterAll(killChildren);

describe('a sender killed part way through the outbox', () => {
  const db = useTestDatabase();

  it('loses nothing: a new sender delivers the rest, re-sending only what was in flight', async () => {
    const models = createNotifyModels(db.conn);
    await ensureNotifyIndexes(models);
    const outbox = createOutboxStore(models);
    const fake = await startFakeTelegram({ latencyMs: 15 });
    try {
      const users = Array.from({ length: 500 }, (_, i) => 60_000 + i);
      for (const u of users) fake.startUser(u);
      await outbox.enqueue(users.map((u) => ({ id: `crash:${u}|${u}|test`, chatId: u, kind: 'test', payload: { type: 'message' as const, message: { text: `message ${u}` } } })), new Date());

      const start = (id: string) => {
        const child = spawnTs('test/support/sender-process.ts', [db.uri, db.dbName, fake.apiRoot, fake.token, id, '200']);
        return { child, out: watchOutput(child) };
      };
      const first = start('first');
      await fake.waitForCalls((c) => c.method === 'sendMessage' && c.ok, 150, 60_000);
      first.child.kill('SIGKILL');
      await first.out.exited;

      const receivedBeforeKill = fake.callsOf('sendMessage').filter((c) => c.ok).map((c) => String(c.params.text));

      const distinct = new Set(receivedBeforeKill);
      const allDelivered = new Promise<void>((resolve) => {
        if (distinct.size === 500) resolve();
        fake.onCall((c) => {
          if (c.method === 'sendMessage' && c.ok) distinct.add(String(c.params.text));
          if (distinct.size === 500) resolve();
        });
      });
      const second = start('second');
      await allDelivered;
      second.child.kill('SIGTERM'); // a graceful stop marks what it sent before exiting
      await second.out.exited;

      const texts = fake.callsOf('sendMessage').filter((c) => c.ok).map((c) => String(c.params.text));
      const counts = new Map<string, number>();
      for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1);
      const twice = [...counts].filter(([, n]) => n > 1).map(([t]) => t);
      const before = new Set(receivedBeforeKill);
      console.log(`crash test: delivered ${counts.size} of 500; ${receivedBeforeKill.length} reached the Bot API before the kill; sent twice: ${twice.length}, all of them in flight at the kill (reached Telegram, not yet recorded as sent)`);
      expect(counts.size).toBe(500);
      expect([...counts.values()].every((n) => n <= 2)).toBe(true);
      // Only messages the killed sender had already handed to Telegram are repeated, at most one in-flight window of them.
      expect(twice.every((t) => before.has(t))).toBe(true);
      expect(twice.length).toBeLessThanOrEqual(40);
      expect(await outbox.pendingCount()).toBe(0);
    } finally {
      await fake.close();
    }
  });
});
