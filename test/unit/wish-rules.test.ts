import { ConflictError, ForbiddenError, InvalidError } from '../../src/domain/errors';
import { decide, DecideContext } from '../../src/domain/wish/decide';
import { evolve, fold } from '../../src/domain/wish/evolve';
import { Actor, WishCommand, WishEvent, WishEventBody, WishState } from '../../src/domain/wish/types';

const NOW = new Date('2026-11-22T09:00:00Z');
const worker: Actor = { kind: 'worker', id: 'w1', communityIds: ['c1'] };
const otherWorker: Actor = { kind: 'worker', id: 'w2', communityIds: ['c2'] };
const system: Actor = { kind: 'system', id: 'system' };
const donor = (id: string): Actor => ({ kind: 'donor', id });

let seq = 0;
function event(body: WishEventBody, actor: Actor = worker, at = NOW): WishEvent {
  seq += 1;
  return { ...body, id: `W-1001:${seq}`, wishId: 'W-1001', seq, at, actor: { kind: actor.kind, id: actor.id } } as WishEvent;
}

function wish(category: 'goods' | 'cash' | 'service', target: number, publish = true): WishState {
  seq = 0;
  const created = event({
    type: 'created',
    wish: {
      code: 'W-1001',
      communityId: 'c1',
      title: 'Wheelchair',
      description: 'For an elder',
      category,
      target,
      deadline: new Date('2026-12-12T23:59:59Z'),
      urgency: 'normal',
      beneficiary: { alias: 'elder, Building 3' },
    },
  });
  const s = evolve(null, created);
  return publish ? evolve(s, event({ type: 'published' })) : s;
}

/** Decides and applies, failing the test on a refusal. */
function apply(state: WishState, command: WishCommand, actor: Actor, now = NOW): WishState {
  const d = decide(state, command, { actor, now });
  if (!d.ok) throw d.error;
  if (!d.event) throw new Error(`expected an event, got a repeat of ${command.type}`);
  return evolve(state, event(d.event, actor, now));
}

function refusal(state: WishState, command: WishCommand, ctx: Partial<DecideContext> & { actor: Actor }) {
  const d = decide(state, command, { now: NOW, ...ctx });
  if (d.ok) throw new Error(`expected a refusal, got ${d.event?.type ?? 'a repeat'}`);
  return d.error;
}

const pledge = (donorId: string, amount: number): WishCommand => ({ type: 'pledge', amount, donor: { donorId } });
const claim = (donorId: string): WishCommand => ({ type: 'claim', donor: { donorId } });

describe('wish rules (decide and evolve)', () => {
  it('derives status from pledges: open, partially pledged, fully pledged', () => {
    let s = wish('cash', 300);
    expect(s.status).toBe('open');
    s = apply(s, pledge('a', 100), donor('a'));
    expect([s.status, s.pledged]).toEqual(['partially_pledged', 100]);
    s = apply(s, pledge('b', 200), donor('b'));
    expect([s.status, s.pledged]).toEqual(['fully_pledged', 300]);
  });

  it('a draft is not open for pledges and says so', () => {
    expect(refusal(wish('cash', 300, false), pledge('a', 50), { actor: donor('a') }).code).toBe('not_published');
  });

  it('refuses a pledge larger than what remains, telling how much remains', () => {
    const s = apply(wish('cash', 300), pledge('a', 250), donor('a'));
    const err = refusal(s, pledge('b', 100), { actor: donor('b') });
    expect(err).toBeInstanceOf(ConflictError);
    expect([err.code, err.details]).toEqual(['exceeds_remaining', { remaining: 50 }]);
  });

  it('refuses once the target is reached, and a second pledge by the same donor', () => {
    const s = apply(wish('cash', 100), pledge('a', 100), donor('a'));
    expect(refusal(s, pledge('b', 10), { actor: donor('b') }).code).toBe('target_reached');
    expect(refusal(s, pledge('a', 10), { actor: donor('a') }).code).toBe('already_pledged');
  });

  it('a goods wish is claimed whole by one donor; the next hears "already taken"', () => {
    const s = apply(wish('goods', 2), claim('a'), donor('a'));
    expect(s.pledges[0]!.amount).toBe(2);
    expect(refusal(s, claim('b'), { actor: donor('b') }).code).toBe('already_taken');
  });

  it('claim and pledge each belong to their own category', () => {
    expect(refusal(wish('cash', 300), claim('a'), { actor: donor('a') }).code).toBe('use_pledge');
    expect(refusal(wish('service', 1), pledge('a', 1), { actor: donor('a') }).code).toBe('use_claim');
  });

  it('rejects amounts that are not whole positive numbers', () => {
    for (const amount of [0, -5, 2.5, Number.NaN]) {
      expect(refusal(wish('cash', 300), pledge('a', amount), { actor: donor('a') })).toBeInstanceOf(InvalidError);
    }
  });

  it('a donor may not pledge in someone else\'s name', () => {
    expect(refusal(wish('cash', 300), pledge('a', 50), { actor: donor('b') })).toBeInstanceOf(ForbiddenError);
  });

  it('past its deadline a wish takes no pledges, and only then may it be expired', () => {
    const s = wish('cash', 300);
    const late = new Date('2026-12-13T00:00:00Z');
    expect(refusal(s, pledge('a', 50), { actor: donor('a'), now: late }).code).toBe('wish_closed');
    expect(refusal(s, { type: 'expire' }, { actor: system }).code).toBe('not_due');
    expect(apply(s, { type: 'expire' }, system, late).status).toBe('expired');
  });

  it('withdrawing frees the share; delivered pledges cannot be withdrawn', () => {
    let s = apply(wish('cash', 100), pledge('a', 100), donor('a'));
    const pledgeId = s.pledges[0]!.id;
    s = apply(s, { type: 'withdraw', pledgeId }, donor('a'));
    expect([s.status, s.pledged]).toEqual(['open', 0]);
    s = apply(s, pledge('b', 100), donor('b'));
    const second = s.pledges[1]!.id;
    s = apply(s, { type: 'deliver', pledgeId: second }, donor('b'));
    expect(refusal(s, { type: 'withdraw', pledgeId: second }, { actor: donor('b') }).code).toBe('pledge_delivered');
  });

  it('is fulfilled when every live pledge is confirmed and the target is met', () => {
    let s = apply(wish('cash', 100), pledge('a', 60), donor('a'));
    s = apply(s, pledge('b', 40), donor('b'));
    const [p1, p2] = s.pledges.map((p) => p.id) as [string, string];
    s = apply(s, { type: 'deliver', pledgeId: p1 }, donor('a'));
    s = apply(s, { type: 'confirm', pledgeId: p1 }, worker);
    expect(s.status).toBe('fully_pledged');
    s = apply(s, { type: 'deliver', pledgeId: p2 }, donor('b'));
    s = apply(s, { type: 'confirm', pledgeId: p2 }, worker);
    expect(s.status).toBe('fulfilled');
    expect(refusal(s, pledge('c', 1), { actor: donor('c') }).code).toBe('wish_closed');
  });

  it('confirmation short of the target does not fulfil the wish', () => {
    let s = apply(wish('cash', 100), pledge('a', 60), donor('a'));
    s = apply(s, { type: 'deliver', pledgeId: s.pledges[0]!.id }, donor('a'));
    s = apply(s, { type: 'confirm', pledgeId: s.pledges[0]!.id }, worker);
    expect(s.status).toBe('partially_pledged');
  });

  it('a linked resident may confirm receipt; a stranger may not', () => {
    let s = apply(wish('goods', 1), claim('a'), donor('a'));
    const pledgeId = s.pledges[0]!.id;
    s = apply(s, { type: 'deliver', pledgeId }, donor('a'));
    const resident: Actor = { kind: 'resident', id: 'r1', wishIds: ['W-1001'] };
    expect(apply(s, { type: 'confirm', pledgeId }, resident).status).toBe('fulfilled');
    expect(refusal(s, { type: 'confirm', pledgeId }, { actor: donor('z') })).toBeInstanceOf(ForbiddenError);
  });

  it('only staff of the wish\'s community may publish or cancel', () => {
    const draft = wish('goods', 1, false);
    expect(refusal(draft, { type: 'publish' }, { actor: otherWorker })).toBeInstanceOf(ForbiddenError);
    expect(refusal(draft, { type: 'cancel' }, { actor: donor('a') })).toBeInstanceOf(ForbiddenError);
    const cancelled = apply(draft, { type: 'cancel' }, worker);
    expect(refusal(cancelled, { type: 'publish' }, { actor: worker }).code).toBe('wish_closed');
  });

  it('the system releases an abandoned pledge, freeing the wish', () => {
    let s = apply(wish('goods', 1), claim('a'), donor('a'));
    s = apply(s, { type: 'release', pledgeId: s.pledges[0]!.id, reason: 'no answer' }, system);
    expect([s.status, s.pledges[0]!.status]).toEqual(['open', 'released']);
    expect(refusal(s, { type: 'release', pledgeId: s.pledges[0]!.id, reason: 'x' }, { actor: donor('a') })).toBeInstanceOf(ForbiddenError);
  });

  it('folding the recorded events rebuilds exactly the state that was built step by step', () => {
    const recorded: WishEvent[] = [];
    const record = (e: WishEvent) => (recorded.push(e), e);
    seq = 0;
    let s: WishState | null = null;
    s = evolve(s, record(event({ type: 'created', wish: { ...wish('cash', 300), code: 'W-1001' } })));
    seq = 1;
    s = evolve(s, record(event({ type: 'published' })));
    for (const [id, amount] of [['a', 100], ['b', 50]] as const) {
      const d = decide(s, pledge(id, amount), { actor: donor(id), now: NOW });
      if (!d.ok || !d.event) throw new Error('refused');
      s = evolve(s, record(event(d.event, donor(id))));
    }
    const d = decide(s, { type: 'withdraw', pledgeId: s.pledges[0]!.id }, { actor: donor('a'), now: NOW });
    if (!d.ok || !d.event) throw new Error('refused');
    s = evolve(s, record(event(d.event, donor('a'))));

    expect(fold(recorded)).toEqual(s);
    expect(fold(recorded.slice(0, 3))).toEqual(fold(recorded.slice(2, 3), fold(recorded.slice(0, 2))));
    expect([s.version, s.pledged, s.status]).toEqual([5, 50, 'partially_pledged']);
  });

  it('a command that is already so records nothing: the caller answers it as done', () => {
    let s = apply(wish('goods', 1), claim('a'), donor('a'));
    const pledgeId = s.pledges[0]!.id;
    expect(decide(s, claim('a'), { actor: donor('a'), now: NOW })).toEqual({ ok: true, event: null });
    expect(decide(s, { type: 'publish' }, { actor: worker, now: NOW })).toEqual({ ok: true, event: null });
    s = apply(s, { type: 'deliver', pledgeId }, donor('a'));
    expect(decide(s, { type: 'deliver', pledgeId }, { actor: donor('a'), now: NOW })).toEqual({ ok: true, event: null });
    s = apply(s, { type: 'confirm', pledgeId }, worker);
    for (const [command, actor] of [
      [{ type: 'confirm', pledgeId }, worker],
      [{ type: 'deliver', pledgeId }, donor('a')],
    ] as Array<[WishCommand, Actor]>) {
      expect(decide(s, command, { actor, now: NOW })).toEqual({ ok: true, event: null });
    }
    // Permission comes first: a stranger learns nothing from a repeat.
    expect(refusal(s, { type: 'deliver', pledgeId }, { actor: donor('z') })).toBeInstanceOf(ForbiddenError);
  });

  it('decide says when a confirmation fulfils the wish; evolve applies it', () => {
    let s = apply(wish('cash', 100), pledge('a', 60), donor('a'));
    s = apply(s, pledge('b', 40), donor('b'));
    const [p1, p2] = s.pledges.map((p) => p.id) as [string, string];
    s = apply(s, { type: 'deliver', pledgeId: p1 }, donor('a'));
    s = apply(s, { type: 'deliver', pledgeId: p2 }, donor('b'));
    expect(decide(s, { type: 'confirm', pledgeId: p1 }, { actor: worker, now: NOW })).toEqual({ ok: true, event: { type: 'confirmed', pledgeId: p1, fulfils: false } });
    s = apply(s, { type: 'confirm', pledgeId: p1 }, worker);
    expect(decide(s, { type: 'confirm', pledgeId: p2 }, { actor: worker, now: NOW })).toEqual({ ok: true, event: { type: 'confirmed', pledgeId: p2, fulfils: true } });
  });

  it('after expiry a delivered pledge can still be confirmed, an undelivered one cannot be delivered', () => {
    let s = apply(wish('cash', 100), pledge('a', 60), donor('a'));
    s = apply(s, pledge('b', 40), donor('b'));
    const [p1, p2] = s.pledges.map((p) => p.id) as [string, string];
    s = apply(s, { type: 'deliver', pledgeId: p1 }, donor('a'));
    const late = new Date('2026-12-13T00:00:00Z');
    s = apply(s, { type: 'expire' }, system, late);
    expect(refusal(s, { type: 'deliver', pledgeId: p2 }, { actor: donor('b'), now: late }).code).toBe('wish_closed');
    expect(refusal(s, { type: 'confirm', pledgeId: p2 }, { actor: worker, now: late }).code).toBe('wish_closed');
    s = apply(s, { type: 'confirm', pledgeId: p1 }, worker, late);
    expect([s.status, s.pledges[0]!.status]).toEqual(['expired', 'confirmed']);
  });

  it('an edit is checked by the same rules as a new wish, and an edit that changes nothing records nothing', () => {
    const s = wish('goods', 1);
    const changed = apply(s, { type: 'edit', changes: { title: '眼镜', alias: 'elder, Building 5' } }, worker);
    expect([changed.title, changed.beneficiary.alias, changed.version]).toEqual(['眼镜', 'elder, Building 5', s.version + 1]);
    expect(decide(changed, { type: 'edit', changes: { title: ' 眼镜 ' } }, { actor: worker, now: NOW })).toEqual({ ok: true, event: null });
    const bad = refusal(s, { type: 'edit', changes: { alias: 'Mr Chen, 555 0199 123', deadline: new Date('2020-01-01') } }, { actor: worker });
    expect((bad as InvalidError).issues.map((i) => [i.field, i.code])).toEqual([
      ['deadline', 'date_past'],
      ['beneficiary.alias', 'has_phone'],
    ]);
    expect(refusal(s, { type: 'edit', changes: { title: 'Other' } }, { actor: otherWorker })).toBeInstanceOf(ForbiddenError);
  });

  describe('confirming receipt (issue 10: self-dealing, confirming what was never delivered)', () => {
    // A worker of c1 who is also a donor on Telegram: the bot's actor id is their donor id.
    const selfDealer: Actor = { kind: 'worker', id: 'tg:2002', telegramId: 2002, communityIds: ['c1'] };
    const colleague: Actor = { kind: 'worker', id: 'tg:3003', telegramId: 3003, communityIds: ['c1'] };
    const resident: Actor = { kind: 'resident', id: 'tg:4004', wishIds: ['W-1001'] };
    const admin: Actor = { kind: 'admin', id: 'tg:1001', telegramId: 1001 };

    /** Given a goods wish claimed by `by` (delivered when `delivered`), the pledge id and state. */
    function claimed(by: Actor, delivered: boolean) {
      let s = apply(wish('goods', 1), claim(by.id), by);
      const pledgeId = s.pledges[0]!.id;
      if (delivered) s = apply(s, { type: 'deliver', pledgeId }, by);
      return { s, pledgeId };
    }

    it('a worker cannot confirm their own pledge, delivered or not; the resident or another worker can', () => {
      const { s, pledgeId } = claimed(selfDealer, true);
      const err = refusal(s, { type: 'confirm', pledgeId }, { actor: selfDealer });
      expect([err.constructor, err.code]).toEqual([ForbiddenError, 'own_pledge']);
      expect(refusal(s, { type: 'confirm', pledgeId, handedOver: true }, { actor: selfDealer }).code).toBe('own_pledge');
      expect(refusal(claimed(selfDealer, false).s, { type: 'confirm', pledgeId, handedOver: true }, { actor: selfDealer }).code).toBe('own_pledge');
      expect(apply(s, { type: 'confirm', pledgeId }, colleague).status).toBe('fulfilled');
      expect(apply(s, { type: 'confirm', pledgeId }, resident).status).toBe('fulfilled');
    });

    it('the pledge is recognised as one\'s own through the Telegram account too (a worker\'s API token)', () => {
      const { s, pledgeId } = claimed(selfDealer, true);
      const overApi: Actor = { kind: 'worker', id: 'api:0123456789ab', telegramId: 2002, communityIds: ['c1'] };
      expect(refusal(s, { type: 'confirm', pledgeId }, { actor: overApi }).code).toBe('own_pledge');
      // An admin is no exception.
      const byAdmin = claimed(admin, true);
      expect(refusal(byAdmin.s, { type: 'confirm', pledgeId: byAdmin.pledgeId }, { actor: admin }).code).toBe('own_pledge');
    });

    it('a pledge a worker recorded on a donor\'s behalf is not theirs to vouch for either', () => {
      let s = apply(wish('goods', 1), claim('tg:777'), selfDealer);
      const pledgeId = s.pledges[0]!.id;
      expect(s.pledges[0]!.pledgedBy).toBe(selfDealer.id);
      expect(refusal(s, { type: 'confirm', pledgeId, handedOver: true }, { actor: selfDealer }).code).toBe('own_pledge');
      s = apply(s, { type: 'deliver', pledgeId }, selfDealer);
      expect(refusal(s, { type: 'confirm', pledgeId }, { actor: selfDealer }).code).toBe('own_pledge');
      expect(apply(s, { type: 'confirm', pledgeId }, colleague).status).toBe('fulfilled');
    });

    it('a receipt is confirmed only after delivery was marked', () => {
      const { s, pledgeId } = claimed(donor('a'), false);
      for (const who of [resident, worker, colleague]) {
        const err = refusal(s, { type: 'confirm', pledgeId }, { actor: who });
        expect([err.constructor, err.code]).toEqual([ConflictError, 'not_delivered']);
      }
      const delivered = apply(s, { type: 'deliver', pledgeId }, donor('a'));
      expect(decide(delivered, { type: 'confirm', pledgeId }, { actor: resident, now: NOW })).toEqual({ ok: true, event: { type: 'confirmed', pledgeId, fulfils: true } });
    });

    it('staff may record a direct hand-over instead; the event says so, and the pledge counts as delivered then', () => {
      const { s, pledgeId } = claimed(donor('a'), false);
      const d = decide(s, { type: 'confirm', pledgeId, handedOver: true }, { actor: worker, now: NOW });
      expect(d).toEqual({ ok: true, event: { type: 'confirmed', pledgeId, fulfils: true, handedOver: true } });
      const after = apply(s, { type: 'confirm', pledgeId, handedOver: true }, worker);
      expect([after.status, after.pledges[0]!.status, after.pledges[0]!.deliveredAt]).toEqual(['fulfilled', 'confirmed', NOW]);
      // A resident cannot claim to have seen a hand-over for staff; a stranger learns nothing.
      expect(refusal(s, { type: 'confirm', pledgeId, handedOver: true }, { actor: resident })).toBeInstanceOf(ForbiddenError);
      expect(refusal(s, { type: 'confirm', pledgeId, handedOver: true }, { actor: otherWorker }).code).toBe('forbidden');
      // On a pledge already marked delivered the flag changes nothing and is not recorded.
      const delivered = apply(s, { type: 'deliver', pledgeId }, donor('a'));
      expect(decide(delivered, { type: 'confirm', pledgeId, handedOver: true }, { actor: worker, now: NOW })).toEqual({ ok: true, event: { type: 'confirmed', pledgeId, fulfils: true } });
    });

    it('a hand-over cannot revive a wish that has closed', () => {
      const { s, pledgeId } = claimed(donor('a'), false);
      const late = new Date('2026-12-13T00:00:00Z');
      const expired = apply(s, { type: 'expire' }, system, late);
      expect(refusal(expired, { type: 'confirm', pledgeId, handedOver: true }, { actor: worker, now: late }).code).toBe('wish_closed');
    });

    it('the history shows who confirmed: the event records its actor', () => {
      const { s, pledgeId } = claimed(donor('a'), true);
      const d = decide(s, { type: 'confirm', pledgeId }, { actor: colleague, now: NOW });
      if (!d.ok || !d.event) throw new Error('refused');
      const recorded = event(d.event, colleague);
      expect(recorded).toMatchObject({ type: 'confirmed', pledgeId, actor: { kind: 'worker', id: 'tg:3003' } });
    });
  });

  it('a cancel or withdrawal reason is stored tidy: no control characters, no half emoji, at most 500 characters', () => {
    const s = wish('goods', 1);
    expect(decide(s, { type: 'cancel', reason: ` Family\u0000 covered it \ud83d ${'👨‍👩‍👧‍👦'.repeat(100)}` }, { actor: worker, now: NOW })).toEqual({
      ok: true,
      event: { type: 'cancelled', reason: `Family covered it ${'👨‍👩‍👧‍👦'.repeat(68)}` },
    });
    expect(decide(s, { type: 'cancel', reason: '\u0000 ' }, { actor: worker, now: NOW })).toEqual({ ok: true, event: { type: 'cancelled', reason: undefined } });
  });
});
