// 50 groups x 40 messages plus 500 private messages through the real sender and outbox, against the
// fake Bot API in rate-limit mode (429 with retry_after past Telegram's limits). Prints the total time,
// the floor those limits allow, their ratio, and how many 429s came back.
//
//   npm run bench -- broadcast [--groups=50] [--per-group=40] [--private=500]
import pino from 'pino';
import { Telegram } from 'telegraf';
import { createLeaseStore } from '../src/db/lease-store';
import { createNotifyModels, ensureNotifyIndexes } from '../src/db/notify-models';
import { createCardMessageStore, createOutboxStore } from '../src/db/outbox-store';
import { createSender } from '../src/notify/sender';
import { NewOutboxItem } from '../src/notify/types';
import { startFakeTelegram } from '../test/fake-telegram';
import { intFlag, note, openBenchConnection, parseFlags, say, withBenchDatabase } from './support';

const LIMITS = { globalPerSecond: 30, perGroupPerMinute: 20, perChatPerSecond: 1 };

/** The least time Telegram's limits allow for this load, and which limit sets it. */
export function broadcastFloor(groups: number, perGroup: number, privates: number) {
  const total = groups * perGroup + privates;
  const global = total / LIMITS.globalPerSecond;
  // A group takes 20 a minute: its last message goes no sooner than 60 s per full 20 before it.
  const perGroupMinute = groups > 0 ? Math.floor((perGroup - 1) / LIMITS.perGroupPerMinute) * 60 : 0;
  const perChat = groups > 0 ? (perGroup - 1) / LIMITS.perChatPerSecond : 0;
  const floor = Math.max(global, perGroupMinute, perChat);
  return { total, global, perGroupMinute, perChat, floor };
}

export async function run(args: string[]): Promise<void> {
  const flags = parseFlags(args);
  const groups = intFlag(flags, 'groups', 50);
  const perGroup = intFlag(flags, 'per-group', 40);
  const privates = intFlag(flags, 'private', 500, 0);

  await withBenchDatabase(async (uri, engine) => {
    const db = await openBenchConnection(uri, 'broadcast');
    const models = createNotifyModels(db.conn);
    await ensureNotifyIndexes(models);
    const outbox = createOutboxStore(models);
    const fake = await startFakeTelegram({ rateLimit: true });
    try {
      const items: NewOutboxItem[] = [];
      for (let g = 0; g < groups; g++) {
        for (let m = 0; m < perGroup; m++) {
          items.push({ id: `bc:${g}:${m}|${-1000 - g}|digest`, chatId: -1000 - g, kind: 'digest', payload: { type: 'message', message: { text: `group ${g} message ${m}` } } });
        }
      }
      for (let p = 0; p < privates; p++) {
        fake.startUser(900_000 + p);
        items.push({ id: `bc:p${p}|${900_000 + p}|reminder`, chatId: 900_000 + p, kind: 'reminder', payload: { type: 'message', message: { text: `private ${p}` } } });
      }
      // Interleave, as a real outbox would hold them, so no kind gets the sender to itself.
      items.sort((a, b) => a.id.localeCompare(b.id));
      await outbox.enqueue(items, new Date());

      const cards = createCardMessageStore(models);
      const sender = createSender({
        outbox,
        leases: createLeaseStore(models),
        telegram: new Telegram(fake.token, { apiRoot: fake.apiRoot }),
        cards: { render: async () => null, ...cards },
        clock: () => new Date(),
        logger: pino({ level: 'silent' }),
        instanceId: 'bench-broadcast',
      });
      const started = Date.now();
      let delivered = 0;
      const done = new Promise<void>((resolve) => {
        fake.onCall((c) => {
          if (c.method === 'sendMessage' && c.ok && ++delivered === items.length) resolve();
        });
      });
      const progress = setInterval(() => note(`  ${delivered}/${items.length} delivered after ${((Date.now() - started) / 1000).toFixed(0)} s`), 15_000);
      sender.start();
      await done;
      const seconds = (Date.now() - started) / 1000;
      clearInterval(progress);
      await sender.stop();

      const f = broadcastFloor(groups, perGroup, privates);
      say(`engine: ${engine}  messages: ${f.total} (${groups} groups x ${perGroup}, ${privates} private)`);
      say(`floor: ${f.floor.toFixed(1)} s = max(global ${f.total}/30 = ${f.global.toFixed(1)} s, per group 20/min = ${f.perGroupMinute} s, per chat 1/s = ${f.perChat.toFixed(0)} s)`);
      say(`total: ${seconds.toFixed(1)} s   ratio: ${(seconds / f.floor).toFixed(3)}   429s received: ${fake.stats().tooManyRequests}`);
      if (seconds / f.floor > 1.15 || fake.stats().tooManyRequests > 0) process.exitCode = 1;
    } finally {
      await fake.close();
      await db.close();
    }
  });
}
