// 200 button presses from 200 people spread over 20 goods cards, arriving within one second, through
// the real bot (polling a fake Bot API) on the real database. Measures the time from an update's
// arrival at the Bot API to the bot's answerCallbackQuery, and checks every card has one pledge.
// The cards' community first gets --history events of earlier wishes (bulk, bench/seed.ts).
// Target: no press unanswered, p99 under 500 ms on a quiet machine.
//
//   npm run bench -- burst [--presses=200] [--cards=20] [--window=1000] [--history=20000]
import { performance } from 'node:perf_hooks';
import { groupChat, startFakeTelegram } from '../test/fake-telegram';
import { seedHistoryInBulk } from './seed';
import { benchRuntime, fmtInt, fmtMs, fmtSeconds, formatPeakMemory, formatTable, intFlag, note, openBenchConnection, parseFlags, say, summarize, withBenchDatabase } from './support';

export async function run(args: string[]): Promise<void> {
  const flags = parseFlags(args);
  const presses = intFlag(flags, 'presses', 200);
  const cardCount = intFlag(flags, 'cards', 20);
  const windowMs = intFlag(flags, 'window', 1000);
  const history = intFlag(flags, 'history', 20_000, 0);

  await withBenchDatabase(async (uri, engine) => {
    const db = await openBenchConnection(uri, 'burst');
    const fake = await startFakeTelegram();
    const runtime = await benchRuntime(db, fake, 'bench-burst');
    try {
      const admin = { kind: 'admin' as const, id: 'bench' };
      const community = await runtime.services.communities.create({ name: 'Bench Street' }, admin);
      let seeded = 'no history';
      if (history >= 2) {
        note(`seeding ${fmtInt(history)} events of history`);
        const t0 = performance.now();
        const s = await seedHistoryInBulk(db.models, community.id, history, 0, note);
        seeded = `${fmtInt(s.events)} events of history in ${fmtInt(s.wishes)} wishes of the same community (bulk, ${fmtSeconds(performance.now() - t0)})`;
      }

      await runtime.bot.prepare({});
      await runtime.bot.startPolling();
      runtime.sender.start();

      const group = groupChat(-100900, 'Bench Street');
      await runtime.groups.link(group.id, group.title!, community.id, 1, new Date());
      const wishes: Array<{ id: string; code: string }> = [];
      for (let i = 0; i < cardCount; i++) {
        const { state } = await runtime.services.wishes.create(
          {
            communityId: community.id,
            title: `Bench item ${i + 1}`,
            description: 'A thing someone needs.',
            category: 'goods',
            target: 1,
            deadline: new Date(Date.now() + 7 * 86_400_000),
            urgency: 'normal',
            beneficiary: { alias: 'resident' },
          },
          admin,
          { publish: true },
        );
        wishes.push(state);
      }
      // Wait for every card to be posted, then start counting from a clean slate.
      const cards = await fake.waitForCalls((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === group.id, cardCount, 120_000);
      const cardOf = new Map(cards.map((c) => [/W-\d+/.exec(String(c.params.text))![0], c.result as { chat: { id: number }; message_id: number }]));

      const pushedAt = new Map<string, number>();
      const answeredAt = new Map<string, number>();
      fake.onCall((c) => {
        if (c.method === 'answerCallbackQuery') answeredAt.set(String(c.params.callback_query_id), c.at);
      });
      const updates = Array.from({ length: presses }, (_, i) => {
        const wish = wishes[i % cardCount]!;
        const user = { id: 700_000 + i, first_name: `Presser${i}`, language_code: 'en' };
        return fake.callbackUpdate(user, cardOf.get(wish.code)!, `c:${wish.id}`) as unknown as { callback_query: { id: string } };
      });
      const started = Date.now();
      await new Promise<void>((resolve) => {
        let i = 0;
        const tick = () => {
          const due = Math.min(presses, Math.ceil(((Date.now() - started) / windowMs) * presses));
          const target = Math.max(due, i + 1);
          for (; i < target && i < presses; i++) {
            pushedAt.set(updates[i]!.callback_query.id, Date.now());
            fake.pushUpdate(updates[i] as never);
          }
          if (i < presses) setTimeout(tick, 5);
          else resolve();
        };
        tick();
      });
      const sentWithin = Date.now() - started;
      const allIds = new Set(updates.map((u) => u.callback_query.id));
      await fake.waitForCalls((c) => c.method === 'answerCallbackQuery' && allIds.has(String(c.params.callback_query_id)), presses, 60_000).catch(() => undefined);
      const latencies = [...pushedAt].filter(([id]) => answeredAt.has(id)).map(([id, at]) => answeredAt.get(id)! - at);
      const unanswered = presses - latencies.length;

      const perCard = await Promise.all(wishes.map(async (w) => (await runtime.services.wishes.get(w.id)).pledges.length));
      const s = summarize(latencies);
      say(`engine: ${engine}  presses: ${presses} from ${presses} people over ${cardCount} goods cards, pushed within ${sentWithin} ms`);
      say(`history: ${seeded}`);
      for (const line of formatTable(['answered', 'unanswered', 'p50 ms', 'p99 ms', 'max ms'], [[fmtInt(latencies.length), fmtInt(unanswered), fmtMs(s.p50), fmtMs(s.p99), fmtMs(s.max)]])) say(line);
      const wrong = perCard.filter((n) => n !== 1).length;
      say(`pledges per goods card: ${wrong === 0 ? 'all 1' : perCard.join(', ')}`);
      say(`p99 answer time: ${fmtMs(s.p99)} ms (target < 500 ms on a quiet machine: ${s.p99 < 500 ? 'met' : 'MISSED'})`);
      say(formatPeakMemory());
      if (unanswered > 0 || wrong > 0) {
        note('FAILED: every press must be answered and every card must have exactly one pledge');
        process.exitCode = 1;
      }
    } finally {
      await runtime.bot.stop();
      await runtime.sender.stop();
      await fake.close();
      await db.close();
    }
  });
}
