// Pushes generated hostile updates through the real bot (runtime, database, sender) against the fake
// Bot API and prints what came of them: Bot API calls by method, calls the fake refused (a 400 "can't
// parse entities" is an HTML injection), presses unanswered or answered twice, errors logged as
// 'update failed', crashes. Exits 1 when a press went unanswered or was answered twice, a call was
// refused for our fault, or something crashed.
//
//   npm run fuzz:bot -- [--seed 20261123] [--updates 500]
//
// The database is MONGODB_URI when set (a database of the run's own, dropped afterwards), else an
// embedded one in a throwaway directory. Updates are handed to the bot as the webhook would hand them,
// so kinds we do not ask Telegram for (edited messages, channel posts, unknown kinds) reach it too.
import { startFakeTelegram } from '../test/fake-telegram';
import { countingLogger, formatReport, fuzzRuntime, problemsOf, runFuzz, seedFuzzWorld } from '../test/support/bot-fuzz';
import { intFlag, note, openBenchConnection, parseFlags, say, withBenchDatabase } from '../bench/support';

async function main(args: string[]): Promise<number> {
  const flags = parseFlags(args);
  const seed = intFlag(flags, 'seed', 20261123, 0);
  const updates = intFlag(flags, 'updates', 500);
  let exitCode = 0;
  await withBenchDatabase(async (uri) => {
    const db = await openBenchConnection(uri, 'fuzz');
    const fake = await startFakeTelegram();
    const log = countingLogger();
    const runtime = await fuzzRuntime(db.conn, db.models, fake, log.logger, 'fuzz-bot');
    const settle = async () => {
      for (let i = 0; i < 600 && (await runtime.outbox.pendingCount()) > 0; i++) {
        runtime.sender.wake();
        await fake.waitForCall(() => true, 500).catch(() => undefined);
      }
    };
    try {
      runtime.sender.start();
      const cast = await seedFuzzWorld(runtime, fake, { adminId: 1001 });
      await settle();
      let shown = 0;
      note(`seeded: ${cast.wishIds.length} wishes (draft ${cast.draftId}); sending ${updates} updates with seed ${seed}`);
      const report = await runFuzz({
        runtime,
        fake,
        cast,
        seed,
        updates,
        failedLog: () => log.failed,
        settle,
        onProgress: (n) => {
          if (Math.floor(n / 100) > Math.floor(shown / 100)) note(`  ${n} sent`);
          shown = n;
        },
      });
      say(formatReport(report));
      const problems = problemsOf(report);
      if (problems.length > 0) {
        say(`FAIL: ${problems.join('; ')}`);
        exitCode = 1;
      } else say('OK: every press answered once, nothing refused for our fault, no crash');
    } finally {
      await runtime.sender.stop();
      await fake.close();
      await db.close();
    }
  });
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
