// The real bot (createRuntime, as main.ts builds it) in a process of its own, so a test can SIGKILL it
// mid-update or run two instances on one database.
//   tsx test/support/bot-process.ts <mongodb uri> <db name> <Bot API root> <token> <instance id> polling|webhook
// Environment: TURN_LIFETIME_MS (how long a crashed instance can block a chat), ADMIN_IDS (comma-separated),
// BOT_LOG_LEVEL (default silent; logs go to stderr), RELAY_CATCH_UP_SECONDS (set: the relay sweep runs as main.ts runs it, on that bound).
// Polling: prints `ready` once it polls. Webhook: serves POST /hook (secret WEBHOOK_SECRET, default
// 'test-secret-0123456789') on a free port and prints `ready <port>`. SIGTERM stops it gracefully.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { recordSeals, testLogger } from './privacy-record';
import { connectDatabase } from '../../src/db/connection';
import { createModels, ensureIndexes } from '../../src/db/models';
import { createRuntime } from '../../src/runtime';
import { createScheduler } from '../../src/jobs/schedule';
import { testJobsConfig } from './fixtures';

const WEBHOOK_SECRET = 'test-secret-0123456789';

async function main() {
  recordSeals(); // for the privacy scan (test/support/privacy-scan.ts)
  const [uri, dbName, apiRoot, token, instanceId, mode] = process.argv.slice(2);
  const conn = await connectDatabase({ uri: uri!, dbName });
  const models = createModels(conn);
  await ensureIndexes(models);
  const lifetime = Number(process.env.TURN_LIFETIME_MS ?? '');
  const runtime = await createRuntime({
    conn,
    models,
    clock: () => new Date(),
    logger: testLogger(process.env.BOT_LOG_LEVEL, pino.destination(2)),
    bot: {
      token: token!,
      apiRoot: apiRoot!,
      adminIds: (process.env.ADMIN_IDS ?? '').split(',').filter(Boolean).map(Number),
      ...(lifetime > 0 ? { turnLifetimeMs: lifetime } : {}),
    },
    defaultLanguage: 'en',
    timeZone: 'Asia/Shanghai',
    instanceId: instanceId!,
    sender: { slotMs: 1000 },
  });
  const { bot, sender } = runtime;
  const secret = process.env.WEBHOOK_SECRET ?? WEBHOOK_SECRET;
  let server: ReturnType<typeof createServer> | undefined;
  if (mode === 'webhook') {
    await bot.prepare({ webhook: { url: 'https://bot.example.org/hook', secret } });
    const app = express();
    app.use(express.json());
    app.use('/hook', bot.webhookHandler(secret));
    server = createServer(app);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  } else {
    await bot.prepare({});
    await bot.startPolling();
  }
  sender.start();
  const catchUp = Number(process.env.RELAY_CATCH_UP_SECONDS ?? '');
  const logger = testLogger(process.env.BOT_LOG_LEVEL, pino.destination(2));
  const scheduler =
    catchUp > 0
      ? createScheduler({
          jobs: runtime
            .jobs(testJobsConfig({ relayCatchUpSeconds: catchUp }))
            .list.filter((j) => j.name === 'relay-sweep'),
          timeZone: 'Asia/Shanghai',
          leases: runtime.leases,
          instanceId: instanceId!,
          logger,
        })
      : undefined;
  scheduler?.start();
  process.once('SIGTERM', () => {
    void (async () => {
      await scheduler?.stop();
      server?.close();
      server?.closeAllConnections();
      await bot.stop();
      await sender.stop();
      await conn.close();
      process.exit(0);
    })();
  });
  process.stdout.write(server ? `ready ${(server.address() as AddressInfo).port}\n` : 'ready\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
