// A real sender in a process of its own, so a test can SIGKILL it part way through the outbox.
//   tsx test/support/sender-process.ts <mongodb uri> <db name> <Bot API root> <token> <instance id> <slot ms> [<fence ms> <call timeout ms>]
// Prints `ready` once started; SIGTERM stops it gracefully (in-flight sends finish and are recorded).
import { recordSeals, testLogger } from './privacy-record';
import { Telegram } from 'telegraf';
import { connectDatabase } from '../../src/db/connection';
import { createFenceStore } from '../../src/db/fence-store';
import { createLeaseStore } from '../../src/db/lease-store';
import { createNotifyModels } from '../../src/db/notify-models';
import { createCardMessageStore, createOutboxStore } from '../../src/db/outbox-store';
import { createSender } from '../../src/notify/sender';

async function main() {
  recordSeals(); // for the privacy scan (test/support/privacy-scan.ts)
  const [uri, dbName, apiRoot, token, instanceId, slotMs, fenceMs, callTimeoutMs] = process.argv.slice(2);
  const conn = await connectDatabase({ uri: uri!, dbName });
  const models = createNotifyModels(conn);
  const cards = createCardMessageStore(models);
  const sender = createSender({
    outbox: createOutboxStore(models),
    leases: createLeaseStore(models),
    fences: createFenceStore(models),
    telegram: new Telegram(token!, { apiRoot: apiRoot! }),
    cards: { render: async () => null, ...cards },
    clock: () => new Date(),
    logger: testLogger(process.env.SENDER_LOG_LEVEL),
    instanceId: instanceId!,
    slotMs: Number(slotMs ?? 1000),
    ...(fenceMs ? { fenceMs: Number(fenceMs) } : {}),
    ...(callTimeoutMs ? { callTimeoutMs: Number(callTimeoutMs) } : {}),
  });
  process.once('SIGTERM', () => {
    void sender
      .stop()
      .then(() => conn.close())
      .then(() => process.exit(0));
  });
  sender.start();
  process.stdout.write('ready\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
