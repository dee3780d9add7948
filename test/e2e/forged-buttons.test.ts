import { useTestDatabase } from '../support/db';
import { donorUser, groupChat, Harness, privateChatOf, startHarness } from '../support/bot-harness';
import { draftFor } from '../support/fixtures';
import type { WishState } from '../../src/domain/wish/types';

// Buttons the bot never made (forged, from another kind of wish, from a redrawn card) and buttons on
// a draft: each press is answered once, truthfully, and a draft stays invisible.

describe('forged and stale buttons, through the real bot', () => {
  const db = useTestDatabase();
  let h: Harness;
  const group = groupChat(-100_555, 'Forgery Row');
  const card = { chat: { id: group.id }, message_id: 1 };
  let cash: WishState;
  let goods: WishState;
  let draft: WishState;

  beforeAll(async () => {
    h = await startHarness(db);
    const admin = { kind: 'admin' as const, id: 'test' };
    const community = await h.runtime.services.communities.create({ name: 'Forgery Row' }, admin);
    await h.runtime.groups.link(group.id, group.title!, community.id, 1001, new Date());
    cash = (await h.runtime.services.wishes.create(draftFor(community.id, { category: 'cash', target: 300 }), admin, { publish: true })).state;
    goods = (await h.runtime.services.wishes.create(draftFor(community.id, { category: 'goods', target: 1, title: 'Winter coat' }), admin, { publish: true })).state;
    draft = (await h.runtime.services.wishes.create(draftFor(community.id, { category: 'goods', target: 1, title: 'Secret draft', description: 'Private words here' }), admin)).state;
  });
  afterAll(async () => {
    await h?.stop();
  });

  const STALE = 'This button is no longer valid';
  const NOT_FOUND = 'I could not find that wish';

  it.each([
    ['a Claim button on a cash wish', () => `c:${cash.id}`, STALE],
    ['a Pledge button on a goods wish', () => `p:${goods.id}:1`, STALE],
    ['an Other-amount button on a goods wish', () => `o:${goods.id}`, STALE],
    ['a pledge amount no card offers', () => `p:${cash.id}:7`, STALE],
    ['a huge pledge amount', () => `p:${cash.id}:999999999`, 'Only ¥300 is still needed'],
    ['a zero amount', () => `p:${cash.id}:0`, STALE],
    ['garbage', () => 'garbage', STALE],
    ['a wish id too short to be one', () => 'c:W-1', STALE],
    ['an unknown wish', () => 'c:W-99999', NOT_FOUND],
    ['Details of an unknown wish', () => 'i:W-99999', NOT_FOUND],
    ['Claim on a draft', () => `c:${draft.id}`, NOT_FOUND],
    ['Details of a draft', () => `i:${draft.id}`, NOT_FOUND],
    ['Other amount on a draft', () => `o:${draft.id}`, NOT_FOUND],
  ])('%s is answered once with the truth', async (what, data, expected) => {
    const donor = donorUser(100 + what.length); // a person of their own: nobody presses too fast here
    const answer = await h.press(donor, card, data());
    expect(answer.ok).toBe(true);
    expect(String(answer.params.text)).toContain(expected);
    expect(String(answer.params.text)).not.toMatch(/Secret draft|Private words/);
    expect(h.fake.answersTo(String(answer.params.callback_query_id))).toHaveLength(1);
  });

  it('the remainder a card offered is still its donor\'s button after they pledged it: a repeat is answered as done', async () => {
    const admin = { kind: 'admin' as const, id: 'test' };
    const odd = (await h.runtime.services.wishes.create(draftFor(cash.communityId, { category: 'cash', target: 130 }), admin, { publish: true })).state;
    const donor = donorUser(7);
    const first = String((await h.press(donor, card, `p:${odd.id}:130`)).params.text);
    expect(first).toContain(`${odd.code} is yours`);
    const again = String((await h.press(donor, card, `p:${odd.id}:130`)).params.text);
    expect(again).toBe(first);
    // Anyone else pressing that remainder now is told the truth: it is fully pledged.
    const late = String((await h.press(donorUser(8), card, `p:${odd.id}:130`)).params.text);
    expect(late).toContain('already fully pledged');
    expect((await h.runtime.services.wishes.get(odd.id)).pledges).toHaveLength(1);
  });

  it('a deep link to a draft reads as no wish, and shows nothing of it', async () => {
    const donor = donorUser(2);
    const reply = await h.say(donor, privateChatOf(donor), `/start amount_${draft.id}`);
    expect(String(reply.params.text)).toContain(NOT_FOUND);
  });

  it('a forged pledge changed nothing', async () => {
    const state = await h.runtime.services.wishes.get(cash.id);
    expect(state.pledges).toHaveLength(0);
    expect((await h.runtime.services.wishes.get(goods.id)).pledges).toHaveLength(0);
  });

  it('after a truthful answer, a failure on the way out is logged, not answered again', async () => {
    // Other amount: answered "continue in private", then the private message fails (blocked since).
    const donor = donorUser(3);
    await h.say(donor, privateChatOf(donor), '/start');
    h.fake.blockUser(donor.id);
    const other = await h.press(donor, card, `o:${cash.id}`);
    expect(String(other.params.text)).toContain('private chat');
    // Delivered: answered, then the confirmation in private fails.
    const giver = donorUser(4);
    await h.say(giver, privateChatOf(giver), '/start');
    const claim = await h.press(giver, card, `c:${goods.id}`);
    expect(String(claim.params.text)).toContain(goods.code);
    h.fake.blockUser(giver.id);
    const delivered = await h.press(giver, { chat: { id: giver.id }, message_id: 1 }, `dl:${goods.id}:1`);
    expect(delivered.ok).toBe(true);
    // A later update of each person has gone through the whole chain, so any second answer would be here.
    const marker = await h.press(giver, card, 'garbage');
    const marker2 = await h.press(donor, card, 'garbage');
    expect(marker.ok && marker2.ok).toBe(true);
    for (const a of [other, claim, delivered]) expect(h.fake.answersTo(String(a.params.callback_query_id))).toHaveLength(1);
    expect(h.fake.callbackAnswers().twice).toEqual([]);
    expect(h.fake.callbackAnswers().unanswered).toEqual([]);
  });
});

describe('names Telegram would never send, through the real bot', () => {
  const db = useTestDatabase();
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(db);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a name with markup, RTL marks and a lone surrogate is welcomed, escaped and well-formed', async () => {
    const odd = { id: 77_001, first_name: '<b>x</b> & \u202e\uD800', language_code: 'en' };
    const reply = await h.say(odd, privateChatOf(odd), '/start');
    expect(reply.ok).toBe(true);
    expect(String(reply.params.text)).toContain('&lt;b&gt;x&lt;/b&gt; &amp;');
  });
});
