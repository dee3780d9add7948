import { useTestDatabase } from '../support/db';
import { buildServices, manualClock, publishedWish } from '../support/fixtures';
import { killChildren, spawnTs, watchOutput } from '../support/processes';

afterAll(killChildren);

describe('claims from two separate Node processes', () => {
  const db = useTestDatabase();

  it('when two processes race 25 claims each on one goods wish, exactly one pledge stands', async () => {
    const clock = manualClock(new Date());
    const { wish } = await publishedWish(buildServices(db, clock), clock, { category: 'goods', target: 1 });

    const workers = ['a', 'b'].map((prefix) => {
      const child = spawnTs('test/support/claim-process.ts', [db.uri, db.dbName, wish.id, prefix, '25']);
      return { child, out: watchOutput(child) };
    });
    await Promise.all(workers.map((w) => w.out.waitForLine((l) => l === 'ready')));
    for (const w of workers) w.child.stdin!.end('go\n');
    const lines = await Promise.all(workers.map((w) => w.out.waitForLine((l) => l.startsWith('['))));
    await Promise.all(workers.map((w) => w.out.exited));

    const outcomes = lines.flatMap((l) => JSON.parse(l) as string[]);
    expect(outcomes).toHaveLength(50);
    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'won')).toEqual(Array(49).fill('already_taken'));

    const pledged = await db.models.WishEvent.countDocuments({ wishId: wish.id, type: 'pledged' });
    expect(pledged).toBe(1);
  });
});
