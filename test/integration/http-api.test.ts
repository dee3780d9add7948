import request from 'supertest';
import { hashToken } from '../../src/domain/access';
import { useTestDatabase } from '../support/db';
import { buildServices, DAY, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';

describe('HTTP API', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-22T09:00:00Z'));
  let app: ReturnType<typeof buildApp>;
  let communityId: string;
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

  const validWish = () => ({
    communityId,
    title: 'Winter heating bill',
    description: 'Her heating was cut off in November; 300 covers the arrears.',
    category: 'cash',
    target: 300,
    deadline: '2026-12-12',
    urgency: 'urgent',
    beneficiary: { alias: 'elderly resident, Building 3', notes: 'Lives alone', contact: '138 0000 0000' },
  });

  beforeAll(async () => {
    const services = buildServices(db, clock, ADMIN_TOKEN);
    app = buildApp(db, services, { clock });
    const res = await request(app).post('/api/v1/communities').set(auth).send({ name: 'Harbour Street' });
    expect(res.status).toBe(201);
    communityId = res.body.id;
  });

  it('answers /healthz and, with the database up, /readyz', async () => {
    expect((await request(app).get('/healthz')).status).toBe(200);
    const ready = await request(app).get('/readyz');
    expect([ready.status, ready.body.status]).toEqual([200, 'ready']);
  });

  it('creates a community with a link code', async () => {
    const res = await request(app).post('/api/v1/communities').set(auth).send({ name: 'Riverside' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(String), name: 'Riverside', linkCode: expect.stringMatching(/^[0-9A-Z]{8}$/) });
  });

  it('creates a wish: 201 with a W- code, status draft, and the deadline at the end of that day locally', async () => {
    const res = await request(app).post('/api/v1/wishes').set(auth).send(validWish());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.stringMatching(/^W-\d{4,}$/), status: 'draft', target: 300, pledged: 0, remaining: 300 });
    expect(res.body.code).toBe(res.body.id);
    // 23:59:59.999 in Asia/Shanghai (UTC+8)
    expect(res.body.deadline).toBe('2026-12-12T15:59:59.999Z');
    expect(res.headers.location).toBe(`/api/v1/wishes/${res.body.id}`);
  });

  it('creates and publishes in one call with publish: true, then lists and reads it', async () => {
    const created = await request(app).post('/api/v1/wishes').set(auth).send({ ...validWish(), publish: true });
    expect([created.status, created.body.status]).toEqual([201, 'open']);

    const listed = await request(app).get('/api/v1/wishes').query({ status: 'open', communityId }).set(auth);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((w: { id: string }) => w.id)).toContain(created.body.id);
    expect(listed.body.items.every((w: { status: string }) => w.status === 'open')).toBe(true);

    const got = await request(app).get(`/api/v1/wishes/${created.body.id}`).set(auth);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: created.body.id, pledges: [], beneficiary: { alias: 'elderly resident, Building 3' } });
  });

  it('rejects bad input with 400 naming each bad field', async () => {
    const res = await request(app)
      .post('/api/v1/wishes')
      .set(auth)
      .send({ ...validWish(), title: '', category: 'money', target: -3, deadline: 'next week', surprise: true });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    const fields = res.body.error.details.fields.map((f: { field: string }) => f.field).sort();
    expect(fields).toEqual(['category', 'deadline', 'surprise', 'target', 'title']);
  });

  it('names missing fields as required, nested ones by path', async () => {
    const res = await request(app).post('/api/v1/wishes').set(auth).send({ communityId, beneficiary: {} });
    expect(res.status).toBe(400);
    const byField = Object.fromEntries(res.body.error.details.fields.map((f: { field: string; message: string }) => [f.field, f.message]));
    expect(byField).toMatchObject({ title: 'is required', category: 'is required', 'beneficiary.alias': 'is required' });
  });

  it('treats an operator-injection attempt as a wrong type: 400, never a 500', async () => {
    const res = await request(app).post('/api/v1/wishes').set(auth).send({ ...validWish(), title: { $gt: '' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual([{ field: 'title', code: 'wrong_type', message: 'must be a string', params: { expected: 'a string' } }]);
    const query = await request(app).get('/api/v1/wishes').query('status[$ne]=open').set(auth);
    expect(query.status).toBe(400);
  });

  it('answers malformed JSON, a non-object body and a fractional target with 400', async () => {
    const bad = await request(app).post('/api/v1/wishes').set(auth).set('Content-Type', 'application/json').send('{"title": ');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_json']);
    const arr = await request(app).post('/api/v1/wishes').set(auth).send([1, 2]);
    expect(arr.status).toBe(400);
    const frac = await request(app).post('/api/v1/wishes').set(auth).send({ ...validWish(), target: 12.5 });
    expect(frac.body.error.details.fields[0].field).toBe('target');
  });

  it('keeps phone numbers out of the public alias', async () => {
    const res = await request(app)
      .post('/api/v1/wishes')
      .set(auth)
      .send({ ...validWish(), beneficiary: { alias: 'Mrs Li 13800138000' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields[0].field).toBe('beneficiary.alias');
  });

  it('refuses a deadline in the past and an unknown community, naming the field', async () => {
    const past = await request(app).post('/api/v1/wishes').set(auth).send({ ...validWish(), deadline: '2026-11-01' });
    expect([past.status, past.body.error.details.fields[0].field]).toEqual([400, 'deadline']);
    const unknown = await request(app).post('/api/v1/wishes').set(auth).send({ ...validWish(), communityId: 'com_nope' });
    expect([unknown.status, unknown.body.error.details.fields[0].field]).toEqual([400, 'communityId']);
  });

  it('answers 401 without a token or with a wrong one', async () => {
    const none = await request(app).get('/api/v1/wishes');
    expect([none.status, none.body.error.code]).toEqual([401, 'unauthenticated']);
    const wrong = await request(app).get('/api/v1/wishes').set({ Authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
  });

  it('answers 403 when a worker token acts outside its role, 404 for a community it does not serve', async () => {
    const token = 'worker-token-abcdefghijklmnop';
    await db.models.ApiToken.create({ _id: hashToken(token), role: 'worker', communityIds: ['com_other'], label: 'Worker Wang', createdAt: clock() });
    const workerAuth = { Authorization: `Bearer ${token}` };
    const community = await request(app).post('/api/v1/communities').set(workerAuth).send({ name: 'Mine' });
    expect(community.status).toBe(403);
    const wish = await request(app).post('/api/v1/wishes').set(workerAuth).send(validWish());
    expect([wish.status, wish.body.error.code]).toEqual([404, 'community_not_found']);
  });

  it('answers 404 for an unknown wish id, an unknown route, and a malformed id', async () => {
    expect((await request(app).get('/api/v1/wishes/W-999999').set(auth)).status).toBe(404);
    expect((await request(app).post('/api/v1/wishes/W-999999/publish').set(auth)).status).toBe(404);
    expect((await request(app).get('/api/v1/wishes/not-a-code').set(auth)).status).toBe(404);
    expect((await request(app).get('/api/v1/nothing').set(auth)).status).toBe(404);
  });

  it('answers 409 when publishing a cancelled wish', async () => {
    const created = await request(app).post('/api/v1/wishes').set(auth).send(validWish());
    const cancelled = await request(app).post(`/api/v1/wishes/${created.body.id}/cancel`).set(auth).send({ reason: 'Family covered it' });
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);
    const publish = await request(app).post(`/api/v1/wishes/${created.body.id}/publish`).set(auth);
    expect(publish.status).toBe(409);
    expect(publish.body.error).toMatchObject({ code: 'wish_closed', message: expect.stringContaining('cancelled') });
  });

  it('shows pledges with their status and amount', async () => {
    const created = await request(app).post('/api/v1/wishes').set(auth).send({ ...validWish(), publish: true });
    const services = buildServices(db, clock, ADMIN_TOKEN);
    await services.wishes.execute(created.body.id, { type: 'pledge', amount: 120, donor: { donorId: 'd1', displayName: 'Harbour Bakery' } }, { kind: 'donor', id: 'd1' });
    clock.advance(DAY);
    const got = await request(app).get(`/api/v1/wishes/${created.body.id}`).set(auth);
    expect(got.body).toMatchObject({ status: 'partially_pledged', pledged: 120, remaining: 180 });
    expect(got.body.pledges).toEqual([expect.objectContaining({ donorId: 'd1', displayName: 'Harbour Bakery', amount: 120, status: 'active' })]);
  });
});
