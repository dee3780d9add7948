import request from 'supertest';
import { createAssessmentStore } from '../../src/db/assessment-store';
import { Actor } from '../../src/domain/wish/types';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, draftFor, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';

const csrfOf = (text: string) => /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
const AUDITOR_TOKEN = 'mw_auditor-assessment-token';

// The needs assessment in the console: recorded by staff with the resident, private to staff.
describe('the needs assessment in the console', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-22T09:00:00Z'));
  let app: ReturnType<typeof buildApp>;
  let wishId: string;
  let workerToken: string;

  beforeAll(async () => {
    const services = buildServices(db, clock, ADMIN_TOKEN);
    const community = (await services.communities.create({ name: 'Harbour Street' }, admin)).id;
    wishId = (await services.wishes.create(draftFor(community, { title: 'Heating bill' }, clock()), admin, { publish: true })).state.id;
    workerToken = (await services.tokens.issue({ role: 'worker', communityIds: [community], label: 'Wang' }, admin)).token;
    const auditor: Actor = { kind: 'auditor', id: 'api:auditor', name: 'Committee', communityIds: [community] };
    app = buildApp(db, services, {
      clock,
      app: { resolveToken: async (token) => (token === AUDITOR_TOKEN ? auditor : services.resolveToken(token)) },
      console: { assessments: createAssessmentStore(db.models) },
    });
  });

  async function signIn(token: string) {
    const agent = request.agent(app);
    expect((await agent.post('/console/sign-in').type('form').send({ token })).status).toBe(303);
    return agent;
  }

  it('a worker records one with the resident; two affected parts of life prompt for outside help until a referral is recorded', async () => {
    const agent = await signIn(workerToken);
    const form = await agent.get(`/console/wishes/${wishId}/assessment`);
    expect(form.status).toBe(200);
    const csrf = csrfOf(form.text);
    const saved = await agent
      .post(`/console/wishes/${wishId}/assessment`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&domains=housing&domains=income&strengths=${encodeURIComponent('Her neighbour checks on her daily')}&goals=${encodeURIComponent('Keep warm this winter')}&referrals=`);
    expect([saved.status, saved.headers.location]).toEqual([303, `/console/wishes/${wishId}#assessment-h`]);
    const page = await agent.get(`/console/wishes/${wishId}`);
    expect(page.text).toContain('Her neighbour checks on her daily');
    expect(page.text).toContain('Housing, Income');
    expect(page.text).toContain('consider bringing in outside help');

    await agent.post(`/console/wishes/${wishId}/assessment`).type('form').send(`_csrf=${encodeURIComponent(csrf)}&domains=housing&domains=income&strengths=x&goals=y&referrals=${encodeURIComponent('Street office housing desk\n\nHeating subsidy office')}`);
    const after = await agent.get(`/console/wishes/${wishId}`);
    expect(after.text).toContain('<li>Heating subsidy office</li>');
    expect(after.text).not.toContain('consider bringing in outside help');
    // The resident's words are stored sealed, never as plain text.
    const raw = JSON.stringify(await db.conn.db!.collection('assessments').findOne({ _id: wishId as never }));
    expect(raw).toContain('"domains":["housing","income"]');
    expect(raw).not.toMatch(/Heating subsidy office|Street office|"x"|"y"/);
  });

  it('refuses an unknown part of life or an overlong text with a 400 page naming the field, keeping what was typed', async () => {
    const agent = await signIn(workerToken);
    const csrf = csrfOf((await agent.get(`/console/wishes/${wishId}/assessment`)).text);
    const res = await agent.post(`/console/wishes/${wishId}/assessment`).type('form').send({ _csrf: csrf, domains: 'luck', strengths: 'kept words', goals: 'g'.repeat(2001) });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/Their own goals: please keep it to 2000 characters/);
    expect(res.text).toMatch(/Parts of life affected: /);
    expect(res.text).toContain('kept words');
    expect(res.text).toContain('aria-invalid="true"');
  });

  it('is never shown to an auditor, and an auditor cannot open or change it', async () => {
    const agent = await signIn(AUDITOR_TOKEN);
    const page = await agent.get(`/console/wishes/${wishId}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Needs assessment');
    expect(page.text).not.toContain('Heating subsidy office');
    expect((await agent.get(`/console/wishes/${wishId}/assessment`)).status).toBe(403);
  });

  it('speaks Chinese', async () => {
    const agent = await signIn(workerToken);
    const res = await agent.get(`/console/wishes/${wishId}/assessment?lang=zh`);
    expect(res.text).toContain('需求评估');
    expect(res.text).toContain('社会支持');
  });
});
