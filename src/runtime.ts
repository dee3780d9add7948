import { Connection } from 'mongoose';
import { Logger } from 'pino';
import type { UserFromGetMe } from 'telegraf/types';
import { createBot } from './bot/create-bot';
import type { PressOptions } from './bot/context';
import { Language } from './domain/community';
import { Clock } from './domain/clock';
import { Metrics, noMetrics } from './domain/metrics';
import { createInviteService } from './domain/invites';
import { createConsentFlow } from './domain/wish/consent-flow';
import { createResourceService } from './domain/resources/service';
import { createInvitationService } from './domain/resources/invitations';
import { createMatchService } from './domain/resources/match-service';
import { createResourceStore } from './db/resource-store';
import { createInvitationStore } from './db/invitation-store';
import { createTeamStore } from './db/team-store';
import { createTeamService } from './domain/teams/service';
import { createServiceCardSource, createTeamMessages, isServiceCardId } from './notify/teams';
import { serviceSlots } from './jobs/slots';
import { postMonthlySummaries } from './jobs/monthly';
import { createStockStore } from './db/stock-store';
import { createSurplusStore } from './db/surplus-store';
import { createStockService } from './domain/stock/service';
import { createSurplusService } from './domain/stock/surplus';
import { fulfilFromStock, stockFollowsWish } from './domain/stock/fulfil';
import { createReportService } from './domain/reports/service';
import { createReportSources } from './db/report-sources';
import { createImpactStore } from './db/impact-store';
import { createSurplusCardSource, createSurplusMessages, isSurplusCardId } from './notify/surplus';
import { previewCardText } from './ui/card';
import { createBotModels } from './db/bot-models';
import { createGroupStore, indexResidentLinks, stringifyIds, createInviteStore, createPersonStore, createReminderAnswers, createSessionStore, createUpdateLog } from './db/bot-stores';
import { ensureIndexes, Models } from './db/models';
import { createNotifyModels } from './db/notify-models';
import { createCardMessageStore, createOutboxStore } from './db/outbox-store';
import { createLeaseStore } from './db/lease-store';
import { createTurnStore } from './db/turn-store';
import { runMigrations, runOnce } from './db/migrations';
import { fieldKeyring } from './db/field-crypto';
import { sealStoredPrivateFields } from './db/private-fields';
import { createFenceStore } from './db/fence-store';
import { createConsoleSessionStore } from './db/console-session-store';
import { createCardSource } from './notify/card-source';
import { createNotifier } from './notify/notifier';
import { createRelay } from './notify/relay';
import { createSender } from './notify/sender';
import type { AppDeps } from './http/create-app';
import { createServices } from './services';
import { createAssessmentStore } from './db/assessment-store';
import { createIntakeStore } from './db/intake-store';
import { createTheirData } from './db/erasure';
import { staffActorOf, telegramIdOfDonor } from './domain/people';
import { createLater } from './domain/later';
import { JobsConfig } from './config';
import { createRelayLog } from './db/wish-store';
import { alertStaleWishes, expireWishes, JobDeps, postDigests, releaseAbandoned, remindPledges } from './jobs/jobs';
import { housekeeping, sweepRelay } from './jobs/maintenance';
import { ScheduledJob } from './jobs/schedule';

export interface RuntimeOptions {
  conn: Connection;
  models: Models;
  clock: Clock;
  logger: Logger;
  adminApiToken?: string;
  bot: {
    token: string;
    apiRoot: string;
    adminIds: readonly number[];
    /** Skips getMe (tests that know the bot already). */
    botInfo?: UserFromGetMe;
    /** How long a chat turn lasts unless renewed (default 15 s); tests shorten it. */
    turnLifetimeMs?: number;
    /** How many button presses the bot takes on (PRESS_* settings); defaults when absent. */
    presses?: PressOptions;
    /** The service's public https address (CONSOLE_URL): workers get the console as a Mini App. */
    consoleUrl?: string;
  };
  defaultLanguage: Language;
  timeZone: string;
  /** ISO 4217 code shown on amounts (default CNY). */
  currency?: string;
  instanceId: string;
  sender?: { slotMs?: number; callTimeoutMs?: number; fenceMs?: number };
  /** What the bot and the sender count (src/metrics.ts in main.ts); nothing when absent. */
  metrics?: Metrics;
}

/**
 * Builds the whole service over one database connection: domain services, the bot, the relay,
 * the outbox and its sender. main.ts starts and stops what this returns; tests and benchmarks build
 * the same thing with their own clock, Bot API address and database.
 */
export async function createRuntime(opts: RuntimeOptions) {
  const botModels = createBotModels(opts.conn);
  const notifyModels = createNotifyModels(opts.conn);
  await ensureIndexes(botModels);
  await ensureIndexes(notifyModels);
  // One-time moves of data an older version stored otherwise (each recorded in `migrations`).
  await runMigrations(opts.models);
  await runOnce(opts.conn, 'string_ids_v1', () => stringifyIds(botModels));
  await runOnce(opts.conn, 'wish_residents_v1', () => indexResidentLinks(botModels));
  // Private fields stored in plain text (before encryption) or under an old key: sealed under the
  // current one, once per key (so a rotation re-seals everything once).
  const keyring = fieldKeyring();
  await runOnce(opts.conn, `private_fields_${keyring.currentId}`, () =>
    sealStoredPrivateFields({ events: opts.models.WishEvent.collection, wishes: opts.models.Wish.collection, openWishes: opts.models.OpenWish.collection, sessions: botModels.BotSession.collection }, keyring),
  );

  const people = createPersonStore(botModels);
  const intakes = createIntakeStore(opts.models);
  const groups = createGroupStore(botModels);
  const outbox = createOutboxStore(notifyModels);
  await outbox.moveSettledToHistory(opts.clock()); // sent and failed items an older version kept in the outbox
  const reminderAnswers = createReminderAnswers(botModels);
  const leases = createLeaseStore(notifyModels);
  const fences = createFenceStore(notifyModels);
  const cardMessages = createCardMessageStore(notifyModels);
  const turns = createTurnStore(botModels);
  const consoleSessions = createConsoleSessionStore(opts.models);

  const currency = opts.currency ?? 'CNY';
  const metrics = opts.metrics ?? noMetrics;
  // A commit's effects (snapshot write, relay, sender wake-up) run after its answer; the relay sweep
  // redoes what a crash in between loses.
  const later = createLater({ onError: (err, wishId) => opts.logger.warn({ err, wishId }, 'work after a commit failed; the relay sweep will redo it') });
  // The relay needs the wish service and the service reports events to the relay: bind late.
  let onEvent: ReturnType<typeof createNotifier>['onEvent'] = async () => undefined;
  const services = createServices({
    conn: opts.conn,
    models: opts.models,
    clock: opts.clock,
    adminApiToken: opts.adminApiToken,
    onEvent: (event, state) => onEvent(event, state),
    later,
    isWorker: async (telegramId, communityId) => opts.bot.adminIds.includes(telegramId) || ((await people.get(telegramId))?.workerOf.includes(communityId) ?? false),
  });
  const invites = createInviteService({ store: createInviteStore(botModels), clock: opts.clock });
  const resources = createResourceService({ store: createResourceStore(opts.models), clock: opts.clock });
  const relay = createRelay({
    groups,
    people,
    defaultLanguage: opts.defaultLanguage,
    timeZone: opts.timeZone,
    currency,
    adminIds: opts.bot.adminIds,
    inDirectory: (communityId, telegramId) => resources.hasTelegram(communityId, telegramId),
  });
  const invitationStore = createInvitationStore(opts.models);
  const invitations = createInvitationService({
    store: invitationStore,
    wishes: services.wishes,
    directory: resources.reader,
    clock: opts.clock,
    // Late-bound like the relay: the notifier is made after the bot.
    notify: {
      invited: async (wish, invitation, resource) => notifier.enqueue([await relay.requested.invitation(wish, invitation, resource.name)]),
      answered: async (wish, reply, resource) => notifier.enqueue(await relay.requested.invitationAnswered(wish, reply, resource.name)),
    },
  });
  const matching = createMatchService({ wishes: services.wishes, directory: resources.reader, invitations: invitationStore, clock: opts.clock });
  const directory = { resources, matching, invitations };
  const teamStore = createTeamStore(opts.models);
  const teamService = createTeamService({ store: teamStore, clock: opts.clock, areasOf: resources.areasOf, directory: resources });
  const teamMessages = createTeamMessages({ groups, people, defaultLanguage: opts.defaultLanguage, timeZone: opts.timeZone, currency, adminIds: opts.bot.adminIds });
  const surplusMessages = createSurplusMessages({ groups, people, defaultLanguage: opts.defaultLanguage, timeZone: opts.timeZone, currency, adminIds: opts.bot.adminIds });
  const stockStore = createStockStore(opts.models);
  const stockService = createStockService({
    store: stockStore,
    clock: opts.clock,
    // Givers the bot knows hear what their gift became, each time some of it is handed out.
    onEvent: async (event, before, after) => {
      if (event.type !== 'distributed') return;
      const items = [];
      for (const lot of after.lots) {
        const telegramId = lot.from.donorId ? telegramIdOfDonor(lot.from.donorId) : undefined;
        const was = before?.lots.find((l) => l.lot === lot.lot)?.distributed ?? 0;
        if (telegramId !== undefined && lot.distributed > was) items.push(await surplusMessages.giftReached(telegramId, after, lot));
      }
      if (items.length > 0) await notifier.enqueue(items);
    },
  });
  const reports = createReportService({ ...createReportSources({ wishes: services.wishes, people, stock: stockStore, teams: teamStore }), timeZone: opts.timeZone });
  const surplusService = createSurplusService({ store: createSurplusStore(opts.models), stock: stockService, clock: opts.clock });
  const stock = {
    service: stockService,
    surplus: surplusService,
    postSurplusCard: async (offerId: string) => {
      const { offer } = await surplusService.view(offerId);
      await notifier.enqueue([surplusMessages.card(offer)]);
    },
    fromStock: (wishId: string, itemId: string, quantity: number, actor: Parameters<typeof fulfilFromStock>[4]) => fulfilFromStock({ stock: stockService, wishes: services.wishes }, wishId, itemId, quantity, actor),
  };
  const teams = {
    service: teamService,
    messages: teamMessages,
    /** Posts a new service request's card in the team's chat (the API and the console call this). */
    postCard: async (requestId: string) => {
      const found = await teamService.requestView(requestId);
      if (found) await notifier.enqueue([teamMessages.card(found.team, found.request, `svc:${requestId}:posted`)]);
    },
  };
  const consent = createConsentFlow({
    wishes: services.wishes,
    people,
    clock: opts.clock,
    previewCard: async (state) => previewCardText(state, await groups.ofCommunity(state.communityId), { language: opts.defaultLanguage, timeZone: opts.timeZone, currency }),
  });

  const theirData = createTheirData({ models: opts.models, botModels, notifyModels, wishes: services.wishes });
  const bot = createBot(
    {
      token: opts.bot.token,
      apiRoot: opts.bot.apiRoot,
      wishes: services.wishes,
      communities: services.communities,
      invites,
      tokens: services.tokens,
      people,
      groups,
      sessions: createSessionStore(botModels),
      updates: createUpdateLog(botModels),
      turns,
      instanceId: opts.instanceId,
      turnLifetimeMs: opts.bot.turnLifetimeMs,
      presses: opts.bot.presses,
      reminderAnswers,
      intakes,
      theirData,
      consent,
      invitations,
      matching,
      directory: { resources },
      teams: { service: teamService, messages: teamMessages },
      surplus: { service: surplusService, messages: surplusMessages },
      stock: stockService,
      enqueue: (items) => notifier.enqueue(items),
      relay,
      outboxItem: (id) => outbox.get(id),
      adminIds: opts.bot.adminIds,
      ...(opts.bot.consoleUrl ? { miniAppUrl: `${opts.bot.consoleUrl}/console/miniapp` } : {}),
      defaultLanguage: opts.defaultLanguage,
      timeZone: opts.timeZone,
      currency,
      clock: opts.clock,
      logger: opts.logger,
      metrics,
    },
    { botInfo: opts.bot.botInfo },
  );

  const wishCards = createCardSource({ wishes: services.wishes, groups, messages: cardMessages, defaultLanguage: opts.defaultLanguage, timeZone: opts.timeZone, currency });
  const serviceCards = createServiceCardSource({
    view: teamService.requestView,
    language: teamMessages.chatLanguage,
    timeZone: opts.timeZone,
    clock: opts.clock,
    messages: cardMessages,
  });
  const surplusCards = createSurplusCardSource({ surplus: surplusService, language: async (chatId) => (await groups.get(chatId))?.language ?? opts.defaultLanguage, messages: cardMessages });
  // One card pipeline: wish cards in the community's groups, service cards in a team's chat, surplus cards where offered.
  const cards: typeof wishCards = {
    ...wishCards,
    render: (id, chatId) => (isServiceCardId(id) ? serviceCards.render(id, chatId) : isSurplusCardId(id) ? surplusCards.render(id, chatId) : wishCards.render(id, chatId)),
  };
  const sender = createSender({
    outbox,
    leases,
    fences,
    telegram: bot.telegraf.telegram,
    cards,
    clock: opts.clock,
    logger: opts.logger.child({ component: 'sender' }),
    instanceId: opts.instanceId,
    slotMs: opts.sender?.slotMs,
    callTimeoutMs: opts.sender?.callTimeoutMs,
    fenceMs: opts.sender?.fenceMs,
    metrics,
    onReport: (report) => {
      // A private chat that answers 403 has blocked us (or never started): stop counting on it.
      if (report.outcome === 'failed' && report.error?.code === 403 && report.item.chatId > 0) {
        void people.markBlocked(report.item.chatId, opts.clock()).catch(() => undefined);
      }
    },
  });
  const relayLog = createRelayLog(opts.models);
  const notifier = createNotifier({ relay, outbox, clock: opts.clock, logger: opts.logger, wake: () => sender.wake(), markRelayed: relayLog.markRelayed });
  // Goods a wish got from stock are handed over in the ledger when its receipt is confirmed.
  onEvent = async (event, state) => {
    await notifier.onEvent(event, state);
    await stockFollowsWish({ stock: stockService }, event, state, { kind: 'admin', id: 'system:stock', name: 'stock' }).catch((err) => opts.logger.warn({ err, wishId: state.id }, 'stock could not follow the wish'));
  };
  const updates = createUpdateLog(botModels);

  /**
   * The relay sweep, which catches up after a crash: every RELAY_CATCH_UP_SECONDS / 3 it relays the
   * events older than as much that were never relayed, so an event is relayed within about two
   * thirds of the bound, leaving the rest for sending. CRON_RELAY_SWEEP, when set, chooses the ticks instead.
   */
  function relaySweepJob(config: JobsConfig): ScheduledJob {
    const stepMs = Math.max(1_000, Math.floor(((config.relayCatchUpSeconds ?? 60) * 1000) / 3));
    const run = () => sweepRelay({ log: relayLog, onEvent: (event, state) => onEvent(event, state), graceMs: stepMs, relaying: (eventId) => later.has(eventId) }, opts.clock());
    return config.cron.relaySweep ? { name: 'relay-sweep', cron: config.cron.relaySweep, run } : { name: 'relay-sweep', everyMs: stepMs, run };
  }

  /** The scheduled jobs over this runtime's stores; `schedule.ts` runs them on their cron expressions. */
  function jobs(config: JobsConfig): { deps: JobDeps; list: ScheduledJob[] } {
    const deps: JobDeps = {
      wishes: services.wishes,
      groups,
      relay,
      enqueue: (items) => notifier.enqueue(items),
      answers: reminderAnswers,
      settings: { ...config, timeZone: opts.timeZone, defaultLanguage: opts.defaultLanguage },
    };
    const list: ScheduledJob[] = [
      { name: 'expire', cron: config.cron.expire, run: () => expireWishes(deps, opts.clock()) },
      { name: 'pledge-reminders', cron: config.cron.pledgeReminders, run: () => remindPledges(deps, opts.clock()) },
      { name: 'release-abandoned', cron: config.cron.releaseAbandoned, run: () => releaseAbandoned(deps, opts.clock()) },
      { name: 'stale-alerts', cron: config.cron.staleAlerts, run: () => alertStaleWishes(deps, opts.clock()) },
      { name: 'digest', cron: config.cron.digest, run: (tick) => postDigests(deps, opts.clock(), tick.toISOString()) },
      {
        name: 'service-slots',
        cron: config.cron.serviceSlots ?? '*/5 * * * *',
        run: () => serviceSlots({ teams: teamService, messages: teamMessages, enqueue: (items) => notifier.enqueue(items) }, opts.clock()),
      },
      {
        name: 'monthly-summary',
        cron: config.cron.monthlySummary ?? '0 9 1 * *',
        run: () => postMonthlySummaries({ communities: services.communities, groups, reports, enqueue: (items) => notifier.enqueue(items), currency, timeZone: opts.timeZone, defaultLanguage: opts.defaultLanguage }, opts.clock()),
      },
      relaySweepJob(config),
      {
        name: 'housekeeping',
        cron: config.cron.housekeeping,
        run: () => housekeeping({ updates, outbox, leases, turns, fences, consoleSessions, keepDays: config.keepDays }, opts.clock()),
      },
    ];
    return { deps, list };
  }

  /**
   * What the HTTP app takes from this runtime, the console included; the caller adds its own settings
   * (health, limits, metrics). `board` tunes which wishes the console's board flags (the jobs' settings).
   */
  function appDeps(board: { staleAfterDays?: number; deadlineWarningDays?: number } = {}): Pick<
    AppDeps,
    'wishes' | 'consent' | 'directory' | 'teams' | 'stock' | 'reports' | 'impact' | 'theirData' | 'communities' | 'tokens' | 'invites' | 'resolveToken' | 'botUsername' | 'people' | 'groups' | 'currency' | 'defaultLanguage' | 'timezone' | 'console'
  > {
    return {
      wishes: services.wishes,
      consent,
      directory,
      teams: { service: teamService, postCard: teams.postCard },
      stock,
      reports,
      impact: createImpactStore(opts.models),
      theirData,
      communities: services.communities,
      tokens: services.tokens,
      invites,
      resolveToken: services.resolveToken,
      botUsername: () => bot.telegraf.botInfo?.username,
      people,
      groups,
      currency,
      defaultLanguage: opts.defaultLanguage,
      timezone: opts.timeZone,
      console: {
        botToken: opts.bot.token,
        sessions: consoleSessions,
        assessments: createAssessmentStore(opts.models),
        intakes: { store: intakes },
        actorForTelegramUser: async (id) => staffActorOf(await people.get(id), id, opts.bot.adminIds),
        // A session signed in with a token lasts only while the token does.
        tokenStillValid: services.tokenStillValid,
        groupsOf: (id) => groups.ofCommunity(id),
        workersOf: (id) => people.workersOf(id),
        currency,
        ...board,
      },
    };
  }

  return { metrics, services, consent, directory, teams, stock, reports, later, bot, appDeps, sender, notifier, relay, outbox, people, groups, invites, botModels, notifyModels, leases, fences, turns, reminderAnswers, relayLog, consoleSessions, jobs };
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;
