import request from 'supertest';
import type { Express } from 'express';
import { useTestDatabase } from '../support/db';
import { BUSY, buttonsOf, resultMessage, startBotAndApi } from '../support/bot-and-api';
import { groupChat, Harness, privateChatOf } from '../support/bot-harness';
import type { RecordedCall, TgUser } from '../fake-telegram';
import { recordNoShows, remindSlots } from '../../src/jobs/slots';

// Volunteer teams through the real bot, the fake Bot API, the real HTTP app and the real outbox: a
// worker forms a team with a lead; the lead links the team's group and ten members join by the lead's
// link; a service request's slot of three places goes to the group as a card; ten members press Sign
// up at once: exactly three get a place, seven are told it is full, and the card says 3 of 3; reminders
// the day and the hour before (once each, whatever the ticks); I'm here with a location, Done and the
// lead's Confirm count the hours; a no-show is recorded and the lead asked, whose answer opens the
// place to the team. In English and in Chinese.

const WAIT = 30_000;
const TOKEN = 'teams-admin-token-0123456789abcdef';
const MINUTE = 60_000;

const TEXTS = {
  en: { joined: /Welcome to/, linked: /is now .*'s chat/, signedUp: /You're signed up for/, full: /this slot is full/, threeOfThree: /3 of 3 places taken/, twoOfThree: /2 of 3 places taken/, day: /Reminder:/, hour: /In less than an hour/, checkedIn: /Checked in/, arrived: /has arrived/, noShow: /has not checked in/, opened: /A place opened/, doneToLead: /says they are done/, confirmed: /The lead confirmed your service/, hours: /1\.5 h over 1 slot/ },
  zh: { joined: /欢迎加入/, linked: /现在是.*的队伍群/, signedUp: /已报名/, full: /这个时段已满/, threeOfThree: /已报名 3\/3/, twoOfThree: /已报名 2\/3/, day: /提醒：/, hour: /不到一小时后/, checkedIn: /已签到/, arrived: /已到达/, noShow: /还没有签到/, opened: /有名额空出/, doneToLead: /表示已完成/, confirmed: /队长已确认您的服务/, hours: /1\.5 小时，共 1 个时段/ },
} as const;

describe('volunteer teams through the bot', () => {
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
  const editedIn = (chatId: number, after: number, match: RegExp) =>
    h.fake.waitForCall((c) => c.seq > after && c.ok && c.method === 'editMessageText' && Number(c.params.chat_id) === chatId && match.test(String(c.params.text ?? '')), WAIT);
  const jobDeps = () => ({ teams: h.runtime.teams.service, messages: h.runtime.teams.messages, enqueue: (items: Parameters<Harness['runtime']['notifier']['enqueue']>[0]) => h.runtime.notifier.enqueue(items) });

  it.each([
    ['en', 1],
    ['zh', 2],
  ] as const)('in %s: ten sign up at once for three places; reminders; check-in, Done, Confirm; a no-show and the lead asked', async (lang, n) => {
    const L = TEXTS[lang];
    const lead: TgUser = { id: 91_000 + n * 100, first_name: lang === 'zh' ? '李队长' : 'Lena', language_code: lang };
    const members: TgUser[] = Array.from({ length: 10 }, (_, i) => ({ id: 91_001 + n * 100 + i, first_name: `${lang === 'zh' ? '队员' : 'Member'}${i + 1}`, language_code: lang }));
    for (const u of [lead, ...members]) h.fake.startUser(u.id);
    await h.say(lead, privateChatOf(lead), '/start');
    const community = await h.runtime.services.communities.create({ name: `Team Lane ${lang}` }, { kind: 'admin', id: 'test' });

    // The worker forms the team over the API; bad input names the field.
    const bad = await request(app).post('/api/v1/teams').set(auth).send({ communityId: community.id, name: 'H', skill: 'juggling', leadTelegramId: lead.id, leadName: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['areaIds', 'leadName', 'name', 'skill']);
    const street = (await request(app).post(`/api/v1/communities/${community.id}/areas`).set(auth).send({ name: 'Harbour Street', level: 'community' })).body.id as string;
    const unknownArea = await request(app).post('/api/v1/teams').set(auth).send({ communityId: community.id, name: 'Haircut team', skill: 'haircut', leadTelegramId: lead.id, leadName: 'Li', areaIds: ['area_nope'] });
    expect(unknownArea.body.error.details.fields).toEqual([expect.objectContaining({ field: 'areaIds.0', code: 'unknown_area' })]);
    const formed = await request(app).post('/api/v1/teams').set(auth).send({ communityId: community.id, name: lang === 'zh' ? '理发服务队' : 'Haircut team', skill: 'haircut', leadTelegramId: lead.id, leadName: lead.first_name, areaIds: [street] });
    expect(formed.status).toBe(201);
    const teamId = formed.body.id as string;
    // The team is in the directory: a service wish for its skill suggests it, with the skill as a reason.
    const wish = await request(app).post('/api/v1/wishes').set(auth).send({
      communityId: community.id, title: 'A haircut at home', description: 'She cannot leave her bed', category: 'service', skill: 'haircut', target: 1,
      deadline: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10), beneficiary: { alias: 'elder, Building 2' }, areaId: street, publish: true,
    });
    expect(wish.status).toBe(201);
    const matches = await request(app).get(`/api/v1/wishes/${wish.body.code}/matches`).set(auth);
    expect(matches.body.items[0]).toMatchObject({ resourceId: formed.body.resourceId });
    expect(matches.body.items[0].reasons.map((r: { code: string }) => r.code)).toContain('offers_skill');

    // The lead finds the join code in /myteams and links the team's group with it.
    const mine = await h.say(lead, privateChatOf(lead), '/myteams');
    const code = /<code>([0-9A-Z]{10})<\/code>/.exec(String(mine.params.text))![1]!;
    expect(formed.body.joinLink).toContain(`start=team_${code}`);
    const group = groupChat(-100_910_000 - n, lang === 'zh' ? '理发队' : 'Haircut team');
    await h.say(lead, group, `/teamchat ${code}`, (t) => L.linked.test(t));

    // Ten members join with the lead's link; a stranger's press is refused later.
    for (const m of members) await h.say(m, privateChatOf(m), `/start team_${code}`, (t) => L.joined.test(t));

    // A slot 25 minutes from now, three places: the card goes to the team's group.
    const startsAt = new Date(Date.now() + 25 * MINUTE);
    const badSlot = await request(app).post(`/api/v1/teams/${teamId}/requests`).set(auth).send({ title: 'Haircuts', slots: [{ startsAt: new Date(Date.now() - MINUTE).toISOString(), minutes: 5, place: '', places: 0 }] });
    expect(badSlot.status).toBe(400);
    expect(badSlot.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['slots.0.minutes', 'slots.0.place', 'slots.0.places', 'slots.0.startsAt']);
    let before = h.fake.calls.length;
    const title = lang === 'zh' ? '为卧床老人上门理发' : 'Haircuts for bed-bound elders';
    const made = await request(app).post(`/api/v1/teams/${teamId}/requests`).set(auth).send({ title, slots: [{ startsAt: startsAt.toISOString(), minutes: 90, place: 'Community centre, room 2', places: 3 }] });
    expect(made.status).toBe(201);
    const card = await sentTo(group.id, before, (t) => t.includes(title));
    const signUp = buttonsOf(card)[0]!.callback_data!;
    expect(signUp).toMatch(/^sg:SR-/);

    // Ten press Sign up at the same moment.
    before = h.fake.calls.length;
    // On a loaded machine a press may wait too long for its turn and be answered "busy": pressed again, as a person would.
    const pressUntilDone = async (m: TgUser) => {
      for (let tries = 0; ; tries++) {
        const answer = await h.press(m, resultMessage(card), signUp);
        if (!BUSY.test(String(answer.params.text)) || tries >= 5) return answer;
      }
    };
    const answers = await Promise.all(members.map(pressUntilDone));
    const texts = answers.map((a) => String(a.params.text));
    expect(texts.filter((t) => L.signedUp.test(t))).toHaveLength(3);
    expect(texts.filter((t) => L.full.test(t))).toHaveLength(7);
    const signed = members.filter((_, i) => L.signedUp.test(texts[i]!));
    await editedIn(group.id, before, L.threeOfThree);
    const stranger: TgUser = { id: 91_099 + n * 100, first_name: 'Stranger', language_code: lang };
    expect(String((await h.press(stranger, resultMessage(card), signUp)).params.text)).toMatch(lang === 'zh' ? /只有本队队员/ : /Only members of this team/);
    await h.settle();

    // The day before (a tick 20 hours ahead of the start), then the next tick once it was sent: one reminder each.
    before = h.fake.calls.length;
    await remindSlots(jobDeps(), new Date(startsAt.getTime() - 20 * 60 * MINUTE));
    await h.settle();
    expect((await remindSlots(jobDeps(), new Date(startsAt.getTime() - 19 * 60 * MINUTE))).reminded).toBe(0);
    await h.settle();
    for (const m of signed) expect(h.fake.calls.filter((c) => c.seq > before && c.method === 'sendMessage' && Number(c.params.chat_id) === m.id && L.day.test(String(c.params.text)))).toHaveLength(1);
    // Now, within the hour: "I'm here" and "Can't come" under it.
    before = h.fake.calls.length;
    await remindSlots(jobDeps(), new Date());
    const hourly = new Map<number, RecordedCall>();
    for (const m of signed) hourly.set(m.id, await sentTo(m.id, before, (t) => L.hour.test(t)));

    // Two check in (one shares a location); the third does not come.
    const [a, b, c] = signed as [TgUser, TgUser, TgUser];
    const here = (u: TgUser) => buttonsOf(hourly.get(u.id)!).find((x) => x.callback_data?.startsWith('ci:'))!.callback_data!;
    before = h.fake.calls.length;
    expect(String((await h.press(a, resultMessage(hourly.get(a.id)!), here(a))).params.text)).toMatch(L.checkedIn);
    const doneMessage = await sentTo(a.id, before, (t, call) => L.checkedIn.test(t) && buttonsOf(call).length === 1);
    await h.press(b, resultMessage(hourly.get(b.id)!), here(b));
    const location = h.fake.textUpdate(a, privateChatOf(a), '') as unknown as { message: Record<string, unknown> };
    delete location.message.text;
    location.message.location = { latitude: 31.2304, longitude: 121.4737 };
    before = h.fake.calls.length;
    h.fake.pushUpdate(location);
    await sentTo(lead.id, before, (t) => L.arrived.test(t) && t.includes('31.2304'));

    // 25 minutes after the start: c is a no-show, recorded once; the lead is asked and opens the place.
    before = h.fake.calls.length;
    const late = new Date(startsAt.getTime() + 25 * MINUTE);
    expect((await recordNoShows(jobDeps(), late)).noShows).toBe(1);
    expect((await recordNoShows(jobDeps(), late)).noShows).toBe(0);
    const asked = await sentTo(lead.id, before, (t) => L.noShow.test(t) && t.includes(c.first_name));
    before = h.fake.calls.length;
    await h.press(lead, resultMessage(asked), buttonsOf(asked)[0]!.callback_data!);
    await sentTo(group.id, before, (t) => L.opened.test(t));
    await editedIn(group.id, before, L.twoOfThree);

    // a is done; the lead confirms; a's hours are counted (b checked in but was not confirmed).
    before = h.fake.calls.length;
    await h.press(a, resultMessage(doneMessage), buttonsOf(doneMessage)[0]!.callback_data!);
    const toConfirm = await sentTo(lead.id, before, (t) => L.doneToLead.test(t));
    await h.press(lead, resultMessage(toConfirm), buttonsOf(toConfirm)[0]!.callback_data!);
    await sentTo(a.id, before, (t) => L.confirmed.test(t));
    await h.say(a, privateChatOf(a), '/myhours', (t) => L.hours.test(t));
    const hours = await request(app).get(`/api/v1/teams/${teamId}/hours`).set(auth);
    expect(hours.status).toBe(200);
    const byName = new Map(hours.body.members.map((m: { name: string; hours: number }) => [m.name, m.hours]));
    expect([byName.get(a.first_name), byName.get(b.first_name), byName.get(c.first_name)]).toEqual([1.5, 0, 0]);
    // The API shows who holds each place now.
    const listed = await request(app).get(`/api/v1/teams/${teamId}/requests`).set(auth);
    expect(listed.body.items[0].slots[0]).toMatchObject({ places: 3, free: 1 });
    await h.settle();
  });

  it("a team whose chat is a forum topic: /teamchat in the topic, and its cards and news go into that topic", async () => {
    const lead: TgUser = { id: 91_900, first_name: 'Tao', language_code: 'en' };
    const member: TgUser = { id: 91_901, first_name: 'Mia', language_code: 'en' };
    for (const u of [lead, member]) h.fake.startUser(u.id);
    await h.say(lead, privateChatOf(lead), '/start');
    const community = await h.runtime.services.communities.create({ name: 'Topic Lane' }, { kind: 'admin', id: 'test' });
    const street = (await request(app).post(`/api/v1/communities/${community.id}/areas`).set(auth).send({ name: 'Quay Street', level: 'community' })).body.id as string;
    const base = { communityId: community.id, name: 'Repairs team', skill: 'repairs', leadTelegramId: lead.id, leadName: lead.first_name, areaIds: [street] };
    // A topic is a topic of some group: without the group the API names what is missing.
    const noGroup = await request(app).post('/api/v1/teams').set(auth).send({ ...base, chatTopicId: 12 });
    expect(noGroup.status).toBe(400);
    expect(noGroup.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['chatId']);
    const formed = await request(app).post('/api/v1/teams').set(auth).send(base);
    const teamId = formed.body.id as string;
    const code = /start=team_([0-9A-Z]{10})/.exec(formed.body.joinLink as string)![1]!;

    // The community's big group is a forum; the lead sends /teamchat in its "Repairs" topic (thread 77).
    const forum = { ...groupChat(-100_919_000, 'Quay Street neighbours'), is_forum: true };
    const inTopic = h.fake.textUpdate(lead, forum, `/teamchat ${code}`) as unknown as { message: Record<string, unknown> };
    inTopic.message.message_thread_id = 77;
    inTopic.message.is_topic_message = true;
    let before = h.fake.calls.length;
    h.fake.pushUpdate(inTopic as never);
    const linked = await sentTo(forum.id, before, (t) => /This topic is now/.test(t));
    expect(linked.params.message_thread_id).toBe(77);
    expect((await request(app).get(`/api/v1/teams/${teamId}`).set(auth)).body).toMatchObject({ hasChat: true, chatTopicId: 77 });
    await h.say(member, privateChatOf(member), `/start team_${code}`, (t) => /Welcome to/.test(t));

    // The request's card goes into the topic; a sign-up edits it where it is.
    before = h.fake.calls.length;
    const made = await request(app).post(`/api/v1/teams/${teamId}/requests`).set(auth).send({ title: 'Fix a door', slots: [{ startsAt: new Date(Date.now() + 3 * 60 * MINUTE).toISOString(), minutes: 60, place: 'home', places: 2 }] });
    expect(made.status).toBe(201);
    const card = await sentTo(forum.id, before, (t) => t.includes('Fix a door'));
    expect(card.params.message_thread_id).toBe(77);
    expect(h.fake.message(forum.id, resultMessage(card).message_id)).toMatchObject({ message_thread_id: 77, is_topic_message: true });
    before = h.fake.calls.length;
    expect(String((await h.press(member, resultMessage(card), buttonsOf(card)[0]!.callback_data!)).params.text)).toMatch(/You're signed up for/);
    const details = await sentTo(member.id, before, (t) => /Fix a door/.test(t));
    const edited = await editedIn(forum.id, before, /1 of 2 places taken/);
    expect(edited.params.message_thread_id).toBeUndefined();

    // The member can't come after all: the place opens, said in the topic.
    before = h.fake.calls.length;
    await h.press(member, resultMessage(details), buttonsOf(details).find((b) => b.callback_data?.startsWith('sl:'))!.callback_data!);
    const opened = await sentTo(forum.id, before, (t) => /A place opened/.test(t));
    expect(opened.params.message_thread_id).toBe(77);
    await h.settle();
  });
});
