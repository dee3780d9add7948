import { EmbeddedDatabase, EmbeddedPreference, startEmbeddedDatabase } from '../../src/db/embedded';

declare global {
  var __testDatabase: EmbeddedDatabase | undefined;
}

/**
 * One database server for the whole run: MONGODB_URI when given, else the same embedded route
 * as `npm start` (mongodb-memory-server, falling back to FerretDB). Workers inherit the env.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) {
    process.env.TEST_MONGODB_URI = process.env.MONGODB_URI;
    process.env.TEST_DB_ENGINE = process.env.TEST_DB_ENGINE ?? 'external';
    return;
  }
  const db = await startEmbeddedDatabase({
    prefer: (process.env.EMBEDDED_DB as EmbeddedPreference | undefined) ?? 'auto',
    log: (msg) => process.stderr.write(`\n[test database] ${msg}\n`),
  });
  globalThis.__testDatabase = db;
  process.env.TEST_MONGODB_URI = db.uri;
  process.env.TEST_DB_ENGINE = db.engine;
  process.stderr.write(`[test database] ${db.engine} at ${db.uri}\n`);
}
