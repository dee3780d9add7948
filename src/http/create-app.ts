import { ResourceService } from '../domain/resources/service';
import { MatchService } from '../domain/resources/match-service';
import { InvitationService } from '../domain/resources/invitations';
import { resourceRoutes } from './routes/resources';
import { teamRoutes, TeamRouteDeps } from './routes/teams';
import { stockRoutes, StockRouteDeps } from './routes/stock';
import { reportRoutes } from './routes/reports';
import { impactRoutes } from './impact';
import type { ImpactStore } from '../db/impact-store';
import { ReportService } from '../domain/reports/service';
import type { ConsoleTeams } from './console/context';
import { matchingRoutes } from './routes/matching';
import { consentRoutes } from './routes/consent';
import { residentRoutes } from './routes/residents';
import type { TheirData } from '../db/erasure';
import { ConsentFlow } from '../domain/wish/consent-flow';
import express, { Express, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { Logger } from 'pino';
import { TokenResolver } from '../domain/access';
import { Clock } from '../domain/clock';
import { CommunityService, Language } from '../domain/community';
import { GroupStore } from '../domain/groups';
import { PersonStore } from '../domain/people';
import { InviteService } from '../domain/invites';
import { TokenService } from '../domain/tokens';
import { WishService } from '../domain/wish/service';
import { apiDocsRoutes } from './api-docs';
import { ConsoleOptions, mountConsole } from './console';
import { consoleExports } from './exports/console';
import { mountRoutes, RouteSpec } from './api-spec';
import { requireToken } from './auth';
import { API_PREFIX, openApiDocument } from './openapi';
import { API_BODY_LIMIT, bodyTimeout, jsonBody, requireBodyOnPost, requireSecretHeader, WEBHOOK_BODY_LIMIT } from './body';
import { countErrors, errorBody, errorHandler, notFoundRoute } from './errors';
import { requestLog } from './request-log';
import { communityRoutes } from './routes/communities';
import { donorRoutes } from './routes/donors';
import { exportRoutes } from './routes/exports';
import { HealthDeps, healthRoutes, PLAIN_ROUTES } from './routes/health';
import { tokenRoutes } from './routes/tokens';
import { METRICS_ROUTE, MetricsExposition, metricsRoutes } from './routes/metrics';
import { Metrics } from '../domain/metrics';
import { wishRoutes } from './routes/wishes';

export interface ExtraRoute {
  path: string;
  handler: RequestHandler;
  /** A header the caller must send with exactly this value; checked before the body is read (Telegram's X-Telegram-Bot-Api-Secret-Token). */
  secret?: { header: string; value: string };
}

export interface AppDeps {
  logger: Logger;
  wishes: WishService;
  /** Linking residents, asking their consent and recording it in person. */
  consent: ConsentFlow;
  /** The resource directory, matching wishes to it, and quiet invitations. */
  directory: { resources: ResourceService; matching: MatchService; invitations: InvitationService };
  /** Volunteer teams and their service requests; `postCard` queues a new request's card for the team's chat. */
  teams: TeamRouteDeps['teams'];
  /** The in-kind ledger and surplus offers. */
  stock: StockRouteDeps['stock'];
  /** Monthly figures (the report API, the console's chart). */
  reports: ReportService;
  /** Which communities' impact pages are public (absent: no /impact pages). */
  impact?: ImpactStore;
  /** A resident's data and its erasure (POST /residents/:telegramId/erase); absent: that route answers 404. */
  theirData?: Pick<TheirData, 'links' | 'erase' | 'requests'>;
  communities: CommunityService;
  invites: InviteService;
  resolveToken: TokenResolver;
  /** Issues, lists and revokes API tokens (admin routes under /tokens). */
  tokens: TokenService;
  clock: Clock;
  /** The bot's @username once it has connected to Telegram (for resident links). */
  botUsername(): string | undefined;
  isDatabaseReady: HealthDeps['isDatabaseReady'];
  databaseHealth?: HealthDeps['databaseHealth'];
  /** The sender's and the scheduler's state for /readyz (see HealthDeps.workers). */
  workers?: HealthDeps['workers'];
  /** Counts error answers by code and serves GET /metrics (src/metrics.ts); absent: neither. */
  metrics?: Metrics & MetricsExposition;
  /** When set, GET /metrics answers only `Authorization: Bearer <it>` (METRICS_TOKEN). */
  metricsToken?: string;
  timezone: string;
  /** Mounted before the API, e.g. the Telegram webhook; their JSON bodies are parsed here, at most 1 MB. */
  extraRoutes?: ExtraRoute[];
  /** Requests per client IP and window on /api/v1 (API_RATE_LIMIT_PER_MINUTE); 0 turns the limit off. Default 600 a minute. */
  rateLimit?: { limit: number; windowMs?: number };
  /** How long a request body may take to arrive before a 408 (default 10 s; 0: no limit but the server's). */
  bodyTimeoutMs?: number;
  /** Who donors and workers are (names, donor profiles): without it donors show only what their pledges recorded, and workers lists are empty. */
  people?: Pick<PersonStore, 'many' | 'workersOf'>;
  /** A community's linked groups: without it the list is empty. */
  groups?: Pick<GroupStore, 'ofCommunity'>;
  /** ISO 4217 code of the money amounts in exports (CURRENCY; default CNY). */
  currency?: string;
  /** The language of exported files when the request names none (DEFAULT_LANGUAGE; default en). */
  defaultLanguage?: Language;
  /** The web console at /console (sign-in, sessions, the Mini App); mounted only when given. */
  console?: ConsoleOptions;
}

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;

/** Per-client limit on the API: 429 JSON with Retry-After over it. Keyed by req.ip, which trusts only a proxy on loopback. */
function apiRateLimit(opts: { limit: number; windowMs?: number }): RequestHandler {
  const windowMs = opts.windowMs ?? 60_000;
  return rateLimit({
    windowMs,
    limit: opts.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json(errorBody('rate_limited', `Too many requests; at most ${opts.limit} per ${Math.round(windowMs / 1000)} s from one address. Try again after the time in Retry-After.`));
    },
  });
}

export const API_VERSION = '1.0.0';

/** Every route under /api/v1, in the order they are matched: what is mounted and what the OpenAPI document says. */
export function apiRoutes(
  deps: Pick<AppDeps, 'wishes' | 'consent' | 'directory' | 'teams' | 'stock' | 'reports' | 'impact' | 'theirData' | 'communities' | 'invites' | 'timezone' | 'clock' | 'botUsername' | 'tokens' | 'people' | 'groups' | 'currency' | 'defaultLanguage'>,
): RouteSpec[] {
  return [
    ...communityRoutes({ communities: deps.communities, groups: deps.groups, people: deps.people }),
    ...wishRoutes({ wishes: deps.wishes, consent: deps.consent, invites: deps.invites, timezone: deps.timezone, clock: deps.clock, botUsername: deps.botUsername }),
    ...consentRoutes({ wishes: deps.wishes, consent: deps.consent, invites: deps.invites, botUsername: deps.botUsername }),
    ...resourceRoutes({ resources: deps.directory?.resources as ResourceService }),
    ...matchingRoutes({ wishes: deps.wishes, matching: deps.directory?.matching as MatchService, invitations: deps.directory?.invitations as InvitationService }),
    ...teamRoutes({ teams: deps.teams, botUsername: deps.botUsername }),
    ...stockRoutes({ stock: deps.stock }),
    ...reportRoutes({ get reports() { return deps.reports; }, currency: deps.currency ?? 'CNY', ...(deps.impact ? { impact: deps.impact } : {}), communities: deps.communities }),
    ...tokenRoutes({ tokens: deps.tokens }),
    ...donorRoutes({ wishes: deps.wishes, people: deps.people }),
    ...residentRoutes({ theirData: deps.theirData, clock: deps.clock }),
    ...exportRoutes({
      wishes: deps.wishes,
      communities: deps.communities,
      people: deps.people,
      timezone: deps.timezone,
      currency: deps.currency ?? 'CNY',
      defaultLanguage: deps.defaultLanguage ?? 'en',
      ...(deps.directory ? { directory: deps.directory.resources.reader } : {}),
      get reports() {
        return deps.reports;
      },
    }),
  ];
}

/** The console's teams: who may lead one is someone the bot can write to, from the directory or the workers. */
function consoleTeams(teams: AppDeps['teams'], resources: ResourceService, workersOf: ConsoleOptions['workersOf']): ConsoleTeams {
  return {
    ...teams,
    areasOf: resources.areasOf,
    async candidates(communityId) {
      const byId = new Map<number, string>();
      for (const r of await resources.reader.listByCommunity(communityId)) if (r.state === 'approved' && r.kind !== 'team' && r.telegramId !== undefined) byId.set(r.telegramId, r.name);
      for (const w of (await workersOf?.(communityId)) ?? []) if (!byId.has(w.telegramId)) byId.set(w.telegramId, w.name);
      return [...byId].map(([telegramId, name]) => ({ telegramId, name })).sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}

/** Names of a community's areas, for reasons shown in words. */
function areaNamer(resources: ResourceService) {
  return async (communityId: string) => {
    const names = new Map((await resources.areasOf(communityId)).map((a) => [a.id, a.name]));
    return (id: string) => names.get(id) ?? id;
  };
}

/** The HTTP app, without listening: src/http/server.ts listens, tests use supertest. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestLog(deps.logger));
  if (deps.metrics) app.use(countErrors(deps.metrics));
  // A JSON API: helmet's defaults (nosniff, no framing, a strict CSP, HSTS, ...) cost nothing here.
  app.use(helmet());
  app.use(bodyTimeout(deps.bodyTimeoutMs ?? 10_000));
  app.use(healthRoutes({ isDatabaseReady: deps.isDatabaseReady, databaseHealth: deps.databaseHealth, workers: deps.workers }));
  if (deps.metrics) app.use(metricsRoutes(deps.metrics, deps.metricsToken));
  for (const r of deps.extraRoutes ?? []) {
    const guard = r.secret ? [requireSecretHeader(r.secret.header, r.secret.value)] : [];
    // Parsed here, whatever the Content-Type, so telegraf's webhookCallback takes req.body instead of reading the stream whole.
    app.use(r.path, ...guard, ...jsonBody(WEBHOOK_BODY_LIMIT, { anyContentType: true }), requireBodyOnPost, r.handler);
  }

  const api = express.Router();
  const limit = deps.rateLimit?.limit ?? DEFAULT_RATE_LIMIT_PER_MINUTE;
  if (limit > 0) api.use(apiRateLimit({ limit, windowMs: deps.rateLimit?.windowMs }));
  api.use(...jsonBody(API_BODY_LIMIT));
  const routes = apiRoutes(deps);
  const document = openApiDocument(routes, { version: API_VERSION, plain: deps.metrics ? [...PLAIN_ROUTES, METRICS_ROUTE] : PLAIN_ROUTES });
  // The document and the docs need no token: they say what the API is, not what is in it.
  api.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  api.use(requireToken(deps.resolveToken));
  api.use(mountRoutes(routes));
  app.use(API_PREFIX, api);
  app.use(apiDocsRoutes());
  if (deps.console) {
    // The Exports page offers the API's files unless told otherwise.
    const exportDeps = { wishes: deps.wishes, communities: deps.communities, people: deps.people, timezone: deps.timezone, currency: deps.currency ?? 'CNY', defaultLanguage: deps.defaultLanguage ?? 'en', ...(deps.directory ? { directory: deps.directory.resources.reader } : {}), reports: deps.reports };
    mountConsole(app, { exports: consoleExports(exportDeps), ...deps.console, ...(deps.teams && deps.directory ? { teams: consoleTeams(deps.teams, deps.directory.resources, deps.console.workersOf) } : {}), ...(deps.directory ? { directory: { resources: deps.directory.resources, matching: deps.directory.matching } } : {}), reports: deps.reports, stock: deps.stock, logger: deps.logger, wishes: deps.wishes, consent: deps.consent, ...(deps.directory ? { matching: { matches: deps.directory.matching, invitations: deps.directory.invitations, areaName: areaNamer(deps.directory.resources) } } : {}), communities: deps.communities, invites: deps.invites, resolveToken: deps.resolveToken, clock: deps.clock, timezone: deps.timezone, botUsername: deps.botUsername, people: deps.people });
  }

  if (deps.impact) impactRoutes(app, { reports: deps.reports, communities: deps.communities, impact: deps.impact, currency: deps.currency ?? 'CNY', logger: deps.logger });

  app.use(notFoundRoute);
  app.use(errorHandler(deps.logger));
  return app;
}
