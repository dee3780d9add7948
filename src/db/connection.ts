import mongoose, { Connection } from 'mongoose';

export interface ConnectOptions {
  uri: string;
  dbName?: string;
  maxPoolSize?: number;
}

/**
 * One connection per process (or per test file), never mongoose's global one: factories, not
 * singletons. The driver reconnects by itself; these timeouts make a dead server fail fast.
 */
export async function connectDatabase(opts: ConnectOptions): Promise<Connection> {
  const conn = mongoose.createConnection(opts.uri, {
    dbName: opts.dbName,
    maxPoolSize: opts.maxPoolSize ?? 20,
    minPoolSize: 0,
    serverSelectionTimeoutMS: 10_000,
    connectTimeoutMS: 10_000,
    socketTimeoutMS: 60_000,
    heartbeatFrequencyMS: 5_000,
    retryWrites: true,
    // Indexes are created once at start-up (ensureIndexes), not lazily per model.
    autoIndex: false,
    autoCreate: false,
  });
  await conn.asPromise();
  return conn;
}

/** Answers whether the database is reachable right now, for /readyz. */
export async function pingDatabase(conn: Connection, timeoutMs = 2_000): Promise<boolean> {
  if (!conn.db) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const ping = conn.db.admin().ping().then(() => true, () => false);
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function isDuplicateKey(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 11000 || code === 11001;
}

/**
 * Two upserts of the same new _id at once both try to insert and one gets a duplicate key; run
 * again, it finds the document and updates it. For idempotent upserts only.
 */
export async function upsertWithRetry<T>(upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return upsert();
  }
}
