import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// FerretDB 1.24 (SQLite backend), built from its embeddable Go package by our module in
// scripts/ferretdb. go install of FerretDB's own command cannot work offline: see README.

/**
 * One line of FerretDB 1.24 patched before building. Its SQLite backend writes a find, update or delete
 * by `_id` as `WHERE _ferretdb_sjson->'$._id' = ?`, but creates the `_id` index on
 * `_ferretdb_sjson->"_id"`: the same value, another expression, so SQLite never uses the index and every
 * lookup by `_id` scans the table (170 ms at 50,000 documents, 1 ms with the patch; explain() said
 * `SCAN`, now `SEARCH ... USING INDEX`). The patch writes the lookups with the index's expression.
 */
export const ID_LOOKUP_PATCH = {
  file: 'internal/backends/sqlite/metadata/metadata.go',
  from: `IDColumn = DefaultColumn + "->'$._id'"`,
  to: 'IDColumn = DefaultColumn + `->"_id"`',
};

export function findProjectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

function findGo(): string {
  if (process.env.GO) return process.env.GO;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'go'))) return path.join(dir, 'go');
  }
  if (existsSync('/usr/local/go/bin/go')) return '/usr/local/go/bin/go';
  throw new Error('Go is needed to build the embedded FerretDB; install Go or set GO=/path/to/go, or set MONGODB_URI');
}

/** Runs a command; resolves with its standard output. */
function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-8000);
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${stderr}`))));
  });
}

/** The binary's path, named by a hash of its sources so a change to them rebuilds it. */
export function ferretdbBinaryPath(root = findProjectRoot()): string {
  const src = path.join(root, 'scripts', 'ferretdb');
  const hash = createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(path.join(src, f)));
  hash.update(JSON.stringify(ID_LOOKUP_PATCH));
  return path.join(root, '.cache', 'ferretdb', `ferretdb-${hash.digest('hex').slice(0, 12)}`);
}

/** Builds the binary when missing (about two minutes the first time, for the Go modules). */
export async function ensureFerretdbBinary(log: (msg: string) => void, root = findProjectRoot()): Promise<string> {
  const bin = ferretdbBinaryPath(root);
  if (existsSync(bin)) return bin;
  mkdirSync(path.dirname(bin), { recursive: true });
  log('Building FerretDB 1.24 from its Go package (first run only; takes a minute or two)');
  const go = findGo();
  const wrapper = path.join(root, 'scripts', 'ferretdb');
  const work = `${bin}.${process.pid}.build`;
  rmSync(work, { recursive: true, force: true });
  try {
    // FerretDB's source from the module cache, patched in a copy of our own (ID_LOOKUP_PATCH).
    const { Dir: moduleDir } = JSON.parse(await run(go, ['mod', 'download', '-json', 'github.com/FerretDB/FerretDB'], wrapper)) as { Dir: string };
    const source = path.join(work, 'FerretDB');
    cpSync(moduleDir, source, { recursive: true });
    const patched = path.join(source, ID_LOOKUP_PATCH.file);
    const text = readFileSync(patched, 'utf8');
    if (!text.includes(ID_LOOKUP_PATCH.from)) throw new Error(`FerretDB patch does not apply: ${ID_LOOKUP_PATCH.file} has no ${ID_LOOKUP_PATCH.from}`);
    chmodSync(patched, 0o644); // the module cache is read-only
    writeFileSync(patched, text.replace(ID_LOOKUP_PATCH.from, ID_LOOKUP_PATCH.to));
    // Our wrapper, built against the patched copy.
    const build = path.join(work, 'wrapper');
    mkdirSync(build, { recursive: true });
    for (const f of ['go.sum', 'main.go']) cpSync(path.join(wrapper, f), path.join(build, f));
    writeFileSync(path.join(build, 'go.mod'), `${readFileSync(path.join(wrapper, 'go.mod'), 'utf8')}\nreplace github.com/FerretDB/FerretDB => ${source}\n`);
    const tmp = `${bin}.${process.pid}.tmp`;
    await run(go, ['build', '-trimpath', '-o', tmp, '.'], build);
    renameSync(tmp, bin); // atomic: a concurrent builder never sees half a binary
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return bin;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

export interface RunningFerretdb {
  uri: string;
  port: number;
  dataDir: string;
  /** The child's process id (tests stop it with a signal of their choosing). */
  pid: number;
  /** Resolves when the child exits, for whatever reason, with its exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/**
 * Starts FerretDB on 127.0.0.1 with its SQLite files in `dataDir` (a temporary directory,
 * removed on stop, when none is given). The child exits on its own if this process dies.
 */
export async function startFerretdb(opts: { bin: string; dataDir?: string; port?: number }): Promise<RunningFerretdb> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'ferretdb-'));
  mkdirSync(dataDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const child = spawn(opts.bin, ['-listen', `127.0.0.1:${port}`, '-data', dataDir, '-exit-with-stdin'], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
  });
  let exited: number | null | undefined;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? -1;
      resolve({ code, signal });
    }),
  );
  child.once('error', (err) => {
    stderr += String(err);
    exited = -1;
  });

  const deadline = Date.now() + 30_000;
  while (!(await canConnect(port))) {
    if (exited !== undefined) throw new Error(`FerretDB exited (${exited}) before listening:\n${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`FerretDB did not listen on ${port} within 30 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    dataDir,
    pid: child.pid!,
    exited: exit,
    async stop() {
      if (exited === undefined) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exit;
        clearTimeout(killer);
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
