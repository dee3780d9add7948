import request from 'supertest';
import type { Express } from 'express';
import { systemClock } from '../../src/domain/clock';
import { publicDonorId } from '../../src/domain/people';
import { Services } from '../../src/services';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, draftFor } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';

describe('API tokens over the API, and what an auditor sees', () => {
  const db = useTestDatabase();
  let app: Express;
  let services: Services;
  let own: string;
  const asAdmin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    services = buildServices(db, systemClock, ADMIN_TOKEN);
    app = buildApp(db, services);
    own = (await services.communities.create({ name: 'Harbour Street' }, admin)).id;
  });

  it('issues a token whose secret is in the 201 only: the list has neither it nor its hash, the database only its hash', async () => {
    const res = await request(app).post('/api/v1/tokens').set(asAdmin).send({ role: 'worker', communityIds: [own], label: 'Wang, Harbour Street', telegramId: 2002 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^tok_/), token: expect.stringMatching(/^mw_/), role: 'worker', communityIds: [own], label: 'Wang, Harbour Street', telegramId: 2002, createdAt: expect.any(String) });
    const { id, token } = res.body as { id: string; token: string };

    const list = await request(app).get('/api/v1/tokens').set(asAdmin);
    expect(list.status).toBe(200);
    const listed = (list.body.items as Array<Record<string, unknown>>).find((t) => t.id === id);
    expect(listed).toEqual({ id, role: 'worker', communityIds: [own], label: 'Wang, Harbour Street', telegramId: 2002, createdAt: res.body.createdAt, createdBy: 'api:bootstrap', via: 'api' });
    const stored = JSON.stringify(await db.models.ApiToken.find({}).lean());
    expect(stored).not.toContain(token);
    expect(JSON.stringify(list.body)).not.toMatch(/mw_|[0-9a-f]{64}/);

    // The id is not the secret's: knowing it does not authenticate.
    expect((await request(app).get('/api/v1/wishes').set(bearer(id))).status).toBe(401);
    expect((await request(app).get('/api/v1/wishes').set(bearer(token))).status).toBe(200);
  });

  it('names each bad field: an unknown community by its index, an empty label, a telegramId that is not a positive whole number', async () => {
    const res = await request(app).post('/api/v1/tokens').set(asAdmin).send({ role: 'worker', communityIds: [own, 'com_nope'], label: '', telegramId: 0 });
    expect(res.status).toBe(400);
    expect((res.body.error.details.fields as Array<{ field: string }>).map((f) => f.field)).toEqual(['communityIds.1', 'label', 'telegramId']);
    const empty = await request(app).post('/api/v1/tokens').set(asAdmin).send({ role: 'auditor', communityIds: [], label: 'x'.repeat(81) });
    expect((empty.body.error.details.fields as Array<{ field: string; code: string }>).map((f) => `${f.field}:${f.code}`)).toEqual(['communityIds:required', 'label:too_long']);
    const admin = await request(app).post('/api/v1/tokens').set(asAdmin).send({ role: 'admin', communityIds: [own], label: 'x' });
    expect([admin.status, admin.body.error.details.fields[0].field]).toEqual([400, 'role']);
  });

  it('revokes: 204, the token answers 401 "revoked" at once, revoking again is 204 and keeps the time; an unknown id is 404', async () => {
    const { id, token } = (await request(app).post('/api/v1/tokens').set(asAdmin).send({ role: 'auditor', communityIds: [own], label: 'Committee' })).body as { id: string; token: string };
    expect((await request(app).get('/api/v1/wishes').set(bearer(token))).status).toBe(200);
    expect((await request(app).delete(`/api/v1/tokens/${id}`).set(asAdmin)).status).toBe(204);
    const after = await request(app).get('/api/v1/wishes').set(bearer(token));
    expect([after.status, after.body.error.message]).toEqual([401, 'This token was revoked']);
    const first = (await request(app).get('/api/v1/tokens').set(asAdmin)).body.items.find((t: { id: string }) => t.id === id).revokedAt;
    expect(first).toEqual(expect.any(String));
    expect((await request(app).delete(`/api/v1/tokens/${id}`).set(asAdmin)).status).toBe(204);
    expect((await request(app).get('/api/v1/tokens').set(asAdmin)).body.items.find((t: { id: string }) => t.id === id).revokedAt).toBe(first);
    const unknown = await request(app).delete('/api/v1/tokens/tok_nosuchtoken0').set(asAdmin);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'token_not_found']);
  });

  it('a token stored before tokens had ids is listed under a stable id and can be revoked', async () => {
    await db.models.ApiToken.collection.insertOne({ _id: 'f'.repeat(64) as never, role: 'admin', communityIds: [], label: 'Old script', createdAt: new Date() });
    const find = async () => ((await request(app).get('/api/v1/tokens').set(asAdmin)).body.items as Array<{ id: string; label: string; revokedAt?: string }>).find((t) => t.label === 'Old script')!;
    const before = await find();
    expect(before.id).toMatch(/^tok_[0-9a-f]{12}$/);
    expect(before.id).not.toContain('ffff');
    expect((await request(app).delete(`/api/v1/tokens/${before.id}`).set(asAdmin)).status).toBe(204);
    const after = await find();
    expect([after.id, typeof after.revokedAt]).toEqual([before.id, 'string']);
  });

  it('an auditor reads wishes and histories without the beneficiary\'s private details, donors\' Telegram ids or an anonymous donor\'s name', async () => {
    const { state } = await services.wishes.create(draftFor(own, { beneficiary: { alias: 'elderly resident, Building 3', notes: 'Lives alone, room 402', contact: '555-0100', name: 'Mrs Li' } }, new Date()), admin, { publish: true });
    const named = { kind: 'donor' as const, id: 'tg:777001', name: 'Harbour Bakery' };
    const hidden = { kind: 'donor' as const, id: 'tg:777002', name: 'Secret Sam' };
    await services.wishes.execute(state.id, { type: 'pledge', donor: { donorId: named.id, displayName: 'Harbour Bakery', anonymous: false }, amount: 50 }, named);
    await services.wishes.execute(state.id, { type: 'pledge', donor: { donorId: hidden.id, displayName: 'Secret Sam', anonymous: true }, amount: 20 }, hidden);
    const auditor = ((await request(app).post('/api/v1/tokens').set(asAdmin).send({ role: 'auditor', communityIds: [own], label: 'Committee' })).body as { token: string }).token;

    const seen = await request(app).get(`/api/v1/wishes/${state.id}`).set(bearer(auditor));
    expect(seen.status).toBe(200);
    expect(seen.body.beneficiary).toEqual({ alias: 'elderly resident, Building 3' });
    expect(seen.body.pledges.map((p: { donorId: string; displayName?: string }) => [p.donorId, p.displayName])).toEqual([
      [publicDonorId('tg:777001'), 'Harbour Bakery'],
      [publicDonorId('tg:777002'), undefined],
    ]);
    const history = await request(app).get(`/api/v1/wishes/${state.id}/events`).set(bearer(auditor));
    const listed = await request(app).get('/api/v1/wishes').query({ communityId: own }).set(bearer(auditor));
    for (const body of [seen.body, history.body, listed.body]) {
      const text = JSON.stringify(body);
      for (const secret of ['Lives alone', '555-0100', 'Mrs Li', 'tg:777', 'Secret Sam', '777001', '777002']) expect([secret, text.includes(secret)]).toEqual([secret, false]);
    }
    expect(history.body.items.map((e: { type: string }) => e.type)).toEqual(['created', 'published', 'pledged', 'pledged']);

    // Staff see it all.
    const staff = await request(app).get(`/api/v1/wishes/${state.id}`).set(asAdmin);
    expect(staff.body.beneficiary).toMatchObject({ notes: 'Lives alone, room 402', contact: '555-0100', name: 'Mrs Li' });
    expect(staff.body.pledges.map((p: { donorId: string }) => p.donorId)).toEqual(['tg:777001', 'tg:777002']);
  });
});
