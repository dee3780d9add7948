import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// The layers README describes, checked on the source: who may import whom, and no cycles.

const SRC = path.resolve(__dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Relative imports of a file, resolved to files under src/ (type-only imports included: they couple too). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)[^'"`;]*?from\s+'(\.[^']+)'/gm)].map((m) => m[1]!);
  return specs.map((spec) => {
    const base = path.resolve(path.dirname(file), spec);
    for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // not this one
      }
    }
    throw new Error(`${path.relative(SRC, file)} imports ${spec}, which does not resolve`);
  });
}

const layerOf = (file: string) => path.relative(SRC, file).split(path.sep)[0]!.replace(/\.ts$/, '');
const all = files(SRC);
const graph = new Map(all.map((f) => [f, importsOf(f)]));

/** What each layer may import besides itself. Files at the top (main, runtime, services, config, logger) wire everything. */
const ALLOWED: Record<string, string[]> = {
  domain: [],
  db: ['domain'],
  ui: ['domain'],
  notify: ['domain', 'db', 'ui'],
  jobs: ['domain', 'db', 'ui', 'notify', 'config'],
  bot: ['domain', 'db', 'ui', 'notify'],
  http: ['domain', 'db', 'ui'],
};

describe('layers', () => {
  it('each layer imports only the layers below it', () => {
    const wrong: string[] = [];
    for (const [file, imports] of graph) {
      const layer = layerOf(file);
      const allowed = ALLOWED[layer];
      if (!allowed) continue;
      for (const target of imports) {
        const to = layerOf(target);
        if (to !== layer && !allowed.includes(to)) wrong.push(`${path.relative(SRC, file)} -> ${path.relative(SRC, target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the domain imports no framework, database driver or network library', () => {
    const framework = /from '(telegraf|express|mongoose|mongodb|pino|node-cron|zod)[/']/;
    const offenders = all.filter((f) => layerOf(f) === 'domain' && framework.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(SRC, f))).toEqual([]);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => path.relative(SRC, f)).join(' -> '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of all) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
