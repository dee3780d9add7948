import { runMigrations } from '../../src/db/migrations';
import { createRelayLog, createWishStore, rebuildOpenWishes } from '../../src/db/wish-store';
import { fold } from '../../src/domain/wish/evolve';
import { WishEvent } from '../../src/domain/wish/types';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, DAY, donor, draftFor, manualClock, publishedWish, settleAll } from '../support/fixtures';

type Spied = { mock: { calls: unknown[] } };
const calls = (spy: Spied) => spy.mock.calls.length;

describe('the wish store: point reads, open wishes apart, a relay queue', () => {
  const db = useTestDatabase();
  const clock = manualClock();
  const services = () => buildServices(db, clock);
  const store = () => createWishStore(db.models);
  const openIds = async () => (await db.models.OpenWish.collection.find({}, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id));
  afterEach(() => jest.restoreAllMocks());

  it('staleIds reads `<id>:<version + 1>` by _id, 16 at a time, and tells stale from fresh as before', async () => {
    const s = services();
    const { community } = await publishedWish(s, clock);
    const made = [];
    for (let i = 0; i < 20; i++) made.push((await s.wishes.create(draftFor(community.id, {}, clock()), admin, { publish: true })).state);
    const events = db.models.WishEvent.collection;
    const findOne = events.findOne.bind(events);
    let inFlight = 0;
    let most = 0;
    const pointReads = jest.spyOn(events, 'findOne').mockImplementation((async (...args: Parameters<typeof findOne>) => {
      most = Math.max(most, ++inFlight);
      try {
        return await findOne(...args);
      } finally {
        inFlight--;
      }
    }) as never);
    const scans = jest.spyOn(events, 'find');

    // Every other snapshot one event behind; and one wish that does not exist.
    const snapshots = [...made.map((w, i) => ({ id: w.id, version: i % 2 === 0 ? w.version - 1 : w.version })), { id: 'W-999999', version: 0 }];
    const stale = await store().staleIds(snapshots);

    expect([...stale].sort()).toEqual(made.filter((_, i) => i % 2 === 0).map((w) => w.id).sort());
    expect(calls(scans)).toBe(0);
    expect(calls(pointReads)).toBe(snapshots.length);
    expect(most).toBe(16);
    expect(await store().staleIds([])).toEqual(new Set());
  });

  it('a wish is in open_wishes while it is published, with its latest state, and leaves it once closed; a draft never enters', async () => {
    const s = services();
    const { community } = await publishedWish(s, clock);
    const { state: draft } = await s.wishes.create(draftFor(community.id, {}, clock()), admin);
    expect(await openIds()).not.toContain(draft.id);
    await s.wishes.publish(draft.id, admin);
    expect(await db.models.OpenWish.collection.findOne({ _id: draft.id as never })).toMatchObject({ status: 'open', version: 2 });
    await s.wishes.execute(draft.id, { type: 'pledge', amount: 50, donor: { donorId: donor(1).id } }, donor(1));
    expect(await db.models.OpenWish.collection.findOne({ _id: draft.id as never })).toMatchObject({ status: 'partially_pledged', version: 3, pledged: 50 });
    await s.wishes.cancel(draft.id, admin);
    expect(await openIds()).not.toContain(draft.id);
    expect(await db.models.Wish.collection.findOne({ _id: draft.id as never })).toMatchObject({ status: 'cancelled', version: 4 });
  });

  it('a save whose open_wishes write fails throws and leaves `wishes` behind, so the next read saves both', async () => {
    const s = services();
    const { wish } = await publishedWish(s, clock);
    const replace = jest.spyOn(db.models.OpenWish.collection, 'replaceOne').mockRejectedValueOnce(new Error('connection reset'));
    // The command commits; its snapshot save fails, quietly.
    await s.wishes.execute(wish.id, { type: 'pledge', amount: 50, donor: { donorId: donor(2).id } }, donor(2));
    expect(calls(replace)).toBe(1);
    expect(await db.models.Wish.collection.findOne({ _id: wish.id as never })).toMatchObject({ version: 2 });
    const latest = fold(await s.wishes.history(wish.id))!;
    replace.mockRejectedValueOnce(new Error('connection reset'));
    await expect(store().saveSnapshot(latest)).rejects.toThrow('connection reset');
    expect(await db.models.Wish.collection.findOne({ _id: wish.id as never })).toMatchObject({ version: 2 });

    expect((await s.wishes.get(wish.id)).pledged).toBe(50);
    expect(await db.models.Wish.collection.findOne({ _id: wish.id as never })).toMatchObject({ version: 3, pledged: 50 });
    expect(await db.models.OpenWish.collection.findOne({ _id: wish.id as never })).toMatchObject({ version: 3, pledged: 50 });
  });

  it('a failed repair of a lagging open_wishes entry does not fail the read that met it', async () => {
    const s = services();
    const { wish } = await publishedWish(s, clock);
    await s.wishes.cancel(wish.id, admin);
    jest.spyOn(db.models.OpenWish.collection, 'deleteOne').mockRejectedValueOnce(new Error('connection reset'));
    expect(await store().staleIds([{ id: wish.id, version: 2 }])).toEqual(new Set([wish.id]));
  });

  it('pageByDeadline and listSnapshots read open_wishes when every status asked for is live, `wishes` otherwise', async () => {
    const s = services();
    const { community, wish } = await publishedWish(s, clock);
    // Left out of open_wishes on purpose: only a read of `wishes` finds it.
    await db.models.OpenWish.collection.deleteOne({ _id: wish.id as never });
    const { state: other } = await s.wishes.create(draftFor(community.id, {}, clock()), admin, { publish: true });
    const wishesFind = jest.spyOn(db.models.Wish.collection, 'find');
    const live = ['open', 'partially_pledged', 'fully_pledged'] as const;
    const paged = (await store().pageByDeadline({ status: [...live], deadlineBefore: new Date(clock().getTime() + 60 * DAY) }, undefined, 500)).map((w) => w.id);
    const listed = (await store().listSnapshots({ status: ['open'], communityIds: [community.id] })).map((w) => w.id);
    expect(calls(wishesFind)).toBe(0);
    expect(paged).toContain(other.id);
    expect(paged).not.toContain(wish.id);
    expect(listed).toEqual([other.id]);

    expect((await store().pageByDeadline({ status: ['open', 'cancelled'] }, undefined, 500)).map((w) => w.id)).toEqual(expect.arrayContaining([wish.id, other.id]));
    expect((await store().listSnapshots({ communityIds: [community.id] })).map((w) => w.id)).toEqual([other.id, wish.id]);
    expect(calls(wishesFind)).toBe(2);
  });

  it('every event gets a relay marker with it; markRelayed deletes the marker and stamps relayedAt on the event', async () => {
    const s = services();
    const { wish } = await publishedWish(s, clock);
    const markers = await db.models.RelayMarker.collection.find({ wishId: wish.id }).toArray();
    expect(markers.map((m) => m._id).sort()).toEqual([`${wish.id}:1`, `${wish.id}:2`]);
    expect(markers.find((m) => String(m._id) === `${wish.id}:1`)).toMatchObject({ at: wish.createdAt });
    const at = new Date(clock().getTime() + 1000);
    await createRelayLog(db.models).markRelayed(`${wish.id}:1`, at);
    expect(await db.models.RelayMarker.collection.findOne({ _id: `${wish.id}:1` as never })).toBeNull();
    expect(await db.models.WishEvent.collection.findOne({ _id: `${wish.id}:1` as never })).toMatchObject({ relayedAt: at });
  });

  it('unrelayed reads the relay queue, not the events, and drops a marker whose event was never written', async () => {
    await db.models.RelayMarker.collection.deleteMany({});
    const s = services();
    const { wish } = await publishedWish(s, clock);
    const orphan = { _id: 'W-424242:1' as never, wishId: 'W-424242', at: clock() };
    await db.models.RelayMarker.collection.insertOne(orphan);
    clock.advance(60_000);
    const { event: late } = await s.wishes.execute(wish.id, { type: 'pledge', amount: 10, donor: { donorId: donor(3).id } }, donor(3));
    const scans = jest.spyOn(db.models.WishEvent.collection, 'find');

    const found = await createRelayLog(db.models).unrelayed(new Date(clock().getTime() - 30_000), 100);

    expect(found.map((e) => e.id).sort()).toEqual([`${wish.id}:1`, `${wish.id}:2`]);
    expect(found.find((e) => e.seq === 2)).toMatchObject({ wishId: wish.id, type: 'published' });
    expect(calls(scans)).toBe(0);
    expect(await db.models.RelayMarker.collection.findOne({ _id: orphan._id })).toBeNull();
    // Within the grace: left for a later sweep.
    expect(await db.models.RelayMarker.collection.findOne({ _id: late!.id as never })).not.toBeNull();
  });

  it('two appends racing for one seq leave one marker, and the sweep reads the winning event', async () => {
    const s = services();
    const { wish } = await publishedWish(s, clock);
    const base = { wishId: wish.id, seq: 3, id: `${wish.id}:3`, at: clock(), type: 'pledged', amount: 5, actor: { kind: 'donor', id: 'x' } };
    const outcomes = await Promise.all(['a', 'b'].map((who) => store().append({ ...base, donorId: who } as unknown as WishEvent)));
    expect(outcomes.sort()).toEqual(['conflict', 'ok']);
    expect(await db.models.RelayMarker.collection.countDocuments({ wishId: wish.id, _id: base.id as never })).toBe(1);
    const winner = await db.models.WishEvent.collection.findOne({ _id: base.id as never });
    const swept = await createRelayLog(db.models).unrelayed(new Date(clock().getTime() + 1), 500);
    expect(swept.find((e) => e.id === base.id)).toMatchObject({ donorId: winner!.donorId });
  });

  it('an event is never committed without its relay marker: the marker goes in first', async () => {
    const s = services();
    const { wish } = await publishedWish(s, clock);
    jest.spyOn(db.models.RelayMarker.collection, 'insertOne').mockRejectedValueOnce(new Error('connection reset'));
    await expect(s.wishes.execute(wish.id, { type: 'pledge', amount: 5, donor: { donorId: donor(4).id } }, donor(4))).rejects.toThrow('connection reset');
    expect(await db.models.WishEvent.collection.findOne({ _id: `${wish.id}:3` as never })).toBeNull();
    expect((await s.wishes.get(wish.id)).version).toBe(2);
  });

  it('a marker that comes after its event was relayed (a racing append\'s) is dropped, not relayed again', async () => {
    const s = services();
    const { wish } = await publishedWish(s, clock);
    const relayLog = createRelayLog(db.models);
    await relayLog.markRelayed(`${wish.id}:2`, clock());
    await db.models.RelayMarker.collection.insertOne({ _id: `${wish.id}:2` as never, wishId: wish.id, at: clock() });
    const swept = await relayLog.unrelayed(new Date(clock().getTime() + 1), 500);
    expect(swept.map((e) => e.id)).toContain(`${wish.id}:1`);
    expect(swept.map((e) => e.id)).not.toContain(`${wish.id}:2`);
    expect(await db.models.RelayMarker.collection.findOne({ _id: `${wish.id}:2` as never })).toBeNull();
  });

  it('rebuildOpenWishes fills open_wishes from the live snapshots, replacing what it held', async () => {
    const s = services();
    const { community, wish: live } = await publishedWish(s, clock);
    const { state: closed } = await s.wishes.create(draftFor(community.id, {}, clock()), admin, { publish: true });
    await s.wishes.cancel(closed.id, admin);
    // A live wish missing, a closed one lingering.
    await db.models.OpenWish.collection.deleteOne({ _id: live.id as never });
    await db.models.OpenWish.collection.insertOne({ ...(await db.models.Wish.collection.findOne({ _id: closed.id as never }))!, status: 'open' });

    const counted = await rebuildOpenWishes(db.models);

    const liveIds = (await db.models.Wish.collection.find({ status: { $in: ['open', 'partially_pledged', 'fully_pledged'] } }).toArray()).map((d) => String(d._id));
    expect((await openIds()).sort()).toEqual(liveIds.sort());
    expect(counted).toBe(liveIds.length);
    expect(liveIds).toContain(live.id);
    expect(liveIds).not.toContain(closed.id);
  });

  it('start-up migrations run once: open wishes rebuilt, and old events never relayed given a marker', async () => {
    const s = services();
    const { wish } = await publishedWish(s, clock);
    const relayLog = createRelayLog(db.models);
    await relayLog.markRelayed(`${wish.id}:1`, clock());
    // As in a database from before the queue: no markers, the old sweep's relayedAt on what it relayed.
    await db.models.RelayMarker.collection.deleteMany({});
    await db.models.OpenWish.collection.deleteMany({});

    expect(await runMigrations(db.models)).toEqual(['open_wishes_v1', 'relay_queue_v1']);
    expect(await openIds()).toContain(wish.id);
    expect(await db.models.RelayMarker.collection.findOne({ _id: `${wish.id}:1` as never })).toBeNull();
    expect(await db.models.RelayMarker.collection.findOne({ _id: `${wish.id}:2` as never })).toMatchObject({ wishId: wish.id });
    expect(await runMigrations(db.models)).toEqual([]);
  });
});

describe('wish codes: the highest taken is a hint read by _id', () => {
  const db = useTestDatabase();
  const clock = manualClock();
  const services = () => buildServices(db, clock);
  const hint = async () => (await db.models.Hint.collection.findOne({ _id: 'wish_code' as never }))?.n;
  afterEach(() => jest.restoreAllMocks());

  it('reads the hint each created wish raises, without sorting the wishes', async () => {
    const s = services();
    expect(await s.stores.wishes.highestCodeNumber()).toBe(0);
    const { community, wish } = await publishedWish(s, clock);
    await s.wishes.create(draftFor(community.id, {}, clock()), admin);
    expect(await hint()).toBe(wish.codeNumber + 1);
    const scans = jest.spyOn(db.models.Wish.collection, 'find');
    expect(await s.stores.wishes.highestCodeNumber()).toBe(wish.codeNumber + 1);
    expect(calls(scans)).toBe(0);
  });

  it('a database from before the hint: one sorted read, then the hint', async () => {
    const s = services();
    const top = await s.stores.wishes.highestCodeNumber();
    await db.models.Hint.collection.deleteMany({});
    const scans = jest.spyOn(db.models.Wish.collection, 'find');
    expect(await s.stores.wishes.highestCodeNumber()).toBe(top);
    expect(await s.stores.wishes.highestCodeNumber()).toBe(top);
    expect(calls(scans)).toBe(1);
    expect(await hint()).toBe(top);
  });

  it('a hint left behind by a bulk load costs no conflict: the next wish takes the next code at its first insert', async () => {
    const s = services();
    const { community } = await publishedWish(s, clock);
    const top = await s.stores.wishes.highestCodeNumber();
    const loaded = Array.from({ length: 37 }, (_, i) => ({ _id: `W-${top + 1 + i}:1`, wishId: `W-${top + 1 + i}`, seq: 1, type: 'created', at: clock() }));
    await db.models.WishEvent.collection.insertMany(loaded as never[]);
    const inserts = jest.spyOn(db.models.WishEvent.collection, 'insertOne');
    const { state } = await s.wishes.create(draftFor(community.id, {}, clock()), admin);
    expect(state.codeNumber).toBe(top + 38);
    expect(calls(inserts)).toBe(1);
    expect(await hint()).toBe(top + 38);
  });

  it('wishes created at once by several services, from a hint that lags, get unique codes in a row', async () => {
    const { community } = await publishedWish(services(), clock);
    const top = await services().stores.wishes.highestCodeNumber();
    await db.models.Hint.collection.updateOne({ _id: 'wish_code' as never }, { $set: { n: top - 10 } });
    const many = [services(), services(), services()];
    const { ok } = await settleAll(Array.from({ length: 24 }, (_, i) => () => many[i % 3]!.wishes.create(draftFor(community.id, {}, clock()), admin)));
    const numbers = ok.map((r) => r.state.codeNumber).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 24 }, (_, i) => top + 1 + i));
    expect(await services().stores.wishes.highestCodeNumber()).toBe(top + 24);
  });
});
