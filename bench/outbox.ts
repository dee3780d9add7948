// The sender's outbox reads with a long sent history beside a few pending items: due() (about once a
// second and on every wake-up), pendingCount() and a card's pendingCardRefreshes(), each a full scan
// of its collection on FerretDB, and the write that records a send. Three layouts, the same pending
// items in each:
//   empty    no history at all;
//   mixed    the history kept in `outbox` with status 'sent', as before outbox_history: the same
//            queries; a send recorded as before, by an update of the item by _id;
//   apart    the history in `outbox_history`, after moveSettledToHistory() (its time is printed);
//            a send recorded by markSent (read, insert into the history, delete from the outbox).
// And, for scale, one point read of a key missing from the history: what asking the history before
// each enqueue or send would cost (neither does).
//
//   npm run bench -- outbox [--history=100k] [--pending=100] [--calls=20]
import { performance } from 'node:perf_hooks';
import { ensureIndexes } from '../src/db/models';
import { createNotifyModels } from '../src/db/notify-models';
import { createOutboxStore } from '../src/db/outbox-store';
import { NewOutboxItem } from '../src/domain/outbox';
import { fmtInt, fmtMs, fmtSeconds, formatTable, intFlag, intListFlag, note, openBenchConnection, parseFlags, say, summarize, withBenchDatabase } from './support';

const SEED_BATCH = 2000;

export async function run(args: string[]): Promise<void> {
  const flags = parseFlags(args);
  const [historySize] = intListFlag(flags, 'history', [100_000]);
  const pendingSize = intFlag(flags, 'pending', 100);
  const calls = intFlag(flags, 'calls', 20);

  await withBenchDatabase(async (uri, engine) => {
    const db = await openBenchConnection(uri, 'outbox');
    try {
      const models = createNotifyModels(db.conn);
      await ensureIndexes(models);
      const outbox = createOutboxStore(models);
      const t0 = new Date('2026-11-22T09:00:00Z');
      const pending: NewOutboxItem[] = Array.from({ length: pendingSize }, (_, i) => ({ id: `p${i}|${-1000 - i}|card`, chatId: -1000 - i, kind: 'card', payload: { type: 'card', wishId: `W-${i}` } }));
      await outbox.enqueue(pending, t0);
      const now = new Date(t0.getTime() + 60_000);
      const settledAt = new Date(t0.getTime() - 3_600_000);

      async function time(what: () => Promise<unknown>): Promise<number> {
        const samples: number[] = [];
        for (let i = 0; i < calls; i++) {
          const start = performance.now();
          await what();
          samples.push(performance.now() - start);
        }
        return summarize(samples).p50;
      }
      async function measure(layout: string, record: (id: string) => Promise<unknown>): Promise<string[]> {
        note(`measuring: ${layout}`);
        const due = await time(async () => {
          const items = await outbox.due(now, 2000);
          if (items.length !== pendingSize) throw new Error(`due() returned ${items.length}, not ${pendingSize}`);
        });
        const count = await time(() => outbox.pendingCount());
        const refreshes = await time(() => outbox.pendingCardRefreshes('p0|-1000|card', -1000, 'W-0'));
        await outbox.enqueue(Array.from({ length: calls }, (_, i) => ({ id: `${layout}${i}|1|test`, chatId: 1, kind: 'test', payload: { type: 'message', message: { text: 'x' } } })), now);
        let i = 0;
        const recorded = await time(() => record(`${layout}${i++}|1|test`));
        return [layout, fmtMs(due), fmtMs(count), fmtMs(refreshes), fmtMs(recorded)];
      }
      const oldRecord = (id: string) => models.Outbox.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: settledAt, messageId: 1 } });
      const newRecord = (id: string) => outbox.markSent(id, now, 1);

      const rows = [await measure('empty', newRecord)];

      // The old layout: sent items stay in `outbox` until housekeeping.
      note(`seeding ${fmtInt(historySize!)} sent items into outbox`);
      for (let from = 0; from < historySize!; from += SEED_BATCH) {
        const docs = Array.from({ length: Math.min(SEED_BATCH, historySize! - from) }, (_, k) => {
          const i = from + k;
          const chatId = -2000 - (i % 1000);
          return { _id: `s${i}|${chatId}|card`, chatId, kind: 'card', payload: { type: 'card', wishId: `W-${i % 5000}` }, status: 'sent', notBefore: settledAt, attempts: 0, createdAt: settledAt, sentAt: settledAt, messageId: i };
        });
        await models.Outbox.collection.insertMany(docs as never[], { ordered: false });
      }
      rows.push(await measure('mixed', oldRecord));

      const moveStart = performance.now();
      const moved = await outbox.moveSettledToHistory(now);
      const moveMs = performance.now() - moveStart;
      const left = await models.Outbox.countDocuments({});
      if (left !== pendingSize) throw new Error(`after the move the outbox holds ${left}, not the ${pendingSize} pending`);
      rows.push(await measure('apart', newRecord));

      const missing = await time(() => models.OutboxHistory.findById('no such key').lean());

      say(`outbox on ${engine}: ${pendingSize} pending items; history of ${fmtInt(historySize!)} sent (none in 'empty'); median of ${calls} calls, ms per call`);
      for (const line of formatTable(['layout', 'due()', 'pendingCount()', 'pendingCardRefreshes()', 'record a send'], rows)) say(line);
      say(`moveSettledToHistory(): ${fmtInt(moved)} items in ${fmtSeconds(moveMs)} (once, at the first start-up after the upgrade)`);
      say(`a read by _id of a key missing from the history: ${fmtMs(missing)} ms (an _id index lookup: the sender asks the history only for an item whose fence is already taken)`);
    } finally {
      await db.close();
    }
  });
}
