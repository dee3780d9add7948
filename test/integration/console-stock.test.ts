import request from 'supertest';
import { Actor } from '../../src/domain/wish/types';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';

const csrfOf = (text: string) => /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
const AUDITOR_TOKEN = 'mw_auditor-stock-token';

// The Stock page: a worker records what arrived (bad input named by the form's labels) and offers
// surplus in one of the community's groups; an auditor reads the figures without forms.
describe('stock in the console', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-23T09:00:00Z'));
  let app: ReturnType<typeof buildApp>;
  let cid: string;
  let workerToken: string;

  beforeAll(async () => {
    const services = buildServices(db, clock, ADMIN_TOKEN);
    cid = (await services.communities.create({ name: 'Harbour Street' }, admin)).id;
    workerToken = (await services.tokens.issue({ role: 'worker', communityIds: [cid], label: 'Wang' }, admin)).token;
    const auditor: Actor = { kind: 'auditor', id: 'api:auditor', name: 'Committee', communityIds: [cid] };
    app = buildApp(db, services, { clock, app: { resolveToken: async (token) => (token === AUDITOR_TOKEN ? auditor : services.resolveToken(token)) }, console: { groupsOf: async () => [{ chatId: -100_940_001, title: 'Harbour volunteers' }] } });
  });

  async function signIn(token: string) {
    const agent = request.agent(app);
    expect((await agent.post('/console/sign-in').type('form').send({ token })).status).toBe(303);
    return agent;
  }

  it('records what arrived, names each bad field, and offers surplus in a group', async () => {
    const agent = await signIn(workerToken);
    const list = await agent.get('/console/stock');
    expect(list.status).toBe(200);
    expect(list.text).toContain('href="/console/stock"');
    expect(list.text).toContain('Nothing in stock yet.');
    const csrf = csrfOf(list.text);
    const bad = await agent.post(`/console/communities/${cid}/stock`).type('form').send({ _csrf: csrf, name: '', quantity: '0', from: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Item: it cannot be empty');
    expect(bad.text).toContain('How many: ');
    expect(bad.text).toContain('From: it cannot be empty');
    const good = await agent.post(`/console/communities/${cid}/stock`).type('form').send({ _csrf: csrf, name: '雨衣', unit: '件', quantity: '30', from: '港湾协会', condition: 'new', expiry: '2027-10-01' });
    expect(good.status).toBe(303);
    const after = await agent.get('/console/stock');
    expect(after.text).toContain('<td>雨衣 (件)</td><td>30</td><td>0</td><td>0</td><td>30</td>');
    const itemId = /<option value="(stk-[0-9a-f]+)">雨衣 \(30 件\)<\/option>/.exec(after.text)![1]!;
    const offered = await agent.post(`/console/communities/${cid}/surplus`).type('form').send({ _csrf: csrf, itemId, quantity: '20', cap: '2', chatId: '-100940001', where: 'Community centre', when: 'Saturday 9-12' });
    expect(offered.status).toBe(303);
    expect((await agent.get('/console/stock')).text).toContain('<td>雨衣 (件)</td><td>10</td><td>20</td><td>0</td><td>30</td>');
  });

  it('shows an auditor the figures without forms', async () => {
    const auditor = await signIn(AUDITOR_TOKEN);
    const page = await auditor.get('/console/stock');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('name="quantity"');
  });
});
