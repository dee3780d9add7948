// `npm run demo`: the whole service, offline, with no Telegram account. Starts the fake Bot API, the
// service on an embedded database (fresh each run), seeds a community with two groups, a worker, donors
// of every type and wishes in every state, and prints one URL: a page showing each person's chats as
// Telegram would, where the buttons and commands reach the real bot. Ctrl-C stops everything.
//
//   PORT                    the service's HTTP port (API, console), default 3000
//   FAKE_TELEGRAM_PORT      the demo page and the fake's control routes, default 8081
//   FAKE_TELEGRAM_API_PORT  the fake Bot API itself, default any free port
//   EMBEDDED_DB             auto | mongodb | ferretdb, as for `npm start`
//   MONGODB_URI             use this server instead (the demo takes a database of its own on it, dropped on exit)
//   LOG_LEVEL               the service's log level on stderr, default warn
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { parseConfig } from '../src/config';
import { systemClock } from '../src/domain/clock';
import { connectDatabase } from '../src/db/connection';
import { startEmbeddedDatabase, type EmbeddedDatabase, type EmbeddedPreference } from '../src/db/embedded';
import { connectionHealth } from '../src/db/health';
import { createModels, ensureIndexes } from '../src/db/models';
import { createApp } from '../src/http/create-app';
import { healthDepsOf } from '../src/http/routes/health';
import { createHttpServer } from '../src/http/server';
import { createScheduler } from '../src/jobs/schedule';
import { createRuntime } from '../src/runtime';
import { createControlApp } from '../test/fake-telegram/control';
import { startFakeTelegram } from '../test/fake-telegram';
import { mountDemoPage } from './demo/page';
import { demoAdminIds, seedDemo, settle } from './demo/seed';

const HOST = '127.0.0.1';

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number (0 to 65535), not "${raw}"`);
  return n;
}

function listen(server: Server, port: number, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${port} is in use; choose another with ${name}=<port>`) : err),
    );
    server.listen(port, HOST, () => resolve((server.address() as AddressInfo).port));
  });
}

const say = (line = '') => process.stdout.write(`${line}\n`);
const note = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const port = portFrom('PORT', 3000);
  const pagePort = portFrom('FAKE_TELEGRAM_PORT', 8081);
  const apiPort = portFrom('FAKE_TELEGRAM_API_PORT', 0);
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const cleanups: Array<() => Promise<unknown>> = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 20_000).unref();
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => note(`while stopping: ${err instanceof Error ? err.message : String(err)}`));
    clearTimeout(force);
    process.exit(code);
  };
  process.once('SIGINT', () => {
    note('\nStopping the demo…');
    void stop(0);
  });
  process.once('SIGTERM', () => void stop(0));

  try {
    const fake = await startFakeTelegram({ token: '123456:DEMO-TOKEN', botUsername: 'microwish_demo_bot', port: apiPort });
    cleanups.push(() => fake.close());
    // The control routes (and, once seeded, the demo page) on their fixed port: taken first, so a busy port fails at once.
    const control = createControlApp(fake);
    const pageServer = createServer(control);
    const pageAt = await listen(pageServer, pagePort, 'FAKE_TELEGRAM_PORT');
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          pageServer.close(() => resolve());
          pageServer.closeAllConnections();
        }),
    );

    // The database: a throwaway embedded one (its data goes when the demo stops), or a database of our own on MONGODB_URI.
    let uri = process.env.MONGODB_URI;
    let embedded: EmbeddedDatabase | undefined;
    if (!uri) {
      note('Starting the embedded database…');
      try {
        embedded = await startEmbeddedDatabase({ prefer: (process.env.EMBEDDED_DB as EmbeddedPreference | undefined) ?? 'auto', log: note });
      } catch (err) {
        throw new Error(
          `the embedded database did not start: ${err instanceof Error ? err.message : String(err)}\n` +
            'Without internet it is the project\'s FerretDB build: run `npm run db:build` once where Go and its modules can be had ' +
            '(it lands in .cache/ferretdb/), or set MONGODB_URI=mongodb://… to use a MongoDB server of your own.',
          { cause: err },
        );
      }
      cleanups.push(() => embedded!.stop());
      uri = embedded.uri;
    }
    const dbName = `microwish_demo_${randomBytes(3).toString('hex')}`;
    const conn = await connectDatabase({ uri, dbName });
    cleanups.push(async () => {
      if (!embedded) await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    });
    const models = createModels(conn);
    await ensureIndexes(models);

    const config = parseConfig({ BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, TZ: 'Asia/Shanghai', QUIET_HOURS: 'off', API_RATE_LIMIT_PER_MINUTE: '0' });
    const instanceId = `demo:${process.pid}`;
    const runtime = await createRuntime({
      conn,
      models,
      clock: systemClock,
      logger,
      bot: { token: fake.token, apiRoot: fake.apiRoot, adminIds: demoAdminIds },
      defaultLanguage: 'en',
      timeZone: config.timezone,
      currency: config.currency,
      instanceId,
    });
    const { services, bot, sender } = runtime;

    const dbHealth = connectionHealth(conn, uri, { livenessGraceMs: config.livenessDbGraceSeconds * 1000, logger: logger.child({ component: 'db-health' }) });
    dbHealth.start();
    cleanups.push(async () => dbHealth.stop());
    const app = createApp({
      ...runtime.appDeps(),
      logger,
      clock: systemClock,
      ...healthDepsOf(dbHealth),
      rateLimit: { limit: config.apiRateLimitPerMinute },
      extraRoutes: [],
    });
    const server = createHttpServer(app);
    const servicePort = await listen(server, port, 'PORT');
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );

    // The bot polls the fake as it would poll Telegram; the sender and the jobs run as in production.
    await bot.prepare({});
    await bot.startPolling();
    sender.start();
    cleanups.push(async () => {
      await bot.stop();
      await Promise.race([runtime.later.idle(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      await sender.stop();
    });
    const scheduler = createScheduler({ jobs: runtime.jobs(config.jobs).list, timeZone: config.timezone, leases: runtime.leases, instanceId, logger: logger.child({ component: 'jobs' }) });
    scheduler.start();
    cleanups.push(() => scheduler.stop());

    note('Seeding the demo community…');
    const world = await seedDemo(fake, runtime, note);
    await settle(fake, runtime);

    // The worker's token for the web console, issued as an admin would over the API.
    const { token } = await services.tokens.issue({ role: 'worker', communityIds: [world.communityId], label: 'Demo worker (Wang Fang)', telegramId: 2002 }, { kind: 'admin', id: 'demo', name: 'Demo' });

    const consoleUrl = `http://${HOST}:${servicePort}/console/`;
    mountDemoPage(control, { fake, world, console: { url: consoleUrl, token } });

    say('');
    say(`Wishes: ${world.wishes.map((w) => `${w.code} ${w.status}`).join(', ')}`);
    say(`Console: ${consoleUrl}  (worker token: ${token})`);
    say(`Service API: http://${HOST}:${servicePort}/api/v1  ·  fake Bot API: ${fake.apiRoot}  ·  call log: http://${HOST}:${pageAt}/_fake/calls`);
    say('');
    say(`Demo ready: open http://${HOST}:${pageAt}/`);
    say('Press Ctrl-C to stop (everything the demo made is thrown away).');
  } catch (err) {
    note(`The demo could not start: ${err instanceof Error ? err.message : String(err)}`);
    await stop(1);
  }
}

main().catch((err: unknown) => {
  note(`The demo could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
