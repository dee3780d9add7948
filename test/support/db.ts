import { randomBytes } from 'node:crypto';
import { Connection } from 'mongoose';
import { connectDatabase } from '../../src/db/connection';
import { createModels, ensureIndexes, Models } from '../../src/db/models';

export interface TestDatabase {
  conn: Connection;
  models: Models;
  uri: string;
  dbName: string;
}

export function testDatabaseUri(): string {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: run the tests through jest (test/support/global-setup.ts)');
  return uri;
}

/** A fresh database for one test file, dropped afterwards. Call at the top of a describe block. */
export function useTestDatabase(): TestDatabase {
  const handle = {} as TestDatabase;
  beforeAll(async () => {
    handle.uri = testDatabaseUri();
    handle.dbName = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
    handle.conn = await connectDatabase({ uri: handle.uri, dbName: handle.dbName });
    handle.models = createModels(handle.conn);
    await ensureIndexes(handle.models);
  });
  afterAll(async () => {
    await handle.conn?.dropDatabase().catch(() => undefined);
    await handle.conn?.close();
  });
  return handle;
}
