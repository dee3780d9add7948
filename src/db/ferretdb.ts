import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// FerretDB 1.24 (SQLite backend), built from its embeddable Go package by our module in
// scripts/ferretdb. go install of FerretDB's own command cannot work offline: see README.

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

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-8000);
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${stderr}`))));
  });
}

/** The binary's path, named by a hash of its sources so a change to them rebuilds it. */
export function ferretdbBinaryPath(root = findProjectRoot()): string {
  const src = path.join(root, 'scripts', 'ferretdb');
  const hash = createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(path.join(src, f)));
  return path.join(root, '.cache', 'ferretdb', `ferretdb-${hash.digest('hex').slice(0, 12)}`);
}

/** Builds the binary when missing (about two minutes the first time, for the Go modules). */
export async function ensureFerretdbBinary(log: (msg: string) => void, root = findProjectRoot()): Promise<string> {
  const bin = ferretdbBinaryPath(root);
  if (existsSync(bin)) return bin;
  mkdirSync(path.dirname(bin), { recursive: true });
  log('Building FerretDB 1.24 from its Go package (first run only; takes a minute or two)');
  const tmp = `${bin}.${process.pid}.tmp`;
  await run(findGo(), ['build', '-trimpath', '-o', tmp, '.'], path.join(root, 'scripts', 'ferretdb'));
  renameSync(tmp, bin); // atomic: a concurrent builder never sees half a binary
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
