import express, { Express, RequestHandler } from 'express';
import { Logger } from 'pino';
import { TokenResolver } from '../domain/access';
import { Clock } from '../domain/clock';
import { CommunityService } from '../domain/community';
import { InviteService } from '../domain/invites';
import { WishService } from '../domain/wish/service';
import { requireToken } from './auth';
import { errorHandler, notFoundRoute } from './errors';
import { requestLog } from './request-log';
import { communityRoutes } from './routes/communities';
import { healthRoutes } from './routes/health';
import { wishRoutes } from './routes/wishes';

export interface AppDeps {
  logger: Logger;
  wishes: WishService;
  communities: CommunityService;
  invites: InviteService;
  resolveToken: TokenResolver;
  clock: Clock;
  /** The bot's @username once it has connected to Telegram (for resident links). */
  botUsername(): string | undefined;
  isDatabaseReady: () => Promise<boolean>;
  timezone: string;
  /** Mounted before the API, e.g. the Telegram webhook. */
  extraRoutes?: Array<{ path: string; handler: RequestHandler }>;
}

/** The HTTP app, without listening: main.ts listens, tests use supertest. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestLog(deps.logger));
  app.use(healthRoutes({ isDatabaseReady: deps.isDatabaseReady }));
  for (const r of deps.extraRoutes ?? []) app.use(r.path, r.handler);

  const api = express.Router();
  api.use(express.json({ limit: '64kb', strict: true }));
  api.use(requireToken(deps.resolveToken));
  api.use('/communities', communityRoutes({ communities: deps.communities }));
  api.use('/wishes', wishRoutes({ wishes: deps.wishes, invites: deps.invites, timezone: deps.timezone, clock: deps.clock, botUsername: deps.botUsername }));
  app.use('/api/v1', api);

  app.use(notFoundRoute);
  app.use(errorHandler(deps.logger));
  return app;
}
