import { createServer, Server } from 'node:http';
import { Writable } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { testLogger } from '../support/privacy-record';
import request from 'supertest';
import { useTestDatabase } from '../support/db';
import { buildServices, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';
import { close, httpRequest, listen } from '../support/raw-http';

// Hostile input at the HTTP edge, in-process (supertest): every answer is a 4xx in our JSON shape, never a 500.
describe('HTTP API under hostile input', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-22T09:00:00Z'));
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  let app: ReturnType<typeof buildApp>;
  let services: ReturnType<typeof buildServices>;
  const logLines: Array<Record<string, unknown>> = [];

  beforeAll(() => {
    services = buildServices(db, clock, ADMIN_TOKEN);
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    app = buildApp(db, services, { clock, app: { logger: testLogger('info', sink) } });
  });

  const expectErrorShape = (body: unknown, code: string) => {
    expect(body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
  };

  describe('broken percent-encoding in the path', () => {
    const cases: Array<[string, string]> = [
      ['get', '/api/v1/wishes/%ZZ'],
      ['get', '/api/v1/wishes/%'],
      ['get', '/api/v1/communities/%E0%A4%A'],
      ['post', '/api/v1/wishes/%ZZ/publish'],
      ['post', '/api/v1/wishes/%/publish'],
      ['post', '/api/v1/wishes/%E0%A4%A/cancel'],
      ['patch', '/api/v1/wishes/%C0'],
    ];
    it.each(cases)('%s %s is a 400 bad_path', async (method, path) => {
      const res = await (request(app) as unknown as Record<string, (p: string) => request.Test>)[method]!(path).set(auth).send({});
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 'bad_path');
    });
  });

  describe('Content-Encoding', () => {
    const json = Buffer.from(JSON.stringify({ name: 'Compressed Street' }));
    // Over a real socket: supertest re-encodes a Buffer body.
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer(app);
      port = await listen(server);
    });
    afterAll(() => close(server));
    const post = (encoding: string, body: Buffer) =>
      httpRequest(port, { method: 'POST', path: '/api/v1/communities', headers: { ...auth, 'Content-Type': 'application/json', 'Content-Encoding': encoding }, body });

    it.each([
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
    ] as const)('a well-formed %s JSON body is decoded and works', async (encoding, compress) => {
      const res = await post(encoding, compress(json));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'Compressed Street' });
    });

    it.each([
      ['gzip', json],
      ['deflate', json],
      ['br', json],
      ['gzip', gzipSync(json).subarray(0, 12)],
    ])('a body labelled %s that does not decompress is a 400 bad_encoding', async (encoding, body) => {
      const res = await post(encoding, body);
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 'bad_encoding');
    });

    it.each(['compress', 'x-unknown', 'gzip, br'])('an unknown encoding (%s) is a 415 unsupported_encoding', async (encoding) => {
      const res = await post(encoding, json);
      expect(res.status).toBe(415);
      expectErrorShape(res.body, 'unsupported_encoding');
    });

    it('a gzip bomb is measured after inflating: 413, not a 64 KB limit on the compressed size', async () => {
      const bomb = gzipSync(Buffer.from(JSON.stringify({ name: 'x'.repeat(5_000_000) })));
      expect(bomb.length).toBeLessThan(64 * 1024);
      const res = await post('gzip', bomb);
      expect(res.status).toBe(413);
      expectErrorShape(res.body, 'too_large');
    });
  });

  it('an oversize JSON body is a 413 in the JSON shape', async () => {
    const res = await request(app).post('/api/v1/communities').set(auth).send({ name: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
    expectErrorShape(res.body, 'too_large');
  });

  it('an unsupported charset is a 415 in the JSON shape', async () => {
    const res = await request(app).post('/api/v1/communities').set(auth).set('Content-Type', 'application/json; charset=klingon').send('{"name":"Q"}');
    expect(res.status).toBe(415);
    expectErrorShape(res.body, 'unsupported_charset');
  });

  describe('X-Request-Id', () => {
    it('a sane id is echoed and logged', async () => {
      const res = await request(app).get('/healthz').set('X-Request-Id', 'abc-123.DEF_4');
      expect(res.headers['x-request-id']).toBe('abc-123.DEF_4');
      expect(logLines.some((l) => l.reqId === 'abc-123.DEF_4')).toBe(true);
    });

    it.each([
      ['15 KB long', 'a'.repeat(15 * 1024)],
      ['65 characters', 'b'.repeat(65)],
      ['with spaces and quotes', 'x" injected="1'],
    ])('an id %s is replaced by a fresh one, in the answer and the log', async (_label, hostile) => {
      const before = logLines.length;
      const res = await request(app).get('/healthz').set('X-Request-Id', hostile);
      const id = res.headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const lines = logLines.slice(before);
      expect(lines.map((l) => l.reqId)).toContain(id);
      expect(lines.every((l) => String(l.reqId).length <= 64)).toBe(true);
    });

    it('a request without one gets one', async () => {
      const res = await request(app).get('/api/v1/nowhere').set(auth);
      expect(res.status).toBe(404);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  it('sets security headers and keeps JSON answers JSON', async () => {
    const res = await request(app).get('/api/v1/communities').set(auth);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
    const missing = await request(app).get('/nope');
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
    expectErrorShape(missing.body, 'route_not_found');
  });

  describe('rate limit', () => {
    it('over the limit, /api/v1 answers 429 rate_limited with Retry-After; health checks are not limited', async () => {
      const limited = buildApp(db, services, { clock, app: { rateLimit: { limit: 3 } } });
      for (let i = 0; i < 3; i++) expect((await request(limited).get('/api/v1/communities').set(auth)).status).toBe(200);
      const over = await request(limited).get('/api/v1/communities').set(auth);
      expect(over.status).toBe(429);
      expectErrorShape(over.body, 'rate_limited');
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      // Without a token too: guessing tokens is what the limit is for.
      expect((await request(limited).get('/api/v1/wishes')).status).toBe(429);
      for (let i = 0; i < 6; i++) {
        expect((await request(limited).get('/healthz')).status).toBe(200);
        expect((await request(limited).get('/readyz')).status).toBe(200);
      }
    });

    it('a limit of 0 turns it off', async () => {
      const open = buildApp(db, services, { clock, app: { rateLimit: { limit: 0 } } });
      for (let i = 0; i < 5; i++) expect((await request(open).get('/api/v1/communities').set(auth)).status).toBe(200);
    });
  });

  describe('extra routes (the webhook)', () => {
    const secret = { header: 'X-Telegram-Bot-Api-Secret-Token', value: 'webhook-secret-0123456789' };
    let seen: unknown[];
    let hook: ReturnType<typeof buildApp>;
    beforeAll(() => {
      seen = [];
      hook = buildApp(db, services, {
        clock,
        app: {
          rateLimit: { limit: 1 },
          extraRoutes: [
            {
              path: '/telegram/webhook',
              secret,
              handler: (req, res) => {
                seen.push(req.body);
                res.status(200).end();
              },
            },
          ],
        },
      });
    });

    it('hands the handler the parsed body, and is not rate-limited', async () => {
      for (let i = 0; i < 3; i++) {
        const res = await request(hook).post('/telegram/webhook').set(secret.header, secret.value).send({ update_id: i });
        expect(res.status).toBe(200);
      }
      expect(seen).toEqual([{ update_id: 0 }, { update_id: 1 }, { update_id: 2 }]);
    });

    it('refuses a body over 1 MB with 413 even with the right secret', async () => {
      const before = seen.length;
      const res = await request(hook)
        .post('/telegram/webhook')
        .set(secret.header, secret.value)
        .send({ update_id: 9, message: { text: 'x'.repeat(2 * 1024 * 1024) } });
      expect(res.status).toBe(413);
      expectErrorShape(res.body, 'too_large');
      expect(seen.length).toBe(before);
    });

    it('refuses the wrong or a missing secret with 403 without handing anything on', async () => {
      const before = seen.length;
      const wrong = await request(hook).post('/telegram/webhook').set(secret.header, 'wrong').send({ update_id: 10 });
      const none = await request(hook).post('/telegram/webhook').send({ update_id: 11 });
      expect([wrong.status, none.status]).toEqual([403, 403]);
      expectErrorShape(wrong.body, 'forbidden');
      expect(seen.length).toBe(before);
    });

    it('a body that is not JSON is a 400, not handed on', async () => {
      const before = seen.length;
      const res = await request(hook).post('/telegram/webhook').set(secret.header, secret.value).set('Content-Type', 'text/plain').send('{not json');
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 'invalid_json');
      expect(seen.length).toBe(before);
    });
  });
});
