// A separate Node process that claims one wish for many donors when told "go" on stdin,
// so a test can race two processes against one database. Prints its outcomes as JSON.
import { connectDatabase } from '../../src/db/connection';
import { createModels } from '../../src/db/models';
import { createServices } from '../../src/services';
import { recordSeals } from './privacy-record';

async function main() {
  recordSeals(); // for the privacy scan (test/support/privacy-scan.ts)
  const [uri, dbName, wishId, prefix, countArg] = process.argv.slice(2);
  const conn = await connectDatabase({ uri: uri!, dbName });
  const services = createServices({ conn, models: createModels(conn), clock: () => new Date() });
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.destroy(); // an open stdin would keep this process alive after its work
  const results = await Promise.allSettled(
    Array.from({ length: Number(countArg) }, (_, i) => {
      const donorId = `${prefix}-${i}`;
      return services.wishes.execute(wishId!, { type: 'claim', donor: { donorId } }, { kind: 'donor', id: donorId });
    }),
  );
  const outcome = results.map((r) => (r.status === 'fulfilled' ? 'won' : ((r.reason as { code?: string }).code ?? String(r.reason))));
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  await conn.close();
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err));
  process.exit(1);
});
