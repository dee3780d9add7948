import { testLogger } from '../support/privacy-record';
import request from 'supertest';
import type { Express } from 'express';
import { useTestDatabase } from '../support/db';
import { groupChat, Harness, privateChatOf, startHarness, users } from '../support/bot-harness';
import type { RecordedCall, TgUser } from '../fake-telegram';
import { createApp } from '../../src/http/create-app';

// Issue 13's stories, in English and Chinese, through the real bot, the fake Bot API and the real HTTP
// app: a resident's need in their own words -> the worker's draft -> the resident sees the card as the
// group will and asks for a change -> the worker edits -> the resident approves -> the card is posted ->
// a donor claims -> delivery -> the resident's one question names the donor -> thanks. And the same
// with "Keep it private": no group ever sees it; one donor the worker invites does.

type Button = { text: string; callback_data?: string };
const buttonsOf = (c: RecordedCall): Button[] => ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const resultMessage = (c: RecordedCall) => c.result as { chat: { id: number }; message_id: number; text: string };
const WAIT = 30_000;

const TEXTS = {
  en: {
    words: 'I need someone to fix the light in my kitchen, it has been dark for a week',
    change: 'Please do not say it has been a week, just that the light is broken',
    edited: 'The kitchen light is broken and needs fixing',
    preview: /exactly as the community's groups would see it/,
    askChanges: /What would you like changed/,
    changesSent: /Sent to your worker/,
    published: /is published as you saw it/,
    keptPrivate: /stays out of the groups/,
    workerGiven: /agreed to the card as shown/,
    workerPrivate: /wants it kept private/,
    claimed: (donor: string) => `${donor} will come for your wish`,
    visited: (donor: string) => `${donor} says the visit for your wish`,
    fulfilled: /fulfilled/,
    thanksPrompt: /thank-you|thanks/i,
    thanks: 'Thank you so much, the kitchen is bright again!',
    claim: /Claim/,
    privateCard: /invited to help/,
  },
  zh: {
    words: '我家厨房的灯坏了一个星期了，需要有人帮忙修',
    change: '请不要写一个星期，只写灯坏了就好',
    edited: '厨房的灯坏了，需要有人帮忙修理',
    preview: /在社区群里将显示的样子/,
    askChanges: /改哪里/,
    changesSent: /已转给您的社工/,
    published: /已按您看到的样子发布/,
    keptPrivate: /不会出现在群里/,
    workerGiven: /同意按此卡片发布/,
    workerPrivate: /希望不公开/,
    claimed: (donor: string) => `${donor}认领了您的心愿`,
    visited: (donor: string) => `${donor}说您的心愿`,
    fulfilled: /实现|完成/,
    thanksPrompt: /感谢|谢/,
    thanks: '太感谢了，厨房又亮了！',
    claim: /认领/,
    privateCard: /受邀帮助/,
  },
} as const;

describe('the resident decides what is published: whole stories through the bot', () => {
  const db = useTestDatabase();
  let h: Harness;
  let app: Express;
  let token: string;

  beforeAll(async () => {
    h = await startHarness(db, { adminApiToken: 'consent-story-admin-token-0123456789' });
    token = 'consent-story-admin-token-0123456789';
    app = createApp({ ...h.runtime.appDeps(), logger: testLogger(), clock: () => new Date(), isDatabaseReady: async () => true });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const sentTo = (chatId: number, after: number, match: (text: string, c: RecordedCall) => boolean = () => true) =>
    h.fake.waitForCall((c) => c.seq > after && c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === chatId && match(String(c.params.text ?? ''), c), WAIT);

  async function press(user: TgUser, message: RecordedCall, data: string) {
    return h.press(user, resultMessage(message), data);
  }

  /** A community with a worker and one group in `lang`; the resident tells their need through the intake link. */
  async function intake(lang: 'en' | 'zh', n: number) {
    const L = TEXTS[lang];
    const admin = { ...users.admin, language_code: lang };
    const worker: TgUser = { id: 71_000 + n, first_name: 'Wang', language_code: lang };
    const resident: TgUser = { id: 81_000 + n, first_name: 'Mei', username: 'mei_secret_handle', language_code: lang };
    const donor: TgUser = { id: 91_000 + n, first_name: lang === 'zh' ? '李师傅' : 'Sparky', language_code: lang };
    for (const u of [admin, worker, resident, donor]) h.fake.startUser(u.id);
    const community = await h.runtime.services.communities.create({ name: `Lamp Lane ${lang}${n}` }, { kind: 'admin', id: 'test' });
    const invite = await h.say(admin, privateChatOf(admin), `/invite ${community.linkCode}`);
    await h.say(worker, privateChatOf(worker), `/start worker_${/start=worker_([0-9A-Z]+)/.exec(String(invite.params.text))![1]}`);
    const group = groupChat(-100_900_000 - n, `Lamp Lane ${lang}`);
    await h.runtime.groups.link(group.id, group.title!, community.id, worker.id, new Date());
    await h.runtime.groups.setLanguage(group.id, lang, new Date());

    // The resident, in their own words, then four buttons.
    await h.say(resident, privateChatOf(resident), `/start ask_${community.linkCode}`);
    let question = await h.say(resident, privateChatOf(resident), L.words);
    for (const data of ['ik:w:this_week', 'ik:u:normal', 'ik:m:yes']) {
      const before = h.fake.calls.length;
      await press(resident, question, data);
      question = await sentTo(resident.id, before);
    }
    const before = h.fake.calls.length;
    await press(resident, question, 'ik:h:telegram');
    const toWorker = await sentTo(worker.id, before, (_t, c) => buttonsOf(c).some((b) => b.callback_data?.startsWith('ikd:')));

    // The worker makes the draft: the resident is shown its card at once, before anyone else sees it.
    const beforeDraft = h.fake.calls.length;
    await press(worker, toWorker, buttonsOf(toWorker).find((b) => b.callback_data?.startsWith('ikd:'))!.callback_data!);
    const drafted = await sentTo(worker.id, beforeDraft, (t) => /W-\d+/.test(t));
    const code = /W-\d+/.exec(String(drafted.params.text))![0];
    const preview = await sentTo(resident.id, beforeDraft, (t) => L.preview.test(t));
    expect(String(preview.params.text)).toContain(code);
    expect(buttonsOf(preview).map((b) => b.callback_data)).toEqual([expect.stringMatching(/^cs:.*:g$/), expect.stringMatching(/^cs:.*:c$/), expect.stringMatching(/^cs:.*:p$/)]);
    return { L, worker, resident, donor, group, community, code, preview };
  }

  const groupTexts = (chatId: number) => h.fake.calls.filter((c) => c.ok && Number(c.params.chat_id) === chatId).map((c) => String(c.params.text ?? ''));

  it.each([
    ['en', 1],
    ['zh', 2],
  ] as const)('in %s: intake, a change asked and made, approval, publication, claim, delivery, one confirmation naming the donor, thanks', async (lang, n) => {
    const { L, worker, resident, donor, group, code, preview } = await intake(lang, n);
    expect(groupTexts(group.id).some((t) => t.includes(code))).toBe(false);

    // "Ask for changes": their words reach the worker, marked with the wish; nothing is published.
    let before = h.fake.calls.length;
    await press(resident, preview, buttonsOf(preview)[1]!.callback_data!);
    await sentTo(resident.id, before, (t) => L.askChanges.test(t));
    before = h.fake.calls.length;
    await h.say(resident, privateChatOf(resident), L.change, (t) => L.changesSent.test(t));
    const relayed = await sentTo(worker.id, before, (t) => t.includes(L.change));
    expect(String(relayed.params.text)).toContain(code);
    expect(String(relayed.params.text)).not.toContain('mei_secret_handle');
    expect(String(relayed.params.text)).not.toContain(String(resident.id));
    expect((await request(app).post(`/api/v1/wishes/${code}/publish`).set('Authorization', `Bearer ${token}`)).body.error.code).toBe('consent_needed');

    // The worker edits; the resident is shown the new card; the old preview's buttons no longer publish.
    before = h.fake.calls.length;
    const edit = await request(app).patch(`/api/v1/wishes/${code}`).set('Authorization', `Bearer ${token}`).send({ description: L.edited });
    expect(edit.status).toBe(200);
    const second = await sentTo(resident.id, before, (t) => L.preview.test(t) && t.includes(L.edited));
    const stale = await press(resident, preview, buttonsOf(preview)[0]!.callback_data!);
    expect(String(stale.params.text ?? '')).not.toBe('');
    expect((await h.runtime.services.wishes.get(code)).status).toBe('draft');

    // "Publish as shown": the card the resident saw goes to the group.
    before = h.fake.calls.length;
    await press(resident, second, buttonsOf(second)[0]!.callback_data!);
    await sentTo(resident.id, before, (t) => L.published.test(t));
    const card = await sentTo(group.id, before, (t) => t.includes(code));
    expect(String(card.params.text)).toContain(L.edited);
    // Exactly the card they agreed to.
    expect(String(second.params.text)).toContain(String(card.params.text));
    await sentTo(worker.id, before, (t) => L.workerGiven.test(t));
    const history = await h.runtime.services.wishes.history(code);
    expect(history.filter((e) => e.type === 'consent').map((e) => e.type === 'consent' && [e.purpose, e.answer, e.via])).toEqual([
      ['publish', 'changes', 'resident'],
      ['publish', 'given', 'resident'],
    ]);
    const yes = history.findIndex((e) => e.type === 'consent' && e.answer === 'given');
    expect(yes).toBeLessThan(history.findIndex((e) => e.type === 'published'));
    // What they agreed to is kept with their answer: the card as they saw it.
    expect(history[yes]).toMatchObject({ card: String(card.params.text) });

    // A donor claims in the group; the resident hears who; the donor marks it done.
    before = h.fake.calls.length;
    const claimButton = buttonsOf(card).find((b) => L.claim.test(b.text))!;
    await h.press(donor, resultMessage(card), claimButton.callback_data!);
    await sentTo(resident.id, before, (t) => t.includes(L.claimed(donor.first_name)));
    const nextSteps = await sentTo(donor.id, before, (_t, c) => buttonsOf(c).some((b) => b.callback_data?.startsWith('dl:')));
    before = h.fake.calls.length;
    await press(donor, nextSteps, buttonsOf(nextSteps).find((b) => b.callback_data?.startsWith('dl:'))!.callback_data!);
    const question = await sentTo(resident.id, before, (t) => t.includes(L.visited(donor.first_name)));
    await h.settle();
    const questions = h.fake.calls.filter((c) => c.seq > before && c.method === 'sendMessage' && Number(c.params.chat_id) === resident.id);
    expect(questions).toHaveLength(1);

    // The one confirmation, then the thank-you that reaches the donor.
    before = h.fake.calls.length;
    await press(resident, question, buttonsOf(question)[0]!.callback_data!);
    const fulfilled = await sentTo(resident.id, before, (_t, c) => buttonsOf(c).some((b) => b.callback_data?.startsWith('ty:')));
    expect((await h.runtime.services.wishes.get(code)).status).toBe('fulfilled');
    before = h.fake.calls.length;
    await press(resident, fulfilled, buttonsOf(fulfilled).find((b) => b.callback_data?.startsWith('ty:'))!.callback_data!);
    await sentTo(resident.id, before, (t) => L.thanksPrompt.test(t));
    before = h.fake.calls.length;
    await h.say(resident, privateChatOf(resident), L.thanks);
    const relayedThanks = await sentTo(donor.id, before, (t) => t.includes(L.thanks));
    expect(String(relayedThanks.params.text)).not.toContain('mei_secret_handle');
  });

  it.each([
    ['en', 3],
    ['zh', 4],
  ] as const)('in %s: "Keep it private" - no group ever sees it; one invited donor claims it privately and the story ends the same', async (lang, n) => {
    const { L, worker, resident, donor, group, code, preview } = await intake(lang, n);
    let before = h.fake.calls.length;
    await press(resident, preview, buttonsOf(preview)[2]!.callback_data!);
    await sentTo(resident.id, before, (t) => L.keptPrivate.test(t));
    await sentTo(worker.id, before, (t) => L.workerPrivate.test(t));
    const wish = await h.runtime.services.wishes.get(code);
    expect(wish.lifecycle).toBe('published');
    expect(wish.consents?.publish?.answer).toBe('private');

    // The console offers the same one-time link for one donor, shown once.
    const agent = request.agent(app);
    await agent.post('/console/sign-in').type('form').send({ token });
    const page = await agent.get(`/console/wishes/${code}`);
    expect(page.text).toContain('Private link for one donor');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const consoleLink = await agent.post(`/console/wishes/${code}/donor-link`).type('form').send({ _csrf: csrf });
    expect(consoleLink.text).toMatch(/start=donor_[0-9A-Z]+/);

    // The worker's one-time link for one donor: the card, with its buttons, in the donor's own chat.
    const link = await h.say(worker, privateChatOf(worker), `/privatelink ${code}`);
    const startToken = /start=(donor_[0-9A-Z]+)/.exec(String(link.params.text))![1]!;
    const privateCard = await h.say(donor, privateChatOf(donor), `/start ${startToken}`);
    expect(String(privateCard.params.text)).toMatch(L.privateCard);
    expect(String(privateCard.params.text)).toContain(code);
    const claimButton = buttonsOf(privateCard).find((b) => L.claim.test(b.text))!;
    before = h.fake.calls.length;
    await press(donor, privateCard, claimButton.callback_data!);
    await sentTo(resident.id, before, (t) => t.includes(L.claimed(donor.first_name)));
    const nextSteps = await sentTo(donor.id, before, (_t, c) => buttonsOf(c).some((b) => b.callback_data?.startsWith('dl:')));
    before = h.fake.calls.length;
    await press(donor, nextSteps, buttonsOf(nextSteps).find((b) => b.callback_data?.startsWith('dl:'))!.callback_data!);
    const question = await sentTo(resident.id, before, (t) => t.includes(L.visited(donor.first_name)));
    before = h.fake.calls.length;
    await press(resident, question, buttonsOf(question)[0]!.callback_data!);
    await sentTo(resident.id, before, (_t, c) => buttonsOf(c).some((b) => b.callback_data?.startsWith('ty:')));
    expect((await h.runtime.services.wishes.get(code)).status).toBe('fulfilled');

    // The link works once; and nothing about this wish ever reached the group: no card, no thanks, no digest.
    const reused = await h.say(donor, privateChatOf(donor), `/start ${startToken}`);
    expect(String(reused.params.text)).not.toContain(code);
    await h.settle();
    expect(groupTexts(group.id).filter((t) => t.includes(code))).toEqual([]);
  });
});
