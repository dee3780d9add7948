// A sender in a process of its own, so a test can SIGKILL it part way through the outbox.
import pino from 'pino';
import { Telegram } from 'telegraf';
import { connectDatabase } from '../../src/db/connection';
import { createLeaseStore } from '../../src/db/lease-store';
import { createNotifyModels } from '../../src/db/notify-models';
import { createCardMessageStore, createOutboxStore } from '../../src/db/outbox-store';
import { createSender } from '../../src/notify/sender';

async function main() {
  const [uri, dbName, apiRoot, token, instanceId, perSecond] = process.argv.slice(2);
  const conn = await connectDatabase({ uri: uri!, dbName });
  const models = createNotifyModels(conn);
  const cards = createCardMessageStore(models);
  const sender = createSender({
    outbox: createOutboxStore(models),
    leases: createLeaseStore(models),
    telegram: new Telegram(token!, { apiRoot: apiRoot! }),
    cards: { render: async () => null, ...cards },
    clock: () => new Date(),
    logger: pino({ level: process.env.SENDER_LOG_LEVEL ?? 'silent' }),
    instanceId: instanceId!,
    slotMs: 500,
    limits: { globalPerSecond: Number(perSecond ?? 30) },
  });
  sender.start();
  process.once('SIGTERM', () => {
    void sender.stop().then(() => conn.close()).then(() => process.exit(0));
  });
  process.stdout.write('ready\n');
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err));
  process.exit(1);
});
