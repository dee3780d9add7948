import { Connection } from 'mongoose';
import { isDuplicateKey } from './connection';
import { Models } from './models';
import { queueUnrelayedEvents, rebuildOpenWishes } from './wish-store';

/** One-time data migrations, in order; each is recorded in `migrations` once done, so it runs once. */
const MIGRATIONS: ReadonlyArray<{ id: string; run(models: Models): Promise<unknown> }> = [
  // The open wishes, from a database whose snapshots were all in `wishes`.
  { id: 'open_wishes_v1', run: rebuildOpenWishes },
  // Relay markers for events from before the queue that were never relayed (no relayedAt).
  { id: 'relay_queue_v1', run: queueUnrelayedEvents },
];

/**
 * Runs the migrations not yet recorded; call after ensureIndexes, before serving. Two instances
 * starting at once may both run one: each is safe to repeat. Assumes no instance of the code from
 * before them still writes (it would keep neither open_wishes nor relay_queue).
 */
export async function runMigrations(models: Models, now = new Date()): Promise<string[]> {
  const ran: string[] = [];
  for (const migration of MIGRATIONS) {
    if (await models.Migration.collection.findOne({ _id: migration.id as never })) continue;
    await migration.run(models);
    try {
      await models.Migration.collection.insertOne({ _id: migration.id as never, at: now });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    ran.push(migration.id);
  }
  return ran;
}

/**
 * Runs `migrate` once per database: a marker document `_id: name` in `migrations` says it ran. A
 * migration must be safe to run twice (two instances starting at once may both run it; the first
 * marker insert wins and the other's is a harmless duplicate).
 */
export async function runOnce(conn: Connection, name: string, migrate: () => Promise<unknown>): Promise<boolean> {
  const markers = conn.collection<{ _id: string; at: Date }>('migrations');
  if (await markers.findOne({ _id: name })) return false;
  await migrate();
  try {
    await markers.insertOne({ _id: name, at: new Date() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  return true;
}
