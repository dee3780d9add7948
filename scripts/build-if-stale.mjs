#!/usr/bin/env node
// `npm start` runs this first: it compiles (tsc -p tsconfig.build.json) only when dist/ is missing or
// older than the sources, so a restart of an unchanged checkout starts at once. Plain Node, no
// dependencies: it runs before anything is compiled.
//
// Stale means: no dist/src/main.js, or a source newer than the build stamp. The stamp is
// dist/.build-stamp, whose time is set to when its build started (an edit made during a build is
// picked up by the next start); without a stamp (dist built by `npm run build`), dist/src/main.js's
// time stands in. Sources: every .ts/.mts/.cts/.json file under src/ (what
// tsconfig.build.json compiles), their directories (a deleted or renamed file changes its
// directory's time), tsconfig*.json, package.json and package-lock.json.
//
// Usage: node scripts/build-if-stale.mjs [project root]   (default: the directory above scripts/)
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { existsSync, readdirSync, statSync, writeFileSync, utimesSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const dist = path.join(root, 'dist');
const main = path.join(dist, 'src', 'main.js');
const stamp = path.join(dist, '.build-stamp');
const SOURCE_DIRS = ['src'];
const SOURCE_FILE = /\.(ts|mts|cts|json)$/;
const SKIP_DIRS = new Set(['node_modules', '.cache', 'dist', 'data', 'coverage']);

const mtimeOf = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
};

/** The newest time among the sources, and which file or directory has it. */
function newestSource() {
  let newest = { ms: -Infinity, what: '' };
  const see = (file) => {
    const ms = mtimeOf(file);
    if (ms !== undefined && ms > newest.ms) newest = { ms, what: path.relative(root, file) || '.' };
  };
  const walk = (dir) => {
    see(dir);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // not there: nothing to compile from it
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(full);
      } else if (SOURCE_FILE.test(e.name)) see(full);
    }
  };
  for (const dir of SOURCE_DIRS) walk(path.join(root, dir));
  for (const name of readdirSync(root)) if (/^tsconfig.*\.json$/.test(name)) see(path.join(root, name));
  see(path.join(root, 'package.json'));
  see(path.join(root, 'package-lock.json'));
  return newest;
}

/** Why dist/ must be rebuilt, or undefined when it is up to date. */
function staleness() {
  if (!existsSync(main)) return 'dist/src/main.js is missing';
  const builtAt = mtimeOf(stamp) ?? mtimeOf(main);
  const newest = newestSource();
  // Equal counts as newer: on a file system with coarse times, an edit in the build's second is not lost.
  if (newest.ms >= builtAt) return `${newest.what} changed since the last build`;
  return undefined;
}

const reason = staleness();
if (reason === undefined) {
  process.stdout.write('dist/ is up to date; not compiling\n');
  process.exit(0);
}

let tsc;
try {
  tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  process.stderr.write(`dist/ needs compiling (${reason}), but TypeScript is not installed here (a production install?).\nRun \`npm ci && npm run build\` where the dev dependencies are installed, or ship dist/ built.\n`);
  process.exit(1);
}

process.stdout.write(`Compiling: ${reason}\n`);
const startedAt = new Date();
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  process.stderr.write('Compiling failed; not starting.\n');
  process.exit(result.status ?? 1);
}
mkdirSync(dist, { recursive: true });
writeFileSync(stamp, `${startedAt.toISOString()}\n`);
utimesSync(stamp, startedAt, startedAt);
