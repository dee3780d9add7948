// A separate Node process that signs members up for one slot when told "go" on stdin, so a test can
// race two processes against one database. Prints its outcomes as JSON.
import { connectDatabase } from '../../src/db/connection';
import { createModels } from '../../src/db/models';
import { createTeamStore } from '../../src/db/team-store';
import { createTeamService } from '../../src/domain/teams/service';

async function main() {
  const [uri, dbName, slotId, firstArg, countArg] = process.argv.slice(2);
  const conn = await connectDatabase({ uri: uri!, dbName });
  const teams = createTeamService({ store: createTeamStore(createModels(conn)), clock: () => new Date(), areasOf: async () => [] });
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.destroy(); // an open stdin would keep this process alive after its work
  const first = Number(firstArg);
  const results = await Promise.allSettled(Array.from({ length: Number(countArg) }, (_, i) => teams.signUp(slotId!, { telegramId: first + i, name: `Member ${first + i}` })));
  const outcome = results.map((r) => (r.status === 'fulfilled' ? r.value.outcome : ((r.reason as { code?: string }).code ?? String(r.reason))));
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  await conn.close();
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err));
  process.exit(1);
});
