import { ferretDbPlanUsesIdIndex, fieldsOf, indexMisfits, normaliseFilter, normaliseSort, planHasCollscan, shapesOfCommand, sortServed } from '../support/query-capture';

// The notation of src/db/query-shapes.ts and the checks test/integration/query-shapes.test.ts makes with it.

describe('query shapes', () => {
  it('a filter reads as its fields, equalities first, operators named', () => {
    expect(normaliseFilter({ notBefore: { $lte: new Date() }, status: { $in: ['pending'] } })).toBe('status(in) notBefore(range)');
    expect(normaliseFilter({ status: 'pending', chatId: { $nin: [1] }, notBefore: { $lte: new Date() } })).toBe('status chatId(nin) notBefore(range)');
    expect(normaliseFilter({ relayedAt: { $exists: false }, at: { $lt: new Date() } })).toBe('relayedAt(absent) at(range)');
    expect(normaliseFilter({ communityId: { $exists: true }, active: true })).toBe('active communityId(exists)');
    expect(normaliseFilter({ _id: 'W-1001' })).toBe('_id');
    expect(normaliseFilter({})).toBe('{}');
    expect(normaliseFilter(undefined)).toBe('{}');
    const d = new Date();
    expect(normaliseFilter({ status: { $in: ['open'] }, $or: [{ deadline: { $gt: d } }, { deadline: d, _id: { $gt: 'W-1' } }] })).toBe('status(in) $or[deadline _id(range) | deadline(range)]');
  });

  it('a sort reads in its order, from an object or the Map the driver sends', () => {
    expect(normaliseSort({ createdAt: 1, notBefore: 1 })).toBe('createdAt:1 notBefore:1');
    expect(normaliseSort(new Map<string, unknown>([['codeNumber', -1]]))).toBe('codeNumber:-1');
    expect(normaliseSort(undefined)).toBeUndefined();
  });

  it('commands become shapes: each statement of an update, a countDocuments pipeline as a count', () => {
    const update = shapesOfCommand('update', { update: 'outbox', updates: [{ q: { _id: 'a' }, u: {} }, { q: { _id: { $in: ['a'] } }, u: {} }], lsid: {}, $db: 'x' });
    expect(update.map((s) => [s.collection, s.op, s.filter])).toEqual([
      ['outbox', 'update', '_id'],
      ['outbox', 'update', '_id(in)'],
    ]);
    expect(update[0]!.sample).toEqual({ update: 'outbox', updates: [{ q: { _id: 'a' }, u: {} }] });
    const count = shapesOfCommand('aggregate', { aggregate: 'outbox', pipeline: [{ $match: { status: 'pending' } }, { $group: { _id: 1, n: { $sum: 1 } } }], cursor: {} });
    expect(count.map((s) => [s.op, s.filter])).toEqual([['count', 'status']]);
    const find = shapesOfCommand('find', { find: 'wishes', filter: {}, sort: new Map([['codeNumber', -1]]), limit: 1, lsid: {} });
    expect(find.map((s) => [s.op, s.filter, s.sort, s.sample])).toEqual([['find', '{}', 'codeNumber:-1', { find: 'wishes', filter: {}, sort: { codeNumber: -1 }, limit: 1 }]]);
    expect(shapesOfCommand('findAndModify', { findAndModify: 'people', query: { _id: 1 }, update: {} }).map((s) => [s.collection, s.op, s.filter])).toEqual([['people', 'findAndModify', '_id']]);
    expect(shapesOfCommand('insert', { insert: 'outbox', documents: [] })).toEqual([]);
    expect(shapesOfCommand('createIndexes', { createIndexes: 'outbox', indexes: [] })).toEqual([]);
  });

  it('an index fits when it leads with the equality fields, then serves range or sort', () => {
    const shape = (filter: string, index: Record<string, 1 | -1> | '_id', sort?: string) => ({ filter, index, ...(sort ? { sort } : {}) });
    expect(fieldsOf('status(in) $or[deadline _id(range) | deadline(range)]')).toEqual({ equality: ['status'], other: ['deadline', '_id', 'deadline'] });
    expect(indexMisfits(shape('status notBefore(range)', { status: 1, notBefore: 1 }))).toEqual([]);
    expect(indexMisfits(shape('{}', { codeNumber: -1 }, 'codeNumber:-1'))).toEqual([]);
    expect(indexMisfits(shape('_id(in)', '_id'))).toEqual([]);
    expect(indexMisfits(shape('active communityId(exists)', { communityId: 1, active: 1 }))).toEqual(["it leads with 'communityId', not with an equality field (active)"]);
    expect(indexMisfits(shape('wishId at(range)', { at: 1 }))).toEqual(["it leads with 'at', not with an equality field (wishId)"]);
    expect(indexMisfits(shape('a b', { a: 1, c: 1, b: 1 }))).toEqual(["equality field 'b' comes after 'c', which is not one"]);
    expect(indexMisfits(shape('status', { createdAt: 1 }))).toEqual(["its first key 'createdAt' is neither filtered nor sorted on"]);
    expect(sortServed({ ...shape('status(in)', { status: 1, deadline: 1, _id: 1 }, 'deadline:1 _id:1'), collection: 'wishes', op: 'find', from: '' })).toBe(true);
    expect(sortServed({ ...shape('status notBefore(range)', { status: 1, notBefore: 1 }, 'createdAt:1 notBefore:1'), collection: 'outbox', op: 'find', from: '' })).toBe(false);
  });

  it('explain(): a COLLSCAN anywhere in a winning plan is found, in classic, slot-based and aggregate answers', () => {
    const ixscan = { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: 'status_1_notBefore_1' } };
    const collscan = { stage: 'SORT', inputStage: { stage: 'COLLSCAN' } };
    expect(planHasCollscan({ queryPlanner: { winningPlan: ixscan, rejectedPlans: [collscan] } })).toBe(false);
    expect(planHasCollscan({ queryPlanner: { winningPlan: collscan } })).toBe(true);
    expect(planHasCollscan({ queryPlanner: { winningPlan: { queryPlan: { stage: 'LIMIT', inputStage: collscan }, slotBasedPlan: {} } } })).toBe(true);
    expect(planHasCollscan({ stages: [{ $cursor: { queryPlanner: { winningPlan: { queryPlan: ixscan } } } }, { $group: {} }] })).toBe(false);
    expect(planHasCollscan({ stages: [{ $cursor: { queryPlanner: { winningPlan: collscan } } }] })).toBe(true);
    expect(planHasCollscan({ queryPlanner: { winningPlan: { stage: 'EXPRESS_IXSCAN' } } })).toBe(false);
    expect(planHasCollscan({ queryPlanner: { winningPlan: { stage: 'IDHACK' } } })).toBe(false);
  });

  it("explain() on FerretDB: a find by a string _id searches the _id index, any other filter scans", () => {
    // As the project's FerretDB build answers (test/integration/id-lookups.test.ts).
    const search = { queryPlanner: { Plan: ['id=3 parent=0 notused=0 detail=SEARCH people_c4 USING INDEX people_c4__id_ (<expr>=?)'] }, filterPushdown: true };
    const scan = { queryPlanner: { Plan: ['id=2 parent=0 notused=0 detail=SCAN people_c4'] }, filterPushdown: false };
    expect(ferretDbPlanUsesIdIndex(search)).toBe(true);
    expect(ferretDbPlanUsesIdIndex(scan)).toBe(false);
  });
});
