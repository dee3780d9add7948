import { createStockStore } from '../../src/db/stock-store';
import { createSurplusStore } from '../../src/db/surplus-store';
import { createSurplusService } from '../../src/domain/stock/surplus';
import { systemClock } from '../../src/domain/clock';
import { fold } from '../../src/domain/stock/ledger';
import { createStockService } from '../../src/domain/stock/service';
import { StockEvent, StockState } from '../../src/domain/stock/types';
import { eraseVolunteer } from '../../src/db/team-erasure';
import { useTestDatabase } from '../support/db';
import { admin, buildServices } from '../support/fixtures';

// The in-kind ledger against the real database: thirty allocations of one at once from a stock of ten
// give exactly ten, and every figure of every item equals what its events add up to (recomputed here
// from the events alone, not by the ledger's own fold).

/** The figures an auditor would get by adding up the events by hand. */
function recount(events: StockEvent[]) {
  const r = { received: 0, allocated: 0, distributed: 0, returned: 0, transferred: 0, adjustedIn: 0, adjustedOut: 0 };
  for (const e of events) {
    if (e.type === 'received') r.received += e.quantity;
    if (e.type === 'allocated') r.allocated += e.quantity;
    if (e.type === 'distributed') r.distributed += e.quantity;
    if (e.type === 'returned') r.returned += e.quantity;
    if (e.type === 'transferred') r.transferred += e.quantity;
    if (e.type === 'adjusted' && e.delta > 0) r.adjustedIn += e.delta;
    if (e.type === 'adjusted' && e.delta < 0) r.adjustedOut -= e.delta;
  }
  return { ...r, available: r.received + r.adjustedIn - r.allocated + r.returned - r.transferred - r.adjustedOut, setAside: r.allocated - r.returned - r.distributed };
}

function expectFiguresMatch(state: StockState, events: StockEvent[]) {
  const r = recount(events);
  expect({ available: state.available, allocated: state.allocated, received: state.received, distributed: state.distributed, transferred: state.transferred, adjustedIn: state.adjustedIn, adjustedOut: state.adjustedOut }).toEqual({
    available: r.available,
    allocated: r.setAside,
    received: r.received,
    distributed: r.distributed,
    transferred: r.transferred,
    adjustedIn: r.adjustedIn,
    adjustedOut: r.adjustedOut,
  });
  expect(state.available).toBeGreaterThanOrEqual(0);
  expect(state.lots.every((l) => l.remaining >= 0 && l.remaining <= l.quantity)).toBe(true);
  expect(fold(events)).toEqual(state);
}

describe('the in-kind ledger', () => {
  const db = useTestDatabase();

  async function setUp(name: string) {
    const services = buildServices(db, systemClock);
    const community = await services.communities.create({ name: `Stock Lane ${name}` }, admin);
    const stock = createStockService({ store: createStockStore(db.models), clock: systemClock });
    return { stock, community };
  }

  it('thirty allocations of one at once from a stock of ten: exactly ten succeed, the rest are told there is not enough', async () => {
    const { stock, community } = await setUp('race');
    const { state } = await stock.receive({ communityId: community.id, name: 'Raincoats', unit: 'pcs', quantity: 10, from: { name: 'Harbour Realty' } }, admin);
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => stock.allocate(state.itemId, 1, { kind: 'resident', label: `Household ${i + 1}` }, admin)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as { code?: string }).code);
    expect(refused).toEqual(Array(20).fill('not_enough_stock'));
    const after = await stock.get(state.itemId, admin);
    expect([after.available, after.allocated]).toEqual([0, 10]);
    expectFiguresMatch(after, await stock.history(state.itemId, admin));
  });

  it('every figure equals the sum of its events through receipts, allocations, hand-overs, returns, transfers and adjustments', async () => {
    const { stock, community } = await setUp('figures');
    const from = { name: '幸福超市', donorId: 'tg:700000001' };
    const first = await stock.receive({ communityId: community.id, name: '口罩', unit: '只', quantity: 200, from, expiry: new Date('2027-06-01') }, admin);
    // The same words typed otherwise are the same item.
    const second = await stock.receive({ communityId: community.id, name: ' 口罩 ', unit: '只', quantity: 50, from: { name: 'A neighbour' }, expiry: new Date('2027-01-01') }, admin);
    expect(second.state.itemId).toBe(first.state.itemId);
    const itemId = first.state.itemId;
    // The lot that expires first is used first.
    const a = (await stock.allocate(itemId, 60, { kind: 'resident', label: 'Building 3' }, admin)).event!;
    expect(a.type === 'allocated' && a.draw).toEqual([{ lot: 2, quantity: 50 }, { lot: 1, quantity: 10 }]);
    const allocationId = (a as Extract<StockEvent, { type: 'allocated' }>).allocationId;
    await stock.change(itemId, { type: 'distribute', allocationId, quantity: 40, recipients: 16 }, admin);
    await stock.change(itemId, { type: 'return', allocationId }, admin);
    await stock.change(itemId, { type: 'transfer', quantity: 30, toCommunityId: 'c_other' }, admin);
    await stock.change(itemId, { type: 'adjust', delta: -5, reason: 'damaged' }, admin);
    await stock.change(itemId, { type: 'adjust', delta: 2, reason: 'found' }, admin);
    await expect(stock.change(itemId, { type: 'adjust', delta: -1000, reason: 'lost' }, admin)).rejects.toMatchObject({ code: 'not_enough_stock' });
    await expect(stock.change(itemId, { type: 'adjust', delta: 3, reason: 'damaged' }, admin)).rejects.toMatchObject({ code: 'invalid_input' });
    const state = await stock.get(itemId, admin);
    expect([state.received, state.distributed, state.transferred, state.available]).toEqual([250, 40, 30, 250 - 40 - 30 - 5 + 2]);
    expectFiguresMatch(state, await stock.history(itemId, admin));
    // What the supermarket's gift became: its lot's hand-overs.
    expect(state.lots.find((l) => l.lot === 1)).toMatchObject({ from, distributed: 0 });
    expect(state.lots.find((l) => l.lot === 2)).toMatchObject({ distributed: 40, recipients: 16 });
  });

  it('refuses bad receipts, naming each field', async () => {
    const { stock, community } = await setUp('bad');
    await expect(stock.receive({ communityId: community.id, name: '', quantity: 0, from: { name: '' }, condition: 'broken' }, admin)).rejects.toMatchObject({
      details: { fields: expect.arrayContaining([expect.objectContaining({ field: 'name' }), expect.objectContaining({ field: 'quantity' }), expect.objectContaining({ field: 'from.name' }), expect.objectContaining({ field: 'condition' })]) },
    });
  });
});

describe('surplus offers', () => {
  const db = useTestDatabase();

  it('twenty units, up to two each, fifty people pressing three times at once: exactly twenty taken, nobody more than two, every press answered; closing hands over and returns', async () => {
    const services = buildServices(db, systemClock);
    const community = await services.communities.create({ name: 'Surplus Lane' }, admin);
    const stock = createStockService({ store: createStockStore(db.models), clock: systemClock });
    const surplus = createSurplusService({ store: createSurplusStore(db.models), stock, clock: systemClock });
    const { state } = await stock.receive({ communityId: community.id, name: 'Raincoats', quantity: 30, from: { name: 'Harbour Association' } }, admin);
    const offer = await surplus.create({ itemId: state.itemId, quantity: 20, cap: 2, chatId: -100_555, where: 'Community centre', when: 'Saturday 9-12' }, admin);
    expect((await stock.get(state.itemId, admin)).available).toBe(10);
    const people = Array.from({ length: 50 }, (_, i) => ({ telegramId: 81_000 + i, name: `Neighbour ${i}` }));
    const presses = people.flatMap((p) => [p, p, p]);
    const results = await Promise.allSettled(presses.map((p) => surplus.take(offer.id, p)));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const outcomes = results.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof surplus.take>>>).value.outcome);
    expect(outcomes.filter((o) => o === 'took')).toHaveLength(20);
    const view = await surplus.view(offer.id);
    expect([view.taken, view.left]).toEqual([20, 0]);
    expect(Math.max(...view.takers.map((t) => t.count))).toBeLessThanOrEqual(2);
    expect(view.takers.reduce((n, t) => n + t.count, 0)).toBe(20);
    // Nothing more to take; closing hands over 20 to the takers and returns nothing.
    expect((await surplus.take(offer.id, { telegramId: 89_999, name: 'Late' })).outcome).toBe('gone');
    const closed = await surplus.close(offer.id, admin);
    expect([closed.taken, closed.returned]).toEqual([20, 0]);
    await expect(surplus.take(offer.id, people[0]!)).rejects.toMatchObject({ code: 'offer_closed' });
    const after = await stock.get(state.itemId, admin);
    expect([after.available, after.distributed, after.allocated]).toEqual([10, 20, 0]);
    expectFiguresMatch(after, await stock.history(state.itemId, admin));
  });

  it('what was not taken goes back on the shelf when the offer closes', async () => {
    const services = buildServices(db, systemClock);
    const community = await services.communities.create({ name: 'Surplus Return Lane' }, admin);
    const stock = createStockService({ store: createStockStore(db.models), clock: systemClock });
    const surplus = createSurplusService({ store: createSurplusStore(db.models), stock, clock: systemClock });
    const { state } = await stock.receive({ communityId: community.id, name: 'Fans', quantity: 8, from: { name: 'Harbour Association' } }, admin);
    const offer = await surplus.create({ itemId: state.itemId, quantity: 8, cap: 1, chatId: -100_556, where: 'Centre', when: 'Friday' }, admin);
    await surplus.take(offer.id, { telegramId: 82_001, name: 'A' });
    expect((await surplus.take(offer.id, { telegramId: 82_001, name: 'A' })).outcome).toBe('cap_reached');
    await surplus.take(offer.id, { telegramId: 82_002, name: 'B' });
    const closed = await surplus.close(offer.id, admin);
    expect([closed.taken, closed.returned]).toEqual([2, 6]);
    expect((await surplus.close(offer.id, admin)).repeat).toBe(true);
    const after = await stock.get(state.itemId, admin);
    expect([after.available, after.distributed, after.allocated]).toEqual([6, 2, 0]);
    expectFiguresMatch(after, await stock.history(state.itemId, admin));
  });
});

describe('erasing a giver and a taker', () => {
  const db = useTestDatabase();

  it('keeps the gift and what was taken in the ledger, with nothing that names them', async () => {
    const services = buildServices(db, systemClock);
    const community = await services.communities.create({ name: 'Erase Lane' }, admin);
    const stock = createStockService({ store: createStockStore(db.models), clock: systemClock });
    const surplus = createSurplusService({ store: createSurplusStore(db.models), stock, clock: systemClock });
    const { state } = await stock.receive({ communityId: community.id, name: 'Fans', quantity: 6, from: { name: 'Zhou Donor', donorId: 'tg:701234' } }, admin);
    const offer = await surplus.create({ itemId: state.itemId, quantity: 4, cap: 2, chatId: -100_557, where: 'Centre', when: 'Friday' }, admin);
    await surplus.take(offer.id, { telegramId: 701234, name: 'Zhou Donor' });
    await surplus.take(offer.id, { telegramId: 701235, name: 'Neighbour' });
    const before = await stock.get(state.itemId, admin);
    await eraseVolunteer(db.models, 701234);
    for (const model of [db.models.StockEvent, db.models.StockItem, db.models.SurplusTake, db.models.SurplusOffer]) {
      const text = JSON.stringify(await model.collection.find({}).toArray());
      expect([text.includes('701234'), text.includes('Zhou Donor')]).toEqual([false, false]);
    }
    const after = await stock.get(state.itemId, admin);
    expect([after.available, after.allocated, after.received]).toEqual([before.available, before.allocated, before.received]);
    expect(after.lots[0]!.from).toEqual({ name: '(erased)' });
    expect((await surplus.view(offer.id)).taken).toBe(2);
  });
});

