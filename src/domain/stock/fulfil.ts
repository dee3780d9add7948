import { InvalidError, NotFoundError } from '../errors';
import { isStaffFor } from '../roles';
import { issue } from '../wish/rules';
import { WishService } from '../wish/service';
import { Actor, WishEvent, WishState } from '../wish/types';
import { remainingAmount } from '../wish/views';
import { StockService } from './service';
import { StockState } from './types';

/** The donor a wish fulfilled from stock shows: the item of the community's own stock, never a person. */
export const stockDonorId = (itemId: string) => `stock:${itemId}`;

/**
 * A goods wish fulfilled from stock: what it still needs is set aside (the ledger's unique insert
 * decides there is enough), then claimed for the community stock under the wish's own rule; if someone
 * took the wish meanwhile, the goods go back on the shelf.
 */
export async function fulfilFromStock(deps: { stock: StockService; wishes: Pick<WishService, 'get' | 'execute'> }, wishId: string, itemId: string, quantity: number, actor: Actor): Promise<StockState> {
  const wish = await deps.wishes.get(wishId);
  if (!isStaffFor(actor, wish.communityId)) throw new NotFoundError('wish_not_found', `No wish ${wishId}`);
  const item = await deps.stock.get(itemId, actor);
  if (item.communityId !== wish.communityId) throw new NotFoundError('item_not_found', `No item ${itemId}`);
  if (wish.category !== 'goods') throw InvalidError.fields([issue('to.wishId', 'not_a_choice', { choices: 'a wish for goods' })]);
  const needed = remainingAmount(wish);
  if (quantity !== needed) throw InvalidError.fields([issue('quantity', 'not_a_choice', { choices: `${needed} (what ${wish.code} still needs)` })]);
  const { state, event } = await deps.stock.allocate(itemId, quantity, { kind: 'wish', wishId: wish.id }, actor);
  const allocationId = (event as { allocationId: string }).allocationId;
  try {
    await deps.wishes.execute(wish.id, { type: 'claim', donor: { donorId: stockDonorId(itemId), displayName: item.name, anonymous: false } }, actor);
    return state;
  } catch (err) {
    await deps.stock.execute(itemId, { type: 'return', allocationId }, actor);
    throw err;
  }
}

/**
 * The ledger follows the wish: when the resident (or a worker) confirms receipt of goods a wish got from
 * stock, the allocation is handed over and confirmed there too. Run for every relayed wish event, so
 * at least once: a second run finds it done and records nothing.
 */
export async function stockFollowsWish(deps: { stock: Pick<StockService, 'execute' | 'get'> }, event: WishEvent, state: WishState, actor: Actor): Promise<void> {
  if (event.type !== 'confirmed') return;
  const pledge = state.pledges.find((p) => p.id === event.pledgeId);
  if (!pledge || !pledge.donorId.startsWith('stock:')) return;
  const itemId = pledge.donorId.slice('stock:'.length);
  const item = await deps.stock.get(itemId, actor).catch(() => null);
  const allocation = item?.allocations.find((a) => a.to.kind === 'wish' && a.to.wishId === state.id && a.status !== 'returned');
  if (!allocation) return;
  await deps.stock.execute(itemId, { type: 'distribute', allocationId: allocation.id, recipients: 1 }, actor);
  await deps.stock.execute(itemId, { type: 'confirm', allocationId: allocation.id }, actor);
}
