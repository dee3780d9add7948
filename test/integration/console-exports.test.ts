import request from 'supertest';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, draftFor, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';

// The console's Exports page, as main.ts mounts it: the API's own files, made for the signed-in reader
// in the language they read the console in, and only for their communities.
describe('console exports', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-22T09:00:00Z'));
  let app: ReturnType<typeof buildApp>;
  let ours: string;
  let theirs: string;
  let workerToken: string;

  beforeAll(async () => {
    const services = buildServices(db, clock, ADMIN_TOKEN);
    ours = (await services.communities.create({ name: '港湾街' }, admin)).id;
    theirs = (await services.communities.create({ name: 'Hill Road' }, admin)).id;
    await services.wishes.create(draftFor(ours, { title: '冬季取暖费' }, clock()), admin, { publish: true });
    workerToken = (await services.tokens.issue({ role: 'worker', communityIds: [ours], label: 'Wang' }, admin)).token;
    app = buildApp(db, services, { clock, console: {} });
  });

  async function signIn(lang: 'en' | 'zh') {
    const agent = request.agent(app);
    expect((await agent.post('/console/sign-in').type('form').send({ token: workerToken })).status).toBe(303);
    await agent.get(`/console/?lang=${lang}`);
    return agent;
  }

  it('downloads the community ledger as CSV with a BOM, its headers in the reader\'s language', async () => {
    const agent = await signIn('zh');
    const page = await agent.get('/console/exports');
    expect(page.text).toContain('action="/console/exports/ledger.csv"');
    const res = await agent.get(`/console/exports/ledger.csv?communityId=${ours}`).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8');
    expect(text).toContain('冬季取暖费');
    expect(text.split('\r\n')[0]).toMatch(/时间/);
  });

  it('refuses another community\'s ledger with a 404 page, as if it did not exist', async () => {
    const agent = await signIn('en');
    const res = await agent.get(`/console/exports/ledger.xlsx?communityId=${theirs}`);
    expect(res.status).toBe(404);
    expect(res.type).toBe('text/html');
  });
});
