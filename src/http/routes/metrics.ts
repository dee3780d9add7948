import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { errorBody } from '../errors';
import type { PlainRoute } from '../openapi';

/** What GET /metrics serves: src/metrics.ts's registry, seen from here without prom-client. */
export interface MetricsExposition {
  /** The Content-Type of the text (Prometheus text format 0.0.4). */
  readonly contentType: string;
  render(): Promise<string>;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** GET /metrics in Prometheus's text format; with a token set, only for `Authorization: Bearer <token>`. */
export function metricsRoutes(metrics: MetricsExposition, token?: string): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (token !== undefined) {
      const given = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
      if (given === undefined || !sameSecret(given, token)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        res.status(401).json(errorBody('unauthenticated', 'Send Authorization: Bearer <METRICS_TOKEN> to read the metrics'));
        return;
      }
    }
    const text = await metrics.render();
    res.setHeader('Content-Type', metrics.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(text);
  });
  return router;
}

/** /metrics as the OpenAPI document describes it (documented only where it is mounted). */
export const METRICS_ROUTE: PlainRoute = {
  method: 'get',
  path: '/metrics',
  operationId: 'metrics',
  summary: 'Prometheus metrics (text format 0.0.4); needs Authorization: Bearer <METRICS_TOKEN> when METRICS_TOKEN is set',
  tag: 'health',
  responses: {
    200: { description: 'The metrics', contentType: 'text/plain; version=0.0.4', schema: z.string() },
    401: { description: 'METRICS_TOKEN is set and the request did not send it', schema: z.object({ error: z.object({ code: z.literal('unauthenticated'), message: z.string() }) }) },
  },
};
