import { ConflictError, InvalidError, NotFoundError } from '../errors';
import { issue } from '../wish/rules';
import { Allocation, Draw, Lot, StockCommand, StockEvent, StockEventBody, StockState } from './types';

// The in-kind ledger's rules, pure: what each event does to the figures (evolve), and whether a
// command may happen now (decide). Stock is never negative: an allocation, a transfer or a loss takes
// only what is on the shelf, drawn from the lots that expire first, then the oldest.

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function drawFrom(lots: Lot[], quantity: number): Draw {
  const order = [...lots].filter((l) => l.remaining > 0).sort((a, b) => (a.expiry?.getTime() ?? Infinity) - (b.expiry?.getTime() ?? Infinity) || a.lot - b.lot);
  const draw: Draw = [];
  let left = quantity;
  for (const l of order) {
    if (left === 0) break;
    const take = Math.min(l.remaining, left);
    draw.push({ lot: l.lot, quantity: take });
    left -= take;
  }
  return draw;
}

const applyDraw = (lots: Lot[], draw: Draw, sign: 1 | -1): Lot[] => lots.map((l) => ({ ...l, remaining: l.remaining + sign * sum(draw.filter((d) => d.lot === l.lot).map((d) => d.quantity)) }));

function totals(s: Omit<StockState, 'available' | 'allocated'>): StockState {
  const allocated = sum(s.allocations.filter((a) => a.status === 'allocated').map((a) => a.quantity - a.distributed));
  return { ...s, available: sum(s.lots.map((l) => l.remaining)), allocated };
}

export function evolve(state: StockState | null, e: StockEvent): StockState {
  if (e.type === 'received') {
    const base = state ?? { itemId: e.itemId, communityId: e.communityId, name: e.name, unit: e.unit, version: 0, lots: [], allocations: [], received: 0, distributed: 0, transferred: 0, adjustedIn: 0, adjustedOut: 0, updatedAt: e.at };
    const lot: Lot = { lot: e.seq, from: e.from, quantity: e.quantity, remaining: e.quantity, condition: e.condition, ...(e.expiry ? { expiry: new Date(e.expiry) } : {}), receivedAt: e.at, distributed: 0, recipients: 0 };
    return totals({ ...base, version: e.seq, lots: [...base.lots, lot], received: base.received + e.quantity, updatedAt: e.at });
  }
  if (!state) throw new Error(`stock event ${e.id} before its item was received`);
  const s = { ...state, version: e.seq, updatedAt: e.at };
  const withAllocation = (id: string, change: (a: Allocation) => Allocation) => s.allocations.map((a) => (a.id === id ? change(a) : a));
  switch (e.type) {
    case 'allocated':
      return totals({ ...s, lots: applyDraw(s.lots, e.draw, -1), allocations: [...s.allocations, { id: e.allocationId, quantity: e.quantity, to: e.to, draw: e.draw, status: 'allocated', distributed: 0, at: e.at }] });
    case 'distributed': {
      const a = s.allocations.find((x) => x.id === e.allocationId)!;
      // Handed over units are credited to the lots they came from, in the allocation's draw order,
      // after what earlier hand-overs of it were credited with.
      let skip = a.distributed;
      let left = e.quantity;
      const recipients = e.recipients ?? 1;
      const credit = new Map<number, number>();
      for (const d of a.draw) {
        const fromThis = Math.max(0, d.quantity - skip);
        skip = Math.max(0, skip - d.quantity);
        const share = Math.min(left, fromThis);
        if (share > 0) credit.set(d.lot, (credit.get(d.lot) ?? 0) + share);
        left -= share;
      }
      // Households cannot be split between lots: they are credited once, to the lot that gave the most.
      const main = [...credit.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      const lots = s.lots.map((l) => (credit.has(l.lot) ? { ...l, distributed: l.distributed + credit.get(l.lot)!, recipients: l.recipients + (l.lot === main ? recipients : 0) } : l));
      const allocations = withAllocation(e.allocationId, (x) => ({ ...x, distributed: x.distributed + e.quantity, status: x.distributed + e.quantity >= x.quantity ? 'distributed' : x.status }));
      return totals({ ...s, lots, allocations, distributed: s.distributed + e.quantity });
    }
    case 'confirmed':
      return totals({ ...s, allocations: withAllocation(e.allocationId, (x) => ({ ...x, status: 'confirmed' })) });
    case 'returned': {
      const allocations = withAllocation(e.allocationId, (x) => ({ ...x, quantity: x.quantity - e.quantity, status: x.quantity - e.quantity <= x.distributed ? (x.distributed > 0 ? 'distributed' : 'returned') : x.status }));
      return totals({ ...s, lots: applyDraw(s.lots, e.draw, 1), allocations });
    }
    case 'transferred':
      return totals({ ...s, lots: applyDraw(s.lots, e.draw, -1), transferred: s.transferred + e.quantity });
    case 'adjusted':
      if (e.delta < 0) return totals({ ...s, lots: applyDraw(s.lots, e.draw, -1), adjustedOut: s.adjustedOut - e.delta });
      // Found or counted more: a lot of its own, from nobody.
      return totals({ ...s, lots: [...s.lots, { lot: e.seq, from: { name: '' }, quantity: e.delta, remaining: e.delta, condition: 'good', receivedAt: e.at, distributed: 0, recipients: 0 }], adjustedIn: s.adjustedIn + e.delta });
  }
}

export const fold = (events: StockEvent[], from: StockState | null = null) => events.reduce<StockState | null>((s, e) => evolve(s, e), from);

const positive = (field: string, n: number, max = 1_000_000) => {
  if (!Number.isInteger(n)) throw InvalidError.fields([issue(field, 'not_whole')]);
  if (n < 1) throw InvalidError.fields([issue(field, 'too_small', { min: 1 })]);
  if (n > max) throw InvalidError.fields([issue(field, 'too_large', { max })]);
};

function allocationOf(state: StockState, id: string): Allocation {
  const a = state.allocations.find((x) => x.id === id);
  if (!a) throw new NotFoundError('allocation_not_found', `No allocation ${id}`);
  return a;
}

/** What a command records on this state, or a refusal; `null`: nothing to record (already so). */
export function decide(state: StockState | null, c: StockCommand): StockEventBody | null {
  if (c.type === 'receive') {
    positive('quantity', c.quantity);
    return { type: 'received', communityId: c.communityId, name: c.name, unit: c.unit, quantity: c.quantity, from: c.from, condition: c.condition, ...(c.expiry ? { expiry: c.expiry } : {}), ...(c.photoFileId ? { photoFileId: c.photoFileId } : {}) };
  }
  if (!state) throw new NotFoundError('item_not_found', 'No such item in stock');
  switch (c.type) {
    case 'allocate':
    case 'transfer': {
      positive('quantity', c.quantity);
      if (c.quantity > state.available) throw new ConflictError('not_enough_stock', `Only ${state.available} ${state.unit} left`, { available: state.available });
      const draw = drawFrom(state.lots, c.quantity);
      if (c.type === 'transfer') return { type: 'transferred', quantity: c.quantity, toCommunityId: c.toCommunityId, draw };
      return { type: 'allocated', allocationId: `${state.itemId}:a${state.version + 1}`, quantity: c.quantity, to: c.to, draw };
    }
    case 'distribute': {
      const a = allocationOf(state, c.allocationId);
      const left = a.quantity - a.distributed;
      const quantity = c.quantity ?? left;
      if (left === 0 || quantity === 0) return null;
      positive('quantity', quantity, left);
      return { type: 'distributed', allocationId: a.id, quantity, ...(c.recipients !== undefined ? { recipients: c.recipients } : {}) };
    }
    case 'confirm': {
      const a = allocationOf(state, c.allocationId);
      if (a.status === 'confirmed') return null;
      if (a.status !== 'distributed') throw new ConflictError('not_delivered', 'Hand it over first');
      return { type: 'confirmed', allocationId: a.id };
    }
    case 'return': {
      const a = allocationOf(state, c.allocationId);
      const left = a.status === 'allocated' ? a.quantity - a.distributed : 0;
      const quantity = c.quantity ?? left;
      if (left === 0 || quantity === 0) return null;
      positive('quantity', quantity, left);
      // Back to the lots it came from, the last drawn first.
      const draw: Draw = [];
      let rest = quantity;
      for (const d of [...a.draw].reverse()) {
        if (rest === 0) break;
        const take = Math.min(d.quantity, rest);
        draw.push({ lot: d.lot, quantity: take });
        rest -= take;
      }
      return { type: 'returned', allocationId: a.id, quantity, draw };
    }
    case 'adjust': {
      if (!Number.isInteger(c.delta) || c.delta === 0) throw InvalidError.fields([issue('delta', 'not_whole')]);
      if (c.delta < 0 && -c.delta > state.available) throw new ConflictError('not_enough_stock', `Only ${state.available} ${state.unit} left`, { available: state.available });
      if (c.delta > 0 && !['found', 'counted'].includes(c.reason)) throw InvalidError.fields([issue('reason', 'not_a_choice', { choices: 'found, counted (for more than the ledger says)' })]);
      return { type: 'adjusted', delta: c.delta, reason: c.reason, ...(c.note ? { note: c.note } : {}), draw: c.delta < 0 ? drawFrom(state.lots, -c.delta) : [] };
    }
  }
}
