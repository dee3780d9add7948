import { Router } from 'express';
import type { DatabaseHealth } from '../../db/health';

/**
 * The readiness check, optionally carrying the service's database health tracker (src/db/health.ts),
 * which also decides liveness. Made by `readinessOf`; a bare function means "always live".
 */
export type ReadinessCheck = (() => Promise<boolean>) & { health?: Pick<DatabaseHealth, 'check' | 'isLive' | 'state'> };

/** /readyz pings the database through the tracker (so its state stays fresh) and /healthz asks it whether we are still live. */
export function readinessOf(health: Pick<DatabaseHealth, 'check' | 'isLive' | 'state'>): ReadinessCheck {
  return Object.assign(async () => (await health.check()).up, { health });
}

export function healthRoutes(deps: { isDatabaseReady: ReadinessCheck }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const health = deps.isDatabaseReady.health;
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
