import request from 'supertest';
import { donorUser, Harness, privateChatOf, startHarness, users } from '../support/bot-harness';
import { useTestDatabase } from '../support/db';
import { buildApp } from '../support/http';
import { eventText } from '../../src/http/console/timeline';
import { PageContext } from '../../src/http/console/context';
import { Actor, WishEvent } from '../../src/domain/wish/types';
import { t as translate } from '../../src/ui/i18n';
import { Language } from '../../src/domain/community';
import type { TgUser } from '../fake-telegram';

const admin: Actor = { kind: 'admin', id: 'test' };
const ALIAS = 'elderly resident, Building 3';

/** The relayed messages as the person received them: the bot's sends into their private chat. */
const sendsTo = (h: Harness, chatId: number) => h.fake.callsOf('sendMessage').filter((c) => c.ok && Number(c.params.chat_id) === chatId);

function pageContext(lang: Language, actor: Actor): PageContext {
  return { lang, t: (key, params) => translate(lang, key, params), actor, csrf: '', url: '/', timezone: 'Asia/Shanghai', currency: 'CNY', hasExports: false };
}

describe('a conversation through the bot: resident or donor and the worker, without each other’s contact', () => {
  const db = useTestDatabase();
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(db);
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** A community with a worker who follows a published wish, and a resident linked by the worker's one-time link. */
  async function setup(n: number, lang: Language) {
    const worker: TgUser = { ...users.worker, id: users.worker.id + n, username: 'wang_the_worker', language_code: lang };
    const resident: TgUser = { ...users.resident, id: users.resident.id + n, first_name: 'Rosa', last_name: 'Lindqvist', username: 'rosa_l', language_code: lang };
    for (const u of [worker, resident]) h.fake.startUser(u.id);
    const community = await h.runtime.services.communities.create({ name: `Harbour ${n}` }, admin);
    await h.say(worker, privateChatOf(worker), '/start');
    await h.runtime.people.addWorkerCommunities(worker.id, [community.id], new Date());
    const { state: created } = await h.runtime.services.wishes.create(
      {
        communityId: community.id,
        title: 'Reading glasses',
        description: 'Her old pair broke.',
        category: 'goods',
        target: 1,
        deadline: new Date(Date.now() + 10 * 86_400_000),
        urgency: 'normal',
        beneficiary: { alias: ALIAS, name: 'Rosa Lindqvist', contact: '555-0199' },
        workerTelegramId: worker.id,
      },
      { kind: 'worker', id: `tg:${worker.id}`, telegramId: worker.id, communityIds: [community.id] },
      { publish: true },
    );
    const invite = await h.runtime.invites.linkResident(created.id, { kind: 'worker', id: `tg:${worker.id}`, communityIds: [community.id] });
    await h.say(resident, privateChatOf(resident), `/start resident_${invite.token}`, (text) => text.includes(created.code));
    // As it is once the resident is linked (a resident_linked event).
    const wish = await h.runtime.services.wishes.get(created.id);
    return { worker, resident, wish, community };
  }

  async function reply(user: TgUser, to: { message_id: number }, text: string) {
    const after = h.fake.calls.length;
    const replied = h.fake.message(user.id, to.message_id);
    expect(replied).toBeDefined();
    const update = h.fake.textUpdate(user, privateChatOf(user), text) as unknown as { message: Record<string, unknown> };
    update.message.reply_to_message = replied;
    h.fake.pushUpdate(update as never);
    return h.fake.waitForCall((c) => c.seq > after && c.method === 'sendMessage' && Number(c.params.chat_id) === user.id, 30_000);
  }

  it('relays a resident’s words to the worker and the worker’s reply back, naming neither’s Telegram account; staff see both in the history, auditors not their words', async () => {
    const { worker, resident, wish, community } = await setup(1, 'en');

    const ack = await h.say(resident, privateChatOf(resident), 'When will the glasses come? I have a letter to read.', (t) => t.includes('social worker about'));
    expect(String(ack.params.text)).toContain(`social worker about ${wish.code}`);
    await h.settle();
    const relayed = sendsTo(h, worker.id).find((c) => String(c.params.text).includes('I have a letter to read'));
    expect(relayed).toBeDefined();
    const relayedText = String(relayed!.params.text);
    expect(relayedText).toContain(`💬 Resident of ${wish.code} “Reading glasses”`);
    expect(relayedText).toContain(ALIAS);
    for (const secret of ['Rosa', 'Lindqvist', 'rosa_l', String(resident.id), '555-0199']) expect(relayedText).not.toContain(secret);

    // The worker answers by replying to it; the resident hears the worker's first name, nothing more.
    const sent = await reply(worker, relayed!.result as { message_id: number }, 'Friday morning, I will bring them myself.');
    expect(String(sent.params.text)).toContain(`resident of ${wish.code}`);
    await h.settle();
    const answer = sendsTo(h, resident.id).find((c) => String(c.params.text).includes('Friday morning'));
    expect(answer).toBeDefined();
    const answerText = String(answer!.params.text);
    expect(answerText).toContain(`💬 Your social worker Wang about ${wish.code}`);
    for (const secret of ['Worker', 'wang_the_worker', String(worker.id)]) expect(answerText).not.toContain(secret);

    // A reply to anything else from the bot is not taken for an answer.
    const welcome = sendsTo(h, worker.id)[0]!;
    const other = await reply(worker, welcome.result as { message_id: number }, 'just a note');
    expect(String(other.params.text)).not.toContain(wish.code);

    // Both messages are in the wish's history; the card and the wish itself are unchanged.
    const history = await h.runtime.services.wishes.history(wish.id);
    const messages = history.filter((e): e is Extract<WishEvent, { type: 'message' }> => e.type === 'message');
    expect(messages.map((m) => [m.from, m.text])).toEqual([
      ['resident', 'When will the glasses come? I have a letter to read.'],
      ['worker', 'Friday morning, I will bring them myself.'],
    ]);
    expect(messages[1]!.to).toEqual({ kind: 'resident', id: `tg:${resident.id}` });
    // Their words are stored sealed under DATA_KEY, as a beneficiary's notes are.
    const stored = JSON.stringify(await db.conn.db!.collection('wish_events').find({ wishId: wish.id, type: 'message' }).toArray());
    expect(stored).not.toContain('letter to read');
    expect(stored).not.toContain('Friday morning');
    const now = await h.runtime.services.wishes.get(wish.id);
    expect([now.status, now.pledged, now.updatedAt.getTime()]).toEqual([wish.status, 0, wish.updatedAt.getTime()]);

    // Staff read the words in the console's timeline; an auditor only that a message was relayed.
    const staffLine = eventText(messages[0]!, now, pageContext('en', admin));
    expect(staffLine).toBe('Resident wrote: When will the glasses come? I have a letter to read.');
    const auditor: Actor = { kind: 'auditor', id: 'committee', communityIds: [community.id] };
    for (const m of messages) expect(eventText(m, now, pageContext('en', auditor))).not.toMatch(/glasses|Friday/);

    // The API's history: the same for staff and auditors.
    const app = buildApp(db, h.runtime.services);
    const issued = await h.runtime.services.tokens.issue({ role: 'auditor', communityIds: [community.id], label: 'Committee' }, admin);
    const asAuditor = await request(app).get(`/api/v1/wishes/${wish.id}/events`).set('Authorization', `Bearer ${issued.token}`);
    expect(asAuditor.status).toBe(200);
    const auditorBody = JSON.stringify(asAuditor.body);
    expect(auditorBody).toContain('"type":"message"');
    // (A worker acting is named to auditors, as on every event; their first name as signed is not kept for them.)
    for (const secret of ['letter to read', 'Friday morning', String(resident.id), 'fromName', 'key']) expect(auditorBody).not.toContain(secret);
    const workerToken = await h.runtime.services.tokens.issue({ role: 'worker', communityIds: [community.id], label: 'Wang', telegramId: worker.id }, admin);
    const asWorker = await request(app).get(`/api/v1/wishes/${wish.id}/events`).set('Authorization', `Bearer ${workerToken.token}`);
    expect(JSON.stringify(asWorker.body)).toContain('letter to read');

    // The wish's history export is its ledger: a message is no row of it.
    const ledger = await request(app).get(`/api/v1/exports/wishes/${wish.id}/history.csv`).set('Authorization', `Bearer ${workerToken.token}`);
    expect(ledger.status).toBe(200);
    expect(ledger.text).toContain(wish.code);
    expect(ledger.text).not.toMatch(/letter to read|Friday morning/);
    expect(ledger.text.trim().split('\n')).toHaveLength(3);
  });

  it('relays a donor’s words about their pledge under their public name, and the worker’s answer back', async () => {
    const { worker, wish } = await setup(2, 'en');
    const donor = { ...donorUser(2), last_name: 'Smithson', username: 'smithson_bob' };
    h.fake.startUser(donor.id);
    await h.say(donor, privateChatOf(donor), '/start');
    await h.runtime.people.setDonorProfile(donor.id, { type: 'business', displayName: 'Harbour Bakery', anonymous: false }, new Date());
    await h.runtime.services.wishes.execute(wish.id, { type: 'claim', donor: { donorId: `tg:${donor.id}`, displayName: 'Harbour Bakery' } }, { kind: 'donor', id: `tg:${donor.id}`, telegramId: donor.id });
    await h.settle();

    const ack = await h.say(donor, privateChatOf(donor), 'Can I bring them on Saturday?', (text) => text.includes(wish.code));
    expect(String(ack.params.text)).toContain('passed your message');
    await h.settle();
    const relayed = sendsTo(h, worker.id).find((c) => String(c.params.text).includes('on Saturday'));
    expect(relayed).toBeDefined();
    const relayedText = String(relayed!.params.text);
    expect(relayedText).toContain(`💬 Harbour Bakery, about their pledge on ${wish.code}`);
    for (const secret of ['Donor2', 'Smithson', 'smithson_bob', String(donor.id)]) expect(relayedText).not.toContain(secret);

    await reply(worker, relayed!.result as { message_id: number }, 'Saturday is fine.');
    await h.settle();
    const answer = sendsTo(h, donor.id).find((c) => String(c.params.text).includes('Saturday is fine'));
    expect(String(answer?.params.text)).toContain(`about your pledge on ${wish.code}`);
    expect(String(answer?.params.text)).not.toContain('wang_the_worker');
    // The donor never hears from or about the resident.
    expect(sendsTo(h, donor.id).some((c) => /Rosa|Lindqvist|rosa_l/.test(String(c.params.text)))).toBe(false);
    const history = await h.runtime.services.wishes.history(wish.id);
    expect(history.filter((e) => e.type === 'message').map((e) => (e as Extract<WishEvent, { type: 'message' }>).from)).toEqual(['donor', 'worker']);
  });

  it('relays in Chinese', async () => {
    const { worker, resident, wish } = await setup(3, 'zh');
    const ack = await h.say(resident, privateChatOf(resident), '眼镜什么时候到？', (t) => t.includes('社工'));
    expect(String(ack.params.text)).toContain('社工');
    await h.settle();
    const relayed = sendsTo(h, worker.id).find((c) => String(c.params.text).includes('眼镜什么时候到'));
    expect(String(relayed?.params.text)).toContain(`${wish.code}「Reading glasses」的居民`);
    await reply(worker, relayed!.result as { message_id: number }, '周五送到。');
    await h.settle();
    expect(sendsTo(h, resident.id).some((c) => String(c.params.text).includes('您的社工') && String(c.params.text).includes('周五送到'))).toBe(true);
  });

  it('marks the words of a resident of several live wishes with the newest, and refuses a message too long', async () => {
    const { worker, resident, wish, community } = await setup(4, 'en');
    const workerActor: Actor = { kind: 'worker', id: `tg:${worker.id}`, telegramId: worker.id, communityIds: [community.id] };
    const { state: second } = await h.runtime.services.wishes.create(
      { communityId: community.id, title: 'Warm blanket', description: 'For winter.', category: 'goods', target: 1, deadline: new Date(Date.now() + 10 * 86_400_000), urgency: 'normal', beneficiary: { alias: ALIAS }, workerTelegramId: worker.id },
      workerActor,
      { publish: true },
    );
    const invite = await h.runtime.invites.linkResident(second.id, workerActor);
    await h.say(resident, privateChatOf(resident), `/start resident_${invite.token}`, (text) => text.includes(second.code));
    const ack = await h.say(resident, privateChatOf(resident), 'Is the blanket wool?');
    expect(String(ack.params.text)).toContain(second.code);
    await h.settle();
    expect(sendsTo(h, worker.id).some((c) => String(c.params.text).includes(`${second.code} “Warm blanket”`) && String(c.params.text).includes('Is the blanket wool?'))).toBe(true);
    const messagesOf = async (id: string) => (await h.runtime.services.wishes.history(id)).filter((e) => e.type === 'message').length;
    expect([await messagesOf(wish.id), await messagesOf(second.id)]).toEqual([0, 1]);

    const tooLong = await h.say(resident, privateChatOf(resident), 'x'.repeat(1001));
    expect(String(tooLong.params.text)).toContain('too long');
    expect(await messagesOf(second.id)).toBe(1);
  });

  it('still points someone with nothing to relay at /help', async () => {
    const stranger = donorUser(9);
    h.fake.startUser(stranger.id);
    const answer = await h.say(stranger, privateChatOf(stranger), 'hello?');
    expect(String(answer.params.text)).toContain('/help');
  });
});
