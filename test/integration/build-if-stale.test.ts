import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// `npm start`'s prestart (scripts/build-if-stale.mjs), run against a small project in a temporary
// directory compiled by the repository's own TypeScript: it compiles only when dist/ is missing or
// older than its sources.

const REPO = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(REPO, 'scripts', 'build-if-stale.mjs');

function run(root: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, root], { timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, out: stdout + stderr });
    });
  });
}

/** Sets a file's or directory's times to `ms`. */
const touch = (file: string, ms: number) => utimesSync(file, new Date(ms), new Date(ms));

/** Every file and directory under `dir` (itself included). */
function everything(dir: string): string[] {
  return [dir, ...readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? everything(path.join(dir, e.name)) : [path.join(dir, e.name)]))];
}

describe('build-if-stale (npm start)', () => {
  let root: string;
  const main = () => path.join(root, 'dist', 'src', 'main.js');
  const stamp = () => path.join(root, 'dist', '.build-stamp');
  const mtime = (file: string) => statSync(file).mtimeMs;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'build-if-stale-'));
    mkdirSync(path.join(root, 'src', 'lib'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'stale-check', private: true }));
    writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, outDir: 'dist', rootDir: '.', types: [] } }));
    writeFileSync(path.join(root, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json', include: ['src'] }));
    writeFileSync(path.join(root, 'src', 'main.ts'), "import { hello } from './lib/hello';\nexport const greeting: string = hello('world');\n");
    writeFileSync(path.join(root, 'src', 'lib', 'hello.ts'), 'export const hello = (who: string): string => `hello ${who}`;\n');
    writeFileSync(path.join(root, 'src', 'lib', 'extra.ts'), 'export const extra = 1;\n');
    // Sources written an hour ago: whatever the file system's time resolution, the build is newer.
    for (const f of everything(path.join(root, 'src')).concat(['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((n) => path.join(root, n)))) touch(f, Date.now() - 3_600_000);
    symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('compiles when dist/ is missing, and leaves a stamp', async () => {
    const r = await run(root);
    expect(r).toMatchObject({ code: 0, out: expect.stringContaining('Compiling: dist/src/main.js is missing') });
    expect(existsSync(main())).toBe(true);
    expect(existsSync(stamp())).toBe(true);
  });

  it('does not compile again when nothing changed', async () => {
    const before = mtime(main());
    const r = await run(root);
    expect(r).toEqual({ code: 0, out: 'dist/ is up to date; not compiling\n' });
    expect(mtime(main())).toBe(before);
  });

  it('compiles when a source is newer than the build, then not again', async () => {
    touch(path.join(root, 'src', 'lib', 'hello.ts'), mtime(stamp()) + 5_000);
    expect(await run(root)).toMatchObject({ code: 0, out: expect.stringContaining(`Compiling: ${path.join('src', 'lib', 'hello.ts')} changed since the last build`) });
    // The stamp is the time that build started, before hello.ts's (future) time: so set the source back first.
    touch(path.join(root, 'src', 'lib', 'hello.ts'), Date.now() - 3_600_000);
    expect((await run(root)).out).toBe('dist/ is up to date; not compiling\n');
  });

  it('compiles when a source file is deleted (its directory changed)', async () => {
    unlinkSync(path.join(root, 'src', 'lib', 'extra.ts'));
    const r = await run(root);
    expect(r).toMatchObject({ code: 0, out: expect.stringContaining(`Compiling: ${path.join('src', 'lib')} changed`) });
  });

  it('compiles when tsconfig or package.json changed', async () => {
    touch(path.join(root, 'tsconfig.json'), mtime(stamp()) + 5_000);
    expect((await run(root)).out).toContain('Compiling: tsconfig.json changed');
    touch(path.join(root, 'tsconfig.json'), Date.now() - 3_600_000);
    touch(path.join(root, 'package.json'), mtime(stamp()) + 5_000);
    expect((await run(root)).out).toContain('Compiling: package.json changed');
    touch(path.join(root, 'package.json'), Date.now() - 3_600_000);
  });

  it('fails, and keeps its old stamp, when the sources do not compile', async () => {
    const stampBefore = mtime(stamp());
    const bad = path.join(root, 'src', 'lib', 'broken.ts');
    writeFileSync(bad, 'export const n: number = "not a number";\n');
    const r = await run(root);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('Compiling failed; not starting.');
    expect(mtime(stamp())).toBe(stampBefore);
    unlinkSync(bad);
  });

  it('without TypeScript (a production install) starts an up-to-date dist/, and says what to do with a stale one', async () => {
    unlinkSync(path.join(root, 'node_modules'));
    try {
      // The failed build above left dist/ stale: its stamp predates the sources' last change.
      const stale = await run(root);
      expect(stale.code).toBe(1);
      expect(stale.out).toContain('TypeScript is not installed here');
      // As shipped: built after every change to the sources.
      touch(stamp(), Date.now() + 60_000);
      expect(await run(root)).toEqual({ code: 0, out: 'dist/ is up to date; not compiling\n' });
    } finally {
      symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    }
  });
});
