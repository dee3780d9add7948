import { testLogger } from './privacy-record';
import { AppDeps, createApp } from '../../src/http/create-app';
import { ConsoleOptions } from '../../src/http/console';
import { createConsoleSessionStore } from '../../src/db/console-session-store';
import { pingDatabase } from '../../src/db/connection';
import { Clock, systemClock } from '../../src/domain/clock';
import { createInviteService } from '../../src/domain/invites';
import { createBotModels } from '../../src/db/bot-models';
import { createGroupStore, createInviteStore, createPersonStore } from '../../src/db/bot-stores';
import { Services } from '../../src/services';
import { TestDatabase } from './db';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const BOT_USERNAME = 'microwish_test_bot';
/** The bot token the console checks Mini App initData against in tests. */
export const CONSOLE_BOT_TOKEN = '123456789:console-test-token';

/** `app` sets createApp's optional settings (rate limit, body timeout, extra routes, logger). */
export function buildApp(
  db: TestDatabase,
  services: Services,
  opts: {
    timezone?: string;
    clock?: Clock;
    app?: Partial<Pick<AppDeps, 'logger' | 'rateLimit' | 'bodyTimeoutMs' | 'extraRoutes' | 'resolveToken' | 'currency' | 'defaultLanguage' | 'metrics' | 'metricsToken' | 'workers'>>;
    /** Mounts the web console with these settings (sessions on this test's database, a test bot token by default). */
    console?: Partial<ConsoleOptions>;
  } = {},
) {
  const clock = opts.clock ?? systemClock;
  const botModels = createBotModels(db.conn);
  return createApp({
    logger: testLogger(),
    wishes: services.wishes,
    communities: services.communities,
    tokens: services.tokens,
    invites: createInviteService({ store: createInviteStore(botModels), clock }),
    people: createPersonStore(botModels),
    groups: createGroupStore(botModels),
    resolveToken: services.resolveToken,
    isDatabaseReady: () => pingDatabase(db.conn),
    timezone: opts.timezone ?? 'Asia/Shanghai',
    clock,
    botUsername: () => BOT_USERNAME,
    ...opts.app,
    ...(opts.console
      ? {
          console: {
            botToken: CONSOLE_BOT_TOKEN,
            sessions: createConsoleSessionStore(db.models),
            actorForTelegramUser: async () => undefined,
            ...opts.console,
          },
        }
      : {}),
  });
}
