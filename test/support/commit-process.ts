// A process that commits wish events and dies before relaying them: its services have no relay
// (as if every process died between the commit and the relay). Pledges `count` donors (Telegram ids
// <first id> ...) one unit each on a cash wish, prints `committed <n>`, then waits to be SIGKILLed.
//   tsx test/support/commit-process.ts <mongodb uri> <db name> <wish id> <first telegram id> <count>
import { connectDatabase } from '../../src/db/connection';
import { createModels } from '../../src/db/models';
import { createServices } from '../../src/services';
import { recordSeals } from './privacy-record';

async function main() {
  recordSeals(); // for the privacy scan (test/support/privacy-scan.ts)
  const [uri, dbName, wishId, firstArg, countArg] = process.argv.slice(2);
  const conn = await connectDatabase({ uri: uri!, dbName });
  const services = createServices({ conn, models: createModels(conn), clock: () => new Date() });
  const first = Number(firstArg);
  let committed = 0;
  for (let i = 0; i < Number(countArg); i++) {
    const donorId = `tg:${first + i}`;
    await services.wishes.execute(wishId!, { type: 'pledge', donor: { donorId, displayName: `Donor ${first + i}` }, amount: 1 }, { kind: 'donor', id: donorId });
    committed++;
  }
  process.stdout.write(`committed ${committed}\n`);
  // Killed here, never having relayed anything.
  await new Promise(() => undefined);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
