import { Router } from 'express';
import { z } from 'zod';
import type { DatabaseHealth } from '../../db/health';
import type { PlainRoute } from '../openapi';

/** What the sender (src/notify/sender.ts status()) and the scheduler (src/jobs/schedule.ts status()) say of themselves. */
export interface WorkersStatus {
  sender?: { state: 'running' | 'stopped'; lastActivityAt?: Date };
  scheduler?: { state: 'running' | 'stopped'; jobs: Record<string, { lastRunAt?: Date; lastOk?: boolean }> };
}

export interface HealthDeps {
  /** Whether the database answers right now (/readyz). */
  isDatabaseReady: () => Promise<boolean>;
  /** The service's database health tracker (src/db/health.ts), which decides liveness; without it /healthz is always 200. */
  databaseHealth?: Pick<DatabaseHealth, 'isLive' | 'state'>;
  /**
   * The sender's and the scheduler's state, shown on /readyz. Given, they are meant to run: one that
   * is stopped (before start-up has started it, or while shutting down) makes the instance not ready.
   */
  workers?: () => WorkersStatus;
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
    const database = await deps.isDatabaseReady().catch(() => false);
    const workers = deps.workers?.() ?? {};
    // A sender or scheduler still working after a failed pass is ready (it retries by itself); only a stopped one is not.
    const stopped = workers.sender?.state === 'stopped' || workers.scheduler?.state === 'stopped';
    const ready = database && !stopped;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', database: database ? 'up' : 'down', ...workers });
  });
  return router;
}

const workerState = z.enum(['running', 'stopped']);
const readiness = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    database: z.enum(['up', 'down']),
    sender: z.object({ state: workerState, lastActivityAt: z.string().optional().describe('When its loop last decided a sending turn without failing (about every 10 s)') }).optional(),
    scheduler: z
      .object({
        state: workerState,
        jobs: z.record(z.string(), z.object({ lastRunAt: z.string().optional(), lastOk: z.boolean().optional() })).describe('Each job\'s last run on this instance; empty until it has run here'),
      })
      .optional(),
  })
  .catchall(z.unknown());

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
    summary: 'Readiness: 200 when the database answers and the outbox sender and the job scheduler are running',
    tag: 'health',
    responses: {
      200: { description: 'Ready', schema: readiness.extend({ status: z.literal('ready'), database: z.literal('up') }) },
      503: { description: 'Not ready: the database does not answer, or the sender or the scheduler is stopped (starting up or shutting down)', schema: readiness.extend({ status: z.literal('unavailable') }) },
    },
  },
];
