// `npm run fuzz:api [-- --seed=N --runs=N --conformance-runs=N --timeout=ms --concurrency=N]`: the real
// app (runtime, app, server, on an embedded database unless MONGODB_URI is set) on a real port, and two
// runs of fast-check's generated requests against it:
//  1. hostile requests (--runs, default 1000): mangled ids in the real routes, lying Content-Length, odd
//     encodings, huge headers, hostile JSON; fails on any 5xx, hang, error answer out of the
//     {error: {code, message}} shape, error the app logged, or crash;
//  2. requests generated from the served OpenAPI document (--conformance-runs, default 1000), as
//     schemathesis would: fails on any 5xx, a status the document does not give, or an answer whose
//     media type or body breaks the documented schema.
// Prints what each run met and exits non-zero when either fails.
import { performance } from 'node:perf_hooks';
import { intFlag, note, openBenchConnection, parseFlags, say, withBenchDatabase } from '../bench/support';
import { formatReport, fuzzApi, passed, startFuzzTarget } from './fuzz/api';
import { conformancePassed, formatConformance, fuzzOpenApi, OpenApiDoc } from './fuzz/openapi';

async function main(args: string[]): Promise<number> {
  const flags = parseFlags(args);
  const seed = intFlag(flags, 'seed', 20261123, 0);
  const runs = intFlag(flags, 'runs', 1000);
  const conformanceRuns = intFlag(flags, 'conformance-runs', 1000);
  const timeoutMs = intFlag(flags, 'timeout', 10_000);
  const concurrency = intFlag(flags, 'concurrency', 8);

  let crashes = 0;
  const crashed = (what: string) => (err: unknown) => {
    crashes++;
    note(`${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  };
  process.on('uncaughtException', crashed('uncaught exception'));
  process.on('unhandledRejection', crashed('unhandled rejection'));

  let ok = false;
  await withBenchDatabase(async (uri) => {
    const db = await openBenchConnection(uri, 'fuzz');
    const target = await startFuzzTarget(db);
    try {
      note(`app on http://127.0.0.1:${target.port}; ${runs} requests, seed ${seed}, ${concurrency} at a time, ${timeoutMs} ms each at most`);
      const started = performance.now();
      const report = await fuzzApi(target, {
        seed,
        runs,
        timeoutMs,
        concurrency,
        onProgress: (done) => {
          if (done % 250 === 0) note(`  ${done}/${runs}`);
        },
      });
      for (const line of formatReport(report, { crashes, seconds: (performance.now() - started) / 1000 })) say(line);
      ok = passed(report, crashes);
      say(ok ? 'PASS' : `FAIL (replay with --seed=${seed} --runs=${runs})`);

      const baseUrl = `http://127.0.0.1:${target.port}`;
      const doc = (await (await fetch(`${baseUrl}/api/v1/openapi.json`)).json()) as OpenApiDoc;
      note(`${conformanceRuns} requests generated from the OpenAPI document, seed ${seed}`);
      const conformanceStarted = performance.now();
      const conformance = await fuzzOpenApi({
        baseUrl,
        doc,
        tokens: [target.adminToken],
        ids: (path, name) => (name === 'communityId' || path.startsWith('/api/v1/communities/') ? target.communityIds : path.includes('/wishes/{id}') ? target.wishIds : []),
        seed,
        runs: conformanceRuns,
        concurrency,
        timeoutMs,
        onProgress: (done) => {
          if (done % 250 === 0) note(`  ${done}/${conformanceRuns}`);
        },
      });
      for (const line of formatConformance(conformance, (performance.now() - conformanceStarted) / 1000)) say(line);
      const conforms = conformancePassed(conformance) && crashes === 0;
      say(conforms ? 'PASS' : `FAIL (replay with --seed=${seed} --conformance-runs=${conformanceRuns})`);
      ok = ok && conforms;
    } finally {
      await target.stop();
      await db.close();
    }
  });
  return ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`fuzz:api failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
