import request from 'supertest';
import { hashToken } from '../../src/domain/access';
import { Actor } from '../../src/domain/wish/types';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, DAY, draftFor, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp, CONSOLE_BOT_TOKEN } from '../support/http';
import { Services } from '../../src/services';
import { createConsoleSessionStore } from '../../src/db/console-session-store';
import { IssueCode } from '../../src/domain/errors';
import { escapeText } from '../../src/http/console/html';
import { t } from '../../src/ui/i18n';

// The console's sign-in, sessions and form guards, over HTTP (supertest) against a real database.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sign } = require('@telegram-apps/init-data-node') as { sign(data: Record<string, unknown>, key: string, authDate: Date): string };

const WORKER_TOKEN = 'mw_worker-token-for-console-tests';
const AUDITOR_TOKEN = 'mw_auditor-token-for-console-tests';
const WORKER_TG = 7001;
const STRANGER_TG = 7002;

const csrfOf = (text: string) => /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';

describe('the web console', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date());
  let services: Services;
  let app: ReturnType<typeof buildApp>;
  let ours: string;
  let theirs: string;
  let ourWish: string;
  let theirWish: string;
  const revoked = new Set<string>();
  const exported: Array<Record<string, string>> = [];

  beforeAll(async () => {
    services = buildServices(db, clock, ADMIN_TOKEN);
    ours = (await services.communities.create({ name: 'Harbour Street' }, admin)).id;
    theirs = (await services.communities.create({ name: 'Hill Road' }, admin)).id;
    await services.stores.apiTokens.insert({ id: 'tok_worker', createdBy: 'test', hash: hashToken(WORKER_TOKEN), role: 'worker', communityIds: [ours], label: 'Wang Worker', createdAt: clock() });
    ourWish = (await services.wishes.create(draftFor(ours, { title: 'Reading glasses for Building 3' }, clock()), admin)).state.id;
    theirWish = (await services.wishes.create(draftFor(theirs, { title: 'Hill Road wheelchair repair' }, clock()), admin, { publish: true })).state.id;
    const auditor: Actor = { kind: 'auditor', id: 'api:auditor', name: 'Committee', communityIds: [ours] };
    app = buildApp(db, services, {
      clock,
      app: { resolveToken: async (token) => (token === AUDITOR_TOKEN ? auditor : services.resolveToken(token)) },
      console: {
        tokenStillValid: async (hash) => !revoked.has(hash),
        exports: [
          {
            name: 'ledger.csv',
            title: { en: 'Ledger', zh: '台账' },
            send: async (actor, query, res) => {
              exported.push({ actor: actor.id, ...query });
              res.type('text/csv').send('code,event\n');
            },
          },
        ],
        actorForTelegramUser: async (id) => (id === WORKER_TG ? { kind: 'worker', id: `tg:${id}`, name: 'Wang in Telegram', telegramId: id, communityIds: [ours] } : undefined),
      },
    });
  });

  async function signIn(token: string) {
    const agent = request.agent(app);
    const res = await agent.post('/console/sign-in').type('form').send({ token });
    expect(res.status).toBe(303);
    return agent;
  }

  it('signs a worker in with a token and keeps the session in an HttpOnly, SameSite=Strict cookie', async () => {
    const res = await request(app).post('/console/sign-in').type('form').send({ token: WORKER_TOKEN });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/console/');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^mw_console=[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/console');
  });

  it('refuses a wrong token with a message, and sends anyone without a session to sign in', async () => {
    const res = await request(app).post('/console/sign-in').type('form').send({ token: 'mw_not-a-token' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('This token is not valid');
    expect(res.text).toContain('aria-invalid="true"');
    const board = await request(app).get('/console/');
    expect(board.status).toBe(303);
    expect(board.headers.location).toBe('/console/sign-in');
  });

  it("shows a worker their community's wishes and not another community's", async () => {
    const agent = await signIn(WORKER_TOKEN);
    const board = await agent.get('/console/');
    expect(board.status).toBe(200);
    expect(board.text).toContain('Reading glasses for Building 3');
    expect(board.text).not.toContain('Hill Road wheelchair repair');
    expect((await agent.get(`/console/wishes/${ourWish}`)).status).toBe(200);
    const other = await agent.get(`/console/wishes/${theirWish}`);
    expect(other.status).toBe(404);
    expect(other.text).not.toContain('wheelchair');
  });

  it('shows private notes to staff on the wish page', async () => {
    const agent = await signIn(WORKER_TOKEN);
    const page = await agent.get(`/console/wishes/${ourWish}`);
    expect(page.text).toContain('Lives alone');
    expect(page.text).toContain('Private: staff only');
  });

  it('refuses a form without the CSRF token, with a wrong one, or from another site', async () => {
    const agent = await signIn(WORKER_TOKEN);
    const csrf = csrfOf((await agent.get(`/console/wishes/${ourWish}`)).text);
    expect(csrf).not.toBe('');
    expect((await agent.post(`/console/wishes/${ourWish}/publish`).type('form').send({})).status).toBe(403);
    expect((await agent.post(`/console/wishes/${ourWish}/publish`).type('form').send({ _csrf: `${csrf.slice(0, -2)}xx` })).status).toBe(403);
    expect((await agent.post(`/console/wishes/${ourWish}/publish`).set('Origin', 'https://evil.example').type('form').send({ _csrf: csrf })).status).toBe(403);
    expect((await agent.post(`/console/wishes/${ourWish}/publish`).set('Sec-Fetch-Site', 'cross-site').type('form').send({ _csrf: csrf })).status).toBe(403);
    expect((await services.wishes.get(ourWish)).status).toBe('draft');
    const ok = await agent.post(`/console/wishes/${ourWish}/publish`).type('form').send({ _csrf: csrf });
    expect(ok.status).toBe(303);
    expect((await services.wishes.get(ourWish)).status).toBe('open');
  });

  it('lets an auditor read but not act: no action forms, and every change refused with 403', async () => {
    const agent = await signIn(AUDITOR_TOKEN);
    const page = await agent.get(`/console/wishes/${ourWish}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Read-only');
    expect(page.text).not.toContain(`/console/wishes/${ourWish}/cancel`);
    expect(page.text).not.toContain('Lives alone');
    const csrf = csrfOf(page.text);
    const cancel = await agent.post(`/console/wishes/${ourWish}/cancel`).type('form').send({ _csrf: csrf, reason: 'no' });
    expect(cancel.status).toBe(403);
    const create = await agent.post('/console/wishes').type('form').send({ _csrf: csrf, community: ours, title: 'x' });
    expect(create.status).toBe(403);
    expect((await services.wishes.get(ourWish)).lifecycle).not.toBe('cancelled');
  });

  it('ends a session once the token that signed it in is revoked', async () => {
    const token = 'mw_soon-revoked-console-token';
    await services.stores.apiTokens.insert({ id: 'tok_temp', createdBy: 'test', hash: hashToken(token), role: 'worker', communityIds: [ours], label: 'Temp', createdAt: clock() });
    const agent = await signIn(token);
    expect((await agent.get('/console/')).status).toBe(200);
    revoked.add(hashToken(token));
    const after = await agent.get('/console/');
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/console/sign-in');
  });

  it('ends a session on sign-out and when it expires', async () => {
    const agent = await signIn(WORKER_TOKEN);
    const csrf = csrfOf((await agent.get('/console/')).text);
    expect((await agent.post('/console/sign-out').type('form').send({ _csrf: csrf })).status).toBe(303);
    expect((await agent.get('/console/')).status).toBe(303);
    const later = await signIn(WORKER_TOKEN);
    clock.advance(13 * 60 * 60 * 1000);
    expect((await later.get('/console/')).status).toBe(303);
    clock.advance(-13 * 60 * 60 * 1000);
  });

  it('housekeeping deletes sessions that expired and were never used again, and keeps live ones', async () => {
    const store = createConsoleSessionStore(db.models);
    const actor: Actor = { kind: 'worker', id: 'api:x', communityIds: [ours] };
    const at = clock();
    await store.insert({ id: 'expired-session', actor, csrfSecret: 's', createdAt: new Date(at.getTime() - 13 * 3_600_000), expiresAt: new Date(at.getTime() - 3_600_000) });
    await store.insert({ id: 'live-session', actor, csrfSecret: 's', createdAt: at, expiresAt: new Date(at.getTime() + 3_600_000) });
    expect(await store.deleteExpiredBefore(at)).toBeGreaterThanOrEqual(1);
    expect(await store.get('expired-session')).toBeNull();
    expect((await store.get('live-session'))?.actor).toEqual(actor);
  });

  it('names the bad field when a new wish is refused, then creates it once fixed', async () => {
    const agent = await signIn(WORKER_TOKEN);
    const csrf = csrfOf((await agent.get('/console/wishes/new')).text);
    const deadline = new Date(clock().getTime() + 10 * DAY).toISOString().slice(0, 10);
    const form = { _csrf: csrf, community: ours, title: 'Winter coat', description: 'A warm coat for the winter.', category: 'goods', target: 'lots', deadline, urgency: 'normal', alias: 'elderly resident, Building 5', intent: 'draft' };
    const bad = await agent.post('/console/wishes').type('form').send(form);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Target: please send a number');
    expect(bad.text).toMatch(/id="f-target"[^>]*aria-describedby="[^"]*f-target-error"[^>]*aria-invalid="true"/);
    expect(bad.text).toContain('value="Winter coat"');
    const good = await agent.post('/console/wishes').type('form').send({ ...form, target: '2' });
    expect(good.status).toBe(303);
    const id = /W-\d+/.exec(String(good.headers.location))![0];
    expect((await services.wishes.get(id)).title).toBe('Winter coat');
  });

  it('edits a wish, naming a refused field, and shows the change in its history', async () => {
    const agent = await signIn(WORKER_TOKEN);
    const id = (await services.wishes.create(draftFor(ours, { title: 'Radio for the reading room' }, clock()), admin)).state.id;
    const csrf = csrfOf((await agent.get(`/console/wishes/${id}/edit`)).text);
    const bad = await agent.post(`/console/wishes/${id}/edit`).type('form').send({ _csrf: csrf, title: 'R', alias: 'Mr Chen' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Title: please write at least 2 characters');
    expect(bad.text).toContain('Public alias of the resident: it is shown in public groups');
    const ok = await agent.post(`/console/wishes/${id}/edit`).type('form').send({ _csrf: csrf, title: 'Small radio for the reading room' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`/console/wishes/${id}?done=edited`);
    const page = await agent.get(String(ok.headers.location));
    expect(page.text).toContain(`Saved the changes to ${id}`);
    expect(page.text).toMatch(/Wang Worker changed title/);
  });

  it('cancels a wish with a reason, and makes a one-time resident link with its QR code', async () => {
    const agent = await signIn(WORKER_TOKEN);
    const id = (await services.wishes.create(draftFor(ours, { title: 'Folding chair' }, clock()), admin, { publish: true })).state.id;
    const csrf = csrfOf((await agent.get(`/console/wishes/${id}`)).text);
    const link = await agent.post(`/console/wishes/${id}/resident-link`).type('form').send({ _csrf: csrf });
    expect(link.status).toBe(200);
    expect(link.text).toMatch(/https:\/\/t\.me\/microwish_test_bot\?start=resident_[0-9A-Z]+/);
    expect(link.text).toMatch(/<div class="qr" role="img" aria-label="[^"]+"><svg/);
    const cancelled = await agent.post(`/console/wishes/${id}/cancel`).type('form').send({ _csrf: csrf, reason: 'The family moved away' });
    expect(cancelled.status).toBe(303);
    const wish = await services.wishes.get(id);
    expect(wish.lifecycle).toBe('cancelled');
    const page = await agent.get(`/console/wishes/${id}`);
    expect(page.text).toContain('cancelled it: The family moved away');
    expect(page.text).not.toContain(`/console/wishes/${id}/cancel`);
  });

  it('refuses a new wish for the same reasons as the API, in the reader\'s words', async () => {
    const agent = await signIn(WORKER_TOKEN);
    const csrf = csrfOf((await agent.get('/console/wishes/new')).text);
    const deadline = new Date(clock().getTime() + 10 * DAY).toISOString().slice(0, 10);
    const tooFar = `${clock().getUTCFullYear() + 2}-06-01`;
    const api = { communityId: ours, title: 'Reading glasses', description: 'Her old pair broke; she cannot read.', category: 'cash', target: 300, deadline, beneficiary: { alias: 'elderly resident, Building 3' } };
    const form = { _csrf: csrf, community: ours, title: api.title, description: api.description, category: 'cash', target: '300', deadline, alias: api.beneficiary.alias, intent: 'draft' };
    const rows: Array<{ field: string; input: string; label: string; apiValue?: unknown }> = [
      { field: 'title', input: 'x', label: 'Title' },
      { field: 'title', input: 'Call 13800138000', label: 'Title' },
      { field: 'description', input: 'Write to li@example.com for details', label: 'Public description' },
      { field: 'target', input: '0', label: 'Target', apiValue: 0 },
      { field: 'target', input: '2.5', label: 'Target', apiValue: 2.5 },
      { field: 'deadline', input: '2020-01-01', label: 'Deadline' },
      { field: 'deadline', input: tooFar, label: 'Deadline' },
      { field: 'beneficiary.alias', input: 'Mr Chen, Building 3', label: 'Public alias of the resident' },
      { field: 'beneficiary.alias', input: '陈阿姨', label: 'Public alias of the resident' },
    ];
    const formName: Record<string, string> = { 'beneficiary.alias': 'alias' };
    for (const row of rows) {
      const body = row.field === 'beneficiary.alias' ? { ...api, beneficiary: { alias: row.input } } : { ...api, [row.field]: row.apiValue ?? row.input };
      const byApi = await request(app).post('/api/v1/wishes').set('Authorization', `Bearer ${ADMIN_TOKEN}`).send(body);
      expect(byApi.status).toBe(400);
      const issue = (byApi.body.error.details.fields as Array<{ field: string; code: IssueCode; params?: Record<string, string | number> }>).find((f) => f.field === row.field)!;
      const byConsole = await agent.post('/console/wishes').type('form').send({ ...form, [formName[row.field] ?? row.field]: row.input });
      expect(byConsole.status).toBe(400);
      expect({ row: row.input, shown: byConsole.text.includes(escapeText(`${row.label}: ${t('en', `issue.${issue.code}`, issue.params ?? {})}`)) }).toEqual({ row: row.input, shown: true });
    }
  });

  it('renders the card preview from the form values', async () => {
    const agent = await signIn(WORKER_TOKEN);
    const csrf = csrfOf((await agent.get('/console/wishes/new')).text);
    const res = await agent.post('/console/preview').type('form').send({ _csrf: csrf, title: 'Rice <b>cooker</b>', description: 'For the kitchen', category: 'goods', target: '1', alias: 'a family' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('tg-bubble');
    expect(res.text).toContain('Rice &lt;b&gt;cooker&lt;/b&gt;');
    expect(res.text).toContain('Claim');
  });

  it('offers the exports it is given, each run as the signed-in reader with the form\'s choices', async () => {
    const agent = await signIn(WORKER_TOKEN);
    const page = await agent.get('/console/exports');
    expect(page.status).toBe(200);
    expect(page.text).toContain('action="/console/exports/ledger.csv"');
    expect(page.text).toContain('Harbour Street');
    expect(page.text).not.toContain('Hill Road');
    const file = await agent.get(`/console/exports/ledger.csv?communityId=${ours}&from=2026-11-01&to=`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    expect(exported.at(-1)).toEqual({ actor: 'api:tok_worker', communityId: ours, from: '2026-11-01', language: 'en' });
    expect((await agent.get('/console/exports/other.csv')).status).toBe(404);
    expect((await request(app).get('/console/exports/ledger.csv')).status).toBe(303);
  });

  describe('Mini App sign-in', () => {
    const initData = (opts: { user?: number; token?: string; at?: Date } = {}) =>
      sign({ user: { id: opts.user ?? WORKER_TG, first_name: 'Wang' } }, opts.token ?? CONSOLE_BOT_TOKEN, opts.at ?? new Date());

    it('signs in a worker whose initData Telegram signed', async () => {
      const agent = request.agent(app);
      const res = await agent.post('/console/miniapp/sign-in').send({ initData: initData() });
      expect(res.status).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/mw_console=.*HttpOnly.*SameSite=Strict|mw_console=.*SameSite=Strict.*HttpOnly/);
      const board = await agent.get('/console/');
      expect(board.status).toBe(200);
      expect(board.text).toContain('Wang in Telegram');
    });

    it('refuses a tampered hash, another bot token, initData older than an hour, and someone not staff with 401', async () => {
      const good = initData();
      const tampered = good.replace(/hash=([0-9a-f])/, (_m, c: string) => `hash=${c === '0' ? '1' : '0'}`);
      const otherUser = good.replace(encodeURIComponent(`"id":${WORKER_TG}`), encodeURIComponent(`"id":${STRANGER_TG}`));
      const cases = [
        tampered,
        otherUser,
        initData({ token: '987654321:another-bot' }),
        initData({ at: new Date(Date.now() - 61 * 60 * 1000) }),
        initData({ user: STRANGER_TG }),
        'not init data',
      ];
      for (const data of cases) {
        const res = await request(app).post('/console/miniapp/sign-in').send({ initData: data });
        expect({ data, status: res.status }).toEqual({ data, status: 401 });
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(res.body.error.code).toBe('unauthenticated');
      }
    });

    it('serves the Mini App page with no inline script', async () => {
      const res = await request(app).get('/console/miniapp');
      expect(res.status).toBe(200);
      expect(res.text).toContain('/console/assets/console.js');
      expect(res.text).not.toMatch(/<script>(?!<\/script>)/);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    });
  });

  it('serves its CSS and script from its own files', async () => {
    const css = await request(app).get('/console/assets/console.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    const js = await request(app).get('/console/assets/console.js');
    expect(js.status).toBe(200);
    expect(js.text).toContain('tgWebAppData');
  });

  it('speaks Chinese when asked, and remembers it', async () => {
    const agent = await signIn(WORKER_TOKEN);
    const zh = await agent.get('/console/?lang=zh');
    expect(zh.text).toContain('<html lang="zh-CN">');
    expect(zh.text).toContain('心愿');
    const again = await agent.get('/console/');
    expect(again.text).toContain('<html lang="zh-CN">');
    const byBrowser = await (await signIn(WORKER_TOKEN)).get('/console/').set('Accept-Language', 'zh-CN,zh;q=0.9');
    expect(byBrowser.text).toContain('退出登录');
  });
});
