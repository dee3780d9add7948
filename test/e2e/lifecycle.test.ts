import { testLogger } from '../support/privacy-record';
import request from 'supertest';
import { createApp } from '../../src/http/create-app';
import { useTestDatabase } from '../support/db';
import { donorUser, groupChat, Harness, privateChatOf, startHarness, users } from '../support/bot-harness';
import type { RecordedCall, TgUser } from '../fake-telegram';

// A wish's whole life from every entry point: created over the API, followed by its worker in
// the bot, confirmed by its resident, with every press answered kindly and every card in bounds.

const TOKEN = 'lifecycle-admin-token-0123456789';
type Button = { text: string; callback_data?: string; url?: string };
const buttonsOf = (c: RecordedCall): Button[] => ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const resultMessage = (c: RecordedCall) => c.result as { chat: { id: number }; message_id: number; text: string };

describe('the lifecycle from every entry point', () => {
  const db = useTestDatabase();
  let h: Harness;
  let communityId: string;
  const group = groupChat(-100_900, 'Lifecycle Lane');
  const worker = { ...users.worker, id: 8008 };
  const resident: TgUser = { id: 8009, first_name: 'Rosa', language_code: 'en' };
  const auth = { Authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    h = await startHarness(db);
    const community = await h.runtime.services.communities.create({ name: 'Lifecycle Lane' }, { kind: 'admin', id: 'test' });
    communityId = community.id;
    for (const u of [worker, resident]) h.fake.startUser(u.id);
    await h.runtime.people.seen({ telegramId: worker.id, name: 'Wang' }, new Date(), { started: true });
    await h.runtime.people.addWorkerCommunities(worker.id, [communityId], new Date());
    await h.runtime.groups.link(group.id, group.title!, communityId, worker.id, new Date());
  });
  afterAll(async () => {
    await h?.stop();
  });

  function app() {
    const { services, invites, bot } = h.runtime;
    return createApp({
      logger: testLogger(),
      wishes: services.wishes,
      consent: h.runtime.consent,
    directory: h.runtime.directory,
    teams: h.runtime.appDeps().teams,
    stock: h.runtime.stock,
    reports: h.runtime.reports,
      communities: services.communities,
      tokens: services.tokens,
      invites,
      resolveToken: (token) => (token === TOKEN ? Promise.resolve({ kind: 'admin', id: 'api:test' }) : services.resolveToken(token)),
      isDatabaseReady: async () => true,
      timezone: 'Asia/Shanghai',
      clock: () => new Date(),
      botUsername: () => bot.telegraf.botInfo?.username,
    });
  }

  const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

  async function createOverApi(body: Record<string, unknown>) {
    const res = await request(app())
      .post('/api/v1/wishes')
      .set(auth)
      .send({ communityId, description: 'Needed before the cold snap.', deadline: inDays(10), beneficiary: { alias: 'resident, Building 7' }, publish: true, ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string; code: string };
  }

  const cardOf = (code: string) => h.fake.waitForCall((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === group.id && String(c.params.text).includes(code));
  const lastTo = (chatId: number, test: (c: RecordedCall) => boolean) => h.fake.calls.filter((c) => c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === chatId && test(c)).at(-1);

  it('an API wish has a worker, a resident link and a confirm endpoint; repeats are answered as done', async () => {
    const wish = await createOverApi({ title: 'Winter coat', category: 'goods', target: 2, unit: 'coats', workerTelegramId: worker.id });
    const card = await cardOf(wish.code);
    expect(String(card.params.text)).toContain('2 coats needed');

    // The resident follows their link, made over the API.
    const link = await request(app()).post(`/api/v1/wishes/${wish.id}/resident-link`).set(auth).send({});
    expect(link.status).toBe(201);
    const token = /start=resident_([0-9A-Z]+)$/.exec(link.body.url)![1];
    await h.say(resident, privateChatOf(resident), `/start resident_${token}`, (t) => t.includes(wish.code));

    // A donor claims and presses Delivered twice at once: two friendly answers, one event.
    const donor = donorUser(801);
    h.fake.startUser(donor.id);
    await h.say(donor, privateChatOf(donor), '/start');
    await h.press(donor, resultMessage(card), `c:${wish.id}`);
    const nextSteps = await h.fake.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === donor.id && buttonsOf(c).some((b) => b.callback_data?.startsWith('dl:')));
    const delivered = buttonsOf(nextSteps).find((b) => b.callback_data?.startsWith('dl:'))!.callback_data!;
    const presses = [1, 2].map(() => h.fake.callbackUpdate(donor, resultMessage(nextSteps), delivered) as unknown as { callback_query: { id: string } });
    for (const p of presses) h.fake.pushUpdate(p as never);
    const ids = new Set(presses.map((p) => p.callback_query.id));
    const answers = await h.fake.waitForCalls((c) => c.method === 'answerCallbackQuery' && ids.has(String(c.params.callback_query_id)), 2);
    expect(answers.map((a) => [a.ok, String(a.params.text)])).toEqual([
      [true, expect.stringContaining('as delivered')],
      [true, expect.stringContaining('as delivered')],
    ]);
    const history = await request(app()).get(`/api/v1/wishes/${wish.id}/events`).set(auth);
    expect(history.body.items.filter((e: { type: string }) => e.type === 'delivered')).toHaveLength(1);

    // The worker named on the API wish is the one asked to confirm.
    await h.settle();
    const ask = lastTo(worker.id, (c) => buttonsOf(c).some((b) => b.callback_data?.startsWith('cf:')));
    expect(ask).toBeDefined();

    // The resident confirms first (over the bot); then the worker's button is answered as done and taken away.
    const residentAsk = lastTo(resident.id, (c) => buttonsOf(c).some((b) => b.callback_data?.startsWith('cf:')))!;
    await h.press(resident, resultMessage(residentAsk), buttonsOf(residentAsk).find((b) => b.callback_data?.startsWith('cf:'))!.callback_data!);
    const late = await h.press(worker, resultMessage(ask!), buttonsOf(ask!).find((b) => b.callback_data?.startsWith('cf:'))!.callback_data!);
    expect(String(late.params.text)).toContain('is fulfilled');
    await h.fake.waitForCall((c) => c.method === 'editMessageReplyMarkup' && c.ok && Number(c.params.chat_id) === worker.id && c.params.message_id === resultMessage(ask!).message_id);
    expect(h.fake.message(worker.id, resultMessage(ask!).message_id)?.reply_markup).toBeUndefined();

    // The worker heard that the resident confirmed; the confirm endpoint answers a repeat as done too.
    await h.settle();
    expect(h.textsIn(worker.id).some((t) => t.includes('The resident confirmed receipt') && t.includes(wish.code))).toBe(true);
    const pledgeId = (await h.runtime.services.wishes.get(wish.id)).pledges[0]!.id;
    const again = await request(app()).post(`/api/v1/wishes/${wish.id}/confirm`).set(auth).send({ pledgeId });
    expect([again.status, again.body.status]).toEqual([200, 'fulfilled']);

    // The resident's thank-you reaches the donor and the worker.
    const fulfilledMsg = lastTo(resident.id, (c) => buttonsOf(c).some((b) => b.callback_data?.startsWith('ty:')))!;
    const asked = await h.press(resident, resultMessage(fulfilledMsg), `ty:${wish.id}`);
    await h.fake.waitForCall((c) => c.seq > asked.seq && c.method === 'sendMessage' && Number(c.params.chat_id) === resident.id);
    await h.say(resident, privateChatOf(resident), 'Thank you, it is so warm!');
    await h.settle();
    expect(h.textsIn(donor.id).some((t) => t.includes('so warm'))).toBe(true);
    expect(h.textsIn(worker.id).some((t) => t.includes('so warm'))).toBe(true);
  });

  it('the worker hears of a withdrawal, and an edit refreshes the card', async () => {
    const wish = await createOverApi({ title: 'Haircut visit', category: 'service', target: 1, workerTelegramId: worker.id });
    const card = await cardOf(wish.code);
    const donor = donorUser(802);
    h.fake.startUser(donor.id);
    await h.say(donor, privateChatOf(donor), '/start');
    await h.press(donor, resultMessage(card), `c:${wish.id}`);
    const nextSteps = await h.fake.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === donor.id && String(c.params.text).includes(wish.code));
    // A service wish speaks of a visit: Done, not Delivered.
    expect(buttonsOf(nextSteps).map((b) => b.text)).toEqual(['Done', 'Withdraw']);
    const withdraw = buttonsOf(nextSteps).find((b) => b.callback_data?.startsWith('wd:'))!.callback_data!;
    await h.press(donor, resultMessage(nextSteps), withdraw);
    await h.settle();
    expect(h.textsIn(worker.id).some((t) => t.includes('withdrew') && t.includes(wish.code))).toBe(true);

    const edited = await request(app()).patch(`/api/v1/wishes/${wish.id}`).set(auth).send({ title: 'Haircut at home' });
    expect([edited.status, edited.body.title]).toEqual([200, 'Haircut at home']);
    await h.settle();
    expect(h.fake.message(group.id, resultMessage(card).message_id)?.text).toContain('Haircut at home');
    const bad = await request(app()).patch(`/api/v1/wishes/${wish.id}`).set(auth).send({ beneficiary: { alias: 'Mr Chen, 555 0199 123' } });
    expect([bad.status, bad.body.error.details.fields[0]]).toEqual([400, expect.objectContaining({ field: 'beneficiary.alias', code: 'has_phone' })]);
  });

  it('a donor who never opened the bot gets their next steps when they first do', async () => {
    const wish = await createOverApi({ title: 'Heating bill', category: 'cash', target: 300 });
    const card = await cardOf(wish.code);
    const stranger = donorUser(803);
    const answer = await h.press(stranger, resultMessage(card), `p:${wish.id}:100`);
    expect(String(answer.params.url)).toContain('?start=pledges');
    await h.settle(); // the first next steps fail: the bot may not write to them yet
    expect(h.textsIn(stranger.id)).toEqual([]);
    h.fake.startUser(stranger.id);
    const steps = await h.say(stranger, privateChatOf(stranger), '/start', (t) => t.includes(wish.code));
    expect(String(steps.params.text)).toContain('¥100');
    expect(buttonsOf(steps).map((b) => b.text)).toEqual(['Delivered', 'Withdraw']);
  });

  it('a cash card with 80 pledgers with long names stays within Telegram’s limit and keeps updating', async () => {
    const wish = await createOverApi({ title: 'Community kitchen', category: 'cash', target: 100_000 });
    const card = await cardOf(wish.code);
    const name = (i: number) => `Harbour Street Bakery and Noodle House ${String(i).padStart(2, '0')}`.slice(0, 40);
    for (let i = 0; i < 80; i++) {
      const donorId = `tg:${900_000 + i}`;
      await h.runtime.services.wishes.execute(wish.id, { type: 'pledge', amount: 10, donor: { donorId, displayName: name(i) } }, { kind: 'donor', id: donorId });
    }
    await h.settle();
    const failed = await h.runtime.notifyModels.OutboxHistory.countDocuments({ status: 'failed', chatId: group.id });
    expect(failed).toBe(0);
    const shown = h.fake.message(group.id, resultMessage(card).message_id)!;
    expect(shown.text).toContain('¥800 / ¥100,000 pledged');
    expect(shown.text).toMatch(/80 pledges: .* and \d+ others/);
    expect([...shown.text!].length).toBeLessThan(4096);
    expect(buttonsOf({ params: { reply_markup: shown.reply_markup } } as unknown as RecordedCall).map((b) => b.text)).toContain('Pledge ¥50,000');
  });

  it('when the bot is added back to a group, the running wishes are posted there again', async () => {
    // What earlier tests left queued (80 donors' next steps, card edits) goes out first: the card and
    // the re-posts below are paced at a group's rate, one every few seconds, and are waited for on their own.
    await h.settle();
    const wish = await createOverApi({ title: 'Rice cooker', category: 'goods', target: 1 });
    const first = await cardOf(wish.code);
    h.fake.pushUpdate(h.fake.myChatMemberUpdate(group, worker, 'left'));
    const after = h.fake.calls.length;
    h.fake.pushUpdate(h.fake.myChatMemberUpdate(group, worker, 'member'));
    // Every running wish is re-posted (four cards at the group's pace): generous, for a loaded machine.
    const again = await h.fake.waitForCall((c) => c.seq > after && c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === group.id && String(c.params.text).includes(wish.code), 90_000);
    expect(resultMessage(again).message_id).toBeGreaterThan(resultMessage(first).message_id);
    expect(buttonsOf(again).map((b) => b.text)).toContain('Claim');
  }, 240_000);
});
