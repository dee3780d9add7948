import { Router } from 'express';
import type { DatabaseHealth } from '../../db/health';

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
