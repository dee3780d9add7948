import { testLogger } from '../support/privacy-record';
import { createRuntime, Runtime } from '../../src/runtime';
import { FakeTelegram, privateChatOf, startFakeTelegram, TgUser } from '../fake-telegram';
import { useTestDatabase } from '../support/db';
import { donorUser, groupChat, users } from '../support/bot-harness';
import { draftFor } from '../support/fixtures';
import type { WishState } from '../../src/domain/wish/types';

// A backlog is shed honestly: a press whose turn comes too late is answered "busy" and its work is not
// done; one person pressing too fast is answered "slow down" and their press is not done; and no timer
// answers "failed" for work that goes on.

describe('shedding presses, through the real bot', () => {
  const db = useTestDatabase();
  let fake: FakeTelegram;
  let runtime: Runtime;
  let offsetMs = 0;
  let cash: WishState;
  const group = groupChat(-100_321, 'Busy Street');
  const card = { chat: { id: group.id }, message_id: 1 };

  beforeAll(async () => {
    fake = await startFakeTelegram();
    runtime = await createRuntime({
      conn: db.conn,
      models: db.models,
      // Real time, moved forward by hand to make a press wait "too long" without waiting.
      clock: () => new Date(Date.now() + offsetMs),
      logger: testLogger(process.env.TEST_LOG_LEVEL),
      bot: { token: fake.token, apiRoot: fake.apiRoot, adminIds: [users.admin.id], presses: { limitPer10s: 3, maxWaitMs: 5_000 } },
      defaultLanguage: 'en',
      timeZone: 'Asia/Shanghai',
      instanceId: `shed-${process.pid}`,
    });
    await runtime.bot.prepare({});
    await runtime.bot.startPolling();
    const admin = { kind: 'admin' as const, id: 'test' };
    const community = await runtime.services.communities.create({ name: 'Busy Street' }, admin);
    await runtime.groups.link(group.id, group.title!, community.id, users.admin.id, new Date());
    cash = (await runtime.services.wishes.create(draftFor(community.id, { category: 'cash', target: 1000 }), admin, { publish: true })).state;
  });
  afterAll(async () => {
    await runtime?.bot.stop();
    await fake?.close();
  });

  const queryOf = (u: object) => (u as { callback_query: { id: string } }).callback_query.id;
  const answerTo = (id: string) => fake.waitForCall((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === id, 30_000);
  async function start(user: TgUser) {
    const u = fake.textUpdate(user, privateChatOf(user), '/start');
    fake.pushUpdate(u);
    await fake.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === user.id, 30_000);
  }

  it('telegraf has no handler timeout of its own to answer "failed" with', () => {
    expect((runtime.bot.telegraf as unknown as { options: { handlerTimeout: number } }).options.handlerTimeout).toBe(Infinity);
  });

  it('a press that waited longer than the bound is answered "busy" and not done', async () => {
    const donor = donorUser(1);
    await start(donor);
    const held = fake.hold('answerCallbackQuery');
    const first = fake.callbackUpdate(donor, card, `p:${cash.id}:100`);
    const second = fake.callbackUpdate(donor, card, `o:${cash.id}`);
    fake.pushUpdate(first);
    fake.pushUpdate(second);
    // The first press's work is done and its answer on the way; the second waits behind it.
    await held.next(30_000);
    offsetMs += 6_000;
    held.release();
    const [a1, a2] = await Promise.all([answerTo(queryOf(first)), answerTo(queryOf(second))]);
    expect(String(a1.params.text)).toContain('You pledged ¥100');
    expect(String(a2.params.text)).toContain('Many people are pressing right now');
    // Its work (asking for an amount in private) was not done, and it will not be redone.
    expect(fake.calls.some((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === donor.id && String(c.params.text).includes('How much'))).toBe(false);
    const marker = fake.callbackUpdate(donor, card, `i:${cash.id}`); // runs once the second is finished with
    fake.pushUpdate(marker);
    await answerTo(queryOf(marker));
    expect(await runtime.botModels.ProcessedUpdate.findById(second.update_id).lean()).not.toBeNull();
    expect(fake.answersTo(queryOf(second))).toHaveLength(1);
  });

  it('one person pressing too fast is answered "slow down", and that press is not done', async () => {
    const donor = donorUser(2);
    const answers: string[] = [];
    for (const data of [`i:${cash.id}`, `i:${cash.id}`, `i:${cash.id}`, `p:${cash.id}:50`]) {
      const u = fake.callbackUpdate(donor, card, data);
      fake.pushUpdate(u);
      answers.push(String((await answerTo(queryOf(u))).params.text));
    }
    expect(answers.slice(0, 3).every((a) => a.includes(cash.code))).toBe(true);
    expect(answers[3]).toContain('You are pressing very fast');
    const state = await runtime.services.wishes.get(cash.id);
    expect(state.pledges.some((p) => p.donorId.endsWith(String(donor.id)))).toBe(false);
    // Someone else is not slowed down by them.
    const other = fake.callbackUpdate(donorUser(3), card, `i:${cash.id}`);
    fake.pushUpdate(other);
    expect(String((await answerTo(queryOf(other))).params.text)).toContain(cash.code);
  });
});
