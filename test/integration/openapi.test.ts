import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createPromMetrics } from '../../src/metrics';
import { useTestDatabase } from '../support/db';
import { buildServices, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle: { stack?: Layer[] }; matchers?: Array<(path: string) => unknown> };

/** Every (method, path) the express app serves, walking nested routers; a router's mount path is found by asking its matcher. */
function servedRoutes(stack: Layer[], prefix = ''): string[] {
  const out: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) out.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
    } else if (layer.handle.stack) {
      const mount = ['/api/v1', ''].find((p) => layer.matchers?.[0]?.(`${p}/probe`)) ?? '';
      out.push(...servedRoutes(layer.handle.stack, prefix + mount));
    }
  }
  return out;
}

/**
 * Validates with @seriousme/openapi-schema-validator's own command (an ES module jest cannot load),
 * against the official OpenAPI 3.1 schema.
 */
async function validateOpenApi(doc: unknown): Promise<{ valid: boolean; errors?: unknown }> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'openapi-')), 'openapi.json');
  await writeFile(file, JSON.stringify(doc));
  const cli = require.resolve('@seriousme/openapi-schema-validator/bin/validate-api-cli.js');
  const out = await new Promise<string>((resolve) => execFile(process.execPath, [cli, file], (_err, stdout, stderr) => resolve(stdout + stderr)));
  return JSON.parse(out.slice(out.indexOf('{')));
}

/** Pages for people, not API: the interactive docs (and the console, when mounted). */
// Web pages, not the API: the docs viewer, the console, the public impact pages.
const NOT_API = [/^GET \/api\/docs/, /^\w+ \/console/, /^GET \/impact\//];

describe('the OpenAPI document', () => {
  const db = useTestDatabase();
  let app: ReturnType<typeof buildApp>;
  let doc: { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

  beforeAll(async () => {
    // With metrics, so GET /metrics is served and must be documented too.
    app = buildApp(db, buildServices(db, manualClock(new Date('2026-11-22T09:00:00Z')), ADMIN_TOKEN), { app: { metrics: createPromMetrics({ defaultMetrics: false }) } });
    const res = await request(app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body;
  });

  it('is served without a token and validates as OpenAPI 3.1', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await validateOpenApi(doc);
    expect(result).toEqual({ valid: true });
  });

  it('describes every route the app serves, and serves every route it describes', () => {
    const served = servedRoutes((app as unknown as { router: { stack: Layer[] } }).router.stack)
      .filter((r) => !NOT_API.some((re) => re.test(r)))
      .map((r) => r.replace(/:([A-Za-z0-9_]+)/g, '{$1}'))
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .concat('GET /api/v1/openapi.json')
      .sort();
    expect(served).toEqual(documented);
  });

  it('gives every operation the error shape for 400, 401 and any other error', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const op of Object.values(ops)) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', 'default']));
    }
  });

  it('serves the interactive docs from local files', async () => {
    const page = await request(app).get('/api/docs/');
    expect([page.status, page.type]).toEqual([200, 'text/html']);
    const bundle = await request(app).get('/api/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    expect((await request(app).get('/api/docs')).headers.location).toBe('/api/docs/');
  });
});
