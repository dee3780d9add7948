import { useTestDatabase } from '../support/db';

// Issue 11: every hot path is a lookup by a string _id, which is only fast if the engine serves it from
// its _id index. FerretDB 1.24's SQLite backend did not (a find, update or delete by _id scanned the
// table: its WHERE and its index used different expressions); the project's build patches that
// (src/db/ferretdb.ts, ID_LOOKUP_PATCH). MongoDB always did.

describe('lookups by _id use the index', () => {
  const db = useTestDatabase();

  it('a find by a string _id is an index search, not a scan', async () => {
    const coll = db.conn.collection('id_lookups');
    await coll.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `W-${1000 + i}:1` as never, n: i })));
    const build = await db.conn.db!.admin().command({ buildInfo: 1 });
    const plan = JSON.stringify(await coll.find({ _id: 'W-1010:1' as never }).explain());
    if (build.ferretdbVersion !== undefined || 'ferretdb' in build || plan.includes('_ferretdb_')) {
      // SQLite's plan: "SEARCH <table> USING INDEX <table>__id_" rather than "SCAN <table>".
      expect(plan).toMatch(/SEARCH \S+ USING INDEX \S+__id_/);
      expect(plan).not.toMatch(/detail=SCAN/);
    } else {
      expect(plan).not.toContain('COLLSCAN');
    }
    expect((await coll.findOne({ _id: 'W-1010:1' as never }))?.n).toBe(10);
    // Updates and deletes by _id go through the same expression.
    await coll.updateOne({ _id: 'W-1011:1' as never }, { $set: { n: -1 } });
    expect((await coll.findOne({ _id: 'W-1011:1' as never }))?.n).toBe(-1);
    await coll.deleteOne({ _id: 'W-1012:1' as never });
    expect(await coll.findOne({ _id: 'W-1012:1' as never })).toBeNull();
    expect(await coll.countDocuments()).toBe(49);
  });
});
