import { Connection } from 'mongoose';
import { isDuplicateKey } from './connection';

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
