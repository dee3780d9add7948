import { testLogger } from '../support/privacy-record';
import { actorFor } from '../../src/domain/people';
import { WishState } from '../../src/domain/wish/types';
import { JobsConfig } from '../../src/config';
import { alertStaleWishes, expireWishes, postDigests, releaseAbandoned, remindPledges } from '../../src/jobs/jobs';
import { housekeeping, sweepRelay } from '../../src/jobs/maintenance';
import { notBeforeQuiet } from '../../src/jobs/quiet-hours';
import { createScheduler, runTickOnce } from '../../src/jobs/schedule';
import { createRuntime, Runtime } from '../../src/runtime';
import { useTestDatabase } from '../support/db';
import { DAY, manualClock } from '../support/fixtures';

const HOUR = 3_600_000;
const config: JobsConfig = {
  cron: { expire: '* * * * *', pledgeReminders: '* * * * *', releaseAbandoned: '* * * * *', staleAlerts: '* * * * *', digest: '* * * * *', housekeeping: '* * * * *', relaySweep: '* * * * *' },
  reminderAfterDays: 3,
  reminderIntervalDays: 3,
  releaseAfterDays: 10,
  staleAfterDays: 5,
  deadlineWarningDays: 3,
  digestSize: 5,
  quietHours: { from: 21, to: 8 },
  keepDays: 14,
};

describe('scheduled jobs, with a controlled clock, on the real database', () => {
  const db = useTestDatabase();
  // 10:00 in Shanghai, so reminders are outside quiet hours unless a test moves the clock.
  const clock = manualClock(new Date('2026-11-23T02:00:00Z'));
  let rt: Runtime;
  const worker = { telegramId: 2002, name: 'Wang', workerOf: [] as string[], residentOf: [] as string[] };
  const donorTg = 50_001;
  const groupId = -100_300;
  let communityId: string;

  beforeAll(async () => {
    rt = await createRuntime({
      conn: db.conn,
      models: db.models,
      clock,
      logger: testLogger(),
      bot: { token: '1:x', apiRoot: 'http://127.0.0.1:9', adminIds: [] },
      defaultLanguage: 'en',
      timeZone: 'Asia/Shanghai',
      instanceId: 'jobs-test',
    });
    const community = await rt.services.communities.create({ name: 'Jobs Lane' }, { kind: 'admin', id: 't' });
    communityId = community.id;
    worker.workerOf = [communityId];
    await rt.people.seen({ telegramId: worker.telegramId, name: worker.name }, clock(), { started: true });
    await rt.people.addWorkerCommunities(worker.telegramId, [communityId], clock());
    await rt.people.seen({ telegramId: donorTg, name: 'Dora' }, clock(), { started: true });
    await rt.groups.link(groupId, 'Jobs Lane group', communityId, worker.telegramId, clock());
  });

  const deps = () => rt.jobs(config).deps;
  // A commit's snapshot write and relay run after it returns (as after a press's answer): wait for them.
  const outboxKinds = async (wishId?: string) =>
    (await rt.later.idle(), await rt.notifyModels.Outbox.find({}).lean<Array<{ _id: string; kind: string; chatId: number; notBefore: Date }>>()).filter((x) => !wishId || x._id.includes(wishId));

  async function wish(over: { category?: 'goods' | 'cash'; deadlineDays?: number; urgency?: 'normal' | 'urgent'; title?: string } = {}): Promise<WishState> {
    const { state } = await rt.services.wishes.create(
      {
        communityId,
        title: over.title ?? 'Walking frame',
        description: 'For getting to the shops safely.',
        category: over.category ?? 'goods',
        target: over.category === 'cash' ? 300 : 1,
        deadline: new Date(clock().getTime() + (over.deadlineDays ?? 30) * DAY),
        urgency: over.urgency ?? 'normal',
        beneficiary: { alias: 'resident, Building 2' },
      },
      actorFor(worker, []),
      { publish: true },
    );
    await rt.later.idle();
    return state;
  }
  const claim = async (w: WishState) => {
    const { state, event } = await rt.services.wishes.execute(w.id, { type: 'claim', donor: { donorId: `tg:${donorTg}`, displayName: 'Dora' } }, { kind: 'donor', id: `tg:${donorTg}` });
    await rt.later.idle();
    return { state, event: event! };
  };

  it('expires past-deadline wishes and tells the pledger', async () => {
    const w = await wish({ deadlineDays: 2 });
    await claim(w);
    expect((await expireWishes(deps(), clock())).expired).not.toContain(w.code);
    clock.advance(3 * DAY);
    expect((await expireWishes(deps(), clock())).expired).toContain(w.code);
    expect((await rt.services.wishes.get(w.id)).status).toBe('expired');
    const kinds = (await outboxKinds(w.id)).map((x) => x.kind);
    expect(kinds).toContain('donor_expired');
    expect(kinds).toContain('card');
    // A second run finds nothing more to do.
    expect((await expireWishes(deps(), clock())).expired).not.toContain(w.code);
  });

  it('a closed wish left among the open ones by a save that landed late is dropped by the next job run, which does not act on it', async () => {
    const w = await wish({ deadlineDays: 2 });
    const published = await db.models.OpenWish.collection.findOne({ _id: w.id as never });
    expect(published).toMatchObject({ status: 'open' });
    await rt.services.wishes.cancel(w.id, actorFor(worker, []));
    expect(await db.models.OpenWish.collection.findOne({ _id: w.id as never })).toBeNull();
    // The save of the published state, racing the cancellation's, landed last in open_wishes.
    await db.models.OpenWish.collection.insertOne(published!);
    clock.advance(3 * DAY);
    expect((await expireWishes(deps(), clock())).expired).not.toContain(w.code);
    expect(await db.models.OpenWish.collection.findOne({ _id: w.id as never })).toBeNull();
    expect((await rt.services.wishes.get(w.id)).status).toBe('cancelled');
    expect((await outboxKinds(w.id)).map((x) => x.kind)).not.toContain('donor_expired');
  });

  it('goes through every wish a page at a time, oldest deadline first, however many there are', async () => {
    const order = [5, 2, 7, 1, 4, 6, 3];
    const made = [];
    for (const days of order) made.push(await wish({ deadlineDays: days, title: `Paged ${days}` }));
    clock.advance(8 * DAY);
    const { expired } = await expireWishes({ ...deps(), pageSize: 2 }, clock());
    const mine = made.map((w) => w.code);
    const byDeadline = [...made].sort((a, b) => a.deadline.getTime() - b.deadline.getTime()).map((w) => w.code);
    expect(expired.filter((c) => mine.includes(c))).toEqual(byDeadline);
  });

  it('expiry leaves a delivered pledge confirmable, and then the wish is fulfilled', async () => {
    const w = await wish({ deadlineDays: 2 });
    const { event } = await claim(w);
    await rt.services.wishes.execute(w.id, { type: 'deliver', pledgeId: event.id }, { kind: 'donor', id: `tg:${donorTg}` });
    clock.advance(3 * DAY);
    expect((await expireWishes(deps(), clock())).expired).toContain(w.code);
    // The donor who delivered is not told the wish closed without them: they hear when it is confirmed.
    expect((await outboxKinds(w.id)).map((x) => x.kind)).not.toContain('donor_expired');
    const { state } = await rt.services.wishes.confirm(w.id, event.id, actorFor(worker, []));
    expect(state.status).toBe('fulfilled');
    expect((await outboxKinds(w.id)).map((x) => x.kind)).toContain('donor_fulfilled');
  });

  it('speaks to each reader in their language, dates included', async () => {
    const zhDonor = 50_077;
    await rt.people.seen({ telegramId: zhDonor, name: '李', telegramLanguage: 'zh-hans' }, clock(), { started: true });
    const w = await wish({ title: 'Walking stick', deadlineDays: 20 });
    await rt.services.wishes.execute(w.id, { type: 'claim', donor: { donorId: `tg:${zhDonor}` } }, { kind: 'donor', id: `tg:${zhDonor}` });
    clock.advance(3 * DAY + HOUR);
    await remindPledges(deps(), clock());
    const reminder = await rt.notifyModels.Outbox.findOne({ kind: 'reminder', chatId: zhDonor }).lean<{ payload: { message: { text: string } } }>();
    expect(reminder?.payload.message.text).toMatch(/温馨提醒.*截止日期是 \d+月\d+日/s);
  });

  it('reminds an undelivered pledge at most once per interval, and "still on it" restarts the clock', async () => {
    const w = await wish();
    const { event } = await claim(w);
    const reminders = async () => (await outboxKinds(event.id)).filter((x) => x.kind === 'reminder');
    clock.advance(2 * DAY);
    await remindPledges(deps(), clock());
    expect(await reminders()).toHaveLength(0);
    clock.advance(1 * DAY + HOUR);
    await remindPledges(deps(), clock());
    await remindPledges(deps(), clock());
    expect(await reminders()).toHaveLength(1);
    clock.advance(1 * DAY);
    await remindPledges(deps(), clock());
    expect(await reminders()).toHaveLength(1);
    clock.advance(2 * DAY);
    await remindPledges(deps(), clock());
    expect(await reminders()).toHaveLength(2);
    await rt.reminderAnswers.record(event.id, clock());
    clock.advance(2 * DAY);
    await remindPledges(deps(), clock());
    expect(await reminders()).toHaveLength(2);
  });

  it('holds reminders during quiet hours until morning', async () => {
    const late = new Date('2026-12-01T15:30:00Z'); // 23:30 in Shanghai
    expect(notBeforeQuiet(late, config.quietHours, 'Asia/Shanghai').toISOString()).toBe('2026-12-02T00:00:00.000Z'); // 08:00 local
    const noon = new Date('2026-12-01T04:00:00Z');
    expect(notBeforeQuiet(noon, config.quietHours, 'Asia/Shanghai')).toEqual(noon);
  });

  it('ends quiet hours at 08:00 local even when the clocks change overnight', () => {
    // London springs forward on 29 March 2026: 08:00 that morning is 07:00 UTC.
    expect(notBeforeQuiet(new Date('2026-03-28T23:30:00Z'), config.quietHours, 'Europe/London').toISOString()).toBe('2026-03-29T07:00:00.000Z');
    // And falls back on 25 October: 23:30 BST the night before, 08:00 GMT the morning after.
    expect(notBeforeQuiet(new Date('2026-10-24T22:30:00Z'), config.quietHours, 'Europe/London').toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('releases a pledge with no delivery and no answer after N days, telling donor and worker', async () => {
    const w = await wish();
    const { event } = await claim(w);
    clock.advance(9 * DAY);
    expect((await releaseAbandoned(deps(), clock())).released).not.toContain(event.id);
    clock.advance(1 * DAY + HOUR);
    expect((await releaseAbandoned(deps(), clock())).released).toContain(event.id);
    const state = await rt.services.wishes.get(w.id);
    expect(state.pledges[0]!.status).toBe('released');
    expect(state.status).toBe('open');
    const kinds = (await outboxKinds(w.id)).map((x) => x.kind);
    expect(kinds).toEqual(expect.arrayContaining(['donor_released', 'worker_released', 'card']));
  });

  it('alerts the worker once about a wish nobody took, and about a near deadline', async () => {
    const w = await wish({ deadlineDays: 7 });
    clock.advance(4 * DAY);
    await alertStaleWishes(deps(), clock());
    let mine = (await outboxKinds(w.id)).filter((x) => x.chatId === worker.telegramId);
    expect(mine.map((x) => x.kind).sort()).toEqual(['deadline_near']);
    clock.advance(1 * DAY);
    await alertStaleWishes(deps(), clock());
    await alertStaleWishes(deps(), clock());
    mine = (await outboxKinds(w.id)).filter((x) => x.chatId === worker.telegramId);
    expect(mine.map((x) => x.kind).sort()).toEqual(['deadline_near', 'stale_no_pledge']);
  });

  it('alerts the community’s workers about a wish made over the API with no worker named', async () => {
    const { state: w } = await rt.services.wishes.create(
      { communityId, title: 'Bath seat', description: 'For bathing safely at home.', category: 'goods', target: 1, deadline: new Date(clock().getTime() + 2 * DAY), urgency: 'normal', beneficiary: { alias: 'resident, Building 9' } },
      { kind: 'admin', id: 'api:bootstrap' },
      { publish: true },
    );
    expect(w.workerTelegramId).toBeUndefined();
    await alertStaleWishes(deps(), clock());
    expect((await outboxKinds(w.id)).filter((x) => x.chatId === worker.telegramId).map((x) => x.kind)).toEqual(['deadline_near']);
  });

  it('posts one digest per group and period, urgent wishes first', async () => {
    await wish({ title: 'Rice cooker', deadlineDays: 20 });
    await wish({ title: 'Hearing aid batteries', deadlineDays: 25, urgency: 'urgent' });
    await postDigests(deps(), clock(), 'week-48');
    await postDigests(deps(), clock(), 'week-48');
    const digests = (await rt.notifyModels.Outbox.find({ kind: 'digest' }).lean<Array<{ payload: { message: { text: string } } }>>());
    expect(digests).toHaveLength(1);
    const text = digests[0]!.payload.message.text;
    // The urgent one first, whatever else the community has open.
    expect(text.split('\n')[1]).toContain('Hearing aid');
    await postDigests(deps(), clock(), 'week-49');
    expect(await rt.notifyModels.Outbox.countDocuments({ kind: 'digest' })).toBe(2);
  });

  it('relays events whose relay was lost in a crash, once', async () => {
    const w = await wish();
    const { event } = await claim(w);
    // As if the process died between committing the event and relaying it: its relay marker remains.
    await db.models.WishEvent.collection.updateOne({ _id: event.id as never }, { $unset: { relayedAt: '' } });
    await db.models.RelayMarker.collection.insertOne({ _id: event.id as never, wishId: event.wishId, at: event.at });
    await rt.notifyModels.Outbox.deleteMany({ _id: { $regex: `^${event.id}\\|` } });
    expect((await sweepRelay({ log: rt.relayLog, onEvent: rt.notifier.onEvent }, clock())).relayed).toBe(0); // within the grace period
    clock.advance(60_000);
    expect((await sweepRelay({ log: rt.relayLog, onEvent: rt.notifier.onEvent }, clock())).relayed).toBe(1);
    expect((await outboxKinds(event.id)).map((x) => x.kind)).toEqual(expect.arrayContaining(['card', 'next_steps']));
    expect((await sweepRelay({ log: rt.relayLog, onEvent: rt.notifier.onEvent }, clock())).relayed).toBe(0);
  });

  it('housekeeping removes old handled updates, delivered outbox items and old send fences, and nothing pending', async () => {
    await rt.botModels.ProcessedUpdate.collection.insertOne({ _id: 987654 as never, at: new Date(clock().getTime() - 30 * DAY) });
    await rt.outbox.enqueue([{ id: 'old|1|x', chatId: 1, kind: 'x', payload: { type: 'message', message: { text: 'hi' } } }], new Date(clock().getTime() - 30 * DAY));
    await rt.outbox.markSent('old|1|x', new Date(clock().getTime() - 30 * DAY));
    const fence = (itemId: string, daysAgo: number) => ({ itemId, generation: 0, holder: 'h', createdAt: new Date(clock().getTime() - daysAgo * DAY), until: new Date(clock().getTime() - daysAgo * DAY + 60_000) });
    expect(await rt.fences.tryTake(fence('old|1|x', 30))).toBe(true);
    expect(await rt.fences.tryTake(fence('recent|1|x', 1))).toBe(true);
    const pendingBefore = await rt.outbox.pendingCount();
    const removed = await housekeeping(
      { updates: { deleteBefore: (d) => rt.botModels.ProcessedUpdate.deleteMany({ at: { $lt: d } }).then((r) => r.deletedCount) }, outbox: rt.outbox, leases: rt.leases, fences: rt.fences, turns: rt.turns, keepDays: 14 },
      clock(),
    );
    expect(removed.updates).toBe(1);
    expect(removed.outbox).toBeGreaterThanOrEqual(1);
    expect(removed.fences).toBe(1);
    expect(await rt.fences.get('old|1|x', 0)).toBeNull();
    expect(await rt.fences.get('recent|1|x', 0)).toMatchObject({ holder: 'h' });
    expect(await rt.outbox.get('old|1|x')).toBeNull();
    expect(await rt.outbox.pendingCount()).toBe(pendingBefore);
  });

  it('runs a tick once when many instances race for it', async () => {
    let runs = 0;
    const job = { name: 'race', cron: '* * * * *', run: async () => void runs++ };
    const tick = new Date('2026-11-23T03:00:00Z');
    const logger = testLogger();
    const won = await Promise.all(Array.from({ length: 12 }, (_, i) => runTickOnce(job, tick, { leases: rt.leases, instanceId: `i${i}`, logger })));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
  });

  it('two schedulers on one database run each tick once', async () => {
    const ticks: string[] = [];
    let resolveThree!: () => void;
    const three = new Promise<void>((r) => (resolveThree = r));
    const job = {
      name: 'every-second',
      cron: '* * * * * *',
      run: async (tick: Date) => {
        ticks.push(tick.toISOString());
        if (new Set(ticks).size >= 3) resolveThree();
      },
    };
    const logger = testLogger();
    const a = createScheduler({ jobs: [job], timeZone: 'UTC', leases: rt.leases, instanceId: 'A', logger });
    const b = createScheduler({ jobs: [job], timeZone: 'UTC', leases: rt.leases, instanceId: 'B', logger });
    a.start();
    b.start();
    await three;
    await Promise.all([a.stop(), b.stop()]);
    expect(ticks.length).toBe(new Set(ticks).size);
    const holders = await rt.notifyModels.Lease.find({ _id: { $regex: '^job:every-second:' } }).lean();
    expect(holders).toHaveLength(ticks.length);
  });
});
