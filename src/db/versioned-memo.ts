import { randomUUID } from 'node:crypto';
import { upsertWithRetry } from './connection';
import { BotModels } from './bot-models';

/** How many lists one process keeps; the least recently read go first. */
const MAX_LISTS = 2_000;

/**
 * Lists that are read on every relayed event but change rarely (a community's linked groups, its
 * workers), kept in memory and trusted for as long as their version token in the database is the one
 * they were read under: one point read instead of a scan (FerretDB scans for any filter but `_id`), and
 * correct across instances, because every writer sets a fresh token after its change.
 *
 * Order matters: a writer changes the data, then the token; a reader reads the token, then the data.
 * A reader that meets a change half-way keeps fresher data under an older token and reads again next time.
 */
export function createVersionedMemo(models: BotModels) {
  const { ListVersion: V } = models;
  const memo = new Map<string, { token: string; value: unknown }>();
  return {
    async read<T>(key: string, load: () => Promise<T>): Promise<T> {
      const token = (await V.findById(key, { token: 1 }).lean<{ token: string }>())?.token ?? 'none';
      const hit = memo.get(key);
      if (hit && hit.token === token) {
        memo.delete(key);
        memo.set(key, hit);
        return hit.value as T;
      }
      const value = await load();
      if (memo.size >= MAX_LISTS) memo.delete(memo.keys().next().value!);
      memo.set(key, { token, value });
      return value;
    },
    /** After a change to the list under `key`: every reader loads it again. */
    async changed(key: string, at: Date): Promise<void> {
      await upsertWithRetry(() => V.updateOne({ _id: key }, { $set: { token: randomUUID(), at } }, { upsert: true }));
    },
  };
}

export type VersionedMemo = ReturnType<typeof createVersionedMemo>;
