import { useTestDatabase } from '../support/db';
import { donorUser, groupChat, Harness, privateChatOf, startHarness, users } from '../support/bot-harness';
import type { RecordedCall } from '../fake-telegram';

const resultMessage = (c: RecordedCall) => c.result as { chat: { id: number }; message_id: number; text: string };

describe('many presses on one card, through the real bot', () => {
  const db = useTestDatabase();
  let h: Harness;
  const group = groupChat(-100777, 'Riverside');

  beforeAll(async () => {
    h = await startHarness(db);
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** A published wish in a community linked to `group`, and its card message in the group. */
  async function postedCard(category: 'goods' | 'cash', target: number) {
    const admin = { kind: 'admin' as const, id: 'test' };
    const community = await h.runtime.services.communities.create({ name: 'Riverside' }, admin);
    await h.runtime.groups.link(group.id, group.title!, community.id, users.admin.id, new Date());
    const { state } = await h.runtime.services.wishes.create(
      {
        communityId: community.id,
        title: category === 'goods' ? 'Winter coat' : 'Heating bill',
        description: 'Needed before the cold snap.',
        category,
        target,
        deadline: new Date(Date.now() + 10 * 86_400_000),
        urgency: 'normal',
        beneficiary: { alias: 'resident, Building 7' },
      },
      admin,
      { publish: true },
    );
    const card = await h.fake.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === group.id && String(c.params.text).includes(state.code));
    return { wish: state, card: resultMessage(card) };
  }

  it('30 people pressing Claim at once: one pledge, 30 answers, and the card shows the winner', async () => {
    const { wish, card } = await postedCard('goods', 1);
    const donors = Array.from({ length: 30 }, (_, i) => donorUser(100 + i));
    for (const d of donors) h.fake.startUser(d.id);
    const updates = donors.map((d) => h.fake.callbackUpdate(d, card, `c:${wish.id}`) as unknown as { callback_query: { id: string } });
    for (const u of updates) h.fake.pushUpdate(u as never);
    const ids = new Set(updates.map((u) => u.callback_query.id));
    const answers = await h.fake.waitForCalls((c) => c.method === 'answerCallbackQuery' && ids.has(String(c.params.callback_query_id)), 30, 30_000);

    expect(answers.every((a) => a.ok)).toBe(true);
    const texts = answers.map((a) => String(a.params.text));
    expect(texts.filter((t) => /You claimed|is yours/.test(t))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('someone else already claimed'))).toHaveLength(29);
    const state = await h.runtime.services.wishes.get(wish.id);
    expect(state.pledges).toHaveLength(1);

    await h.settle();
    const winner = donors.find((d) => d.id === Number(state.pledges[0]!.donorId.slice(3)))!;
    const finalCard = h.fake.message(group.id, card.message_id)!;
    expect(finalCard.text).toContain(`claimed by ${winner.first_name}`);
    expect(finalCard.reply_markup?.inline_keyboard.flat().some((b) => String(b.text).includes('Claim'))).toBe(false);
  });

  it('one person pressing the same button twice fast gets one pledge', async () => {
    const { wish, card } = await postedCard('cash', 300);
    const donor = donorUser(900);
    h.fake.startUser(donor.id);
    await h.say(donor, privateChatOf(donor), '/start'); // so the bot may write to them
    const first = h.fake.callbackUpdate(donor, card, `p:${wish.id}:50`) as unknown as { callback_query: { id: string } };
    const second = h.fake.callbackUpdate(donor, card, `p:${wish.id}:50`) as unknown as { callback_query: { id: string } };
    h.fake.pushUpdate(first as never);
    h.fake.pushUpdate(second as never);
    const ids = new Set([first.callback_query.id, second.callback_query.id]);
    const answers = await h.fake.waitForCalls((c) => c.method === 'answerCallbackQuery' && ids.has(String(c.params.callback_query_id)), 2);
    // The second press is the same wish of the same person: answered as done, not as an error.
    expect(answers.map((a) => String(a.params.text))).toEqual([expect.stringContaining('You pledged ¥50'), expect.stringContaining('You pledged ¥50')]);
    expect((await h.runtime.services.wishes.get(wish.id)).pledges).toHaveLength(1);
  });

  it('a pledge beyond what remains, or on a closed wish, is refused with a reason', async () => {
    const { wish, card } = await postedCard('cash', 100);
    const donor = donorUser(901);
    h.fake.startUser(donor.id);
    const tooMuch = await h.press(donor, card, `p:${wish.id}:500`);
    expect(String(tooMuch.params.text)).toContain('Only ¥100 is still needed');
    await h.runtime.services.wishes.cancel(wish.id, { kind: 'admin', id: 'test' });
    const closed = await h.press(donor, card, `p:${wish.id}:50`);
    expect(String(closed.params.text)).toContain('closed');
  });

  it('a malformed or stale button is answered, never left spinning', async () => {
    const { card } = await postedCard('goods', 1);
    const donor = donorUser(902);
    const forged = await h.press(donor, card, 'c:W-99999');
    expect(forged.ok).toBe(true);
    expect(String(forged.params.text)).toContain('could not find');
    const junk = await h.press(donor, card, 'totally-unknown');
    expect(junk.ok).toBe(true);
    expect(String(junk.params.text)).toContain('no longer valid');
  });

  it('refuses /newwish from a non-worker politely and hints /help for unknown commands', async () => {
    const stranger = donorUser(903);
    h.fake.startUser(stranger.id);
    const refused = await h.say(stranger, privateChatOf(stranger), '/newwish');
    expect(String(refused.params.text)).toContain('Only community workers');
    const unknown = await h.say(stranger, privateChatOf(stranger), '/frobnicate');
    expect(String(unknown.params.text)).toContain('/help');
    const help = await h.say(stranger, privateChatOf(stranger), '/help');
    expect(String(help.params.text)).not.toContain('/newwish');
  });

  it('handles a redelivered update only once', async () => {
    const stranger = donorUser(904);
    h.fake.startUser(stranger.id);
    const update = h.fake.textUpdate(stranger, privateChatOf(stranger), '/help');
    const before = h.fake.calls.length;
    h.fake.pushUpdate(update);
    await h.fake.waitForCall((c) => c.seq > before && Number(c.params.chat_id) === stranger.id);
    h.fake.pushUpdate(update); // same update_id again, as Telegram does after a timeout
    const marker = await h.say(stranger, privateChatOf(stranger), '/mypledges');
    const helps = h.fake.calls.filter((c) => c.seq > before && c.seq < marker.seq && Number(c.params.chat_id) === stranger.id);
    expect(helps).toHaveLength(1);
  });
});
