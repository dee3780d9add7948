import { createWishStore } from '../../src/db/wish-store';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, draftFor, manualClock, publishedWish, settleAll } from '../support/fixtures';

type Spied = { mock: { calls: unknown[] } };
const calls = (spy: Spied) => spy.mock.calls.length;

describe('the wish store: point reads', () => {
  const db = useTestDatabase();
  const clock = manualClock();
  const services = () => buildServices(db, clock);
  const store = () => createWishStore(db.models);
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
