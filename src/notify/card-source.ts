import { Language } from '../domain/community';
import { GroupStore } from '../domain/groups';
import { WishService } from '../domain/wish/service';
import { renderCard } from '../ui/card';
import { isRedacted } from '../domain/wish/consent';
import { RenderedMessage } from '../domain/outbox';
import { CardSource } from './types';

export type CardMessageStore = Pick<CardSource, 'placeOf' | 'remember'>;

/** Cards rendered from the wish's current state in the group's language, at the moment of sending. */
export function createCardSource(deps: { wishes: WishService; groups: GroupStore; messages: CardMessageStore; defaultLanguage: Language; timeZone: string; currency: string }): CardSource {
  return {
    async render(wishId, chatId): Promise<RenderedMessage | null> {
      const group = await deps.groups.get(chatId);
      if (!group?.active) return null;
      const wish = await deps.wishes.get(wishId).catch(() => null);
      if (!wish || wish.lifecycle === 'draft' || wish.communityId !== group.communityId) return null;
      // Not for the groups (kept private, or consent withdrawn): a card already posted is redacted, none is posted.
      if (isRedacted(wish) && !(await deps.messages.placeOf(wishId, chatId))) return null;
      return renderCard(wish, { language: group.language ?? deps.defaultLanguage, timeZone: deps.timeZone, currency: deps.currency });
    },
    placeOf: (wishId, chatId) => deps.messages.placeOf(wishId, chatId),
    remember: (wishId, chatId, place) => deps.messages.remember(wishId, chatId, place),
  };
}
