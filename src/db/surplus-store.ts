import { Collection } from 'mongodb';
import { SurplusOffer, SurplusStore, SurplusTake } from '../domain/stock/surplus';
import { isDuplicateKey } from './connection';
import { Models } from './models';

/** Surplus offers by `_id`, and every unit, share and closing as its own document by `_id` (unique inserts). */
export function createSurplusStore(models: Pick<Models, 'SurplusOffer' | 'SurplusTake'>): SurplusStore {
  const offers = models.SurplusOffer.collection as unknown as Collection;
  const takes = models.SurplusTake.collection as unknown as Collection;
  const fromDoc = <T>(doc: unknown): T | null => {
    if (!doc) return null;
    const { _id, ...rest } = doc as { _id: string };
    return { ...rest, id: _id } as T;
  };
  return {
    async insertOffer(offer) {
      const { id, ...rest } = offer;
      await offers.insertOne({ _id: id as never, ...rest });
    },
    offer: async (id) => fromDoc<SurplusOffer>(await offers.findOne({ _id: id as never })),
    offersOf: async (communityId) => (await offers.find({ communityId }).toArray()).map((d) => fromDoc<SurplusOffer>(d)!),
    async insertTake(take) {
      const { id, ...rest } = take;
      try {
        await takes.insertOne({ _id: id as never, ...rest });
        return 'ok';
      } catch (err) {
        if (isDuplicateKey(err)) return 'exists';
        throw err;
      }
    },
    take: async (id) => fromDoc<SurplusTake>(await takes.findOne({ _id: id as never })),
    deleteTake: async (id) => void (await takes.deleteOne({ _id: id as never })),
  };
}
