// Property-based fuzzing of the HTTP API over real sockets: generated hostile requests (mangled paths,
// lying headers, odd encodings, hostile JSON) against the real app on a real database, and the one
// property every answer must have: a 2xx-4xx in our JSON shape, or a closed connection, within the
// time limit; never a 5xx, a hang or an error the app did not expect.
//
// Used by scripts/fuzz-api.ts (`npm run fuzz:api`) and test/integration/fuzz-api.test.ts.
import { Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { Writable } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { Connection } from 'mongoose';
import pino from 'pino';
import { Models } from '../../src/db/models';
import { createApp } from '../../src/http/create-app';
import { createHttpServer } from '../../src/http/server';
import { createRuntime } from '../../src/runtime';
import { startFakeTelegram } from '../../test/fake-telegram';

// ---- the target: the real app on a real port ----------------------------------------------------

export interface FuzzTarget {
  port: number;
  adminToken: string;
  webhookSecret: string;
  communityIds: string[];
  wishIds: string[];
  pledgeIds: string[];
  /** Lines the HTTP app logged at error level or above (an unexpected error is one). */
  appErrors(): string[];
  /** Lines the bot logged at error level (an update it could not handle), for the report. */
  botErrors(): string[];
  stop(): Promise<void>;
}

export const FUZZ_ADMIN_TOKEN = 'fuzz-admin-token-0123456789';
const WEBHOOK_SECRET = 'fuzz-webhook-secret-0123456789';

function errorLines(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line && (JSON.parse(line) as { level: number }).level >= 50) lines.push(line.slice(0, 2000));
      done();
    },
  });
  return { stream, lines };
}

/**
 * The service as main.ts builds it (runtime, app, server with its timeouts), over `conn`, with a fake
 * Bot API behind the bot and the Telegram webhook mounted, plus a few communities, wishes and a pledge
 * for the generated requests to aim at. Timeouts are shortened so a lying client is answered well
 * inside the fuzzer's per-request limit.
 */
export async function startFuzzTarget(db: { conn: Connection; models: Models }): Promise<FuzzTarget> {
  const fake = await startFakeTelegram();
  const app$ = errorLines();
  const bot$ = errorLines();
  const runtime = await createRuntime({
    conn: db.conn,
    models: db.models,
    clock: () => new Date(),
    logger: pino({ level: 'error' }, bot$.stream),
    adminApiToken: FUZZ_ADMIN_TOKEN,
    bot: { token: fake.token, apiRoot: fake.apiRoot, adminIds: [] },
    defaultLanguage: 'en',
    timeZone: 'UTC',
    instanceId: 'fuzz-api',
  });
  await runtime.bot.prepare({});
  // The person webhook updates come from has started the bot, so its answers reach the fake Bot API.
  fake.startUser(4242);
  const app = createApp({
    ...runtime.appDeps(),
    logger: pino({ level: 'error' }, app$.stream),
    clock: () => new Date(),
    isDatabaseReady: async () => true,
    // On, so its code runs, but high enough that the fuzzer's own burst is not refused.
    rateLimit: { limit: 1_000_000 },
    bodyTimeoutMs: 1500,
    extraRoutes: [
      { path: '/telegram/webhook', handler: runtime.bot.webhookHandler(WEBHOOK_SECRET), secret: { header: 'X-Telegram-Bot-Api-Secret-Token', value: WEBHOOK_SECRET } },
    ],
  });
  const server: Server = createHttpServer(app, { requestTimeoutMs: 4000, headersTimeoutMs: 3000, checkIntervalMs: 250, keepAliveTimeoutMs: 1000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });

  const admin = { kind: 'admin' as const, id: 'fuzz' };
  const communityIds: string[] = [];
  const wishIds: string[] = [];
  const pledgeIds: string[] = [];
  for (const name of ['Fuzz Street', 'Second Street']) {
    const community = await runtime.services.communities.create({ name }, admin);
    communityIds.push(community.id);
    for (const [i, category] of (['cash', 'goods', 'service'] as const).entries()) {
      const { state } = await runtime.services.wishes.create(
        {
          communityId: community.id,
          title: `Fuzz wish ${i + 1}`,
          description: 'Something a neighbour needs.',
          category,
          target: category === 'cash' ? 300 : 3,
          deadline: new Date(Date.now() + 14 * 86_400_000),
          urgency: 'normal',
          beneficiary: { alias: 'a neighbour' },
        },
        admin,
        { publish: i > 0 },
      );
      wishIds.push(state.id);
    }
  }
  const donor = { kind: 'donor' as const, id: 'donor-fuzz', name: 'Fuzz donor' };
  const pledged = await runtime.services.wishes.execute(wishIds[1]!, { type: 'claim', donor: { donorId: donor.id, displayName: donor.name } }, donor).catch(() => undefined);
  const pledge = pledged?.state.pledges[0];
  if (pledge) pledgeIds.push(pledge.id);

  return {
    port: (server.address() as AddressInfo).port,
    adminToken: FUZZ_ADMIN_TOKEN,
    webhookSecret: WEBHOOK_SECRET,
    communityIds,
    wishIds,
    pledgeIds,
    appErrors: () => app$.lines,
    botErrors: () => bot$.lines,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.bot.stop();
      await runtime.sender.stop();
      await fake.close();
    },
  };
}

// ---- generated requests ---------------------------------------------------------------------------

export interface HostileRequest {
  method: string;
  /** The request target exactly as written on the request line (may be broken on purpose). */
  target: string;
  headers: Array<[string, string]>;
  body: Buffer;
  /** How the body's length is told: truthfully, chunked, chunked and never finished, too long, too short, a 20 MB claim, or not at all. */
  framing: 'length' | 'chunked' | 'chunked-unfinished' | 'length-more' | 'length-less' | 'length-huge' | 'none';
}

/** Text nobody should trip over, and some that people do. */
const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202eevil\u202c',
  '\u200f\u05e9\u05dc\u05d5\u05dd',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  'Ａ１２３４５６７８９０',
  '１３８ ０００ ０００００',
  '<script>alert(1)</script>',
  "'; DROP TABLE wishes; --",
  '{"$gt": ""}',
  '$where',
  'a.b',
  '../../etc/passwd',
  '%00',
  '\r\nX-Injected: 1',
  '${process.exit()}',
  'x'.repeat(10_000),
  '中'.repeat(3_000),
];

/** JSON numbers as written (1e309 parses to Infinity, -0 stays -0) and strings that look like numbers. */
const RAW_NUMBERS = ['1e309', '-1e309', '-0', '0', '1e-400', '9007199254740993', '1.5', '-1', '300', '0.1e1', '123456789012345678901234567890'];
const NUMBERISH = ['NaN', 'Infinity', '-Infinity', '1e309', '300', '３００', '0x1F', ' 42 '];

/** A JSON value written as text, so that numbers like 1e309 and keys like __proto__ survive as sent. */
type Json = { raw: string };
const raw = (s: string): Json => ({ raw: s });
const str = (s: string): Json => raw(JSON.stringify(s));
const obj = (entries: Array<[string, Json]>): Json => raw(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v.raw}`).join(',')}}`);
const arr = (items: Json[]): Json => raw(`[${items.map((i) => i.raw).join(',')}]`);

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_TEXT),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('x'.repeat(100_000), 'é'.repeat(40_000)),
);

const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  hostileString.map(str),
  fc.constantFrom(...RAW_NUMBERS).map(raw),
  fc.constantFrom(...NUMBERISH).map(str),
  fc.constantFrom('true', 'false', 'null', '[]', '{}', '[[[[[[[[[[]]]]]]]]]]', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}').map(raw),
  fc.json({ maxDepth: 3 }).map(raw),
  fc.array(hostileString.map(str), { maxLength: 3 }).map(arr),
);

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '$set', 'a.b', ''];

/** A wish draft that is almost right, with one to three fields made hostile, removed, or joined by strange keys. */
function nearValidDraft(target: FuzzTarget): fc.Arbitrary<Json> {
  const deadline = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  const base = (communityId: string): Record<string, Json> => ({
    communityId: str(communityId),
    title: str('Winter coat'),
    description: str('A warm coat for the winter.'),
    category: str('goods'),
    target: raw('2'),
    deadline: str(deadline),
    urgency: str('normal'),
    beneficiary: obj([['alias', str('a neighbour')]]),
  });
  const fields = ['communityId', 'title', 'description', 'category', 'target', 'unit', 'deadline', 'urgency', 'beneficiary', 'beneficiary.alias', 'beneficiary.contact', 'workerTelegramId', 'publish'];
  const dates = ['2026-02-30', '2026-13-01', '0000-00-00', '9999-12-31', '2026-12-01T25:00Z', 'tomorrow', '2020-01-01', '+275760-09-13', '２０２６-１２-０１'];
  const mutation = fc.oneof(
    fc.record({ op: fc.constant('set' as const), field: fc.constantFrom(...fields), value: fc.oneof(hostileValue, fc.constantFrom(...dates).map(str)) }),
    fc.record({ op: fc.constant('drop' as const), field: fc.constantFrom(...fields), value: fc.constant(raw('null')) }),
    fc.record({ op: fc.constant('add' as const), field: fc.constantFrom(...PROTO_KEYS), value: hostileValue }),
  );
  return fc
    .record({
      community: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...target.communityIds) }, { weight: 1, arbitrary: fc.constantFrom('C-nope', '', 'x'.repeat(300)) }),
      mutations: fc.oneof(fc.constant([]), fc.array(mutation, { minLength: 1, maxLength: 3 })),
      publish: fc.boolean(),
    })
    .map(({ community, mutations, publish }) => {
      const draft = base(community);
      const beneficiary: Array<[string, Json]> = [['alias', str('a neighbour')]];
      let nested = false;
      if (publish) draft.publish = raw('true');
      const extra: Array<[string, Json]> = [];
      for (const m of mutations) {
        if (m.field.startsWith('beneficiary.')) {
          nested = true;
          const key = m.field.slice('beneficiary.'.length);
          const i = beneficiary.findIndex(([k]) => k === key);
          if (i >= 0) beneficiary.splice(i, 1);
          if (m.op !== 'drop') beneficiary.push([key, m.value]);
        } else if (m.op === 'add') extra.push([m.field, m.value]);
        else if (m.op === 'drop') delete draft[m.field];
        else draft[m.field] = m.value;
      }
      if (nested && 'beneficiary' in draft && draft.beneficiary!.raw.startsWith('{"alias"')) draft.beneficiary = obj(beneficiary);
      return obj([...Object.entries(draft), ...extra]);
    });
}

/** An id as the path carries it: a real one, or mangled. */
function pathId(realIds: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...realIds) },
    {
      weight: 6,
      arbitrary: fc.oneof(
        fc.constantFrom('%ZZ', '%', '%E0%A4%A', '%C0', '%ED%A0%80', '%FF%FE', '%00', '%2e%2e', '..', '.', '%2F..%2F', 'W-1001%00', 'w-1001', 'W-%EF%BC%91%EF%BC%90%EF%BC%90%EF%BC%91'),
        fc.constantFrom('W-' + '9'.repeat(300), 'W-' + '1'.repeat(5000), 'a'.repeat(20_000)),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map((s) => encodeURIComponent(s)),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).map((s) => {
          try {
            return encodeURIComponent(s);
          } catch {
            return '%ED%A0%80'; // a lone surrogate, as its UTF-8-like bytes
          }
        }),
        fc.constantFrom(...HOSTILE_TEXT.slice(0, 12)).map((s) => s.replace(/[^\x21-\x7e]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').slice(-2)}`)),
      ),
    },
  );
}

const QUERIES = ['', '?status=open', '?status=open,nonsense', '?status[]=open', '?status=open&status=draft', '?limit=1e309', '?limit=-0', '?limit=NaN', '?limit=99999999999999999999', '?communityId=%ZZ', '?__proto__[admin]=1', '?constructor=1', '?q=%00', `?communityId=${'x'.repeat(5000)}`, '?limit=5&cursor=%E0%A4%A', '?=&&=&'];

/** One of the real routes, with its id mangled or not. */
function routeTarget(target: FuzzTarget): fc.Arbitrary<{ path: string; method: string }> {
  const wishId = pathId(target.wishIds);
  const communityId = pathId(target.communityIds);
  const method = (usual: string) => fc.oneof({ weight: 8, arbitrary: fc.constant(usual) }, { weight: 2, arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'BREW', 'get', 'CONNECT') });
  return fc.oneof(
    fc.tuple(method('GET'), fc.constantFrom('/healthz', '/readyz', '/', '/api', '/api/v1', '/api/v1/', '/api/v2/wishes', '//api/v1/wishes', '/api/v1/wishes/../communities', '/api/v1/%2e%2e/wishes', '*')).map(([m, p]) => ({ method: m, path: p })),
    fc.tuple(method('POST'), fc.constant('/api/v1/communities')).map(([m, p]) => ({ method: m, path: p })),
    fc.tuple(method('GET'), communityId).map(([m, id]) => ({ method: m, path: `/api/v1/communities/${id}` })),
    fc.tuple(method('GET'), fc.constantFrom(...QUERIES)).map(([m, q]) => ({ method: m, path: `/api/v1/wishes${q}` })),
    fc.tuple(method('POST'), fc.constant('/api/v1/wishes')).map(([m, p]) => ({ method: m, path: p })),
    fc
      .tuple(fc.constantFrom(['GET', ''], ['PATCH', ''], ['POST', '/publish'], ['POST', '/cancel'], ['POST', '/confirm'], ['POST', '/resident-link'], ['GET', '/events'], ['GET', '/nothing']), wishId)
      .chain(([[m, tail], id]) => method(m!).map((mm) => ({ method: mm, path: `/api/v1/wishes/${id}${tail}` }))),
    fc.tuple(method('POST'), fc.constantFrom('/telegram/webhook', '/telegram/webhook/', '/telegram/webhook/x', '/telegram/webhook?x=1')).map(([m, p]) => ({ method: m, path: p })),
  );
}

/** A body that fits the route more or less. */
function bodyFor(target: FuzzTarget, path: string): fc.Arbitrary<Json | Buffer> {
  const generic = fc.oneof(
    hostileValue,
    fc.json({ maxDepth: 4 }).map(raw),
    fc.constantFrom('{', '{"a":}', '[1,2', '{"a":1}garbage', 'null', '"string"', '42', '\ufeff{}', '{"a":"\\ud800"}', '{"a":1,"a":2}').map(raw),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    fc.constant(raw(`{"deep":${'['.repeat(5000)}${']'.repeat(5000)}}`)),
  );
  if (path.startsWith('/api/v1/wishes') && !path.includes('/', '/api/v1/wishes/'.length)) {
    return fc.oneof({ weight: 6, arbitrary: nearValidDraft(target) }, { weight: 4, arbitrary: generic });
  }
  if (path.endsWith('/confirm')) {
    return fc.oneof(fc.constantFrom(...target.pledgeIds, 'W-1001:1', 'W-1001:99', '', 'W-1001:1\u0000').map((p) => obj([['pledgeId', str(p)]])), generic);
  }
  if (path.endsWith('/cancel')) return fc.oneof(hostileString.map((r) => obj([['reason', str(r)]])), generic);
  if (path === '/api/v1/communities') return fc.oneof(hostileString.map((n) => obj([['name', str(n)]])), generic);
  if (path.startsWith('/api/v1/wishes/') && !/\/[a-z-]+$/.test(path.slice('/api/v1/wishes/'.length))) {
    return fc.oneof(
      fc.record({ k: fc.constantFrom('title', 'description', 'deadline', 'urgency', 'beneficiary', '__proto__'), v: hostileValue }).map(({ k, v }) => obj([[k, v]])),
      generic,
    );
  }
  if (path.startsWith('/telegram/webhook')) {
    return fc.oneof(
      fc.record({ id: fc.oneof(fc.integer(), fc.constant(-1)), text: hostileString }).map(({ id, text }) =>
        raw(JSON.stringify({ update_id: id, message: { message_id: 1, date: 0, chat: { id: 4242, type: 'private' }, from: { id: 4242, is_bot: false, first_name: 'Fuzz' }, text } })),
      ),
      generic,
    );
  }
  return generic;
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/json; charset=klingon', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/vnd.api+json', 'application/json; charset="', '*/*', ''];
const ENCODINGS = ['identity', 'gzip', 'deflate', 'br', 'compress', 'zstd', 'gzip, gzip', 'GZIP', 'x-garbage', ''];

function encode(body: Buffer, encoding: string, honest: boolean): Buffer {
  if (!honest) return body;
  switch (encoding.toLowerCase()) {
    case 'gzip':
      return gzipSync(body);
    case 'deflate':
      return deflateSync(body);
    case 'br':
      return brotliCompressSync(body);
    default:
      return body;
  }
}

/** Generated hostile requests against `target`'s real routes. */
export function hostileRequest(target: FuzzTarget): fc.Arbitrary<HostileRequest> {
  return routeTarget(target).chain(({ method, path }) =>
    fc
      .record({
        body: fc.option(bodyFor(target, path.split('?')[0]!), { freq: 5, nil: undefined }),
        auth: fc.oneof({ weight: 12, arbitrary: fc.constant('admin') }, { weight: 1, arbitrary: fc.constantFrom('none', 'bogus', 'empty', 'basic', 'huge', 'webhook') }),
        webhookSecret: fc.constantFrom('right', 'right', 'wrong', 'none'),
        contentType: fc.oneof({ weight: 7, arbitrary: fc.constant('application/json') }, { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
        encoding: fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.constantFrom(...ENCODINGS) }),
        honestEncoding: fc.boolean(),
        framing: fc.oneof(
          { weight: 12, arbitrary: fc.constant('length' as const) },
          { weight: 1, arbitrary: fc.constantFrom('chunked' as const, 'chunked-unfinished' as const, 'length-more' as const, 'length-less' as const, 'length-huge' as const, 'none' as const) },
        ),
        requestId: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: fc.constantFrom('fuzz-1', 'a'.repeat(15 * 1024), 'x y', '💥', '../..', 'A'.repeat(64), 'A'.repeat(65)) }),
        extraHeaders: fc.oneof({ weight: 3, arbitrary: fc.constant([] as Array<[string, string]>) }, { weight: 1, arbitrary: fc.array(
          fc.constantFrom<[string, string]>(
            ['X-Forwarded-For', '1.2.3.4, 5.6.7.8'],
            ['X-Forwarded-For', 'garbage'],
            ['Forwarded', 'for=unknown'],
            ['Accept', 'application/xml'],
            ['Accept-Encoding', 'br;q=2'],
            ['Expect', '100-continue'],
            ['Range', 'bytes=0-1'],
            ['If-None-Match', '*'],
            ['Origin', 'null'],
            ['X-HTTP-Method-Override', 'DELETE'],
            ['Cookie', 'a=%ZZ'],
            ['Authorization', 'Bearer second-one'],
            ['Content-Type', 'text/plain'],
            ['X-Big', 'b'.repeat(8 * 1024)],
            ['X-Bigger', 'b'.repeat(20 * 1024)],
          ),
          { minLength: 1, maxLength: 2 },
        ) }),
      })
      .map((r) => {
        const bodyText = r.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body.raw, 'utf8');
        const headers: Array<[string, string]> = [];
        const auth: Record<string, string | undefined> = {
          admin: `Bearer ${target.adminToken}`,
          none: undefined,
          bogus: 'Bearer not-a-real-token-0123456789',
          empty: 'Bearer ',
          basic: 'Basic YWRtaW46YWRtaW4=',
          huge: `Bearer ${'t'.repeat(9000)}`,
          webhook: `Bearer ${target.webhookSecret}`,
        };
        if (auth[r.auth] !== undefined) headers.push(['Authorization', auth[r.auth]!]);
        if (path.startsWith('/telegram/webhook') && r.webhookSecret !== 'none') {
          headers.push(['X-Telegram-Bot-Api-Secret-Token', r.webhookSecret === 'right' ? target.webhookSecret : 'wrong-secret']);
        }
        if (r.body !== undefined && r.contentType) headers.push(['Content-Type', r.contentType]);
        if (r.encoding !== undefined) headers.push(['Content-Encoding', r.encoding]);
        if (r.requestId !== undefined) headers.push(['X-Request-Id', r.requestId]);
        headers.push(...r.extraHeaders);
        const body = r.body === undefined ? bodyText : encode(bodyText, r.encoding ?? 'identity', r.honestEncoding);
        return { method, target: path, headers, body, framing: r.body === undefined && r.framing === 'length' ? 'none' : r.framing };
      }),
  );
}

/** The bytes on the wire. Every request asks to close the connection after its answer. */
export function serialize(req: HostileRequest): Buffer {
  const lines = [`${req.method} ${req.target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...req.headers.map(([k, v]) => `${k}: ${v}`)];
  let body = req.body;
  switch (req.framing) {
    case 'length':
      lines.push(`Content-Length: ${body.length}`);
      break;
    case 'length-more':
      lines.push(`Content-Length: ${body.length + 100}`);
      break;
    case 'length-less':
      lines.push(`Content-Length: ${Math.max(0, body.length - 3)}`);
      break;
    case 'length-huge':
      lines.push(`Content-Length: ${20 * 1024 * 1024}`);
      break;
    case 'chunked':
    case 'chunked-unfinished':
      lines.push('Transfer-Encoding: chunked');
      body = Buffer.concat([
        body.length ? Buffer.from(`${body.length.toString(16)}\r\n`) : Buffer.alloc(0),
        body,
        body.length ? Buffer.from('\r\n') : Buffer.alloc(0),
        Buffer.from(req.framing === 'chunked' ? '0\r\n\r\n' : ''),
      ]);
      break;
    case 'none':
      body = Buffer.alloc(0);
      break;
  }
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

// ---- sending and judging ----------------------------------------------------------------------------

export type Outcome =
  | { kind: 'answer'; status: number; contentType?: string; body: string }
  | { kind: 'closed' } // closed (or reset) without a byte of answer
  | { kind: 'hang' } // no answer and still open after the time limit
  | { kind: 'error'; code: string }; // could not connect, etc.

/** Sends one request on a fresh connection; resolves with the first answer once the server closes, or a hang after `timeoutMs`. */
export function send(port: number, req: HostileRequest, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (o: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => {
      // An answer that came but whose connection stayed open is still an answer; silence is a hang.
      const answer = parseAnswer(Buffer.concat(chunks));
      finish(answer ?? { kind: 'hang' });
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return; // judged on close, by what arrived
      finish({ kind: 'error', code: err.code ?? err.message });
    });
    socket.on('close', () => finish(parseAnswer(Buffer.concat(chunks)) ?? { kind: 'closed' }));
    socket.on('connect', () => socket.write(serialize(req)));
  });
}

function parseAnswer(raw: Buffer): Outcome | undefined {
  // Skip interim answers (100 Continue to an Expect: 100-continue): the final one is what counts.
  let text = raw.toString('utf8');
  while (/^HTTP\/1\.1 1\d\d /.test(text) && text.includes('\r\n\r\n')) {
    const cut = text.indexOf('\r\n\r\n') + 4;
    raw = raw.subarray(Buffer.byteLength(text.slice(0, cut)));
    text = text.slice(cut);
  }
  const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
  if (!m) return undefined;
  const end = text.indexOf('\r\n\r\n');
  const head = end >= 0 ? text.slice(0, end) : text;
  const contentType = /\r\ncontent-type:\s*([^\r\n]*)/i.exec(head)?.[1];
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
  let body = end >= 0 ? raw.subarray(Buffer.byteLength(text.slice(0, end + 4))).toString('utf8') : '';
  if (length !== undefined) body = body.slice(0, Number(length));
  return { kind: 'answer', status: Number(m[1]), contentType, body };
}

/** What is wrong with an answer, if anything: a 5xx, or an error answer not in `{error: {code, message}}` or carrying a stack trace. */
export function problemWith(req: HostileRequest, o: Outcome): string | undefined {
  if (o.kind === 'hang') return 'hang: no answer and the connection still open';
  if (o.kind !== 'answer') return undefined;
  if (o.status >= 500) return `status ${o.status}`;
  if (o.status >= 400 && req.method.toUpperCase() !== 'HEAD') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(o.body);
    } catch {
      return `status ${o.status} without a JSON body: ${JSON.stringify(o.body.slice(0, 120))}`;
    }
    const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error?.code !== 'string' || typeof error.message !== 'string') return `status ${o.status} not in the error shape: ${o.body.slice(0, 200)}`;
  }
  if (/\n\s+at [^\n]+:\d+:\d+/.test(o.body)) return `a stack trace in the answer (${o.status})`;
  return undefined;
}

export interface FuzzReport {
  seed: number;
  runs: number;
  byStatus: Map<string, number>;
  fiveXX: number;
  hangs: number;
  closedWithoutAnswer: number;
  connectionErrors: number;
  /** Answers that break the error shape (4xx without {error: {code, message}}, stack traces). */
  badShape: number;
  /** Unexpected errors the app logged, and process-level crashes counted by the caller. */
  appErrors: number;
  botErrors: number;
  /** The first few of those, shortened. */
  botErrorExamples: string[];
  failures: Array<{ index: number; problem: string; request: string }>;
  /** A few requests the server closed without answering, to read (not failures). */
  closedExamples: Array<{ index: number; request: string }>;
}

export function describeRequest(req: HostileRequest, max = 600): string {
  const text = serialize(req).toString('latin1');
  return text.length > max ? `${text.slice(0, max)}… (${text.length} bytes)` : text;
}

/**
 * Generates `runs` requests from `seed` (the same seed, the same requests), sends them `concurrency`
 * at a time, and tallies the outcomes. Every failing request is kept (up to 20) with its index, so a
 * run can be replayed and a failure read.
 */
export async function fuzzApi(target: FuzzTarget, opts: { seed: number; runs: number; timeoutMs?: number; concurrency?: number; onProgress?: (done: number) => void }): Promise<FuzzReport> {
  const requests = fc.sample(hostileRequest(target), { seed: opts.seed, numRuns: opts.runs });
  const report: FuzzReport = { seed: opts.seed, runs: opts.runs, byStatus: new Map(), fiveXX: 0, hangs: 0, closedWithoutAnswer: 0, connectionErrors: 0, badShape: 0, appErrors: 0, botErrors: 0, botErrorExamples: [], failures: [], closedExamples: [] };
  const appErrorsBefore = target.appErrors().length;
  const botErrorsBefore = target.botErrors().length;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      const req = requests[index]!;
      const outcome = await send(target.port, req, opts.timeoutMs ?? 10_000);
      const label = outcome.kind === 'answer' ? String(outcome.status) : outcome.kind === 'error' ? `error ${outcome.code}` : outcome.kind;
      report.byStatus.set(label, (report.byStatus.get(label) ?? 0) + 1);
      if (outcome.kind === 'answer' && outcome.status >= 500) report.fiveXX++;
      if (outcome.kind === 'hang') report.hangs++;
      if (outcome.kind === 'closed') {
        report.closedWithoutAnswer++;
        if (report.closedExamples.length < 3) report.closedExamples.push({ index, request: describeRequest(req, 300) });
      }
      if (outcome.kind === 'error') report.connectionErrors++;
      const problem = problemWith(req, outcome);
      if (problem && outcome.kind === 'answer' && outcome.status < 500) report.badShape++;
      if (problem && report.failures.length < 20) report.failures.push({ index, problem, request: describeRequest(req) });
      opts.onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  report.appErrors = target.appErrors().length - appErrorsBefore;
  report.botErrors = target.botErrors().length - botErrorsBefore;
  report.botErrorExamples = target
    .botErrors()
    .slice(botErrorsBefore, botErrorsBefore + 3)
    .map((line) => {
      const l = JSON.parse(line) as { msg?: string; err?: { message?: string } };
      return `${l.msg ?? ''}: ${l.err?.message ?? ''}`.slice(0, 300);
    });
  return report;
}

/** Whether a run passed: no 5xx, no hang, no answer out of shape, no unexpected error in the app. */
export function passed(report: FuzzReport, crashes = 0): boolean {
  return report.fiveXX === 0 && report.hangs === 0 && report.badShape === 0 && report.appErrors === 0 && crashes === 0;
}

export function formatReport(report: FuzzReport, extra: { crashes?: number; seconds?: number } = {}): string[] {
  const statuses = [...report.byStatus.entries()].sort(([a], [b]) => a.localeCompare(b));
  return [
    `fuzz:api seed=${report.seed} runs=${report.runs}${extra.seconds !== undefined ? ` in ${extra.seconds.toFixed(1)} s` : ''}`,
    `responses by status: ${statuses.map(([s, n]) => `${s}: ${n}`).join(', ')}`,
    `5xx: ${report.fiveXX}`,
    `hangs (no answer within the limit): ${report.hangs}`,
    `closed without an answer: ${report.closedWithoutAnswer}`,
    `connection errors: ${report.connectionErrors}`,
    `error answers out of shape: ${report.badShape}`,
    `unexpected errors logged by the app: ${report.appErrors}`,
    `crashes (uncaught exceptions / unhandled rejections): ${extra.crashes ?? 0}`,
    `bot errors logged for webhook updates (not counted as failures): ${report.botErrors}`,
    ...report.botErrorExamples.map((l) => `    bot: ${l}`),
    ...report.closedExamples.flatMap((c) => [`closed without an answer #${c.index}:`, ...c.request.split('\r\n').map((l) => `    ${l}`)]),
    ...report.failures.flatMap((f) => [`FAIL #${f.index}: ${f.problem}`, ...f.request.split('\r\n').map((l) => `    ${l}`)]),
  ];
}
