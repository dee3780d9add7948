import request from 'supertest';
import { createResourceStore } from '../../src/db/resource-store';
import { createResourceService } from '../../src/domain/resources/service';
import { Actor } from '../../src/domain/wish/types';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';

const csrfOf = (text: string) => /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
const AUDITOR_TOKEN = 'mw_auditor-directory-token';

// The Directory page: a worker adds an area and an entry (bad input names each field by its label; a
// name that reads the same is flagged), approves an entry offered through /offer, edits one (a cleared
// field is cleared), and sees who was not asked for a while; an auditor reads without forms or contacts;
// another community's entry is 404.
describe('the directory in the console', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-23T09:00:00Z'));
  let app: ReturnType<typeof buildApp>;
  let harbour: { id: string };
  let hillEntry: string;
  let offered: string;
  let workerToken: string;

  beforeAll(async () => {
    const services = buildServices(db, clock, ADMIN_TOKEN);
    harbour = await services.communities.create({ name: 'Harbour Street' }, admin);
    const hill = await services.communities.create({ name: 'Hill Road' }, admin);
    workerToken = (await services.tokens.issue({ role: 'worker', communityIds: [harbour.id], label: 'Wang' }, admin)).token;
    const auditor: Actor = { kind: 'auditor', id: 'api:auditor', name: 'Committee', communityIds: [harbour.id] };
    app = buildApp(db, services, { clock, app: { resolveToken: async (token) => (token === AUDITOR_TOKEN ? auditor : services.resolveToken(token)) }, console: {} });
    const resources = createResourceService({ store: createResourceStore(db.models), clock });
    const hillArea = await resources.addArea(hill.id, { name: 'Hill 1', level: 'building' }, admin);
    hillEntry = (await resources.create({ communityId: hill.id, kind: 'business', name: 'Hill Bakery', offer: { categories: ['goods'] }, areaIds: [hillArea.id] }, admin)).resource.id;
    const area = await resources.addArea(harbour.id, { name: 'Building 3', level: 'building' }, admin);
    offered = (await resources.create({ communityId: harbour.id, kind: 'business', name: 'Corner Grocer', offer: { categories: ['goods'] }, areaIds: [area.id], telegramId: 66_001, contact: 'Mr Li 555-0199' }, { kind: 'donor', id: 'tg:66001', telegramId: 66_001 })).resource.id;
  });

  async function signIn(token: string) {
    const agent = request.agent(app);
    expect((await agent.post('/console/sign-in').type('form').send({ token })).status).toBe(303);
    return agent;
  }

  it('adds an area and an entry, names each bad field, flags a duplicate name, approves an offered entry, edits one', async () => {
    const agent = await signIn(workerToken);
    const list = await agent.get('/console/directory');
    expect(list.status).toBe(200);
    expect(list.text).toContain('href="/console/directory"');
    expect(list.text).toContain('Corner Grocer');
    expect(list.text).toContain('waiting for a worker');
    const csrf = csrfOf(list.text);

    const area = await agent.post(`/console/communities/${harbour.id}/areas`).type('form').send({ _csrf: csrf, name: 'Harbour Street', level: 'community' });
    expect(area.status).toBe(303);
    const withArea = await agent.get('/console/directory');
    const areaId = /name="areaIds" value="([^"]+)"> Harbour Street/.exec(withArea.text)![1]!;

    // Nothing offered, an area of another tree, availability that ends before it starts.
    const bad = await agent.post(`/console/communities/${harbour.id}/resources`).type('form').send({ _csrf: csrf, name: 'Harbour Clinic', kind: 'organisation', areaIds: 'area_nope', fromTime: '17:00', untilTime: '09:00' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('What it offers: it cannot be empty');
    expect(bad.text).toContain('Areas it serves: ');
    expect(bad.text).toContain('When it can help: ');
    expect(bad.text).toContain('value="Harbour Clinic"'); // what was typed is kept

    const made = await agent.post(`/console/communities/${harbour.id}/resources`).type('form').send({ _csrf: csrf, name: 'Harbour Clinic', kind: 'organisation', categories: 'service', skills: ['medical', 'counselling'], areaIds: areaId, weekdays: ['mon', 'wed'], fromTime: '09:00', untilTime: '12:00', requestsPerMonth: '6', contact: 'Dr Zhou 555-0100' });
    expect(made.status).toBe(303);
    const page = await agent.get(made.headers.location as string);
    expect(page.text).toContain('Medical care, Counselling');
    expect(page.text).toContain('Mon, Wed 09:00-12:00');
    expect(page.text).toContain('Dr Zhou 555-0100');
    const dup = await agent.post(`/console/communities/${harbour.id}/resources`).type('form').send({ _csrf: csrf, name: 'HARBOUR  clinic', kind: 'organisation', categories: 'service', areaIds: areaId });
    expect(dup.headers.location).toMatch(/\?done=duplicate$/);
    expect((await agent.get(dup.headers.location as string)).text).toContain('another entry has a name that reads the same');

    // Approve the offered one.
    const approved = await agent.post(`/console/resources/${offered}/approve`).type('form').send({ _csrf: csrf });
    expect(approved.status).toBe(303);
    const offeredPage = await agent.get(`/console/resources/${offered}`);
    expect(offeredPage.text).toContain('<dd>approved</dd>');
    expect(offeredPage.text).toContain('can be asked privately through the bot');

    // Edit: clearing the availability and the contact clears them; the Telegram account stays.
    const clinicId = (made.headers.location as string).split('/').pop()!;
    const edited = await agent.post(`/console/resources/${clinicId}/edit`).type('form').send({ _csrf: csrf, name: 'Harbour Free Clinic', kind: 'organisation', categories: 'service', skills: 'medical', areaIds: areaId });
    expect(edited.status).toBe(303);
    const after = await agent.get(`/console/resources/${clinicId}`);
    expect(after.text).toContain('<h1>Harbour Free Clinic</h1>');
    expect(after.text).not.toContain('Dr Zhou');
    expect(after.text).not.toContain('09:00-12:00');
    const badEdit = await agent.post(`/console/resources/${clinicId}/edit`).type('form').send({ _csrf: csrf, name: '', kind: 'organisation', categories: 'service', areaIds: areaId });
    expect(badEdit.status).toBe(400);
    expect(badEdit.text).toContain('Name: it cannot be empty');

    // Never asked: in the resting list.
    expect((await agent.get('/console/directory')).text).toMatch(/Corner Grocer<\/a>: never asked yet/);
    // A move its state does not allow is refused in words.
    await agent.post(`/console/resources/${offered}/retire`).type('form').send({ _csrf: csrf });
    const again = await agent.post(`/console/resources/${offered}/approve`).type('form').send({ _csrf: csrf });
    expect(again.status).toBe(409);
  });

  it("shows an auditor the directory without forms or contacts; another community's entry is 404", async () => {
    const auditor = await signIn(AUDITOR_TOKEN);
    const list = await auditor.get('/console/directory');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain('name="contact"');
    const page = await auditor.get(`/console/resources/${offered}`);
    expect(page.text).not.toContain('555-0199');
    expect(page.text).not.toContain('/approve"');
    expect((await auditor.get(`/console/resources/${hillEntry}`)).status).toBe(404);
    const worker = await signIn(workerToken);
    expect((await worker.get(`/console/resources/${hillEntry}`)).status).toBe(404);
    expect((await worker.get('/console/directory')).text).not.toContain('Hill Bakery');
  });
});
