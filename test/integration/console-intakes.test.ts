import request from 'supertest';
import { createIntakeStore } from '../../src/db/intake-store';
import { readIntake } from '../../src/domain/intake';
import { Actor } from '../../src/domain/wish/types';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, BOT_USERNAME, buildApp } from '../support/http';

const csrfOf = (text: string) => /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
const AUDITOR_TOKEN = 'mw_auditor-intakes-token';

// The Intakes page: residents' requests in their own words for their community's staff, each
// community's intake link with its QR code, and "Make a draft wish" through the bot's own domain path.
describe('intakes in the console', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-23T09:00:00Z'));
  let app: ReturnType<typeof buildApp>;
  let harbour: { id: string; linkCode: string };
  let hill: { id: string; linkCode: string };
  let workerToken: string;
  let otherWorkerToken: string;
  const store = () => createIntakeStore(db.models);

  beforeAll(async () => {
    const services = buildServices(db, clock, ADMIN_TOKEN);
    harbour = await services.communities.create({ name: 'Harbour Street' }, admin);
    hill = await services.communities.create({ name: 'Hill Road' }, admin);
    workerToken = (await services.tokens.issue({ role: 'worker', communityIds: [harbour.id], label: 'Wang' }, admin)).token;
    otherWorkerToken = (await services.tokens.issue({ role: 'worker', communityIds: [hill.id], label: 'Zhao' }, admin)).token;
    const auditor: Actor = { kind: 'auditor', id: 'api:auditor', name: 'Committee', communityIds: [harbour.id] };
    const intakes = store();
    await intakes.insert(readIntake({ communityId: harbour.id, residentTelegramId: 4242, residentFirstName: 'Mei', words: 'My kitchen tap has been leaking for a week', byWhen: 'this_week', urgency: 'urgent', mayContact: true, contactHow: 'phone', recordedBy: 'resident' }, 'in_console1', new Date('2026-11-22T08:00:00Z')));
    await intakes.insert(readIntake({ communityId: harbour.id, voiceFileId: 'VOICE-1', byWhen: 'no_rush', urgency: 'normal', mayContact: false, recordedBy: { workerId: 'tg:7', name: 'Wang' } }, 'in_console2', new Date('2026-11-22T09:00:00Z')));
    await intakes.insert(readIntake({ communityId: hill.id, words: 'Hill Road private words', byWhen: 'this_month', urgency: 'normal', mayContact: false, recordedBy: 'resident' }, 'in_console3', new Date('2026-11-22T10:00:00Z')));
    app = buildApp(db, services, {
      clock,
      app: { resolveToken: async (token) => (token === AUDITOR_TOKEN ? auditor : services.resolveToken(token)) },
      console: { intakes: { store: intakes } },
    });
  });

  async function signIn(token: string) {
    const agent = request.agent(app);
    expect((await agent.post('/console/sign-in').type('form').send({ token })).status).toBe(303);
    return agent;
  }

  it("lists a worker's communities' intakes newest first, with the intake link and its QR code; the navigation links to it", async () => {
    const agent = await signIn(workerToken);
    const board = await agent.get('/console/');
    expect(board.text).toContain('href="/console/intakes"');
    const page = await agent.get('/console/intakes');
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain(`https://t.me/${BOT_USERNAME}?start=ask_${harbour.linkCode}`);
    expect(page.text).toMatch(/<div class="qr" role="img" aria-label="QR code of the intake link of Harbour Street"><svg/);
    expect(page.text).toContain('My kitchen tap has been leaking for a week');
    expect(page.text).toContain('from Mei');
    expect(page.text).toContain('Voice message');
    expect(page.text).toContain('recorded by Wang on the resident&#39;s behalf');
    expect(page.text).toContain('Phone');
    expect(page.text).toContain('please do not contact');
    // Newest first: the voice message (09:00) before the words (08:00).
    expect(page.text.indexOf('Voice message')).toBeLessThan(page.text.indexOf('My kitchen tap'));
    // Another community's intakes and link are not shown.
    expect(page.text).not.toContain('Hill Road private words');
    expect(page.text).not.toContain(hill.linkCode);
  });

  it('makes a draft wish from an intake (CSRF checked), linked to the resident, once', async () => {
    const agent = await signIn(workerToken);
    const csrf = csrfOf((await agent.get('/console/intakes')).text);
    expect((await agent.post('/console/intakes/in_console1/draft').type('form').send({})).status).toBe(403);
    expect((await agent.post('/console/intakes/in_console1/draft').type('form').send({ _csrf: 'forged' })).status).toBe(403);
    expect((await store().get('in_console1'))?.status).toBe('new');

    const made = await agent.post('/console/intakes/in_console1/draft').type('form').send({ _csrf: csrf });
    expect(made.status).toBe(303);
    const wishId = /^\/console\/wishes\/(.+)$/.exec(String(made.headers.location))![1]!;
    const wishPage = await agent.get(`/console/wishes/${wishId}`);
    expect(wishPage.text).toContain('My kitchen tap has been leaking for a week');
    expect(await store().get('in_console1')).toMatchObject({ status: 'drafted', wishId });
    expect(await db.conn.db!.collection('wish_residents').findOne({ _id: wishId as never })).toMatchObject({ telegramIds: [4242] });

    const again = await agent.post('/console/intakes/in_console1/draft').type('form').send({ _csrf: csrf });
    expect([again.status, again.headers.location]).toEqual([303, `/console/wishes/${wishId}`]);
    const listed = await agent.get('/console/intakes');
    expect(listed.text).toContain('Drafted');
    expect(listed.text).toContain(`href="/console/wishes/${wishId}"`);
  });

  it("another community's worker neither sees nor drafts it", async () => {
    const agent = await signIn(otherWorkerToken);
    const page = await agent.get('/console/intakes');
    expect(page.text).toContain('Hill Road private words');
    expect(page.text).not.toContain('Voice message');
    expect(page.text).not.toContain(harbour.linkCode);
    const refused = await agent.post('/console/intakes/in_console2/draft').type('form').send({ _csrf: csrfOf(page.text) });
    expect(refused.status).toBe(403);
    expect((await store().get('in_console2'))?.status).toBe('new');
    expect((await agent.post('/console/intakes/not-an-id/draft').type('form').send({ _csrf: csrfOf(page.text) })).status).toBe(403);
  });

  it('an auditor gets no page, no link to it and cannot draft', async () => {
    const agent = await signIn(AUDITOR_TOKEN);
    const board = await agent.get('/console/');
    expect(board.text).not.toContain('href="/console/intakes"');
    const page = await agent.get('/console/intakes');
    expect(page.status).toBe(403);
    expect(page.text).not.toContain('leaking');
    const refused = await agent.post('/console/intakes/in_console2/draft').type('form').send({ _csrf: csrfOf(board.text) });
    expect(refused.status).toBe(403);
    expect((await store().get('in_console2'))?.status).toBe('new');
  });

  it('speaks Chinese', async () => {
    const agent = await signIn(workerToken);
    const page = await agent.get('/console/intakes?lang=zh');
    expect(page.text).toContain('居民求助');
    expect(page.text).toContain('由Wang代居民记录');
  });
});
