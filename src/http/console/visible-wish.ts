import { NotFoundError } from '../../domain/errors';
import { canSee } from '../../domain/roles';
import { normaliseWishId } from '../../domain/wish/code';
import { Actor, WishState } from '../../domain/wish/types';
import { ConsoleDeps } from './context';

/** The wish, if this actor may see it: another community's wish is "not found", as in the API. */
export async function visibleWish(deps: ConsoleDeps, raw: string, actor: Actor): Promise<WishState> {
  const id = normaliseWishId(raw);
  if (!id) throw new NotFoundError('wish_not_found', `No wish ${raw}`);
  const wish = await deps.wishes.get(id);
  if (!canSee(actor, wish.communityId)) throw new NotFoundError('wish_not_found', `No wish ${raw}`);
  return wish;
}
