import { isDuplicateKey } from './connection';
import { NotifyModels } from './notify-models';

/**
 * Leases are documents whose unique _id names the period they cover. Taking one is an insert; the
 * first insert wins on every engine. A lease is never taken over by deleting it (on FerretDB 1.x a
 * conditional delete is read-then-write, so two instances could both win): it simply ends with its slot.
 */
export function createLeaseStore(models: NotifyModels) {
  return {
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
    async deleteExpiredBefore(date: Date): Promise<number> {
      return (await models.Lease.deleteMany({ expiresAt: { $lt: date } })).deletedCount;
    },
  };
}

export type LeaseStore = ReturnType<typeof createLeaseStore>;

/** The lease key for the time slot containing `now`, e.g. `sender:2026-11-23T01:00:10.000Z`. */
export function slotKey(name: string, now: Date, slotMs: number, offset = 0): { key: string; start: number; end: number } {
  const start = Math.floor(now.getTime() / slotMs) * slotMs + offset * slotMs;
  return { key: `${name}:${new Date(start).toISOString()}`, start, end: start + slotMs };
}
