import { isDuplicateKey } from './connection';
import { NotifyModels } from './notify-models';

/** The right to call the Bot API for one attempt at one outbox item (see src/notify/fences.ts). */
export interface SendFence {
  itemId: string;
  generation: number;
  holder: string;
  createdAt: Date;
  /** After this, a holder that has not recorded the item's outcome is taken for dead. */
  until: Date;
}

const fenceKey = (itemId: string, generation: number) => `${itemId}#${generation}`;

/**
 * Send fences: `<itemId>#<generation>` taken by unique insert, the only decision every engine makes
 * atomically. A fence is never updated, taken over or deleted to decide anything: a dead holder's
 * fence just expires, and the next attempt takes the next generation, a key of its own.
 */
export function createFenceStore(models: NotifyModels) {
  const { SendFence: Fence } = models;
  return {
    /** True if this call inserted the fence; false if anyone (this holder included) already had it. */
    async tryTake(fence: SendFence): Promise<boolean> {
      try {
        await Fence.collection.insertOne({ _id: fenceKey(fence.itemId, fence.generation) as never, ...fence });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async get(itemId: string, generation: number): Promise<SendFence | null> {
      const doc = await Fence.findById(fenceKey(itemId, generation)).lean<SendFence & { _id: string }>();
      if (!doc) return null;
      const { _id: _key, ...fence } = doc;
      return fence;
    },
    /** Housekeeping: fences taken before `date` (long expired; their items long sent or given up). */
    async deleteCreatedBefore(date: Date): Promise<number> {
      return (await Fence.deleteMany({ createdAt: { $lt: date } })).deletedCount;
    },
  };
}

export type FenceStore = ReturnType<typeof createFenceStore>;
