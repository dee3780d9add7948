import express, { Express, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { Logger } from 'pino';
import { TokenResolver } from '../domain/access';
import { Clock } from '../domain/clock';
import { CommunityService } from '../domain/community';
import { InviteService } from '../domain/invites';
import { WishService } from '../domain/wish/service';
import { apiDocsRoutes } from './api-docs';
import { ConsoleOptions, mountConsole } from './console';
import { mountRoutes, RouteSpec } from './api-spec';
import { requireToken } from './auth';
import { API_PREFIX, openApiDocument } from './openapi';
import { API_BODY_LIMIT, bodyTimeout, jsonBody, requireBodyOnPost, requireSecretHeader, WEBHOOK_BODY_LIMIT } from './body';
import { errorBody, errorHandler, notFoundRoute } from './errors';
import { requestLog } from './request-log';
import { communityRoutes } from './routes/communities';
import { HealthDeps, healthRoutes, PLAIN_ROUTES } from './routes/health';
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
  communities: CommunityService;
  invites: InviteService;
  resolveToken: TokenResolver;
  clock: Clock;
  /** The bot's @username once it has connected to Telegram (for resident links). */
  botUsername(): string | undefined;
  isDatabaseReady: HealthDeps['isDatabaseReady'];
  databaseHealth?: HealthDeps['databaseHealth'];
  timezone: string;
  /** Mounted before the API, e.g. the Telegram webhook; their JSON bodies are parsed here, at most 1 MB. */
  extraRoutes?: ExtraRoute[];
  /** Requests per client IP and window on /api/v1 (API_RATE_LIMIT_PER_MINUTE); 0 turns the limit off. Default 600 a minute. */
  rateLimit?: { limit: number; windowMs?: number };
  /** How long a request body may take to arrive before a 408 (default 10 s; 0: no limit but the server's). */
  bodyTimeoutMs?: number;
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
export function apiRoutes(deps: Pick<AppDeps, 'wishes' | 'communities' | 'invites' | 'timezone' | 'clock' | 'botUsername'>): RouteSpec[] {
  return [
    ...communityRoutes({ communities: deps.communities }),
    ...wishRoutes({ wishes: deps.wishes, invites: deps.invites, timezone: deps.timezone, clock: deps.clock, botUsername: deps.botUsername }),
  ];
}

/** The HTTP app, without listening: src/http/server.ts listens, tests use supertest. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestLog(deps.logger));
  // A JSON API: helmet's defaults (nosniff, no framing, a strict CSP, HSTS, ...) cost nothing here.
  app.use(helmet());
  app.use(bodyTimeout(deps.bodyTimeoutMs ?? 10_000));
  app.use(healthRoutes({ isDatabaseReady: deps.isDatabaseReady, databaseHealth: deps.databaseHealth }));
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
  const document = openApiDocument(routes, { version: API_VERSION, plain: PLAIN_ROUTES });
  // The document and the docs need no token: they say what the API is, not what is in it.
  api.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  api.use(requireToken(deps.resolveToken));
  api.use(mountRoutes(routes));
  app.use(API_PREFIX, api);
  app.use(apiDocsRoutes());
  if (deps.console) {
    mountConsole(app, { ...deps.console, logger: deps.logger, wishes: deps.wishes, communities: deps.communities, invites: deps.invites, resolveToken: deps.resolveToken, clock: deps.clock, timezone: deps.timezone, botUsername: deps.botUsername });
  }

  app.use(notFoundRoute);
  app.use(errorHandler(deps.logger));
  return app;
}
