import { ConflictError, ForbiddenError, InvalidError } from '../../src/domain/errors';
import { conversationRef } from '../../src/bot/features/conversation';
import { decide, MESSAGE_MAX } from '../../src/domain/wish/decide';
import { evolve, MESSAGE_KEYS_KEPT } from '../../src/domain/wish/evolve';
import { Actor, WishCommand, WishEvent, WishEventBody, WishState } from '../../src/domain/wish/types';

const NOW = new Date('2026-11-22T09:00:00Z');
const worker: Actor = { kind: 'worker', id: 'tg:2', communityIds: ['c1'] };
const otherWorker: Actor = { kind: 'worker', id: 'tg:3', communityIds: ['c2'] };
const resident: Actor = { kind: 'resident', id: 'tg:4', wishIds: ['W-1001'] };
const otherResident: Actor = { kind: 'resident', id: 'tg:5', wishIds: ['W-2002'] };
const donor: Actor = { kind: 'donor', id: 'tg:6' };

let seq = 0;
function event(body: WishEventBody, actor: Actor = worker, at = NOW): WishEvent {
  seq += 1;
  return { ...body, id: `W-1001:${seq}`, wishId: 'W-1001', seq, at, actor: { kind: actor.kind, id: actor.id } } as WishEvent;
}

function wish(): WishState {
  seq = 0;
  const created = event({
    type: 'created',
    wish: {
      code: 'W-1001',
      communityId: 'c1',
      title: 'Rice',
      description: 'Two bags',
      category: 'goods',
      target: 2,
      deadline: new Date('2026-12-12T23:59:59Z'),
      urgency: 'normal',
      beneficiary: { alias: 'elder, Building 3' },
    },
  });
  return evolve(evolve(null, created), event({ type: 'published' }, worker, new Date('2026-11-21T09:00:00Z')));
}

function apply(state: WishState, command: WishCommand, actor: Actor): WishState {
  const d = decide(state, command, { actor, now: NOW });
  if (!d.ok) throw d.error;
  if (!d.event) throw new Error('expected an event, got a repeat');
  return evolve(state, event(d.event, actor));
}

function refusal(state: WishState, command: WishCommand, actor: Actor) {
  const d = decide(state, command, { actor, now: NOW });
  if (d.ok) throw new Error(`expected a refusal, got ${d.event?.type ?? 'a repeat'}`);
  return d.error;
}

const said = (text: string, key = 'tg:1'): WishCommand => ({ type: 'message', from: 'resident', text, key });

describe('messages relayed through the bot (decide and evolve)', () => {
  it('records a resident message without changing anything about the wish but its version', () => {
    const s = wish();
    const d = decide(s, said('  When will the rice come?  '), { actor: resident, now: NOW });
    expect(d).toEqual({ ok: true, event: { type: 'message', from: 'resident', text: 'When will the rice come?', key: 'tg:1' } });
    const after = apply(s, said('When will the rice come?'), resident);
    const { version, messageKeys, ...rest } = after;
    const { version: before, messageKeys: none, ...was } = s;
    expect(rest).toEqual(was);
    expect([before, version, none, messageKeys]).toEqual([2, 3, undefined, ['tg:1']]);
    expect(after.updatedAt).toEqual(s.updatedAt);
  });

  it('answers a redelivered update as done, and forgets only the oldest keys', () => {
    let s = apply(wish(), said('hello', 'tg:7'), resident);
    expect(decide(s, said('hello', 'tg:7'), { actor: resident, now: NOW })).toEqual({ ok: true, event: null });
    for (let i = 0; i < MESSAGE_KEYS_KEPT; i++) s = apply(s, said(`m${i}`, `k${i}`), resident);
    expect(s.messageKeys).toHaveLength(MESSAGE_KEYS_KEPT);
    expect(s.messageKeys).not.toContain('tg:7');
    expect(s.messageKeys?.at(-1)).toBe(`k${MESSAGE_KEYS_KEPT - 1}`);
  });

  it('lets only the linked resident write as the resident, and only about a live wish', () => {
    expect(refusal(wish(), said('hi'), otherResident)).toBeInstanceOf(ForbiddenError);
    expect(refusal(wish(), said('hi'), donor)).toBeInstanceOf(ForbiddenError);
    const cancelled = apply(wish(), { type: 'cancel' }, worker);
    expect(refusal(cancelled, said('hi'), resident)).toBeInstanceOf(ConflictError);
  });

  it('refuses empty and too long text, naming the field', () => {
    const empty = refusal(wish(), said(' \n '), resident) as InvalidError;
    expect(empty).toBeInstanceOf(InvalidError);
    expect(JSON.stringify(empty.details)).toContain('text');
    expect(refusal(wish(), said('x'.repeat(MESSAGE_MAX + 1)), resident)).toBeInstanceOf(InvalidError);
    expect(decide(wish(), said('x'.repeat(MESSAGE_MAX)), { actor: resident, now: NOW }).ok).toBe(true);
  });

  it("lets a donor write about their own pledge in hand, and no one else's", () => {
    const s = apply(wish(), { type: 'claim', donor: { donorId: donor.id } }, donor);
    const pledgeId = s.pledges[0]!.id;
    const about: WishCommand = { type: 'message', from: 'donor', text: 'Bringing it Friday', key: 'tg:9', pledgeId };
    expect(decide(s, about, { actor: donor, now: NOW })).toEqual({ ok: true, event: { type: 'message', from: 'donor', text: 'Bringing it Friday', key: 'tg:9', pledgeId } });
    expect(refusal(s, about, { kind: 'donor', id: 'tg:99' })).toBeInstanceOf(ForbiddenError);
    expect(refusal(s, { ...about, pledgeId: 'W-1001:99' }, donor)).toBeInstanceOf(ForbiddenError);
    const withdrawn = apply(s, { type: 'withdraw', pledgeId }, donor);
    expect(refusal(withdrawn, about, donor)).toBeInstanceOf(ConflictError);
  });

  it("lets the community's staff answer, to someone named, even after the wish closed", () => {
    const answer: WishCommand = { type: 'message', from: 'worker', text: 'Friday', key: 'tg:10', to: { kind: 'resident', id: resident.id }, fromName: 'Wang' };
    expect(decide(wish(), answer, { actor: worker, now: NOW })).toEqual({
      ok: true,
      event: { type: 'message', from: 'worker', text: 'Friday', key: 'tg:10', to: { kind: 'resident', id: resident.id }, fromName: 'Wang' },
    });
    expect(refusal(wish(), answer, otherWorker)).toBeInstanceOf(ForbiddenError);
    expect(refusal(wish(), answer, resident)).toBeInstanceOf(ForbiddenError);
    expect(refusal(wish(), { ...answer, to: undefined }, worker)).toBeInstanceOf(InvalidError);
    // A donor who never pledged to this wish is nobody to answer.
    expect(refusal(wish(), { ...answer, to: { kind: 'donor', id: 'tg:77' } }, worker)).toBeInstanceOf(InvalidError);
    const cancelled = apply(wish(), { type: 'cancel' }, worker);
    expect(decide(cancelled, answer, { actor: worker, now: NOW }).ok).toBe(true);
  });
});

describe('matching a worker’s reply to the relayed message', () => {
  const BOT = 777;
  const relayed = (text: string, from = BOT) => ({ message_id: 5, from: { id: from, is_bot: true }, text });

  it('reads the event reference at the end of the bot’s own message, whatever the title or words hold', () => {
    const text = '💬 Resident of W-1042 “Glasses W-9:9” (elder) writes:\n\nSee W-1:2\n\n↩️ Reply to this message to answer. (ref W-1042:7)';
    expect(conversationRef(relayed(text), BOT)).toEqual({ wishId: 'W-1042', seq: 7 });
    expect(conversationRef(relayed('💬 … 回复这条消息即可作答。（编号 W-1042:12）'), BOT)).toEqual({ wishId: 'W-1042', seq: 12 });
  });

  it('ignores replies to other people’s messages, to messages without a reference, and to no message', () => {
    expect(conversationRef(relayed('(ref W-1042:7)', 4004), BOT)).toBeUndefined();
    expect(conversationRef(relayed('Your wish W-1042 is fulfilled.'), BOT)).toBeUndefined();
    expect(conversationRef(undefined, BOT)).toBeUndefined();
    expect(conversationRef({ from: { id: BOT }, photo: [] }, BOT)).toBeUndefined();
  });
});
