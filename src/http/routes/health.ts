import { Router } from 'express';
import { z } from 'zod';
import type { DatabaseHealth } from '../../db/health';
import type { PlainRoute } from '../openapi';

export interface HealthDeps {
  /** Whether the database answers right now (/readyz). */
  isDatabaseReady: () => Promise<boolean>;
  /** The service's database health tracker (src/db/health.ts), which decides liveness; without it /healthz is always 200. */
  databaseHealth?: Pick<DatabaseHealth, 'isLive' | 'state'>;
}

/** Both checks from one tracker: /readyz pings through it (so its state stays fresh), /healthz asks it whether we are still live. */
export function healthDepsOf(health: Pick<DatabaseHealth, 'check' | 'isLive' | 'state'>): HealthDeps {
  return { isDatabaseReady: async () => (await health.check()).up, databaseHealth: health };
}

export function healthRoutes(deps: HealthDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const health = deps.databaseHealth;
    if (!health || health.isLive()) {
      res.json({ status: 'ok' });
      return;
    }
    // The database has been gone for longer than the grace: restarting us is the next thing to try.
    res.status(503).json({ status: 'unhealthy', database: 'down', downSince: health.state().since.toISOString() });
  });
  router.get('/readyz', async (_req, res) => {
    const ready = await deps.isDatabaseReady().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', database: ready ? 'up' : 'down' });
  });
  return router;
}

/** The routes above as the OpenAPI document describes them. */
export const PLAIN_ROUTES: PlainRoute[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'healthz',
    summary: 'Liveness: 503 once the database has been unreachable for longer than LIVENESS_DB_GRACE_SECONDS',
    tag: 'health',
    responses: {
      200: { description: 'Live', schema: z.object({ status: z.literal('ok') }) },
      503: { description: 'Restart me', schema: z.object({ status: z.literal('unhealthy'), database: z.literal('down'), downSince: z.string() }) },
    },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readyz',
    summary: 'Readiness: 200 when the database answers',
    tag: 'health',
    responses: {
      200: { description: 'Ready', schema: z.object({ status: z.literal('ready'), database: z.literal('up') }).catchall(z.unknown()) },
      503: { description: 'Not ready', schema: z.object({ status: z.literal('unavailable'), database: z.literal('down') }).catchall(z.unknown()) },
    },
  },
];
