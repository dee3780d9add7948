// Builds the project's FerretDB (scripts/ferretdb) into .cache/ferretdb when it is missing.
// The test harness and `npm start` do this on demand; CI runs it up front so the build is its own step.
import { ensureFerretdbBinary } from '../src/db/ferretdb';

ensureFerretdbBinary((msg) => process.stdout.write(`${msg}\n`))
  .then((bin) => process.stdout.write(`ferretdb ready: ${bin}\n`))
  .catch((err: unknown) => {
    process.stderr.write(`could not build FerretDB: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
