import { useTestDatabase } from '../support/db';
import { admin, buildServices, donor, draftFor, manualClock, publishedWish, settleAll } from '../support/fixtures';

describe('race-safe claims and pledges on the real database', () => {
  const db = useTestDatabase();
  const clock = manualClock();
  const services = () => buildServices(db, clock);

  async function eventsOf(wishId: string) {
    return db.models.WishEvent.find({ wishId }).sort({ seq: 1 }).lean();
  }

  it('when 50 donors press Claim on one goods wish at once, exactly one wins and 49 hear "already taken"', async () => {
    const s = services();
    const { wish } = await publishedWish(s, clock, { category: 'goods', target: 1, title: 'Wheelchair' });

    const { ok, refusals } = await settleAll(
      Array.from({ length: 50 }, (_, i) => () => s.wishes.execute(wish.id, { type: 'claim', donor: { donorId: `donor-${i}` } }, donor(i))),
    );

    expect(ok).toHaveLength(1);
    expect(refusals).toEqual(Array(49).fill('already_taken'));
    const final = await s.wishes.get(wish.id);
    expect(final.pledges).toHaveLength(1);
    expect(final.status).toBe('fully_pledged');
    const events = await eventsOf(wish.id);
    expect(events.map((e) => e.type)).toEqual(['created', 'published', 'pledged']);
  });

  it('when 40 donors pledge 50 each at once on a 300 wish, exactly 6 are accepted and the rest hear "target reached"', async () => {
    const s = services();
    const { wish } = await publishedWish(s, clock, { category: 'cash', target: 300 });

    const { ok, refusals } = await settleAll(
      Array.from({ length: 40 }, (_, i) => () => s.wishes.execute(wish.id, { type: 'pledge', amount: 50, donor: { donorId: `donor-${i}` } }, donor(i))),
    );

    expect(ok).toHaveLength(6);
    expect(refusals).toEqual(Array(34).fill('target_reached'));
    const final = await s.wishes.get(wish.id);
    expect(final.pledged).toBe(300);
    expect(final.pledges.reduce((sum, p) => sum + p.amount, 0)).toBe(300);
    expect(final.status).toBe('fully_pledged');
    const pledgedEvents = (await eventsOf(wish.id)).filter((e) => e.type === 'pledged');
    expect(pledgedEvents).toHaveLength(6);
    expect(new Set(pledgedEvents.map((e) => (e as unknown as { donorId: string }).donorId)).size).toBe(6);
  });

  it('when the same donor pledges twice at once, one pledge stands and the repeat is answered as done', async () => {
    const s = services();
    const { wish } = await publishedWish(s, clock, { category: 'cash', target: 300 });
    const me = donor('twice');

    const { ok, refusals } = await settleAll(
      [1, 2].map(() => () => s.wishes.execute(wish.id, { type: 'pledge', amount: 50, donor: { donorId: me.id } }, me)),
    );

    expect(refusals).toEqual([]);
    expect(ok.map((r) => (r.event ? 'event' : 'repeat')).sort()).toEqual(['event', 'repeat']);
    expect(ok.every((r) => r.state.pledges.length === 1 && r.state.pledges[0]!.amount === 50)).toBe(true);
    expect((await eventsOf(wish.id)).filter((e) => e.type === 'pledged')).toHaveLength(1);
    // A different amount is not the same press: refused, saying what stands.
    await expect(s.wishes.execute(wish.id, { type: 'pledge', amount: 80, donor: { donorId: me.id } }, me)).rejects.toMatchObject({ code: 'already_pledged', details: { amount: 50 } });
  });

  it('Delivered pressed twice at once: one event, both answered as done', async () => {
    const s = services();
    const { wish } = await publishedWish(s, clock, { category: 'goods', target: 1 });
    const me = donor('deliverer');
    const { event } = await s.wishes.execute(wish.id, { type: 'claim', donor: { donorId: me.id } }, me);
    const { ok, refusals } = await settleAll([1, 2].map(() => () => s.wishes.execute(wish.id, { type: 'deliver', pledgeId: event!.id }, me)));
    expect(refusals).toEqual([]);
    expect(ok.map((r) => (r.event ? 'event' : 'repeat')).sort()).toEqual(['event', 'repeat']);
    expect((await eventsOf(wish.id)).filter((e) => e.type === 'delivered')).toHaveLength(1);
  });

  it('a worker and the resident confirming at once: one confirmation, and the wish is fulfilled once', async () => {
    const s = services();
    const { wish } = await publishedWish(s, clock, { category: 'goods', target: 1 });
    const me = donor('giver');
    const { event } = await s.wishes.execute(wish.id, { type: 'claim', donor: { donorId: me.id } }, me);
    await s.wishes.execute(wish.id, { type: 'deliver', pledgeId: event!.id }, me);
    const resident = { kind: 'resident' as const, id: 'tg:4004', wishIds: [wish.id] };
    const { ok, refusals } = await settleAll([admin, resident].map((who) => () => s.wishes.confirm(wish.id, event!.id, who)));
    expect(refusals).toEqual([]);
    expect(ok.every((r) => r.state.status === 'fulfilled')).toBe(true);
    expect((await eventsOf(wish.id)).filter((e) => e.type === 'confirmed')).toHaveLength(1);
  });

  it('a withdrawn claim frees the wish for another donor', async () => {
    const s = services();
    const { wish } = await publishedWish(s, clock, { category: 'goods', target: 1 });
    const first = donor('first');
    const second = donor('second');

    const claimed = await s.wishes.execute(wish.id, { type: 'claim', donor: { donorId: first.id } }, first);
    await expect(s.wishes.execute(wish.id, { type: 'claim', donor: { donorId: second.id } }, second)).rejects.toMatchObject({ code: 'already_taken' });
    await s.wishes.execute(wish.id, { type: 'withdraw', pledgeId: claimed.event!.id }, first);
    const reclaimed = await s.wishes.execute(wish.id, { type: 'claim', donor: { donorId: second.id } }, second);

    expect(reclaimed.state.status).toBe('fully_pledged');
    expect(reclaimed.state.pledges.map((p) => [p.donorId, p.status])).toEqual([
      [first.id, 'withdrawn'],
      [second.id, 'active'],
    ]);
  });

  it('every accepted change is exactly one event and no refused attempt leaves one', async () => {
    const s = services();
    const { wish } = await publishedWish(s, clock, { category: 'cash', target: 100 });

    const { ok, refusals } = await settleAll(
      Array.from({ length: 12 }, (_, i) => () => s.wishes.execute(wish.id, { type: 'pledge', amount: 30, donor: { donorId: `donor-${i}` } }, donor(i))),
    );
    // 30 + 30 + 30 = 90 fits; a fourth 30 would overshoot 100 and is refused with what remains.
    expect(ok).toHaveLength(3);
    expect(refusals.every((r) => r === 'exceeds_remaining' || r === 'target_reached')).toBe(true);

    const events = await eventsOf(wish.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events).toHaveLength(2 + ok.length);
    expect(ok.map((r) => r.event!.seq).sort()).toEqual([3, 4, 5]);
  });

  it('a lost snapshot write changes no answer: the next read folds the missing events back in', async () => {
    const s = services();
    const { wish } = await publishedWish(s, clock, { category: 'cash', target: 300 });
    await s.wishes.execute(wish.id, { type: 'pledge', amount: 100, donor: { donorId: 'a' } }, { kind: 'donor', id: 'a' });
    // Put the snapshot back two versions, as if its last writes were lost.
    await db.models.Wish.collection.updateOne({ _id: wish.id as never }, { $set: { version: 2, pledges: [], pledged: 0, status: 'open' } });

    const read = await s.wishes.get(wish.id);
    expect(read.pledged).toBe(100);
    const listed = await s.wishes.list({ status: ['partially_pledged'] });
    expect(listed.map((w) => w.id)).toContain(wish.id);
    // A command decided on the stale snapshot loses its insert and re-decides on the truth.
    await db.models.Wish.collection.updateOne({ _id: wish.id as never }, { $set: { version: 2, pledges: [], pledged: 0, status: 'open' } });
    await expect(
      s.wishes.execute(wish.id, { type: 'pledge', amount: 250, donor: { donorId: 'b' } }, { kind: 'donor', id: 'b' }),
    ).rejects.toMatchObject({ code: 'exceeds_remaining', details: { remaining: 200 } });
  });

  it('two wishes created at once never share a code', async () => {
    const s = services();
    const { community } = await publishedWish(s, clock);
    const { ok } = await settleAll(
      Array.from({ length: 20 }, () => () => s.wishes.create(draftFor(community.id, {}, clock()), admin)),
    );
    const codes = ok.map((r) => r.state.code);
    expect(codes).toHaveLength(20);
    expect(new Set(codes).size).toBe(20);
    codes.forEach((c) => expect(c).toMatch(/^W-\d{4,}$/));
  });
});
