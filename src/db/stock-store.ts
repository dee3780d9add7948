import { Collection } from 'mongodb';
import { StockStore } from '../domain/stock/service';
import { StockEvent, StockState } from '../domain/stock/types';
import { isDuplicateKey } from './connection';
import { Models } from './models';

/**
 * The in-kind ledger: events by `_id` `<itemId>:<seq>` (a unique insert decides each), read forward
 * one point read at a time like a wish's; and each item's last state by `_id`, a cache the next read
 * brings up to date. A community's items are found by a scan of the heads (tens of kinds of goods).
 */
export function createStockStore(models: Pick<Models, 'StockEvent' | 'StockItem'>): StockStore {
  const events = models.StockEvent.collection as unknown as Collection;
  const heads = models.StockItem.collection as unknown as Collection;
  const fromDoc = <T>(doc: unknown): T => {
    const { _id, ...rest } = doc as { _id: string };
    return rest as T;
  };
  return {
    async head(itemId) {
      const doc = await heads.findOne({ _id: itemId as never });
      return doc ? fromDoc<StockState>(doc) : null;
    },
    async eventsAfter(itemId, seq) {
      const out: StockEvent[] = [];
      for (let n = seq + 1; ; n++) {
        const doc = await events.findOne({ _id: `${itemId}:${n}` as never });
        if (!doc) return out;
        const { _id, ...rest } = doc as unknown as { _id: string } & Omit<StockEvent, 'id'>;
        out.push({ ...rest, id: _id } as StockEvent);
      }
    },
    async append(event) {
      const { id, ...rest } = event;
      try {
        await events.insertOne({ _id: id as never, ...rest });
        return 'ok';
      } catch (err) {
        if (isDuplicateKey(err)) return 'conflict';
        throw err;
      }
    },
    async saveHead(state) {
      // Never back: a slower save of an older state leaves the newer one.
      const current = await heads.findOne({ _id: state.itemId as never }, { projection: { version: 1 } });
      if (current && Number(current.version) >= state.version) return;
      await heads.replaceOne({ _id: state.itemId as never }, state as never, { upsert: true });
    },
    async headsOf(communityId) {
      return (await heads.find({ communityId }).toArray()).map((d) => fromDoc<StockState>(d));
    },
  };
}
