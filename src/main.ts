import 'dotenv/config';
import { Server } from 'node:http';
import { hostname } from 'node:os';
import path from 'node:path';
import { Logger } from 'pino';
import { Config, ConfigError, parseConfig } from './config';
import { systemClock } from './domain/clock';
import { connectDatabaseWithRetry } from './db/connection';
import { connectionHealth } from './db/health';
import { healthDepsOf } from './http/routes/health';
import { EmbeddedDatabase, startEmbeddedDatabase } from './db/embedded';
import { createModels, ensureIndexes } from './db/models';
import { createKeyring, loadOrCreateLocalKey, useFieldKeyring } from './db/field-crypto';
import { createApp } from './http/create-app';
import { createHttpServer } from './http/server';
import { createLogger } from './logger';
import { createScheduler } from './jobs/schedule';
import { createRuntime } from './runtime';
import { createPromMetrics } from './metrics';
import { keepBotRunning } from './bot/keep-running';

/** Where Telegram posts updates in webhook mode; WEBHOOK_URL should end with it. */
const WEBHOOK_PATH = '/telegram/webhook';

function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
      process.exit(1);
    }
    throw err;
  }
}

/** The database name in a URI's path, else ours. */
function dbNameOf(uri: string): string {
  return /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri)?.[1] ?? 'microwish';
}

async function openDatabase(config: Config, logger: Logger) {
  let embedded: EmbeddedDatabase | undefined;
  let uri = config.db.uri;
  if (!uri) {
    const dataDir = path.resolve(config.db.dataDir);
    embedded = await startEmbeddedDatabase({ dataDir, prefer: config.db.embedded, log: (msg) => logger.warn(msg) });
    uri = embedded.uri;
    logger.info({ engine: embedded.engine, dataDir }, `Database: embedded ${embedded.engine === 'ferretdb' ? 'FerretDB' : 'MongoDB'}, data kept in ${dataDir}`);
  }
  const conn = await connectDatabaseWithRetry({ uri, dbName: dbNameOf(uri), onRetry: (err, attempt) => logger.warn({ attempt, err: err instanceof Error ? err.message : String(err) }, 'database not reachable yet; trying again') });
  const models = createModels(conn);
  await ensureIndexes(models);
  return { conn, models, embedded, uri };
}

/**
 * The key private fields are sealed with: DATA_KEY; outside production without one, a key generated
 * once and kept under DATA_DIR (config refuses production without DATA_KEY), so data survives restarts.
 */
function dataKeyOf(config: Config, logger: Logger) {
  if (config.dataKeys.current) return config.dataKeys.current;
  const local = loadOrCreateLocalKey(path.resolve(config.db.dataDir));
  logger.warn({ file: local.file, keyId: local.key.id }, `No DATA_KEY: private fields are encrypted with a key ${local.created ? 'generated into' : 'kept in'} ${local.file}; set DATA_KEY in production`);
  return local.key;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));
  useFieldKeyring(createKeyring(dataKeyOf(config, logger), config.dataKeys.old));

  const db = await openDatabase(config, logger);
  // One tracker of the database's health: /readyz and /healthz read it, and its watchdog rebuilds a stuck client.
  const dbHealth = connectionHealth(db.conn, db.uri, { livenessGraceMs: config.livenessDbGraceSeconds * 1000, logger: logger.child({ component: 'db-health' }) });
  dbHealth.start();
  const instanceId = `${hostname()}:${process.pid}`;
  // This process's metrics, in a registry of its own.
  const metrics = createPromMetrics({ clock: systemClock });
  const runtime = await createRuntime({
    conn: db.conn,
    models: db.models,
    clock: systemClock,
    logger,
    adminApiToken: config.adminApiToken,
    bot: { token: config.bot.token, apiRoot: config.bot.apiRoot, adminIds: config.adminTelegramIds, presses: config.presses, consoleUrl: config.consoleUrl },
    defaultLanguage: config.defaultLanguage,
    timeZone: config.timezone,
    currency: config.currency,
    instanceId,
    metrics,
  });
  // The outbox gauges read the outbox when scraped, at most once every 5 s.
  metrics.watchOutbox((now) => runtime.outbox.pendingSummary(now));
  const { bot, sender } = runtime;
  const mode = config.bot.mode;
  const scheduler = createScheduler({ jobs: runtime.jobs(config.jobs).list, timeZone: config.timezone, leases: runtime.leases, instanceId, logger: logger.child({ component: 'jobs' }), metrics });

  const app = createApp({
    ...runtime.appDeps({ staleAfterDays: config.jobs.staleAfterDays, deadlineWarningDays: config.jobs.deadlineWarningDays }),
    logger,
    clock: systemClock,
    ...healthDepsOf(dbHealth),
    workers: () => ({ sender: sender.status(), scheduler: scheduler.status() }),
    metrics,
    metricsToken: config.metricsToken,
    rateLimit: { limit: config.apiRateLimitPerMinute },
    extraRoutes: mode.kind === 'webhook' ? [{ path: WEBHOOK_PATH, handler: bot.webhookHandler(mode.secret), secret: { header: 'X-Telegram-Bot-Api-Secret-Token', value: mode.secret } }] : [],
  });
  const server = createHttpServer(app);
  await listen(server, config.http.port, config.http.host);
  const address = server.address();
  logger.info({ port: typeof address === 'object' && address ? address.port : config.http.port }, 'HTTP listening');

  sender.start();
  scheduler.start();
  // Telegram being unreachable at start-up, or polling stopping later, is not fatal: HTTP keeps
  // serving while the bot is started again.
  let stopping = false;
  void keepBotRunning({ bot, mode, stopping: () => stopping, logger: logger.child({ component: 'bot', apiRoot: config.bot.apiRoot }) });

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    dbHealth.stop();
    await scheduler.stop().catch((err) => logger.warn({ err }, 'stopping the scheduler failed'));
    await bot.stop().catch((err) => logger.warn({ err }, 'stopping the bot failed'));
    // What the last commits owe reaches the outbox before the sender stops (the relay sweep would redo it anyway).
    await Promise.race([runtime.later.idle(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    await sender.stop().catch((err) => logger.warn({ err }, 'stopping the sender failed'));
    await closed;
    await db.conn.close().catch((err) => logger.warn({ err }, 'closing the database connection failed'));
    await db.embedded?.stop().catch((err) => logger.warn({ err }, 'stopping the embedded database failed'));
    clearTimeout(force);
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
