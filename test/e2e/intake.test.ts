import { useTestDatabase } from '../support/db';
import { BusyError } from '../../src/domain/errors';
import { Harness, privateChatOf, startHarness, testRuntime, users } from '../support/bot-harness';
import type { RecordedCall } from '../fake-telegram';
import { BUSY } from '../support/bot-and-api';

const resultMessage = (c: RecordedCall) => c.result as { chat: { id: number }; message_id: number; text: string };

// Intake in their own words: a resident opens the community's ask_ link, tells what they need, answers
// a few buttons; the community's worker receives it and makes a draft wish linked to the resident.
describe('intake in their own words, through the real bot and a fake Bot API', () => {
  const db = useTestDatabase();
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(db);
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function setUp(lang: 'en' | 'zh', n: number) {
    const worker = { ...users.worker, id: 70_000 + n, language_code: lang };
    const resident = { id: 80_000 + n, first_name: 'Mei', username: 'mei_private_handle', language_code: lang };
    const admin = { ...users.admin, language_code: lang };
    h.fake.startUser(admin.id);
    h.fake.startUser(worker.id);
    h.fake.startUser(resident.id);
    const community = await h.runtime.services.communities.create({ name: `Harbour ${lang}${n}` }, { kind: 'admin', id: 'test' });
    const invite = await h.say(admin, privateChatOf(admin), `/invite ${community.linkCode}`);
    const token = /start=worker_([0-9A-Z]+)/.exec(String(invite.params.text))![1];
    await h.say(worker, privateChatOf(worker), `/start worker_${token}`);
    return { worker, resident, community };
  }

  async function answer(user: { id: number }, question: RecordedCall, data: string, expectNext: (t: string) => boolean) {
    const before = h.fake.calls.length;
    await h.press(user as never, resultMessage(question), data);
    return h.fake.waitForCall((c) => c.seq > before && c.method === 'sendMessage' && Number(c.params.chat_id) === user.id && expectNext(String(c.params.text)), 30_000);
  }

  it.each([
    ['en', 1, 'I need help carrying shopping up to the fourth floor', /own words/, /passed this on/, /Make a draft wish/],
    ['zh', 2, '我需要有人帮我把买的菜搬上四楼', /自己的话/, /已经转达/, /生成心愿草稿/],
  ] as const)('in %s: a resident tells it, the worker makes a draft linked to them', async (lang, n, words, askRe, thanksRe, buttonRe) => {
    const { worker, resident, community } = await setUp(lang, n);
    const links = await h.say(worker, privateChatOf(worker), '/intakelink');
    expect(String(links.params.text)).toContain(`?start=ask_${community.linkCode}`);

    const ask = await h.say(resident, privateChatOf(resident), `/start ask_${community.linkCode}`);
    expect(String(ask.params.text)).toMatch(askRe);
    const byWhen = await h.say(resident, privateChatOf(resident), words);
    // While the flow waits for the answers, the words in the session are sealed too.
    const session = JSON.stringify(await h.runtime.botModels.BotSession.collection.findOne({ _id: `u:${resident.id}` as never }));
    expect(session).toContain('"flow":"intake"');
    expect(session).not.toContain(words);
    const urgency = await answer(resident, byWhen, 'ik:w:this_week', () => true);
    const mayContact = await answer(resident, urgency, 'ik:u:urgent', () => true);
    const how = await answer(resident, mayContact, 'ik:m:yes', () => true);
    const before = h.fake.calls.length;
    const thanks = await answer(resident, how, 'ik:h:phone', (t) => thanksRe.test(t));
    expect(thanks.ok).toBe(true);

    const toWorker = await h.fake.waitForCall((c) => c.seq > before && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id, 30_000);
    const text = String(toWorker.params.text);
    expect(text).toContain(words);
    expect(text).toContain('Mei');
    expect(text).not.toContain('mei_private_handle');
    expect(text).not.toContain(String(resident.id));
    const button = ((toWorker.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat())[0]!;
    expect(button.text).toMatch(buttonRe);

    // The stored words are sealed, not plaintext.
    const raw = JSON.stringify(await db.models.Intake.collection.find({ communityId: community.id }).toArray());
    expect(raw).not.toContain(words);

    const afterPress = h.fake.calls.length;
    await h.press(worker, resultMessage(toWorker), button.callback_data);
    const drafted = await h.fake.waitForCall((c) => c.seq > afterPress && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id, 30_000);
    const code = /W-\d+/.exec(String(drafted.params.text))![0];
    const wish = await h.runtime.services.wishes.get(code);
    expect(wish.status).toBe('draft');
    expect(wish.communityId).toBe(community.id);
    expect(wish.description).toBe(words);
    expect(wish.urgency).toBe('urgent');
    const person = await h.runtime.people.get(resident.id);
    expect(person?.residentOf).toContain(wish.id);

    // A second press makes no second draft.
    const again = await h.press(worker, resultMessage(toWorker), button.callback_data);
    expect(String(again.params.text ?? '')).not.toBe('');
    expect((await h.runtime.services.wishes.list({ communityIds: [community.id], limit: 10 })).length).toBe(1);
  });

  it('a voice message is kept by its file id and sent on to the worker; no contact wanted skips "how"', async () => {
    const { worker, resident, community } = await setUp('en', 3);
    await h.say(resident, privateChatOf(resident), `/start ask_${community.linkCode}`);
    const after = h.fake.calls.length;
    const update = h.fake.textUpdate(resident, privateChatOf(resident), 'x') as unknown as { message: Record<string, unknown> };
    delete update.message.text;
    update.message.voice = { file_id: 'VOICE-FILE-1', file_unique_id: 'v1', duration: 4 };
    h.fake.pushUpdate(update);
    const byWhen = await h.fake.waitForCall((c) => c.seq > after && c.method === 'sendMessage' && Number(c.params.chat_id) === resident.id, 30_000);
    const urgency = await answer(resident, byWhen, 'ik:w:no_rush', () => true);
    const mayContact = await answer(resident, urgency, 'ik:u:normal', () => true);
    const before = h.fake.calls.length;
    await answer(resident, mayContact, 'ik:m:no', (t) => /passed this on/.test(t));
    // Through the outbox: the voice itself, with the request as its caption and the button under it.
    const voice = await h.fake.waitForCall((c) => c.seq > before && c.method === 'sendVoice' && Number(c.params.chat_id) === worker.id, 30_000);
    expect(voice.ok).toBe(true);
    expect(voice.params.voice).toBe('VOICE-FILE-1');
    expect(String(voice.params.caption)).toMatch(/🎤 voice message/);
    expect(String(voice.params.caption)).toMatch(/please do not contact/);
    const data = (voice.params.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]![0]!.callback_data;
    const afterPress = h.fake.calls.length;
    await h.press(worker, voice.result as never, data);
    const drafted = await h.fake.waitForCall((c) => c.seq > afterPress && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id, 30_000);
    const wish = await h.runtime.services.wishes.get(/W-\d+/.exec(String(drafted.params.text))![0]);
    expect(wish.title).toBe("A resident's request (voice message)");
    expect(h.fake.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id && c.seq > before && c.seq < afterPress)).toEqual([]);
  });

  /** A resident's intake up to its last question; returns that question and the update that answers it. */
  async function upToLastAnswer(n: number, words: string) {
    const { worker, resident, community } = await setUp('en', n);
    await h.say(resident, privateChatOf(resident), `/start ask_${community.linkCode}`);
    const byWhen = await h.say(resident, privateChatOf(resident), words);
    const urgency = await answer(resident, byWhen, 'ik:w:this_week', () => true);
    const mayContact = await answer(resident, urgency, 'ik:u:normal', () => true);
    const last = fakeUpdate(h.fake.callbackUpdate(resident, resultMessage(mayContact), 'ik:m:no'));
    return { worker, resident, community, last };
  }
  const fakeUpdate = (u: unknown) => u as { update_id: number; callback_query: { id: string } };
  const toWorkerAbout = (workerId: number, words: string) => (c: RecordedCall) => c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === workerId && String(c.params.text).includes(words);

  it('a press handled again after a crash (before the conversation moved on) records one intake and tells each worker once', async () => {
    const words = 'The stairwell light on floor 3 is out';
    const { worker, resident, community, last } = await upToLastAnswer(5, words);
    const sessionKey = `u:${resident.id}`;
    const sessionBefore = await h.runtime.botModels.BotSession.collection.findOne({ _id: sessionKey as never });
    h.fake.pushUpdate(last as never);
    await h.fake.waitForCall(toWorkerAbout(worker.id, words), 30_000);
    // The resident's chat is handled one update at a time: once /help is answered, the press was handled to its end.
    await h.say(resident, privateChatOf(resident), '/help');

    // As if the process died after the intake and its messages were recorded, before the session moved on:
    // Telegram redelivers the press to another process, which handles it again.
    await h.runtime.botModels.BotSession.collection.replaceOne({ _id: sessionKey as never }, sessionBefore!);
    await h.runtime.botModels.ProcessedUpdate.collection.deleteOne({ _id: String(last.update_id) as never });
    // Patient with its turn: on a loaded machine the first process may hold the resident's turn a while
    // longer, and a press shed as "busy" is not handled at all (presses.test.ts), which is not this story.
    const other = await testRuntime(db, h.fake, { instanceId: 'intake-second', presses: { maxWaitMs: 10 * 60_000 } });
    await other.bot.prepare({});
    const beforeSecond = h.fake.calls.length;
    await other.bot.handleUpdate(last as never);
    await other.later.idle();
    const secondAnswers = h.fake.calls.filter((c) => c.seq > beforeSecond && c.method === 'answerCallbackQuery').map((c) => String(c.params.text ?? ''));
    expect(secondAnswers.filter((text) => BUSY.test(text))).toEqual([]);

    // The same intake asked for the same message under the same key, which was sent already: a copy
    // (if it was inserted again) is never sent, the sender finding its send fence taken (sender-exactly-once.test.ts).
    const keys = async (name: 'outbox' | 'outbox_history') => (await h.runtime.notifyModels.Outbox.db.collection(name).find({ chatId: worker.id }).toArray()).map((i) => String(i._id));
    const sent = await keys('outbox_history');
    expect(sent).toEqual([expect.stringMatching(/^intake:in_[a-z0-9]+\|\d+\|intake$/)]);
    for (const key of await keys('outbox')) expect(sent).toContain(key);
    await h.runtime.notifyModels.Outbox.deleteMany({ chatId: worker.id });
    expect(h.fake.calls.filter(toWorkerAbout(worker.id, words))).toHaveLength(1);
    expect(await db.models.Intake.collection.countDocuments({ communityId: community.id })).toBe(1);
    // The second handling finished it: the conversation has moved on.
    const after = await h.runtime.botModels.BotSession.collection.findOne({ _id: sessionKey as never });
    expect(JSON.stringify(after)).not.toContain('"flow":"intake"');
  });

  it('a draft that could not be made leaves the request draftable: the next press makes it', async () => {
    const words = 'Help fixing a leaking kitchen tap';
    const { worker, last } = await upToLastAnswer(6, words);
    h.fake.pushUpdate(last as never);
    const toWorker = await h.fake.waitForCall(toWorkerAbout(worker.id, words), 30_000);
    const data = (toWorker.params.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]![0]!.callback_data;

    const create = jest.spyOn(h.runtime.services.wishes, 'create').mockRejectedValueOnce(new BusyError('busy', 'Many wishes are being created right now; please try again'));
    try {
      const before = h.fake.calls.length;
      await h.press(worker, resultMessage(toWorker), data);
      const refused = await h.fake.waitForCall((c) => c.seq > before && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id, 30_000);
      expect(String(refused.params.text)).not.toMatch(/W-\d+/);
    } finally {
      create.mockRestore();
    }
    const afterPress = h.fake.calls.length;
    await h.press(worker, resultMessage(toWorker), data);
    const drafted = await h.fake.waitForCall((c) => c.seq > afterPress && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id, 30_000);
    const wish = await h.runtime.services.wishes.get(/W-\d+/.exec(String(drafted.params.text))![0]);
    expect(wish.description).toBe(words);
  });

  it('an unknown code gets a clear message, and /cancel leaves the flow', async () => {
    const resident = { id: 80_009, first_name: 'Li', language_code: 'en' };
    h.fake.startUser(resident.id);
    const unknown = await h.say(resident, privateChatOf(resident), '/start ask_NOSUCH00');
    expect(String(unknown.params.text)).toMatch(/does not belong to any community/);
    const community = await h.runtime.services.communities.create({ name: 'Harbour cancel' }, { kind: 'admin', id: 'test' });
    await h.say(resident, privateChatOf(resident), `/start ask_${community.linkCode}`);
    const cancelled = await h.say(resident, privateChatOf(resident), '/cancel');
    expect(String(cancelled.params.text)).toMatch(/Cancelled/);
    const after = await h.say(resident, privateChatOf(resident), 'hello there');
    expect(String(after.params.text)).not.toMatch(/By when/);
  });

  it('a worker records an intake on a resident\'s behalf, and says so; the draft has no resident to link', async () => {
    const { worker, community } = await setUp('en', 4);
    const dm = privateChatOf(worker);
    const usage = await h.say(worker, dm, '/intake');
    expect(String(usage.params.text)).toMatch(/link code/);
    const ask = await h.say(worker, dm, `/intake ${community.linkCode}`);
    expect(String(ask.params.text)).toMatch(/on a resident's behalf/);
    const byWhen = await h.say(worker, dm, 'Mrs Chen needs her hallway light fixed');
    const urgency = await answer(worker, byWhen, 'ik:w:this_month', () => true);
    const mayContact = await answer(worker, urgency, 'ik:u:normal', () => true);
    const how = await answer(worker, mayContact, 'ik:m:yes', () => true);
    const before = h.fake.calls.length;
    await answer(worker, how, 'ik:h:visit', (t) => /Recorded on the resident's behalf/.test(t));
    const toWorker = await h.fake.waitForCall((c) => c.seq > before && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id && /hallway light/.test(String(c.params.text)), 30_000);
    expect(String(toWorker.params.text)).toMatch(/Recorded by Wang[^\n]* on the resident's behalf/);
    const data = (toWorker.params.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]![0]!.callback_data;
    const afterPress = h.fake.calls.length;
    await h.press(worker, resultMessage(toWorker), data);
    const drafted = await h.fake.waitForCall((c) => c.seq > afterPress && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id, 30_000);
    const wish = await h.runtime.services.wishes.get(/W-\d+/.exec(String(drafted.params.text))![0]);
    expect(wish.title).toBe('Mrs Chen needs her hallway light fixed');
    expect(wish.beneficiary.alias).toBe(`a resident of ${community.name}`);
    const stored = (await h.runtime.botModels.BotSession.collection.findOne({ _id: `u:${worker.id}` as never })) as { data?: unknown } | null;
    expect(stored?.data ?? undefined).toBeUndefined();
    const other = { ...users.worker, id: 70_099 };
    h.fake.startUser(other.id);
    const refused = await h.say(other, privateChatOf(other), `/intake ${community.linkCode}`);
    expect(String(refused.params.text)).not.toMatch(/on a resident's behalf/);
  });
});
