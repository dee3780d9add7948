import { useTestDatabase } from '../support/db';
import { Harness, privateChatOf, startHarness, users } from '../support/bot-harness';
import type { RecordedCall, TgUser } from '../fake-telegram';

// /offer through the real bot: a business says what, where, when, how often and who it is with buttons,
// then its name; a proposed directory entry; the community's worker approves it with one press and the
// business is told. In English and Chinese; a code that is no community gets a clear message.

type Button = { text: string; callback_data?: string };
const buttonsOf = (c: RecordedCall): Button[] => ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const resultMessage = (c: RecordedCall) => c.result as { chat: { id: number }; message_id: number; text: string };
const WAIT = 30_000;

describe('/offer: joining the community directory', () => {
  const db = useTestDatabase();
  let h: Harness;

  beforeAll(async () => {
    // A person answering a dozen questions presses faster than the press limit allows in a test's seconds.
    h = await startHarness(db, { presses: { limitPer10s: 100 } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const next = (chatId: number, after: number, match: (t: string) => boolean = () => true) =>
    h.fake.waitForCall((c) => c.seq > after && c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === chatId && match(String(c.params.text ?? '')), WAIT);

  async function press(user: TgUser, msg: RecordedCall, data: string, expectNext = true) {
    const before = h.fake.calls.length;
    await h.press(user, resultMessage(msg), data);
    return expectNext ? next(user.id, before) : undefined;
  }

  it.each([
    ['en', 1, /What can you give/, /Thank you, Harbour Bakery/, /offers to help/, /now in the community's directory/],
    ['zh', 2, /您能提供什么/, /谢谢您，港湾面包房/, /愿意提供帮助/, /已加入社区资源库/],
  ] as const)('in %s: a business offers with buttons, a worker approves, the business is told', async (lang, n, askWhat, thanks, toWorker, told) => {
    const { services, directory, people } = h.runtime;
    const business: TgUser = { id: 84_000 + n, first_name: 'Baker', language_code: lang };
    const worker: TgUser = { ...users.worker, id: 74_000 + n, language_code: lang };
    for (const u of [business, worker]) {
      h.fake.startUser(u.id);
      await h.say(u, privateChatOf(u), '/start');
    }
    const community = await services.communities.create({ name: `Offer Lane ${n}` }, { kind: 'admin', id: 'test' });
    await people.addWorkerCommunities(worker.id, [community.id], new Date());
    const area = await directory.resources.addArea(community.id, { name: 'Building 3', level: 'building' }, { kind: 'admin', id: 'test' });

    let msg = await h.say(business, privateChatOf(business), `/offer ${community.linkCode}`);
    expect(String(msg.params.text)).toMatch(askWhat);
    msg = (await press(business, msg, 'of:o:goods'))!;
    msg = (await press(business, msg, 'of:o:repairs'))!;
    msg = (await press(business, msg, 'of:next'))!; // where
    // Next without an area: asked again, with what is missing.
    const missing = await press(business, msg, 'of:next');
    expect(String(missing!.params.text)).not.toBe('');
    const whereAgain = h.fake.calls.filter((c) => c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === business.id && buttonsOf(c).some((b) => b.callback_data === `of:a:${area.id}`)).at(-1)!;
    msg = (await press(business, whereAgain, `of:a:${area.id}`))!;
    msg = (await press(business, msg, 'of:next'))!; // when
    msg = (await press(business, msg, 'of:w:fri'))!;
    msg = (await press(business, msg, 'of:next'))!; // often
    msg = (await press(business, msg, 'of:f:4'))!; // kind
    await press(business, msg, 'of:k:business'); // name
    const before = h.fake.calls.length;
    await h.say(business, privateChatOf(business), lang === 'zh' ? '港湾面包房' : 'Harbour Bakery', (t) => thanks.test(t));

    const entries = await directory.resources.list(community.id, { kind: 'admin', id: 'test' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ state: 'proposed', kind: 'business', telegramId: business.id, offer: { categories: ['goods'], skills: ['repairs'] }, areaIds: [area.id], availability: { weekdays: ['fri'] }, capacity: { requestsPerMonth: 4 } });

    const ask = await next(worker.id, before, (t) => toWorker.test(t));
    const approve = buttonsOf(ask).find((b) => b.callback_data?.startsWith('of:ok:'))!;
    const afterApprove = h.fake.calls.length;
    await h.press(worker, resultMessage(ask), approve.callback_data!);
    await next(business.id, afterApprove, (t) => told.test(t));
    expect((await directory.resources.list(community.id, { kind: 'admin', id: 'test' }))[0]!.state).toBe('approved');
  });

  it('a code that is no community gets a clear message; a stranger cannot approve', async () => {
    const someone: TgUser = { id: 84_100, first_name: 'Zed', language_code: 'en' };
    h.fake.startUser(someone.id);
    const reply = await h.say(someone, privateChatOf(someone), '/offer NOSUCH99');
    expect(String(reply.params.text)).toMatch(/does not belong to any community/);
    const refused = await h.press(someone, { chat: { id: someone.id }, message_id: 1 }, 'of:ok:res_doesnotexist');
    expect(String(refused.params.text ?? '')).not.toBe('');
  });
});
