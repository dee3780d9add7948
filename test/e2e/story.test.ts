import { useTestDatabase } from '../support/db';
import { donorUser, groupChat, Harness, privateChatOf, startHarness, users } from '../support/bot-harness';
import type { RecordedCall } from '../fake-telegram';

type Button = { text: string; callback_data?: string; url?: string };
const buttonsOf = (c: RecordedCall): Button[] => ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const resultMessage = (c: RecordedCall) => c.result as { chat: { id: number }; message_id: number; text: string };

const NOTES = 'Room 402, key under the mat';
const CONTACT_HINT = '555-0199';

describe('the whole story in a group, through the real bot and a fake Bot API', () => {
  const db = useTestDatabase();
  let h: Harness;
  const groupTexts: string[] = [];

  beforeAll(async () => {
    h = await startHarness(db);
    h.fake.onCall((c) => {
      if (c.ok && Number(c.params.chat_id) < 0 && typeof c.params.text === 'string') groupTexts.push(c.params.text);
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function story(lang: 'en' | 'zh', groupId: number) {
    const L = lang === 'en'
      ? { claim: 'Claim', fulfilled: 'Fulfilled', thanks: 'Thank you' }
      : { claim: '认领', fulfilled: '已', thanks: '感谢' };
    const admin = { ...users.admin, language_code: lang };
    const worker = { ...users.worker, id: users.worker.id + groupId * -1, language_code: lang };
    const resident = { ...users.resident, id: users.resident.id + groupId * -1, language_code: lang };
    const donor = donorUser(groupId * -1, lang);
    const group = groupChat(groupId, `Harbour Street ${lang}`);
    h.fake.startUser(admin.id);
    h.fake.startUser(worker.id);
    h.fake.startUser(resident.id);

    // An admin makes a community and invites a worker with a one-time link.
    const community = await h.runtime.services.communities.create({ name: `Harbour Street ${lang}` }, { kind: 'admin', id: 'test' });
    const invite = await h.say(admin, privateChatOf(admin), `/invite ${community.linkCode}`);
    const token = /start=worker_([0-9A-Z]+)/.exec(String(invite.params.text))?.[1];
    expect(token).toBeDefined();
    await h.say(worker, privateChatOf(worker), `/start worker_${token}`);

    // The worker, an administrator of the group on Telegram, links it and sets its language.
    h.fake.pushUpdate(h.fake.myChatMemberUpdate(group, worker, 'member'));
    h.fake.setMemberStatus(group.id, worker.id, 'administrator');
    const linked = await h.say(worker, group, `/link ${community.linkCode}`, (t) => t.includes(community.name));
    expect(linked.ok).toBe(true);
    if (lang === 'zh') {
      const chooser = await h.say(worker, group, '/language');
      const answer = await h.press(worker, resultMessage(chooser), 'lang:zh');
      expect(answer.ok).toBe(true);
    }

    // The worker posts a wish step by step, with one malformed answer re-asked.
    const dm = privateChatOf(worker);
    await h.say(worker, dm, '/newwish');
    await h.say(worker, dm, 'Reading glasses +2.5');
    await h.say(worker, dm, 'Her old pair broke; she cannot read her letters.');
    const categoryQuestion = (h.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === worker.id).at(-1))!;
    await h.press(worker, resultMessage(categoryQuestion), 'nw:cat_goods');
    await h.fake.waitForCall((c) => c.seq > categoryQuestion.seq && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id);
    const reasked = await h.say(worker, dm, 'lots');
    expect(String(reasked.params.text)).toMatch(lang === 'en' ? /send a number/ : /数字/);
    await h.say(worker, dm, '1');
    const urgencyQuestion = await h.say(worker, dm, '14');
    await h.press(worker, resultMessage(urgencyQuestion), 'nw:urg_urgent');
    await h.fake.waitForCall((c) => c.seq > urgencyQuestion.seq && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id);
    await h.say(worker, dm, 'elderly resident, Building 3');
    const preview = await h.say(worker, dm, `${NOTES}, phone ${CONTACT_HINT}`);
    expect(String(preview.params.text)).toContain('Reading glasses');
    const before = h.fake.calls.length;
    await h.press(worker, resultMessage(preview), 'nw:publish');
    const residentLinkMsg = await h.fake.waitForCall((c) => c.seq > before && c.method === 'sendMessage' && /start=resident_/.test(String(c.params.text)));
    const code = /W-\d+/.exec(String(residentLinkMsg.params.text))![0];

    // The resident follows their one-time link.
    const residentToken = /start=resident_([0-9A-Z]+)/.exec(String(residentLinkMsg.params.text))![1];
    await h.say(resident, privateChatOf(resident), `/start resident_${residentToken}`, (t) => t.includes(code));

    // The card appears in the group with a Claim button.
    const card = await h.fake.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === groupId && String(c.params.text).includes(code));
    const claim = buttonsOf(card).find((b) => b.text.includes(L.claim));
    expect(claim?.callback_data).toBe(`c:${code}`);

    // A donor who never opened the bot claims: the answer opens the bot by deep link.
    const answer = await h.press(donor, resultMessage(card), claim!.callback_data!);
    expect(answer.ok).toBe(true);
    expect(String(answer.params.url)).toContain('?start=pledges');
    h.fake.startUser(donor.id);
    const pledges = await h.say(donor, privateChatOf(donor), '/start pledges', (t) => t.includes(code));
    const delivered = buttonsOf(pledges).find((b) => b.callback_data?.startsWith('dl:'));
    expect(delivered).toBeDefined();

    // The card now shows who claimed it, and the resident heard.
    await h.settle();
    const cardNow = h.fake.message(groupId, resultMessage(card).message_id)!;
    expect(cardNow.text).toContain(donor.first_name);
    expect(buttonsOf({ params: { reply_markup: cardNow.reply_markup } } as unknown as RecordedCall).some((b) => b.text.includes(L.claim))).toBe(false);
    expect(h.textsIn(resident.id).some((t) => t.includes(code))).toBe(true);

    // Delivery, then the worker confirms; the wish is fulfilled and the group thanks the donor.
    await h.press(donor, resultMessage(pledges), delivered!.callback_data!);
    await h.settle();
    const workerAsk = h.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === worker.id && buttonsOf(c).some((b) => b.callback_data?.startsWith('cf:'))).at(-1)!;
    const confirm = await h.press(worker, resultMessage(workerAsk), buttonsOf(workerAsk).find((b) => b.callback_data?.startsWith('cf:'))!.callback_data!);
    expect(confirm.ok).toBe(true);
    await h.settle();
    expect(h.textsIn(groupId).some((t) => t.includes(code) && t.includes(donor.first_name) && t.includes('🎉'))).toBe(true);
    expect((await h.runtime.services.wishes.get(code)).status).toBe('fulfilled');

    // The resident thanks the donors.
    const fulfilledMsg = h.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === resident.id && buttonsOf(c).some((b) => b.callback_data?.startsWith('ty:'))).at(-1)!;
    const askThanks = await h.press(resident, resultMessage(fulfilledMsg), `ty:${code}`);
    await h.fake.waitForCall((c) => c.seq > askThanks.seq && c.method === 'sendMessage' && Number(c.params.chat_id) === resident.id);
    await h.say(resident, privateChatOf(resident), 'Thank you so much, I can read again!');
    await h.settle();
    expect(h.textsIn(donor.id).some((t) => t.includes('I can read again'))).toBe(true);
    return { code };
  }

  it('runs from /link to thanks in English', async () => {
    await story('en', -100101);
  });

  it('runs from /link to thanks in Chinese', async () => {
    await story('zh', -100202);
  });

  it('never shows a resident’s notes, contact or identity in a group', () => {
    expect(groupTexts.length).toBeGreaterThan(5);
    for (const text of groupTexts) {
      expect(text).not.toContain(NOTES);
      expect(text).not.toContain(CONTACT_HINT);
      expect(text).not.toContain(users.resident.first_name);
    }
  });
});
