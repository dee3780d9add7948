import { useTestDatabase } from '../support/db';
import { groupChat, Harness, privateChatOf, startHarness, users } from '../support/bot-harness';
import type { RecordedCall } from '../fake-telegram';

// Issue 10, "groups can be taken over": through the real bot and the fake Bot API, a worker of
// community B could point community A's group at B, change A's group's language, and link a group
// in which they are a plain member (their cards were posted there at once).

const resultMessage = (c: RecordedCall) => c.result as { chat: { id: number }; message_id: number; text: string };
const admin = { kind: 'admin' as const, id: 'test' };

describe('groups cannot be taken over', () => {
  const db = useTestDatabase();
  let h: Harness;
  const workerA = { id: 3101, first_name: 'Anna', language_code: 'en' };
  const workerB = { id: 3202, first_name: 'Bo', language_code: 'en' };
  const groupA = groupChat(-100881, 'Community A');
  const plainGroup = groupChat(-100882, 'Neighbours chat');
  let A: { id: string; name: string; linkCode: string };
  let B: { id: string; name: string; linkCode: string };
  let wishOfB: string;

  beforeAll(async () => {
    h = await startHarness(db);
    A = await h.runtime.services.communities.create({ name: 'Community A' }, admin);
    B = await h.runtime.services.communities.create({ name: 'Community B' }, admin);
    for (const [w, community] of [[workerA, A], [workerB, B]] as const) {
      h.fake.startUser(w.id);
      await h.say(w, privateChatOf(w), '/start');
      await h.runtime.people.addWorkerCommunities(w.id, [community.id], new Date());
    }
    const { state } = await h.runtime.services.wishes.create(
      {
        communityId: B.id,
        title: 'Winter coat for B',
        description: 'Needed before the cold snap.',
        category: 'goods',
        target: 1,
        deadline: new Date(Date.now() + 10 * 86_400_000),
        urgency: 'normal',
        beneficiary: { alias: 'resident, Building 9' },
      },
      admin,
      { publish: true },
    );
    wishOfB = state.code;
    // Group A: the bot is in it, and A's worker, its Telegram administrator, linked it to A.
    h.fake.pushUpdate(h.fake.myChatMemberUpdate(groupA, workerA, 'member'));
    h.fake.setMemberStatus(groupA.id, workerA.id, 'creator');
    await h.say(workerA, groupA, `/link ${A.linkCode}`, (t) => t.includes('Community A'));
    expect((await h.runtime.groups.get(groupA.id))?.communityId).toBe(A.id);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const cardsOfB = (chatId: number) => h.textsIn(chatId).filter((t) => t.includes(wishOfB));

  it('a worker of B cannot move A’s group to B, even as one of its Telegram administrators; an admin can', async () => {
    h.fake.setMemberStatus(groupA.id, workerB.id, 'administrator');
    const answer = await h.say(workerB, groupA, `/link ${B.linkCode}`);
    expect(String(answer.params.text)).toBe('This group belongs to another community. Only an admin can move it.');
    expect((await h.runtime.groups.get(groupA.id))?.communityId).toBe(A.id);
    await h.settle();
    expect(cardsOfB(groupA.id)).toEqual([]);

    // The admin may move it (and then moves it back, for the next story).
    const moved = await h.say(users.admin, groupA, `/link ${B.linkCode}`, (t) => t.includes('Community B'));
    expect(moved.ok).toBe(true);
    expect((await h.runtime.groups.get(groupA.id))?.communityId).toBe(B.id);
    await h.say(users.admin, groupA, `/link ${A.linkCode}`, (t) => t.includes('Community A'));
    expect((await h.runtime.groups.get(groupA.id))?.communityId).toBe(A.id);
    await h.settle(); // B's cards, posted while the group was B's, are out before the next story looks at replies
  });

  it('a worker of B who is a plain member cannot change A’s group’s language; its administrator can', async () => {
    h.fake.setMemberStatus(groupA.id, workerB.id, 'member');
    const refused = await h.say(workerB, groupA, '/language');
    expect(String(refused.params.text)).toBe("Only this group's administrators can do that.");

    // A chooser someone else opened: pressing it is checked for whoever presses.
    const chooser = await h.say(workerA, groupA, '/language');
    const press = await h.press(workerB, resultMessage(chooser), 'lang:zh');
    expect(String(press.params.text)).toBe("Only this group's administrators can do that.");
    expect((await h.runtime.groups.get(groupA.id))?.language).toBeUndefined();

    const allowed = await h.press(workerA, resultMessage(chooser), 'lang:zh');
    expect(allowed.ok).toBe(true);
    expect((await h.runtime.groups.get(groupA.id))?.language).toBe('zh');
  });

  it('an administrator writing anonymously (as the group itself) may open the language chooser; they cannot link', async () => {
    const anonymous = { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' };
    const asGroup = (text: string) => {
      const update = h.fake.textUpdate(anonymous, groupA, text) as unknown as { message: Record<string, unknown> };
      update.message.sender_chat = { id: groupA.id, type: 'supergroup', title: groupA.title };
      return update;
    };
    const after = h.fake.calls.length;
    h.fake.pushUpdate(asGroup('/language'));
    const chooser = await h.fake.waitForCall((c) => c.seq > after && c.method === 'sendMessage' && Number(c.params.chat_id) === groupA.id);
    expect(JSON.stringify(chooser.params.reply_markup)).toContain('lang:en');
    const before = h.fake.calls.length;
    h.fake.pushUpdate(asGroup(`/link ${B.linkCode}`));
    const refused = await h.fake.waitForCall((c) => c.seq > before && c.method === 'sendMessage' && Number(c.params.chat_id) === groupA.id);
    expect(String(refused.params.text)).toBe('只有管理员或该社区的社工可以关联本群。');
    expect((await h.runtime.groups.get(groupA.id))?.communityId).toBe(A.id);
  });

  it('a worker cannot link a group in which they are a plain member, and nothing is posted there; as its administrator they can', async () => {
    h.fake.pushUpdate(h.fake.myChatMemberUpdate(plainGroup, workerB, 'member'));
    const refused = await h.say(workerB, plainGroup, `/link ${B.linkCode}`, (t) => !t.includes('Hello'));
    expect(String(refused.params.text)).toBe("Only this group's administrators can do that.");
    expect((await h.runtime.groups.get(plainGroup.id))?.communityId).toBeUndefined();
    await h.settle();
    expect(cardsOfB(plainGroup.id)).toEqual([]);

    h.fake.setMemberStatus(plainGroup.id, workerB.id, 'administrator');
    await h.say(workerB, plainGroup, `/link ${B.linkCode}`, (t) => t.includes('Community B'));
    expect((await h.runtime.groups.get(plainGroup.id))?.communityId).toBe(B.id);
    // The handler asks for the cards after its reply: await the card itself.
    const card = await h.fake.waitForCall((c) => c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === plainGroup.id && String(c.params.text).includes(wishOfB), 30_000);
    expect(card.ok).toBe(true);
  });
});
