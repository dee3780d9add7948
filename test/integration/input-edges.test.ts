import request from 'supertest';
import { useTestDatabase } from '../support/db';
import { buildServices, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';

// Issue 10, validation gaps, over the API: the same domain rules the bot's /newwish uses. A day
// the calendar does not have was stored as the next one; control characters and half an emoji
// were stored in titles and names; a phone number in other digits passed the alias check.

describe('the API refuses or cleans what no one means to store', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-22T09:00:00Z'));
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  let app: ReturnType<typeof buildApp>;
  let communityId: string;

  beforeAll(async () => {
    app = buildApp(db, buildServices(db, clock, ADMIN_TOKEN), { clock });
    communityId = (await request(app).post('/api/v1/communities').set(auth).send({ name: 'Harbour Street' })).body.id;
  });

  const wish = (over: Record<string, unknown> = {}) => ({
    communityId,
    title: 'Winter coat',
    description: 'Needed before the cold snap.',
    category: 'goods',
    target: 1,
    deadline: '2026-12-20',
    beneficiary: { alias: 'elderly resident, Building 3' },
    ...over,
  });
  const fieldsOf = (body: { error?: { details?: { fields?: Array<{ field: string; code: string }> } } }) =>
    (body.error?.details?.fields ?? []).map((f) => [f.field, f.code]);

  it.each(['2026-11-31', '2026-02-29', '2026-11-31T10:00:00+08:00', '2026-12-01T24:00:00Z'])('refuses the deadline %s, a day the calendar does not have', async (deadline) => {
    const res = await request(app).post('/api/v1/wishes').set(auth).send(wish({ deadline }));
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual([['deadline', 'not_a_date']]);
  });

  it('refuses a deadline years ahead, on create and on edit', async () => {
    const far = await request(app).post('/api/v1/wishes').set(auth).send(wish({ deadline: '9999-12-31' }));
    expect([far.status, fieldsOf(far.body)]).toEqual([400, [['deadline', 'date_too_far']]]);
    const created = await request(app).post('/api/v1/wishes').set(auth).send(wish());
    const edit = await request(app).patch(`/api/v1/wishes/${created.body.id}`).set(auth).send({ deadline: '9999-12-31' });
    expect([edit.status, fieldsOf(edit.body)]).toEqual([400, [['deadline', 'date_too_far']]]);
    const nonsense = await request(app).patch(`/api/v1/wishes/${created.body.id}`).set(auth).send({ deadline: '2026-11-31' });
    expect([nonsense.status, fieldsOf(nonsense.body)]).toEqual([400, [['deadline', 'not_a_date']]]);
  });

  it('strips NUL, escapes and unpaired surrogates from titles, aliases and names', async () => {
    const res = await request(app)
      .post('/api/v1/wishes')
      .set(auth)
      .send(wish({ title: 'Winter\u0000 coat\u001b[2J', description: 'Warm\u0007 coat \ud83d for her', beneficiary: { alias: 'elder\u202e, Building 3', name: 'Li\udc00 Mei' } }));
    expect(res.status).toBe(201);
    expect([res.body.title, res.body.description, res.body.beneficiary]).toEqual(['Winter coat[2J', 'Warm coat for her', { alias: 'elder, Building 3', name: 'Li Mei' }]);
    const edited = await request(app).patch(`/api/v1/wishes/${res.body.id}`).set(auth).send({ title: '\u0000\u0000' });
    expect([edited.status, fieldsOf(edited.body)]).toEqual([400, [['title', 'required']]]);
  });

  it('refuses an alias with a phone number in full-width, Arabic-Indic or zero-width-split digits', async () => {
    for (const alias of ['elder １３８００１３８０００', 'elder ١٣٨٠٠١٣٨٠٠٠', 'elder 138\u200b0013\u200b8000']) {
      const res = await request(app).post('/api/v1/wishes').set(auth).send(wish({ beneficiary: { alias } }));
      expect([res.status, fieldsOf(res.body)]).toEqual([400, [['beneficiary.alias', 'has_phone']]]);
    }
  });
});
