import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EmbeddedDatabase, EmbeddedPreference, startEmbeddedDatabase } from '../../src/db/embedded';

declare global {
  var __testDatabase: EmbeddedDatabase | undefined;
  var __privacyScanDir: string | undefined;
}

/**
 * One database server for the whole run: MONGODB_URI when given, else the same embedded route
 * as `npm start` (mongodb-memory-server, falling back to FerretDB). Workers inherit the env.
 */
export default async function globalSetup(): Promise<void> {
  // The privacy scan's files (test/support/privacy-scan.ts): a fresh directory, removed after the run
  // unless PRIVACY_SCAN_DIR was given (then kept, to be read).
  if (!process.env.PRIVACY_SCAN_DIR) process.env.PRIVACY_SCAN_DIR = globalThis.__privacyScanDir = mkdtempSync(path.join(tmpdir(), 'microwish-privacy-'));
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
