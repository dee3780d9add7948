import { testLogger } from '../support/privacy-record';
import { sweepRelay } from '../../src/jobs/maintenance';
import { createScheduler } from '../../src/jobs/schedule';
import { Runtime } from '../../src/runtime';
import { FakeTelegram, groupChat, startFakeTelegram } from '../fake-telegram';
import { testRuntime, users } from '../support/bot-harness';
import { useTestDatabase } from '../support/db';
import { admin, draftFor, testJobsConfig } from '../support/fixtures';
import { killChildren, spawnTs, watchOutput } from '../support/processes';

afterAll(killChildren);

const jobsConfig = (relayCatchUpSeconds: number) => testJobsConfig({ relayCatchUpSeconds });

describe('the relay catches up', () => {
  const db = useTestDatabase();
  let fake: FakeTelegram;
  let rt: Runtime;

  beforeAll(async () => {
    fake = await startFakeTelegram();
    rt = await testRuntime(db, fake, { botInfo: fake.botInfo, instanceId: 'relay-test', sender: { slotMs: 1000 } });
  });
  afterAll(async () => {
    await rt?.sender.stop();
    await fake?.close();
  });

  it('a wish committed without its snapshot (and unrelayed) shows in lists filtered by status once the sweep has run', async () => {
    const community = await rt.services.communities.create({ name: 'Snapshot Street' }, admin);
    const { state } = await rt.services.wishes.create(draftFor(community.id, { title: 'Lost snapshot' }), admin, { publish: true });
    await rt.later.idle();
    // As after an outage: the events are committed, but neither the snapshot write nor the relay got through.
    await db.models.Wish.collection.deleteOne({ _id: state.id as never });
    await db.models.OpenWish.collection.deleteOne({ _id: state.id as never });
    await db.models.WishEvent.collection.updateMany({ wishId: state.id }, { $unset: { relayedAt: '' } });
    const events = await rt.services.wishes.history(state.id);
    await db.models.RelayMarker.collection.insertMany(events.map((e) => ({ _id: e.id as never, wishId: e.wishId, at: e.at })));
    const listed = async () => (await rt.services.wishes.list({ status: ['open'], communityIds: [community.id] })).map((w) => w.id);
    expect(await listed()).not.toContain(state.id);

    // The sweep, as it runs once this wish's events are older than its grace.
    expect((await sweepRelay({ log: rt.relayLog, onEvent: rt.notifier.onEvent, graceMs: 0 }, new Date(Date.now() + 1_000))).relayed).toBeGreaterThan(0);
    expect(await listed()).toContain(state.id);
    expect((await rt.services.wishes.list({ status: ['open'], communityIds: [community.id] })).find((w) => w.id === state.id)?.version).toBe(state.version);
  });

  it('after a process died between commit and relay, a fresh runtime relays every event and sends every owed message within RELAY_CATCH_UP_SECONDS', async () => {
    const catchUpSeconds = 15;
    const group = groupChat(-100_515, 'Catch-up Street');
    const community = await rt.services.communities.create({ name: 'Catch-up Street' }, admin);
    await rt.groups.link(group.id, group.title!, community.id, users.admin.id, new Date());
    const { state: wish } = await rt.services.wishes.create(draftFor(community.id, { title: 'Warm meals', category: 'cash', target: 1000 }), admin, { publish: true });
    const donors = Array.from({ length: 12 }, (_, i) => 91_000 + i);
    for (const id of donors) fake.startUser(id);

    const child = spawnTs('test/support/commit-process.ts', [db.uri, db.dbName, wish.id, String(donors[0]), String(donors.length)]);
    const out = watchOutput(child);
    await out.waitForLine((l) => l.startsWith('committed'));
    child.kill('SIGKILL');
    await out.exited;
    const pledged = await rt.services.wishes.get(wish.id);
    expect(pledged.pledges).toHaveLength(donors.length);
    const unrelayed = await db.models.WishEvent.collection.countDocuments({ wishId: wish.id, relayedAt: { $exists: false } });
    expect(unrelayed).toBe(donors.length);

    // The fresh runtime: its sender and its relay sweep, on the configured bound.
    const startedAt = Date.now();
    const scheduler = createScheduler({ jobs: rt.jobs(jobsConfig(catchUpSeconds)).list.filter((j) => j.name === 'relay-sweep'), timeZone: 'UTC', leases: rt.leases, instanceId: 'relay-test', logger: testLogger() });
    scheduler.start();
    rt.sender.start();
    try {
      const nextSteps = await fake.waitForCalls(
        (c) => c.ok && c.method === 'sendMessage' && donors.includes(Number(c.params.chat_id)) && String(c.params.text).includes(wish.code),
        donors.length,
        catchUpSeconds * 1000 * 3,
      );
      const tookMs = Date.now() - startedAt;
      process.stderr.write(`[relay-catch-up] ${donors.length} owed next-steps messages sent ${tookMs} ms after the fresh runtime started (bound ${catchUpSeconds} s)\n`);
      expect(new Set(nextSteps.map((c) => Number(c.params.chat_id)))).toEqual(new Set(donors));
      expect(tookMs).toBeLessThanOrEqual(catchUpSeconds * 1000 * 1.5);
      // The sweep marks an event relayed just after its messages are in the outbox, and the sender may
      // be quicker than that mark: once the sweep has stopped (its tick finished), every event is marked.
      await scheduler.stop();
      expect(await db.models.WishEvent.collection.countDocuments({ wishId: wish.id, relayedAt: { $exists: false } })).toBe(0);
    } finally {
      await scheduler.stop();
      await rt.sender.stop();
    }
  }, 120_000);
});
