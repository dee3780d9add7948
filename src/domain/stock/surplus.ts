import { Clock } from '../clock';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../errors';
import { randomCode } from '../ids';
import { charCount, tidyText } from '../input';
import { canSee, isStaffFor } from '../roles';
import { issue } from '../wish/rules';
import { Actor } from '../wish/types';
import { StockService } from './service';

// Surplus offered as a card in a chat: "20 raincoats, up to 2 each". Each unit is a unique insert
// (`<offerId>:unit:<k>`, k = 1..quantity) and so is each person's share (`<offerId>:person:<id>:<j>`,
// j = 1..cap): fifty people pressing at once take exactly what there is, nobody more than the cap.
// The units come from stock, set aside for the offer; closing it hands over what was taken and puts
// the rest back on the shelf.

export interface SurplusOffer {
  /** `SP-<6 characters>`. */
  id: string;
  communityId: string;
  itemId: string;
  name: string;
  unit: string;
  quantity: number;
  cap: number;
  chatId: number;
  /** Where and when to collect, as the worker wrote it: told to each taker privately. */
  where: string;
  when: string;
  allocationId: string;
  createdAt: Date;
  createdBy: string;
}

export interface SurplusTake {
  id: string;
  offerId: string;
  telegramId: number;
  name: string;
  at: Date;
}

export interface SurplusStore {
  insertOffer(offer: SurplusOffer): Promise<void>;
  offer(id: string): Promise<SurplusOffer | null>;
  offersOf(communityId: string): Promise<SurplusOffer[]>;
  /** Unique insert by id: 'exists' when that unit, share or closing is already recorded. */
  insertTake(take: SurplusTake): Promise<'ok' | 'exists'>;
  take(id: string): Promise<SurplusTake | null>;
  deleteTake(id: string): Promise<void>;
}

export type TakeResult = { outcome: 'took'; mine: number; left: number } | { outcome: 'cap_reached'; mine: number } | { outcome: 'gone' };

export type SurplusService = ReturnType<typeof createSurplusService>;

export function createSurplusService(deps: { store: SurplusStore; stock: Pick<StockService, 'allocate' | 'execute'>; clock: Clock }) {
  const { store, clock } = deps;
  const unitId = (offerId: string, k: number) => `${offerId}:unit:${k}`;
  const shareId = (offerId: string, telegramId: number, j: number) => `${offerId}:person:${telegramId}:${j}`;
  const closedId = (offerId: string) => `${offerId}:closed`;

  async function offerOrThrow(id: string): Promise<SurplusOffer> {
    const offer = await store.offer(id);
    if (!offer) throw new NotFoundError('offer_not_found', `No offer ${id}`);
    return offer;
  }

  /** Units taken so far, by whom (point reads, one per unit). */
  async function taken(offer: SurplusOffer): Promise<SurplusTake[]> {
    const out: SurplusTake[] = [];
    for (let k = 1; k <= offer.quantity; k++) {
      const t = await store.take(unitId(offer.id, k));
      if (t) out.push(t);
    }
    return out;
  }

  async function mineOf(offer: SurplusOffer, telegramId: number): Promise<number> {
    let n = 0;
    for (let j = 1; j <= offer.cap; j++) if (await store.take(shareId(offer.id, telegramId, j))) n++;
    return n;
  }

  return {
    /** Sets the units aside from stock and records the offer; the caller posts its card. */
    async create(input: { itemId: string; quantity: number; cap: number; chatId: number; where: string; when: string }, actor: Actor): Promise<SurplusOffer> {
      const issues = [];
      const where = tidyText(String(input.where ?? ''));
      const when = tidyText(String(input.when ?? ''));
      if (charCount(where) === 0) issues.push(issue('where', 'required'));
      else if (charCount(where) > 120) issues.push(issue('where', 'too_long', { max: 120 }));
      if (charCount(when) === 0) issues.push(issue('when', 'required'));
      else if (charCount(when) > 120) issues.push(issue('when', 'too_long', { max: 120 }));
      if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > 500) issues.push(issue('quantity', Number.isInteger(input.quantity) ? (input.quantity < 1 ? 'too_small' : 'too_large') : 'not_whole', { min: 1, max: 500 }));
      if (!Number.isInteger(input.cap) || input.cap < 1 || input.cap > 20) issues.push(issue('cap', Number.isInteger(input.cap) ? (input.cap < 1 ? 'too_small' : 'too_large') : 'not_whole', { min: 1, max: 20 }));
      if (!Number.isSafeInteger(input.chatId) || input.chatId >= 0) issues.push(issue('chatId', 'wrong_type', { expected: 'a group chat id (negative)' }));
      if (issues.length > 0) throw InvalidError.fields(issues);
      const id = `SP-${randomCode(6)}`;
      const { state, event } = await deps.stock.allocate(input.itemId, input.quantity, { kind: 'surplus', offerId: id }, actor);
      const offer: SurplusOffer = { id, communityId: state.communityId, itemId: state.itemId, name: state.name, unit: state.unit, quantity: input.quantity, cap: input.cap, chatId: input.chatId, where, when, allocationId: (event as { allocationId: string }).allocationId, createdAt: clock(), createdBy: actor.id };
      await store.insertOffer(offer);
      return offer;
    },

    /** One unit for this person, if there is one left and they are under the cap. */
    async take(offerId: string, person: { telegramId: number; name: string }): Promise<TakeResult & { offer: SurplusOffer }> {
      const offer = await offerOrThrow(offerId);
      if (await store.take(closedId(offer.id))) throw new ConflictError('offer_closed', `${offer.id} has closed`);
      const record = (id: string): SurplusTake => ({ id, offerId: offer.id, telegramId: person.telegramId, name: person.name, at: clock() });
      let share = 0;
      for (let j = 1; j <= offer.cap && share === 0; j++) if ((await store.insertTake(record(shareId(offer.id, person.telegramId, j)))) === 'ok') share = j;
      if (share === 0) return { outcome: 'cap_reached', mine: offer.cap, offer };
      for (let k = 1; k <= offer.quantity; k++) {
        if ((await store.insertTake(record(unitId(offer.id, k)))) !== 'ok') continue;
        // Closed while this press was on its way: the unit and the share are given back.
        if (await store.take(closedId(offer.id))) {
          await store.deleteTake(unitId(offer.id, k));
          await store.deleteTake(shareId(offer.id, person.telegramId, share));
          throw new ConflictError('offer_closed', `${offer.id} has closed`);
        }
        return { outcome: 'took', mine: await mineOf(offer, person.telegramId), left: offer.quantity - (await taken(offer)).length, offer };
      }
      await store.deleteTake(shareId(offer.id, person.telegramId, share));
      return { outcome: 'gone', offer };
    },

    /** What is left, and who took how many. */
    async view(offerId: string) {
      const offer = await offerOrThrow(offerId);
      const units = await taken(offer);
      const byPerson = new Map<number, { name: string; count: number }>();
      for (const u of units) byPerson.set(u.telegramId, { name: u.name, count: (byPerson.get(u.telegramId)?.count ?? 0) + 1 });
      return { offer, taken: units.length, left: offer.quantity - units.length, takers: [...byPerson.entries()].map(([telegramId, v]) => ({ telegramId, ...v })), closed: (await store.take(closedId(offer.id))) !== null };
    },

    /** Closes the offer: what was taken is handed over in the ledger, the rest goes back on the shelf. */
    async close(offerId: string, actor: Actor): Promise<{ offer: SurplusOffer; taken: number; returned: number; repeat: boolean }> {
      const offer = await offerOrThrow(offerId);
      if (!isStaffFor(actor, offer.communityId)) {
        if (!canSee(actor, offer.communityId)) throw new NotFoundError('offer_not_found', `No offer ${offerId}`);
        throw new ForbiddenError('forbidden', 'Only staff of this community close its offers');
      }
      const first = (await store.insertTake({ id: closedId(offer.id), offerId: offer.id, telegramId: 0, name: actor.id, at: clock() })) === 'ok';
      const units = await taken(offer);
      const people = new Set(units.map((u) => u.telegramId)).size;
      if (units.length > 0) await deps.stock.execute(offer.itemId, { type: 'distribute', allocationId: offer.allocationId, quantity: units.length, recipients: people }, actor).catch((err) => (first ? Promise.reject(err) : undefined));
      const back = await deps.stock.execute(offer.itemId, { type: 'return', allocationId: offer.allocationId }, actor);
      const returned = back.event && back.event.type === 'returned' ? back.event.quantity : 0;
      return { offer, taken: units.length, returned, repeat: !first };
    },
    offersOf: store.offersOf,
  };
}
