import request from 'supertest';
import { createResourceStore } from '../../src/db/resource-store';
import { createResourceService } from '../../src/domain/resources/service';
import { Actor } from '../../src/domain/wish/types';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, BOT_USERNAME, buildApp } from '../support/http';

const csrfOf = (text: string) => /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
const AUDITOR_TOKEN = 'mw_auditor-teams-token';

// The Teams page: a worker forms a team with a lead the directory knows in Telegram, sees its join
// link, posts a service request in slots (a time in the form is the service's wall clock), and bad
// input names each field; an auditor reads without forms or the join link; another community's team is 404.
describe('teams in the console', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-23T09:00:00Z'));
  let app: ReturnType<typeof buildApp>;
  let harbour: { id: string };
  let workerToken: string;
  let otherWorkerToken: string;
  let areaId: string;

  beforeAll(async () => {
    const services = buildServices(db, clock, ADMIN_TOKEN);
    harbour = await services.communities.create({ name: 'Harbour Street' }, admin);
    const hill = await services.communities.create({ name: 'Hill Road' }, admin);
    workerToken = (await services.tokens.issue({ role: 'worker', communityIds: [harbour.id], label: 'Wang' }, admin)).token;
    otherWorkerToken = (await services.tokens.issue({ role: 'worker', communityIds: [hill.id], label: 'Zhao' }, admin)).token;
    const auditor: Actor = { kind: 'auditor', id: 'api:auditor', name: 'Committee', communityIds: [harbour.id] };
    app = buildApp(db, services, { clock, app: { resolveToken: async (token) => (token === AUDITOR_TOKEN ? auditor : services.resolveToken(token)) }, console: {} });
    const resources = createResourceService({ store: createResourceStore(db.models), clock });
    areaId = (await resources.addArea(harbour.id, { name: 'Building 3', level: 'building' }, admin)).id;
    await resources.create({ communityId: harbour.id, kind: 'person', name: 'Barber Chen', offer: { skills: ['haircut'] }, areaIds: [areaId], telegramId: 77_001 }, admin);
  });

  async function signIn(token: string) {
    const agent = request.agent(app);
    expect((await agent.post('/console/sign-in').type('form').send({ token })).status).toBe(303);
    return agent;
  }

  it('forms a team, posts a service request in slots, and names each bad field', async () => {
    const agent = await signIn(workerToken);
    const list = await agent.get('/console/teams');
    expect(list.status).toBe(200);
    expect(list.text).toContain('href="/console/teams"');
    expect(list.text).toContain('<option value="77001">Barber Chen</option>');
    const csrf = csrfOf(list.text);

    const bad = await agent.post('/console/teams').type('form').send({ _csrf: csrf, communityId: harbour.id, name: 'H', skill: 'haircut', lead: '77001' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Name: please write at least 2 characters');
    expect(bad.text).toContain('Areas it serves: it cannot be empty');
    const stranger = await agent.post('/console/teams').type('form').send({ _csrf: csrf, communityId: harbour.id, name: 'Haircut team', skill: 'haircut', lead: '99999', areaIds: areaId });
    expect(stranger.status).toBe(400);

    const made = await agent.post('/console/teams').type('form').send({ _csrf: csrf, communityId: harbour.id, name: 'Haircut team', skill: 'haircut', lead: '77001', areaIds: areaId });
    expect(made.status).toBe(303);
    const teamUrl = made.headers.location as string;
    const page = await agent.get(teamUrl);
    expect(page.text).toContain('led by Barber Chen');
    expect(page.text).toMatch(new RegExp(`https://t.me/${BOT_USERNAME}\\?start=team_[0-9A-Z]{10}`));
    expect(page.text).toContain('New service request');

    const teamId = teamUrl.split('/').pop()!;
    const badSlot = await agent.post(`/console/teams/${teamId}/requests`).type('form').send({ _csrf: csrf, title: 'Haircuts', startsAt: ['2026-11-25T10:00'], minutes: ['5'], place: [''], places: ['0'] });
    expect(badSlot.status).toBe(400);
    expect(badSlot.text).toContain('Slot 1, Minutes: ');
    expect(badSlot.text).toContain('Slot 1, People needed: ');
    const posted = await agent.post(`/console/teams/${teamId}/requests`).type('form').send({ _csrf: csrf, title: 'Haircuts at home', startsAt: ['2026-11-25T10:00', ''], minutes: ['90', '90'], place: ['', ''], places: ['2', '2'] });
    expect(posted.status).toBe(303);
    const after = await agent.get(posted.headers.location as string);
    expect(after.text).toContain('Posted: the card is on its way to the team.');
    expect(after.text).toContain('Haircuts at home');
    // 10:00 in the service's zone (Asia/Shanghai), one slot (the empty row is not one), the resident's home.
    expect(after.text).toMatch(/Wed 25 Nov, 10:00 · 1.5 h · at the resident&#39;s home/);
    expect(after.text).toContain('0 of 2 places taken');
  });

  it("shows an auditor the teams without forms or the join link; another community's worker gets 404", async () => {
    const worker = await signIn(workerToken);
    const list = await worker.get('/console/teams');
    const teamPath = /href="(\/console\/teams\/team_[a-z0-9]+)"/.exec(list.text)![1]!;
    const auditor = await signIn(AUDITOR_TOKEN);
    const page = await auditor.get(teamPath);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('start=team_');
    expect(page.text).not.toContain('New service request');
    expect((await auditor.get('/console/teams')).text).not.toContain('name="lead"');
    const other = await signIn(otherWorkerToken);
    expect((await other.get(teamPath)).status).toBe(404);
  });
});
