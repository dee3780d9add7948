import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { connectDatabase } from '../../src/db/connection';
import { ensureFerretdbBinary, freePort, RunningFerretdb, startFerretdb } from '../../src/db/ferretdb';
import { createModels, ensureIndexes } from '../../src/db/models';
import { TestDatabase } from './db';

/**
 * A FerretDB server of this test file's own, which the test may stop and start again (same port, same
 * data directory). The run's shared server (global-setup.ts) is never stopped: other files use it. The
 * engine is FerretDB whatever TEST_DB_ENGINE says: it is what this machine can always run.
 */
export interface OwnFerretdb {
  uri: string;
  port: number;
  dataDir: string;
  /** Kills the server with `signal` and resolves once it has exited. */
  kill(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** A fresh database on this server, with this test's models and indexes (closed by `close`). */
  database(): Promise<TestDatabase>;
  close(): Promise<void>;
}

export async function startOwnFerretdb(): Promise<OwnFerretdb> {
  const bin = await ensureFerretdbBinary(() => undefined);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'own-ferretdb-'));
  const port = await freePort();
  let running: RunningFerretdb | undefined = await startFerretdb({ bin, dataDir, port });
  const databases: TestDatabase[] = [];
  return {
    uri: running.uri,
    port,
    dataDir,
    async kill(signal) {
      const r = running;
      running = undefined;
      if (!r) return;
      process.kill(r.pid, signal);
      await r.exited;
    },
    async start() {
      if (running) return;
      running = await startFerretdb({ bin, dataDir, port });
    },
    async database() {
      const dbName = `own_${process.pid}_${randomBytes(4).toString('hex')}`;
      const uri = `mongodb://127.0.0.1:${port}/`;
      const conn = await connectDatabase({ uri, dbName });
      const models = createModels(conn);
      await ensureIndexes(models);
      const db = { conn, models, uri, dbName };
      databases.push(db);
      return db;
    },
    async close() {
      for (const db of databases) await db.conn.close().catch(() => undefined);
      await running?.stop();
      running = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
