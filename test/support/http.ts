import { createImpactStore } from '../../src/db/impact-store';
import { createReportService } from '../../src/domain/reports/service';
import { createReportSources } from '../../src/db/report-sources';
import { createStockStore } from '../../src/db/stock-store';
import { createSurplusStore } from '../../src/db/surplus-store';
import { createStockService } from '../../src/domain/stock/service';
import { createSurplusService } from '../../src/domain/stock/surplus';
import { fulfilFromStock } from '../../src/domain/stock/fulfil';
import { createTeamStore } from '../../src/db/team-store';
import { createTeamService } from '../../src/domain/teams/service';
import { testLogger } from './privacy-record';
import { AppDeps, createApp } from '../../src/http/create-app';
import { ConsoleOptions } from '../../src/http/console';
import { createConsoleSessionStore } from '../../src/db/console-session-store';
import { pingDatabase } from '../../src/db/connection';
import { Clock, systemClock } from '../../src/domain/clock';
import { createInviteService } from '../../src/domain/invites';
import { createBotModels } from '../../src/db/bot-models';
import { createTheirData } from '../../src/db/erasure';
import { createNotifyModels } from '../../src/db/notify-models';
import { createGroupStore, createInviteStore, createPersonStore } from '../../src/db/bot-stores';
import { Services } from '../../src/services';
import { createConsentFlow } from '../../src/domain/wish/consent-flow';
import { createResourceService } from '../../src/domain/resources/service';
import { createInvitationService } from '../../src/domain/resources/invitations';
import { createMatchService } from '../../src/domain/resources/match-service';
import { createResourceStore } from '../../src/db/resource-store';
import { createInvitationStore } from '../../src/db/invitation-store';
import { previewCardText } from '../../src/ui/card';
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
  const people = createPersonStore(botModels);
  const groups = createGroupStore(botModels);
  const timezone = opts.timezone ?? 'Asia/Shanghai';
  const consent = createConsentFlow({
    wishes: services.wishes,
    people,
    clock,
    previewCard: async (state) => previewCardText(state, await groups.ofCommunity(state.communityId), { language: 'en', timeZone: timezone, currency: 'CNY' }),
  });
  const resources = createResourceService({ store: createResourceStore(db.models), clock });
  const invitationStore = createInvitationStore(db.models);
  const directory = {
    resources,
    invitations: createInvitationService({ store: invitationStore, wishes: services.wishes, directory: resources.reader, clock }),
    matching: createMatchService({ wishes: services.wishes, directory: resources.reader, invitations: invitationStore, clock }),
  };
  const teamStore = createTeamStore(db.models);
  const teamService = createTeamService({ store: teamStore, clock, areasOf: resources.areasOf, directory: resources });
  // No bot here: a new request's card is not posted.
  const teams = { service: teamService, postCard: async () => undefined };
  const stockStore = createStockStore(db.models);
  const stockService = createStockService({ store: stockStore, clock });
  const reports = createReportService({ ...createReportSources({ wishes: services.wishes, people, stock: stockStore, teams: teamStore }), timeZone: timezone });
  const stock = {
    service: stockService,
    surplus: createSurplusService({ store: createSurplusStore(db.models), stock: stockService, clock }),
    postSurplusCard: async () => undefined,
    fromStock: (wishId: string, itemId: string, quantity: number, actor: Parameters<typeof fulfilFromStock>[4]) => fulfilFromStock({ stock: stockService, wishes: services.wishes }, wishId, itemId, quantity, actor),
  };
  return createApp({
    logger: testLogger(),
    wishes: services.wishes,
    communities: services.communities,
    tokens: services.tokens,
    invites: createInviteService({ store: createInviteStore(botModels), clock }),
    people,
    groups,
    consent,
    directory,
    teams,
    stock,
    reports,
    impact: createImpactStore(db.models),
    theirData: createTheirData({ models: db.models, botModels, notifyModels: createNotifyModels(db.conn), wishes: services.wishes }),
    resolveToken: services.resolveToken,
    isDatabaseReady: () => pingDatabase(db.conn),
    timezone,
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
