import net from 'node:net';
import mongoose, { Connection } from 'mongoose';

export interface ConnectOptions {
  uri: string;
  dbName?: string;
  maxPoolSize?: number;
  /** How long a command waits for a reachable server before it fails (default 2 s). */
  serverSelectionTimeoutMS?: number;
  /** Emit the driver's command events (tests that record the queries issued: test/integration/query-shapes.test.ts). */
  monitorCommands?: boolean;
}

/** How long a command waits for the database before failing while it is unreachable. */
export const FAIL_FAST_MS = 2_000;

/**
 * One connection per process (or per test file), never mongoose's global one: factories, not
 * singletons. The driver reconnects by itself; these settings make a dead server fail fast:
 * - `bufferCommands: false`: mongoose would otherwise hold every command while disconnected for
 *   up to 10 s (its bufferTimeoutMS) and only then send it, so an outage looked like a hang;
 * - server selection gives up after 2 s (the driver's default is 30 s, ours was 10 s), so a
 *   request during an outage gets its 503 quickly;
 * (No waitQueueTimeoutMS: waiting for a pooled connection under load is normal, and a pool cleared
 * by an outage fails its waiters at once.)
 * FerretDB needs nothing special here: it speaks the same wire protocol to the same driver.
 */
export async function connectDatabase(opts: ConnectOptions): Promise<Connection> {
  const selection = opts.serverSelectionTimeoutMS ?? FAIL_FAST_MS;
  const conn = mongoose.createConnection(opts.uri, {
    dbName: opts.dbName,
    maxPoolSize: opts.maxPoolSize ?? 20,
    minPoolSize: 0,
    bufferCommands: false,
    serverSelectionTimeoutMS: selection,
    connectTimeoutMS: 5_000,
    socketTimeoutMS: 60_000,
    heartbeatFrequencyMS: 2_000,
    retryWrites: true,
    // Indexes are created once at start-up (ensureIndexes), not lazily per model.
    autoIndex: false,
    autoCreate: false,
    ...(opts.monitorCommands ? { monitorCommands: true } : {}),
  });
  await conn.asPromise();
  return conn;
}

/**
 * connectDatabase, tried again for up to `waitMs` (default 30 s) while the server cannot be reached:
 * at start-up the database may be a moment behind us (a container starting alongside).
 */
export async function connectDatabaseWithRetry(opts: ConnectOptions & { waitMs?: number; onRetry?: (err: unknown, attempt: number) => void }): Promise<Connection> {
  const deadline = Date.now() + (opts.waitMs ?? 30_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectDatabase(opts);
    } catch (err) {
      if (Date.now() >= deadline || (err as { name?: string }).name !== 'MongooseServerSelectionError') throw err;
      opts.onRetry?.(err, attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 500 * attempt)));
    }
  }
}

/** host:port pairs of a mongodb:// URI (none for mongodb+srv://, whose hosts come from DNS). */
export function hostsOf(uri: string): Array<{ host: string; port: number }> {
  const m = /^mongodb:\/\/(?:[^@/]*@)?([^/?]+)/.exec(uri);
  if (!m) return [];
  return m[1]!.split(',').map((hp) => {
    const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(hp);
    if (v6) return { host: v6[1]!, port: Number(v6[2] ?? 27017) };
    const [host, port] = hp.split(':');
    return { host: host!, port: Number(port ?? 27017) };
  });
}

/**
 * Whether any of the URI's servers accepts a TCP connection: a server that does while our pings
 * fail means our client is stuck, not the server down. True for mongodb+srv:// (cannot tell).
 */
export async function serverAcceptsConnections(uri: string, timeoutMs = 1_000): Promise<boolean> {
  const hosts = hostsOf(uri);
  if (hosts.length === 0) return true;
  const tries = hosts.map(
    ({ host, port }) =>
      new Promise<boolean>((resolve) => {
        const sock = net.connect({ host, port });
        const done = (ok: boolean) => {
          sock.destroy();
          resolve(ok);
        };
        sock.setTimeout(timeoutMs, () => done(false));
        sock.once('connect', () => done(true));
        sock.once('error', () => done(false));
      }),
  );
  return (await Promise.all(tries)).some(Boolean);
}

/**
 * Whether the driver currently knows a server it can use, from its own discovery events: false from
 * the moment it marks every server Unknown until its monitor finds one again. A server stuck Unknown
 * while its port accepts connections is the driver's monitor hanging, not the server being down.
 */
export function watchServerDiscovery(conn: Connection): { seesServer(): boolean } {
  const known = new Map<string, boolean>();
  conn.getClient().on('serverDescriptionChanged', (e) => known.set(e.address, e.newDescription.type !== 'Unknown'));
  return { seesServer: () => known.size === 0 || [...known.values()].some(Boolean) };
}

/**
 * Throws away the driver's client state (pool, monitors, the last error it remembers) and connects
 * afresh, keeping the mongoose connection and its models: the watchdog's remedy for a client that
 * no longer reconnects by itself.
 */
export async function rebuildClient(conn: Connection): Promise<void> {
  const client = conn.getClient();
  await client.close().catch(() => undefined);
  await client.connect();
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
