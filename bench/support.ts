// Shared pieces of the benchmarks: the database they run on, the runtime they build, flags, a bounded pool, and the
// numbers they print. Benchmarks import from src/, and from test/ only the fake Bot API and plain helpers.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Connection, mongo } from 'mongoose';
import pino from 'pino';
import { connectDatabase } from '../src/db/connection';
import { startEmbeddedDatabase } from '../src/db/embedded';
import { createModels, ensureIndexes, Models } from '../src/db/models';
import { createRuntime, Runtime } from '../src/runtime';

/** 'mongodb' or 'ferretdb' when embedded; 'external' when MONGODB_URI was given. */
export type BenchEngine = 'mongodb' | 'ferretdb' | 'external';

export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Progress and diagnostics: stderr, so stdout stays the report. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Runs `fn` against MONGODB_URI when set, else against an embedded database in a throwaway
 * directory (real mongod where mongodb-memory-server can have one, else the FerretDB build),
 * which is always stopped afterwards, error or not.
 */
export async function withBenchDatabase(fn: (uri: string, engine: BenchEngine) => Promise<void>): Promise<void> {
  const external = process.env.MONGODB_URI;
  if (external) {
    note(`database: MONGODB_URI (${external.replace(/\/\/[^@/]*@/, '//***@')})`);
    await fn(external, 'external');
    return;
  }
  const started = performance.now();
  const db = await startEmbeddedDatabase({ prefer: 'auto', log: note });
  note(`database: embedded ${db.engine} at ${db.uri} (started in ${fmtSeconds(performance.now() - started)})`);
  // Ctrl-C still removes the throwaway directory.
  const onSignal = (signal: NodeJS.Signals) => {
    note(`${signal}: stopping the embedded database`);
    void db.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await fn(db.uri, db.engine);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await db.stop();
  }
}

export interface BenchConnection {
  conn: Connection;
  models: Models;
  dbName: string;
  /** Per-command counts and server times, when opened with `monitor`. */
  commands: CommandRecorder;
  /** Drops the benchmark's database and closes the connection. */
  close(): Promise<void>;
}

/** The URI with the driver's command monitoring on (a standard connection-string option). */
function withCommandMonitoring(uri: string): string {
  if (uri.includes('?')) return `${uri}${uri.endsWith('?') || uri.endsWith('&') ? '' : '&'}monitorCommands=true`;
  const hosts = uri.slice(uri.indexOf('://') + 3);
  return `${uri}${hosts.includes('/') ? '' : '/'}?monitorCommands=true`;
}

/**
 * A connection exactly as main.ts makes one (same pool and timeouts), on a database of the
 * benchmark's own, so a MONGODB_URI pointing at real data is never touched. `monitor` adds
 * only the driver's command events, which the recorder reads while started.
 */
export async function openBenchConnection(uri: string, name: string, opts: { monitor?: boolean } = {}): Promise<BenchConnection> {
  const dbName = `bench_${name}_${randomBytes(3).toString('hex')}`;
  const conn = await connectDatabase({ uri: opts.monitor ? withCommandMonitoring(uri) : uri, dbName });
  const models = createModels(conn);
  await ensureIndexes(models);
  return {
    conn,
    models,
    dbName,
    commands: recordCommands(conn),
    close: async () => {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
}

export interface CommandStat {
  /** e.g. `find wish_events`. */
  name: string;
  count: number;
  /** Server round-trip time as the driver measures it (sent to answered; pool waits excluded). */
  totalMs: number;
  /** Failed commands plus commands answered with write errors (a duplicate key: a lost race). */
  failed: number;
  /** Why commands failed outright (not write errors), first line of each distinct reason. */
  failures: string[];
}

export interface CommandRecorder {
  start(): void;
  /** Stops and returns what ran since start(), most total time first. */
  stop(): CommandStat[];
}

function recordCommands(conn: Connection): CommandRecorder {
  const client = conn.getClient();
  const pending = new Map<number, string>();
  let stats = new Map<string, CommandStat>();
  let recording = false;
  const finish = (requestId: number, ms: number, failed: boolean, reason?: string) => {
    const name = pending.get(requestId);
    if (name === undefined) return;
    pending.delete(requestId);
    const s = stats.get(name) ?? { name, count: 0, totalMs: 0, failed: 0, failures: [] };
    s.count++;
    s.totalMs += ms;
    if (failed) s.failed++;
    if (reason !== undefined && !s.failures.includes(reason) && s.failures.length < 3) s.failures.push(reason);
    stats.set(name, s);
  };
  client.on('commandStarted', (e: mongo.CommandStartedEvent) => {
    if (!recording) return;
    const target = (e.command as Record<string, unknown>)[e.commandName];
    pending.set(e.requestId, typeof target === 'string' ? `${e.commandName} ${target}` : e.commandName);
  });
  client.on('commandSucceeded', (e: mongo.CommandSucceededEvent) => {
    const writeErrors = (e.reply as { writeErrors?: unknown[] } | undefined)?.writeErrors;
    finish(e.requestId, e.duration, Array.isArray(writeErrors) && writeErrors.length > 0);
  });
  client.on('commandFailed', (e: mongo.CommandFailedEvent) =>
    finish(e.requestId, e.duration, true, `${e.failure.name}: ${e.failure.message.split('\n')[0]!.slice(0, 120)}`),
  );
  return {
    start() {
      stats = new Map();
      pending.clear();
      recording = true;
    },
    stop() {
      recording = false;
      return [...stats.values()].sort((a, b) => b.totalMs - a.totalMs);
    },
  };
}

// ---- flags ----------------------------------------------------------------------------------

/** `--name=value`, `--name value` and bare `--name` (true). */
export function parseFlags(args: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unexpected argument ${arg}`);
    const name = m[1]!;
    if (m[2] !== undefined) flags.set(name, m[2]);
    else if (args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) flags.set(name, args[++i]!);
    else flags.set(name, 'true');
  }
  return flags;
}

export function intFlag(flags: Map<string, string>, name: string, fallback: number, min = 1): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number >= ${min}, not ${raw}`);
  return n;
}

/** `--history=1000,20000` or `--history=1k,20k`. */
export function intListFlag(flags: Map<string, string>, name: string, fallback: number[]): number[] {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  return raw.split(',').map((part) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(k?)\s*$/i.exec(part.replace(/_/g, ''));
    const n = m ? Math.round(Number(m[1]) * (m[2] ? 1000 : 1)) : NaN;
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} takes whole numbers separated by commas, not ${raw}`);
    return n;
  });
}

export function choiceFlag<T extends string>(flags: Map<string, string>, name: string, choices: readonly T[], fallback: T): T {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) throw new Error(`--${name} must be one of ${choices.join(', ')}, not ${raw}`);
  return raw as T;
}

// ---- running --------------------------------------------------------------------------------

/** Calls `fn(0..count-1)` with at most `concurrency` calls in flight; `fn` must not throw. */
export async function runPool(count: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** A small seeded PRNG, so a run's order can be repeated: the tests' own. */
export { seededRandom } from '../test/support/random';

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

// ---- numbers --------------------------------------------------------------------------------

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  return {
    count: samples.length,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: samples.length ? Math.max(...samples) : NaN,
    mean: samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : NaN,
  };
}

export function opsPerSecond(ops: number, wallMs: number): number {
  return wallMs > 0 ? (ops * 1000) / wallMs : NaN;
}

export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-';
}

/** Milliseconds with precision that suits their size: 0.84, 12.3, 412. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return Math.round(ms).toLocaleString('en-US');
}

export function fmtRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '-';
  return perSecond < 100 ? perSecond.toFixed(1) : fmtInt(perSecond);
}

export function fmtSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Right-aligned columns under a header; the first column is the row label. */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), ...rows.map(line)];
}

// ---- memory ---------------------------------------------------------------------------------

const MB = 1024 * 1024;

export interface ProcessMemory {
  pid: number;
  name: string;
  /** Resident now, and the most it ever was (the kernel's high-water mark), in MB. */
  rssMb: number;
  peakMb: number;
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function statusField(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * The embedded database's process: a child of this one named ferretdb… or mongod, found in /proc
 * (Linux only; undefined elsewhere, or when MONGODB_URI points at a server of its own).
 */
export function databaseProcess(): ProcessMemory | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    const stat = readProc(`/proc/${entry}/stat`);
    if (!stat) continue;
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== process.pid || !/^(ferretdb|mongod)/.test(name)) continue;
    const status = readProc(`/proc/${entry}/status`);
    if (!status) continue;
    return { pid: Number(entry), name, rssMb: statusField(status, 'VmRSS'), peakMb: statusField(status, 'VmHWM') };
  }
  return undefined;
}

/** This process's peak resident memory so far, in MB. */
export function nodePeakMb(): number {
  return (process.resourceUsage().maxRSS * 1024) / MB;
}

/** `peak RSS: node 182 MB; database (ferretdb-3f2a…, pid 1234) 412 MB`; `nodeLabel` names this process. */
export function formatPeakMemory(nodeLabel = 'node'): string {
  const db = databaseProcess();
  const dbPart = db ? `database (${db.name}, pid ${db.pid}) ${fmtInt(db.peakMb)} MB` : 'database: not a child of this process, not measured';
  return `peak RSS: ${nodeLabel} ${fmtInt(nodePeakMb())} MB; ${dbPart}`;
}

export interface MemoryWindow {
  /** Highest resident memory seen while sampling, in MB (node; the database when found). */
  nodePeakMb: number;
  dbPeakMb: number;
  samples: number;
}

/** Samples this process's and the database's RSS every `everyMs` until stop(), for one phase's peak. */
export function sampleMemory(everyMs = 250): { stop(): MemoryWindow } {
  const db = databaseProcess();
  const window: MemoryWindow = { nodePeakMb: 0, dbPeakMb: NaN, samples: 0 };
  const take = () => {
    window.samples++;
    window.nodePeakMb = Math.max(window.nodePeakMb, process.memoryUsage.rss() / MB);
    if (db) {
      const status = readProc(`/proc/${db.pid}/status`);
      const rss = status ? statusField(status, 'VmRSS') : NaN;
      if (Number.isFinite(rss)) window.dbPeakMb = Number.isFinite(window.dbPeakMb) ? Math.max(window.dbPeakMb, rss) : rss;
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      take();
      return window;
    },
  };
}

/** The service's runtime as production builds it, silent, in English and UTC, over a (fake) Bot API. */
export function benchRuntime(db: { conn: Connection; models: Models }, telegram: { token: string; apiRoot: string }, instanceId: string): Promise<Runtime> {
  return createRuntime({
    conn: db.conn,
    models: db.models,
    clock: () => new Date(),
    logger: pino({ level: 'silent' }),
    bot: { token: telegram.token, apiRoot: telegram.apiRoot, adminIds: [] },
    defaultLanguage: 'en',
    timeZone: 'UTC',
    instanceId,
  });
}
