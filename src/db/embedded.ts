import path from 'node:path';
import { ensureFerretdbBinary, startFerretdb } from './ferretdb';

export type EmbeddedEngine = 'mongodb' | 'ferretdb';
export type EmbeddedPreference = 'auto' | EmbeddedEngine;

export interface EmbeddedDatabase {
  uri: string;
  engine: EmbeddedEngine;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Keep data here across restarts; a throwaway directory when absent (tests). */
  dataDir?: string;
  prefer?: EmbeddedPreference;
  log: (msg: string) => void;
}

async function startMongoMemoryServer(dataDir: string | undefined): Promise<EmbeddedDatabase> {
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const dbPath = dataDir ? path.join(dataDir, 'mongodb') : undefined;
  if (dbPath) (await import('node:fs')).mkdirSync(dbPath, { recursive: true });
  // It prints a stack trace of its own when mongod cannot be had; our caller says it in one line.
  const warn = console.warn;
  console.warn = () => undefined;
  let server;
  try {
    server = await MongoMemoryServer.create({ instance: dbPath ? { dbPath, storageEngine: 'wiredTiger' } : {} });
  } finally {
    console.warn = warn;
  }
  const started = server;
  return {
    uri: started.getUri(),
    engine: 'mongodb',
    stop: async () => {
      await started.stop({ doCleanup: !dbPath, force: false });
    },
  };
}

async function startEmbeddedFerretdb(dataDir: string | undefined, log: (msg: string) => void): Promise<EmbeddedDatabase> {
  const bin = await ensureFerretdbBinary(log);
  const running = await startFerretdb({ bin, dataDir: dataDir ? path.join(dataDir, 'ferretdb') : undefined });
  return { uri: running.uri, engine: 'ferretdb', stop: running.stop };
}

/**
 * The database when MONGODB_URI is not given: mongodb-memory-server's real mongod where it can
 * be had, else (no internet to download mongod) the project's own FerretDB build.
 */
export async function startEmbeddedDatabase(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const prefer = opts.prefer ?? 'auto';
  if (prefer !== 'ferretdb') {
    try {
      return await startMongoMemoryServer(opts.dataDir);
    } catch (err) {
      if (prefer === 'mongodb') throw err;
      const message = err instanceof Error ? err.message : String(err);
      const reason = /download/i.test(message) ? 'its mongod binary could not be downloaded' : message.split('\n')[0]!.slice(0, 160);
      opts.log(`Embedded MongoDB unavailable (${reason}); using the project's FerretDB build instead`);
    }
  }
  return startEmbeddedFerretdb(opts.dataDir, opts.log);
}
