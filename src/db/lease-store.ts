import { isDuplicateKey } from './connection';
import { NotifyModels } from './notify-models';

/**
 * Leases are documents whose unique _id names the period they cover. Taking one is an insert; the
 * first insert wins on every engine. A lease is never taken over by deleting or updating it (on
 * FerretDB 1.x a conditional delete or update is read-then-write, so two instances could both win):
 * it simply ends with its period, and the next period has a key of its own.
 */
export function createLeaseStore(models: NotifyModels) {
  return {
    /** Inserts `{_id: key}`; true if this call inserted it, false if anyone (us included) already had. */
    async tryAcquire(key: string, holder: string, expiresAt: Date): Promise<boolean> {
      try {
        await models.Lease.collection.insertOne({ _id: key as never, holder, expiresAt, createdAt: new Date() });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async holderOf(key: string): Promise<string | undefined> {
      const doc = await models.Lease.findById(key).lean<{ holder: string }>();
      return doc?.holder;
    },
    /** Housekeeping: leases whose period ended before `date` can never be contended again. */
    async deleteExpiredBefore(date: Date): Promise<number> {
      return (await models.Lease.deleteMany({ expiresAt: { $lt: date } })).deletedCount;
    },
  };
}

export type LeaseStore = ReturnType<typeof createLeaseStore>;
