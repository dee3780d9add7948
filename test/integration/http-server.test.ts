import { Server } from 'node:http';
import { AppDeps } from '../../src/http/create-app';
import { createHttpServer, HttpServerOptions } from '../../src/http/server';
import { useTestDatabase } from '../support/db';
import { buildServices, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';
import { close, listen, sendRaw } from '../support/raw-http';

// Lying and slow clients over a real socket: each gets an answer or a closed connection, never a hang.
// Timeouts are set short here through the options; the assertions are on outcomes, not on time.
describe('the HTTP server against lying and slow clients', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-22T09:00:00Z'));
  const servers: Server[] = [];

  async function start(app: Partial<Pick<AppDeps, 'bodyTimeoutMs' | 'extraRoutes'>> = {}, server: HttpServerOptions = {}) {
    const services = buildServices(db, clock, ADMIN_TOKEN);
    const s = createHttpServer(buildApp(db, services, { clock, app }), { checkIntervalMs: 50, keepAliveTimeoutMs: 200, ...server });
    servers.push(s);
    return listen(s);
  }
  afterAll(async () => {
    await Promise.all(servers.map(close));
  });

  const post = (path: string, headers: Record<string, string | number>) =>
    [`POST ${path} HTTP/1.1`, 'Host: localhost', `Authorization: Bearer ${ADMIN_TOKEN}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');

  it('a Content-Length claiming 20 MB is refused with 413 from the header, before any body is read', async () => {
    const port = await start();
    const answer = await sendRaw(port, [post('/api/v1/communities', { 'Content-Type': 'application/json', 'Content-Length': 20 * 1024 * 1024 }), '{"name":"x"}']);
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({ error: expect.objectContaining({ code: 'too_large' }) });
    expect(answer.headers.connection).toBe('close');
  });

  it('a Content-Length larger than the body sent gets a 408 and the connection closed', async () => {
    const port = await start({ bodyTimeoutMs: 300 });
    const answer = await sendRaw(port, [post('/api/v1/communities', { 'Content-Type': 'application/json', 'Content-Length': 100 }), '{"name":"x"}']);
    expect(answer.status).toBe(408);
    expect(answer.body).toEqual({ error: expect.objectContaining({ code: 'body_timeout' }) });
    expect(answer.closed).toBe(true);
  });

  it('a chunked body that never ends gets a 408 too', async () => {
    const port = await start({ bodyTimeoutMs: 300 });
    const answer = await sendRaw(port, [post('/api/v1/communities', { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }), '5\r\n{"nam\r\n']);
    expect(answer.status).toBe(408);
  });

  it("with the app's body timeout off, the server's request timeout still answers 408 in JSON and closes", async () => {
    const port = await start({ bodyTimeoutMs: 0 }, { requestTimeoutMs: 400, headersTimeoutMs: 400 });
    const answer = await sendRaw(port, [post('/api/v1/communities', { 'Content-Type': 'application/json', 'Content-Length': 100 }), '{"name":"x"}']);
    expect(answer.status).toBe(408);
    expect(answer.body).toEqual({ error: expect.objectContaining({ code: 'request_timeout' }) });
  });

  it('headers that never finish (slowloris) get a 408 and the connection closed', async () => {
    const port = await start({}, { requestTimeoutMs: 400, headersTimeoutMs: 300 });
    const answer = await sendRaw(port, ['GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1']);
    expect(answer.status).toBe(408);
    expect(answer.closed).toBe(true);
  });

  it('headers over the size limit get a clean 431 in JSON', async () => {
    const port = await start();
    const answer = await sendRaw(port, [`GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`]);
    expect(answer.status).toBe(431);
    expect(answer.body).toEqual({ error: expect.objectContaining({ code: 'headers_too_large' }) });
  });

  it('a request that is not HTTP gets a 400 in JSON', async () => {
    const port = await start();
    const answer = await sendRaw(port, ['HELLO THERE\r\n\r\n']);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: expect.objectContaining({ code: 'bad_request' }) });
  });

  it('a CONNECT request gets a 405 in JSON instead of a silently dropped connection', async () => {
    const port = await start();
    const answer = await sendRaw(port, ['CONNECT /api/v1/communities HTTP/1.1\r\nHost: localhost\r\n\r\n']);
    expect(answer.status).toBe(405);
    expect(answer.body).toEqual({ error: expect.objectContaining({ code: 'method_not_allowed' }) });
  });

  it('a webhook POST without any body (no length, not chunked) is a 400 in JSON, not handed to the handler', async () => {
    const handled: unknown[] = [];
    const port = await start({
      extraRoutes: [
        {
          path: '/hook',
          secret: { header: 'X-Secret', value: 'right' },
          handler: (req, res) => {
            handled.push(req.body);
            res.end();
          },
        },
      ],
    });
    const answer = await sendRaw(port, ['POST /hook HTTP/1.1\r\nHost: localhost\r\nX-Secret: right\r\nConnection: close\r\n\r\n']);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: expect.objectContaining({ code: 'body_required' }) });
    expect(handled).toEqual([]);
  });

  it('a webhook POST with the wrong secret is refused before its body is read', async () => {
    const handled: unknown[] = [];
    // A body timeout far off: had the body been waited for, there would be no answer.
    const port = await start({
      bodyTimeoutMs: 10 * 60_000,
      extraRoutes: [{ path: '/hook', secret: { header: 'X-Secret', value: 'right' }, handler: (req, res) => res.end(String(handled.push(req.body))) }],
    });
    const answer = await sendRaw(port, ['POST /hook HTTP/1.1\r\nHost: localhost\r\nX-Secret: wrong\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n', '{"update_id":1']);
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ error: expect.objectContaining({ code: 'forbidden' }) });
    expect(handled).toEqual([]);
  });

  it('broken percent-encoding sent raw is a 400 bad_path', async () => {
    const port = await start();
    const answer = await sendRaw(port, [`GET /api/v1/wishes/%E0%A4%A HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\nConnection: close\r\n\r\n`]);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: expect.objectContaining({ code: 'bad_path' }) });
  });

  it('a well-behaved keep-alive client still gets its answer, then the idle connection is closed', async () => {
    const port = await start();
    const answer = await sendRaw(port, ['GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n']);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
    expect(answer.closed).toBe(true);
  });
});
