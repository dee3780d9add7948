import { Runtime } from '../../src/runtime';
import { FakeTelegram, startFakeTelegram } from '../fake-telegram';
import { useTestDatabase } from '../support/db';
import { countingLogger, formatReport, fuzzRuntime, FuzzCast, problemsOf, runFuzz, seedFuzzWorld } from '../support/bot-fuzz';

// The bot against generated hostile updates (forged buttons, markup in names, overlong texts, commands
// in the wrong chat, unknown update kinds, repeats, out-of-order ids): a fixed seed, so a failure is
// reproducible with `npm run fuzz:bot -- --seed 20261123 --updates 150`.

describe('hostile updates, through the real bot', () => {
  const db = useTestDatabase();
  let fake: FakeTelegram;
  let runtime: Runtime;
  let cast: FuzzCast;
  const log = countingLogger();

  beforeAll(async () => {
    fake = await startFakeTelegram();
    runtime = await fuzzRuntime(db.conn, db.models, fake, log.logger, `fuzz-${process.pid}`);
    runtime.sender.start();
    cast = await seedFuzzWorld(runtime, fake, { adminId: 1001 });
    await settle(runtime);
  });
  afterAll(async () => {
    await runtime?.sender.stop();
    await fake?.close();
  });

  async function settle(rt: Runtime) {
    for (let i = 0; i < 600 && (await rt.outbox.pendingCount()) > 0; i++) {
      rt.sender.wake();
      await fake.waitForCall(() => true, 500).catch(() => undefined);
    }
  }

  it('150 updates: every press answered once, nothing refused for our fault, no crash', async () => {
    const report = await runFuzz({ runtime, fake, cast, seed: 20261123, updates: 150, failedLog: () => log.failed, settle: () => settle(runtime) });
    const text = formatReport(report);
    expect(report.updatesSent).toBe(150);
    expect({ problems: problemsOf(report), failed: report.examples.failed, text }).toEqual({ problems: [], failed: [], text });
  });
});
