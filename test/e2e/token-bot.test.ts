import request from 'supertest';
import type { Express } from 'express';
import { useTestDatabase } from '../support/db';
import { donorUser, groupChat, Harness, privateChatOf, startHarness, users } from '../support/bot-harness';
import { buildApp } from '../support/http';

/** The secret in a /token answer: the first `mw_…` in it. */
const tokenIn = (text: string) => /\bmw_[A-Za-z0-9_-]{20,}/.exec(text)?.[0];

describe('/token in the bot: a worker gets an API token that works against the HTTP API', () => {
  const db = useTestDatabase();
  let h: Harness;
  let app: Express;
  let communityId: string;
  let linkCode: string;
  const worker = { ...users.worker, id: 7_002 };

  beforeAll(async () => {
    h = await startHarness(db);
    // The HTTP app over the same services as the bot, as main.ts builds them.
    app = buildApp(db, h.runtime.services);
    const community = await h.runtime.services.communities.create({ name: 'Harbour Street' }, { kind: 'admin', id: 'test' });
    communityId = community.id;
    linkCode = community.linkCode;
    await h.runtime.services.communities.create({ name: 'Hill Road' }, { kind: 'admin', id: 'test' });
    h.fake.startUser(worker.id);
    h.fake.startUser(users.admin.id);
    await h.runtime.people.seen({ telegramId: worker.id, name: 'Wang Worker' }, new Date(), { started: true });
    await h.runtime.people.addWorkerCommunities(worker.id, [communityId], new Date());
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a worker asks twice: each answer is a token for their community, and only the newest one works', async () => {
    const dm = privateChatOf(worker);
    const first = String((await h.say(worker, dm, '/token', (t) => tokenIn(t) !== undefined)).params.text);
    const token1 = tokenIn(first)!;
    expect(first).toContain('Harbour Street');
    expect(first).toContain(`Authorization: Bearer ${token1}`);
    expect(first).toContain('/console/');
    expect(first).toMatch(/only this once/);
    expect(first).toMatch(/DELETE \/api\/v1\/tokens\/tok_/);

    const mine = await request(app).get('/api/v1/wishes').query({ communityId }).set({ Authorization: `Bearer ${token1}` });
    expect(mine.status).toBe(200);
    const created = await request(app)
      .post('/api/v1/wishes')
      .set({ Authorization: `Bearer ${token1}` })
      .send({ communityId, title: 'Reading glasses', description: 'Her old pair broke.', category: 'goods', target: 1, deadline: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10), beneficiary: { alias: 'elderly resident, Building 3' } });
    expect(created.status).toBe(201);
    const others = (await h.runtime.services.communities.list()).find((c) => c.id !== communityId)!;
    expect((await request(app).get(`/api/v1/communities/${others.id}`).set({ Authorization: `Bearer ${token1}` })).status).toBe(404);

    const second = String((await h.say(worker, dm, '/token', (t) => tokenIn(t) !== undefined)).params.text);
    const token2 = tokenIn(second)!;
    expect(token2).not.toBe(token1);
    const old = await request(app).get('/api/v1/wishes').set({ Authorization: `Bearer ${token1}` });
    expect([old.status, old.body.error.message]).toEqual([401, 'This token was revoked']);
    expect((await request(app).get('/api/v1/wishes').set({ Authorization: `Bearer ${token2}` })).status).toBe(200);

    const stored = (await h.runtime.services.stores.apiTokens.list()).filter((r) => r.telegramId === worker.id);
    expect(stored.map((r) => [r.label, r.via, r.communityIds, !!r.revokedAt])).toEqual([
      ['Telegram: Wang Worker', 'bot', [communityId], false],
      ['Telegram: Wang Worker', 'bot', [communityId], true],
    ]);
  });

  it('a donor is refused, and gets no token', async () => {
    const donor = donorUser(71);
    h.fake.startUser(donor.id);
    const answer = String((await h.say(donor, privateChatOf(donor), '/token')).params.text);
    expect(answer).toMatch(/Only workers and admins/);
    expect(tokenIn(answer)).toBeUndefined();
  });

  it('in a group, even a worker is only told to ask in a private chat: no token is sent anywhere', async () => {
    const group = groupChat(-7_100, 'Harbour Street neighbours');
    const before = h.fake.calls.length;
    const answer = String((await h.say(worker, group, '/token')).params.text);
    expect(answer).toMatch(/private chat/);
    const sent = h.fake.calls.slice(before).filter((c) => c.method === 'sendMessage').map((c) => String(c.params.text));
    expect(sent.some((t) => tokenIn(t) !== undefined)).toBe(false);
  });

  it('an admin issues an auditor token for a community by its link code, with a label; it only reads', async () => {
    const adminDm = privateChatOf(users.admin);
    const usage = String((await h.say(users.admin, adminDm, '/token')).params.text);
    expect(usage).toMatch(/Usage: \/token worker/);
    const text = String((await h.say(users.admin, adminDm, `/token auditor ${linkCode} Committee of Harbour St`, (t) => tokenIn(t) !== undefined)).params.text);
    expect(text).toContain('“Committee of Harbour St”');
    const token = tokenIn(text)!;
    const id = /tok_[0-9a-z]+/.exec(text)![0];
    expect(text).toContain(`DELETE /api/v1/tokens/${id}`);
    expect((await request(app).get('/api/v1/wishes').set({ Authorization: `Bearer ${token}` })).status).toBe(200);
    const write = await request(app).post(`/api/v1/communities`).set({ Authorization: `Bearer ${token}` }).send({ name: 'Nope' });
    expect(write.status).toBe(403);
    const unknown = String((await h.say(users.admin, adminDm, '/token worker NOSUCHCODE')).params.text);
    expect(unknown).toMatch(/No community has the link code or id NOSUCHCODE/);
  });
});
