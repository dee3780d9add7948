import { createBotModels, BotModels } from '../../src/db/bot-models';
import { createGroupStore, createPersonStore, indexResidentLinks, stringifyIds } from '../../src/db/bot-stores';
import { ensureIndexes } from '../../src/db/models';
import { runOnce } from '../../src/db/migrations';
import { useTestDatabase } from '../support/db';

// Issue 11: what the relay reads on every event (a community's groups, its workers, a wish's
// residents) was a filter that FerretDB answers by scanning every group or every person. Groups and
// workers are now kept in memory under a version token that every change renews (two stores here are
// two instances); residents are one point read by wish id.

describe('the lists the relay reads', () => {
  const db = useTestDatabase();
  let models: BotModels;
  const at = new Date('2026-11-23T08:00:00Z');

  beforeAll(async () => {
    models = createBotModels(db.conn);
    await ensureIndexes(models);
  });

  it("a community's groups: kept while unchanged, read again after a change made by another instance", async () => {
    const a = createGroupStore(models);
    const b = createGroupStore(models);
    await b.link(-1, 'One', 'C-1', 1, at);
    expect((await a.ofCommunity('C-1')).map((g) => g.chatId)).toEqual([-1]);

    // Written behind the stores' backs (no new token): the instance keeps the list it has, which shows it does not scan again.
    await models.Group.collection.insertOne({ _id: '-99' as never, title: 'Sneaked in', communityId: 'C-1', active: true });
    expect((await a.ofCommunity('C-1')).map((g) => g.chatId)).toEqual([-1]);

    // Every change through a store renews the token: linking, moving, language, presence.
    await b.link(-2, 'Two', 'C-1', 1, at);
    expect((await a.ofCommunity('C-1')).map((g) => g.chatId).sort((x, y) => x - y)).toEqual([-99, -2, -1]);
    await b.setLanguage(-2, 'zh', at);
    expect((await a.ofCommunity('C-1')).find((g) => g.chatId === -2)?.language).toBe('zh');
    await b.setPresence(-2, 'Two', false, at);
    expect((await a.ofCommunity('C-1')).map((g) => g.chatId).sort((x, y) => x - y)).toEqual([-99, -1]);
    await b.link(-1, 'One', 'C-2', 1, at); // moved to another community: gone from the first, in the second
    expect((await a.ofCommunity('C-1')).map((g) => g.chatId)).toEqual([-99]);
    expect((await a.ofCommunity('C-2')).map((g) => g.chatId)).toEqual([-1]);
  });

  it("a community's workers: a worker added on another instance is known at once, with their latest language", async () => {
    const a = createPersonStore(models);
    const b = createPersonStore(models);
    await b.seen({ telegramId: 11, name: 'Wang' }, at, { started: true });
    await b.addWorkerCommunities(11, ['C-9'], at);
    expect((await a.workersOf('C-9')).map((p) => p.telegramId)).toEqual([11]);
    await b.seen({ telegramId: 12, name: 'Li' }, at, { started: true });
    await b.addWorkerCommunities(12, ['C-9'], at);
    expect((await a.workersOf('C-9')).map((p) => p.telegramId).sort((x, y) => x - y)).toEqual([11, 12]);
    // Who they are is cached, what they are is read afresh.
    await b.setLanguage(12, 'zh', at);
    expect((await a.workersOf('C-9')).find((p) => p.telegramId === 12)?.language).toBe('zh');
  });

  it("a wish's residents: one point read by wish id, and a database from before is indexed once at start-up", async () => {
    const people = createPersonStore(models);
    await people.seen({ telegramId: 21, name: 'Rosa' }, at, { started: true });
    await people.addResidentWish(21, 'W-2001', at);
    expect((await people.residentsOf('W-2001')).map((p) => p.name)).toEqual(['Rosa']);
    expect(await people.residentsOf('W-2002')).toEqual([]);

    // As stored before wish_residents existed, and before ids were strings: only on the person, under a numeric _id.
    await models.Person.collection.insertOne({ _id: 22 as never, name: 'Old link', residentOf: ['W-2002', 'W-2001'], workerOf: [], createdAt: at, updatedAt: at });
    expect(await people.residentsOf('W-2002')).toEqual([]);
    expect(await people.get(22)).toBeNull();
    expect(await runOnce(db.conn, 'test_string_ids', () => stringifyIds(models))).toBe(true);
    expect((await people.get(22))?.name).toBe('Old link');
    expect(await models.Person.collection.countDocuments({ _id: 22 as never })).toBe(0);
    expect(await runOnce(db.conn, 'test_resident_links', () => indexResidentLinks(models))).toBe(true);
    expect(await runOnce(db.conn, 'test_resident_links', () => indexResidentLinks(models))).toBe(false);
    expect((await people.residentsOf('W-2002')).map((p) => p.telegramId)).toEqual([22]);
    expect((await people.residentsOf('W-2001')).map((p) => p.telegramId).sort((x, y) => x - y)).toEqual([21, 22]);
  });
});
