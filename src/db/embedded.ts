import path from 'node:path';
import { ensureFerretdbBinary, RunningFerretdb, startFerretdb } from './ferretdb';
import { realTimer, SetTimer } from './health';

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
  if (!dataDir) {
    // Tests' throwaway server: nobody to restart it for.
    const running = await startFerretdb({ bin });
    return { uri: running.uri, engine: 'ferretdb', stop: running.stop };
  }
  const supervised = await superviseFerretdb({ start: (port) => startFerretdb({ bin, dataDir: path.join(dataDir, 'ferretdb'), port }), log });
  return { uri: supervised.uri, engine: 'ferretdb', stop: supervised.stop };
}

export interface FerretdbSupervisorOptions {
  /** Starts FerretDB: on a free port the first time, then on the same port (and data directory) again. */
  start(port?: number): Promise<RunningFerretdb>;
  log: (msg: string) => void;
  /** Restart delays: 1 s doubling to `maxDelayMs` (default 30 s), back to 1 s once it has run a minute. */
  maxDelayMs?: number;
  setTimer?: SetTimer;
  clock?: () => number;
}

/**
 * Keeps the embedded FerretDB running: when its process dies (crash, OOM kill, someone's SIGTERM),
 * it is started again on the same port with the same data directory, after a growing delay, so
 * the service's connection finds it where it was and `npm start` recovers by itself too.
 */
export async function superviseFerretdb(opts: FerretdbSupervisorOptions) {
  const setTimer = opts.setTimer ?? realTimer;
  const clock = opts.clock ?? Date.now;
  const maxDelayMs = opts.maxDelayMs ?? 30_000;
  let current = await opts.start();
  const { port, uri } = current;
  let stopping = false;
  let failures = 0;
  let startedAt = clock();
  let pending: { cancel(): void } | undefined;
  let restarts = 0;

  function watch(running: RunningFerretdb): void {
    void running.exited.then(({ code, signal }) => {
      if (stopping || running !== current) return;
      // A process that ran a minute had its own life: start over at 1 s. One that died at once waits longer each time.
      failures = clock() - startedAt > 60_000 ? 0 : failures + 1;
      const delay = Math.min(maxDelayMs, 1000 * 2 ** failures);
      opts.log(`Embedded FerretDB exited (${signal ?? `code ${code}`}); restarting it on port ${port} in ${Math.round(delay / 1000)} s`);
      schedule(delay);
    });
  }

  function schedule(delay: number): void {
    pending = setTimer(() => {
      pending = undefined;
      if (stopping) return;
      opts
        .start(port)
        .then((next) => {
          if (stopping) return void next.stop();
          current = next;
          startedAt = clock();
          restarts++;
          opts.log(`Embedded FerretDB restarted on port ${port}`);
          watch(next);
        })
        .catch((err: unknown) => {
          failures++;
          const next = Math.min(maxDelayMs, 1000 * 2 ** failures);
          opts.log(`Embedded FerretDB could not be restarted (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); trying again in ${Math.round(next / 1000)} s`);
          schedule(next);
        });
    }, delay);
  }

  watch(current);
  return {
    uri,
    port,
    restarts: () => restarts,
    current: () => current,
    async stop(): Promise<void> {
      stopping = true;
      pending?.cancel();
      await current.stop();
    },
  };
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
