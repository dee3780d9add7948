import request from 'supertest';
import type { Express } from 'express';
import { useTestDatabase } from '../support/db';
import { buttonsOf, resultMessage, startBotAndApi } from '../support/bot-and-api';
import { groupChat, Harness, privateChatOf, users } from '../support/bot-harness';
import type { RecordedCall, TgUser } from '../fake-telegram';

// Issue 14 through the real bot, the fake Bot API and the real HTTP app: a business offers (a proposed
// entry under its own Telegram account) -> the worker approves -> a new wish ranks it first with its
// reasons -> the worker asks it and two others privately -> two press Can at the same moment -> exactly
// one takes the wish, the other is thanked and told it is taken -> delivery -> confirmation.

const WAIT = 30_000;
const TOKEN = 'invitations-admin-token-0123456789';

const TEXTS = {
  en: { invited: /thought of you/, took: /is yours now/, taken: /Someone else has just taken/, workerCan: /said Can and took/, workerLate: /already taken; they were thanked/, can: /Can$/ },
  zh: { invited: /社工想到了您/, took: /现在由您负责/, taken: /刚刚已被其他人认领/, workerCan: /答复“可以”，已认领/, workerLate: /已被认领；已向其致谢/, can: /可以$/ },
} as const;

describe('quiet invitations through the bot', () => {
  const db = useTestDatabase();
  let h: Harness;
  let app: Express;
  const auth = { Authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    ({ h, app } = await startBotAndApi(db, TOKEN));
  });
  afterAll(async () => {
    await h?.stop();
  });

  const sentTo = (chatId: number, after: number, match: (text: string, c: RecordedCall) => boolean = () => true) =>
    h.fake.waitForCall((c) => c.seq > after && c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === chatId && match(String(c.params.text ?? ''), c), WAIT);

  it.each([
    ['en', 1],
    ['zh', 2],
  ] as const)('in %s: offered, approved, ranked first, three asked, two Can at once, one takes it, delivered and confirmed', async (lang, n) => {
    const L = TEXTS[lang];
    const worker: TgUser = { ...users.worker, id: 73_000 + n, language_code: lang };
    const bakery: TgUser = { id: 83_000 + n, first_name: 'Bakery', language_code: lang };
    const grocer: TgUser = { id: 83_100 + n, first_name: 'Grocer', language_code: lang };
    const clinic: TgUser = { id: 83_200 + n, first_name: 'Clinic', language_code: lang };
    for (const u of [worker, bakery, grocer, clinic]) h.fake.startUser(u.id);
    // They have talked to the bot before: it knows their language.
    for (const u of [bakery, grocer, clinic]) await h.say(u, privateChatOf(u), '/start');
    const { services, people, groups, directory } = h.runtime;
    const community = await services.communities.create({ name: `Directory Lane ${lang}` }, { kind: 'admin', id: 'test' });
    await people.seen({ telegramId: worker.id, name: 'Wang', telegramLanguage: lang }, new Date(), { started: true });
    await people.addWorkerCommunities(worker.id, [community.id], new Date());
    const group = groupChat(-100_730_000 - n, 'Directory Lane');
    await groups.link(group.id, group.title!, community.id, worker.id, new Date());

    // The area tree, over the API.
    const area = async (name: string, level: string, parentId?: string) =>
      (await request(app).post(`/api/v1/communities/${community.id}/areas`).set(auth).send({ name, level, ...(parentId ? { parentId } : {}) })).body.id as string;
    const street = await area('Harbour Street', 'community');
    const b3 = await area('Building 3', 'building', street);
    const b5 = await area('Building 5', 'building', street);

    // The bakery offers for itself (as /offer records it): proposed, until the worker approves.
    const name = lang === 'zh' ? '港湾面包房' : 'Harbour Bakery';
    const offered = await directory.resources.create(
      { communityId: community.id, kind: 'business', name, offer: { categories: ['goods'], note: 'bread and rice' }, areaIds: [b3], capacity: { requestsPerMonth: 4 }, telegramId: bakery.id },
      { kind: 'donor', id: `tg:${bakery.id}`, telegramId: bakery.id },
    );
    expect(offered.resource.state).toBe('proposed');
    const approved = await request(app).post(`/api/v1/resources/${offered.resource.id}/approve`).set(auth);
    expect([approved.status, approved.body.state]).toEqual([200, 'approved']);
    const add = async (who: TgUser, label: string, areaId: string) =>
      (await request(app).post('/api/v1/resources').set(auth).send({ communityId: community.id, kind: 'business', name: label, offer: { categories: ['goods'] }, areaIds: [areaId], telegramId: who.id })).body.id as string;
    const grocerId = await add(grocer, 'Corner Grocer', b5);
    const clinicId = await add(clinic, 'Street Clinic', street);
    // A duplicate name is flagged, not refused.
    const dup = await request(app).post('/api/v1/resources').set(auth).send({ communityId: community.id, kind: 'business', name: name.toUpperCase(), offer: { categories: ['goods'] }, areaIds: [b3] });
    expect(dup.body.duplicateOf).toEqual([offered.resource.id]);
    await request(app).post(`/api/v1/resources/${dup.body.id}/retire`).set(auth).expect(200);

    // A new wish in Building 3: the bakery ranks first, with its reasons.
    const created = await request(app).post('/api/v1/wishes').set(auth).send({
      communityId: community.id, title: 'Rice, 10 kg', description: 'For a family of three', category: 'goods', target: 1, areaId: b3,
      deadline: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10), beneficiary: { alias: 'family of three, Building 3' }, workerTelegramId: worker.id, publish: true,
    });
    expect(created.status).toBe(201);
    const code = created.body.code as string;
    const matches = await request(app).get(`/api/v1/wishes/${code}/matches`).set(auth);
    expect(matches.body.items.map((m: { resourceId: string }) => m.resourceId)).toEqual([offered.resource.id, clinicId, grocerId]);
    expect(matches.body.items[0].reasons.map((r: { code: string }) => r.code)).toEqual(['offers_category', 'area_contains', 'available_before_deadline', 'capacity_left', 'new_to_the_directory', 'not_asked_recently']);
    // The clinic serves the whole street (it contains Building 3); the grocer the building next door.
    expect(matches.body.items[1].reasons.map((r: { code: string }) => r.code)).toContain('area_contains');
    expect(matches.body.items[2].reasons.map((r: { code: string }) => r.code)).toContain('area_neighbours');

    // The worker asks all three privately; each gets the whole card with Can / Can't / Not now.
    let before = h.fake.calls.length;
    const asked = await request(app).post(`/api/v1/wishes/${code}/invitations`).set(auth).send({ resourceIds: [offered.resource.id, grocerId, clinicId] });
    expect([asked.status, asked.body.invited.length, asked.body.skipped]).toEqual([201, 3, []]);
    const cards = new Map<number, RecordedCall>();
    for (const u of [bakery, grocer, clinic]) cards.set(u.id, await sentTo(u.id, before, (t) => L.invited.test(t) && t.includes(code)));
    expect(String(cards.get(bakery.id)!.params.text)).toContain('family of three, Building 3');

    // Can't from the clinic; then the bakery and the grocer press Can at the same moment.
    const cantButton = buttonsOf(cards.get(clinic.id)!)[1]!.callback_data!;
    await h.press(clinic, resultMessage(cards.get(clinic.id)!), cantButton);
    before = h.fake.calls.length;
    const canOf = (u: TgUser) => buttonsOf(cards.get(u.id)!).find((b) => L.can.test(b.text))!.callback_data!;
    const [a, b] = await Promise.all([h.press(bakery, resultMessage(cards.get(bakery.id)!), canOf(bakery)), h.press(grocer, resultMessage(cards.get(grocer.id)!), canOf(grocer))]);
    const answers = [String(a.params.text), String(b.params.text)];
    expect(answers.filter((t) => L.took.test(t))).toHaveLength(1);
    expect(answers.filter((t) => L.taken.test(t))).toHaveLength(1);
    const wish = await services.wishes.get(code);
    expect(wish.pledges).toHaveLength(1);
    const winner = wish.pledges[0]!.donorId === `tg:${bakery.id}` ? bakery : grocer;
    await sentTo(worker.id, before, (t) => L.workerCan.test(t));
    await sentTo(worker.id, before, (t) => L.workerLate.test(t));
    const history = await request(app).get(`/api/v1/wishes/${code}/invitations`).set(auth);
    expect(history.body.items.map((i: { answer?: string }) => i.answer).sort()).toEqual(['can', 'can', 'cant']);

    // The winner delivers; the worker confirms; the wish is fulfilled.
    const nextSteps = await sentTo(winner.id, before, (_t, c) => buttonsOf(c).some((x) => x.callback_data?.startsWith('dl:')));
    before = h.fake.calls.length;
    await h.press(winner, resultMessage(nextSteps), buttonsOf(nextSteps).find((x) => x.callback_data?.startsWith('dl:'))!.callback_data!);
    const confirm = await sentTo(worker.id, before, (_t, c) => buttonsOf(c).some((x) => x.callback_data?.startsWith('cf:')));
    await h.press(worker, resultMessage(confirm), buttonsOf(confirm).find((x) => x.callback_data?.startsWith('cf:'))!.callback_data!);
    await h.settle();
    expect((await services.wishes.get(code)).status).toBe('fulfilled');

    // Matching now counts what the winner fulfilled, and never suggests the clinic for this wish again.
    const after = await request(app).get(`/api/v1/wishes/${code}/matches`).set(auth);
    expect(after.body.items.map((m: { resourceId: string }) => m.resourceId)).not.toContain(clinicId);
  });

  it('bad input names what to fix: an empty offer, an unknown area, availability that ends before it starts', async () => {
    const community = await h.runtime.services.communities.create({ name: 'Bad Input Lane' }, { kind: 'admin', id: 'test' });
    const res = await request(app)
      .post('/api/v1/resources')
      .set(auth)
      .send({ communityId: community.id, kind: 'person', name: 'Li', offer: {}, areaIds: ['nowhere'], availability: { fromTime: '18:00', untilTime: '09:00', from: '2026-12-10', until: '2026-12-01' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`).sort()).toEqual(
      ['areaIds.0:unknown_area', 'availability.until:ends_before_start', 'availability.untilTime:ends_before_start', 'offer:required'].sort(),
    );
    const privateLink = await h.say({ ...users.worker, id: 73_999 }, privateChatOf({ ...users.worker, id: 73_999 }), '/matches W-1');
    expect(String(privateLink.params.text)).not.toBe('');
  });
});
