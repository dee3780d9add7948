import { NotFoundError } from '../domain/errors';
import { WishState } from '../domain/wish/types';
import { isPublic } from '../domain/wish/views';
import { BotDeps } from './context';

/**
 * A wish anyone may see through the bot (a card's buttons, a deep link): a draft reads as no wish at
 * all, so a forged button can neither show it nor tell that it exists.
 */
export async function publicWish(deps: Pick<BotDeps, 'wishes'>, wishId: string): Promise<WishState> {
  const wish = await deps.wishes.get(wishId);
  if (!isPublic(wish)) throw new NotFoundError('wish_not_found', `No wish ${wishId}`);
  return wish;
}
