// The package registry this project is developed against mirrors only the packages for this
// platform, so `npm install` leaves other platforms' optional binaries (@swc/core-darwin-arm64, ...)
// out of package-lock.json, and npm 11's `npm ci` then refuses the lock. This fills in those entries
// (version, os, cpu, libc from the package name) so the lock is complete for every platform.
// Run after changing dependencies: `npx tsx scripts/complete-lockfile.ts`.
import { readFileSync, writeFileSync } from 'node:fs';

type Entry = { version?: string; dev?: boolean; optional?: boolean; optionalDependencies?: Record<string, string>; os?: string[]; cpu?: string[]; libc?: string[] };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, Entry> };

function platformOf(name: string): Pick<Entry, 'os' | 'cpu' | 'libc'> {
  const tail = name.split('/').pop()!;
  const os = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'].find((o) => tail.includes(`-${o}-`) || tail.includes(`-${o}`));
  const cpu = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el', 'wasm32'].find((c) => new RegExp(`-${c}(-|$)`).test(tail));
  const libc = /-(gnu|gnueabihf)$/.test(tail) ? ['glibc'] : /-musl(eabihf)?$/.test(tail) ? ['musl'] : undefined;
  return { ...(os ? { os: [os] } : {}), ...(cpu ? { cpu: [cpu] } : {}), ...(libc && os === 'linux' ? { libc } : {}) };
}

let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path ? `${path}/node_modules/${dep}` : `node_modules/${dep}`;
    if (lock.packages[base] || lock.packages[`node_modules/${dep}`]) continue;
    if (!/^\d+\.\d+\.\d+/.test(spec)) continue;
    lock.packages[`node_modules/${dep}`] = { version: spec, ...(entry.dev ? { dev: true } : {}), optional: true, ...platformOf(dep) };
    added++;
  }
}
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`package-lock.json: added ${added} optional platform entries\n`);
