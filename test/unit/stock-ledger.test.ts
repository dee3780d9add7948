import { decide, evolve } from '../../src/domain/stock/ledger';
import { StockCommand, StockEvent, StockState } from '../../src/domain/stock/types';

// The in-kind ledger's rules without a database: given events, when a command, then an event or a refusal.

let seq = 0;
function run(state: StockState | null, command: StockCommand, at = new Date('2026-11-20T02:00:00Z')): StockState {
  const body = decide(state, command);
  if (!body) return state!;
  seq = (state?.version ?? 0) + 1;
  return evolve(state, { ...body, id: `stk-x:${seq}`, itemId: 'stk-x', seq, at, actor: { kind: 'admin', id: 'a' } } as StockEvent);
}
const receive = (quantity: number, expiry?: string): StockCommand => ({ type: 'receive', communityId: 'c', name: 'Masks', unit: 'pcs', quantity, from: { name: `Giver ${quantity}` }, condition: 'good', ...(expiry ? { expiry: new Date(expiry) } : {}) });

describe('the in-kind ledger', () => {
  it('draws from the lot that expires first, credits hand-overs to the lots drawn, and households once', () => {
    let s = run(null, receive(5, '2027-06-01'));
    s = run(s, receive(5, '2027-01-01'));
    s = run(s, { type: 'allocate', quantity: 8, to: { kind: 'resident', label: 'Building 3' } });
    expect(s.allocations[0]!.draw).toEqual([{ lot: 2, quantity: 5 }, { lot: 1, quantity: 3 }]);
    s = run(s, { type: 'distribute', allocationId: s.allocations[0]!.id, recipients: 3 });
    expect(s.lots.map((l) => [l.lot, l.distributed, l.recipients])).toEqual([[1, 3, 0], [2, 5, 3]]);
    expect([s.available, s.allocated, s.distributed]).toEqual([2, 0, 8]);
  });

  it.each([
    ['allocating more than is on the shelf', { type: 'allocate', quantity: 11, to: { kind: 'resident', label: 'x' } }, 'not_enough_stock'],
    ['transferring more than is on the shelf', { type: 'transfer', quantity: 11, toCommunityId: 'c2' }, 'not_enough_stock'],
    ['writing off more than is on the shelf', { type: 'adjust', delta: -11, reason: 'lost' }, 'not_enough_stock'],
    ['adding with a reason for a loss', { type: 'adjust', delta: 2, reason: 'damaged' }, 'invalid_input'],
    ['allocating half a mask', { type: 'allocate', quantity: 0.5, to: { kind: 'resident', label: 'x' } }, 'invalid_input'],
    ['confirming what was not handed over', { type: 'confirm', allocationId: 'stk-x:a2' }, 'not_delivered'],
    ['handing over an allocation that does not exist', { type: 'distribute', allocationId: 'nope' }, 'allocation_not_found'],
  ] as const)('refuses %s', (_label, command, code) => {
    let s = run(null, receive(10));
    s = run(s, { type: 'allocate', quantity: 1, to: { kind: 'resident', label: 'y' } });
    s = run(s, { type: 'return', allocationId: s.allocations[0]!.id });
    expect(() => decide(s, command as StockCommand)).toThrow(expect.objectContaining({ code }));
  });

  it('records nothing for what is already so: a second hand-over, a second return', () => {
    let s = run(null, receive(4));
    s = run(s, { type: 'allocate', quantity: 4, to: { kind: 'resident', label: 'x' } });
    const id = s.allocations[0]!.id;
    s = run(s, { type: 'distribute', allocationId: id });
    expect(decide(s, { type: 'distribute', allocationId: id })).toBeNull();
    expect(decide(s, { type: 'return', allocationId: id })).toBeNull();
    expect(decide(run(s, { type: 'confirm', allocationId: id }), { type: 'confirm', allocationId: id })).toBeNull();
  });
});
