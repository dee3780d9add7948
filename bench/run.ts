// Benchmark dispatcher: `npm run bench -- <name> [--flags]` (i.e. `tsx bench/run.ts <name> ...`)
// runs bench/<name>.ts's exported `run(args)`. Each benchmark opens its own database through
// withBenchDatabase (bench/support.ts): MONGODB_URI when set, else an embedded one.
//
// To add a benchmark, write bench/<name>.ts exporting `run(args: string[]): Promise<void>` and
// add one line to BENCHMARKS, e.g.
//   burst: { about: 'many wishes created at once', load: () => import('./burst.js') },
// Modules are imported only when chosen, so one benchmark's missing or broken file never
// stops another from running.

interface Benchmark {
  run(args: string[]): Promise<void>;
}

const BENCHMARKS: Record<string, { about: string; load: () => Promise<Benchmark> }> = {
  claims: { about: 'N donors x M wishes claiming and pledging at once, at two sizes of stored history', load: () => import('./claims.js') },
  burst: { about: '200 presses from 200 people on 20 cards within a second, through the bot', load: () => import('./burst.js') },
  jobs: { about: 'every scheduled job over 100 communities, 1,000 groups, 100,000 wishes (5,000 open), and the digests sent', load: () => import('./jobs.js') },
  broadcast: { about: '50 groups x 40 + 500 private messages through the sender against rate limits', load: () => import('./broadcast.js') },
  outbox: { about: "the sender's outbox reads with 100 pending beside 100,000 sent, history in the outbox or apart", load: () => import('./outbox.js') },
};

function usage(): void {
  process.stderr.write('usage: npm run bench -- <name> [--flags]\n\nbenchmarks:\n');
  for (const [name, { about }] of Object.entries(BENCHMARKS)) process.stderr.write(`  ${name.padEnd(12)} ${about}\n`);
  process.stderr.write('\nSet MONGODB_URI to run against a server of your own; otherwise an embedded database is started.\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const bench = name ? BENCHMARKS[name] : undefined;
  if (!bench) {
    if (name) process.stderr.write(`unknown benchmark: ${name}\n\n`);
    usage();
    return 1;
  }
  const mod = await bench.load();
  await mod.run(args);
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
