import type { WishState } from '../../src/domain/wish/types';
import { Runtime } from '../../src/runtime';
import { FakeTelegram, groupChat, RecordedCall, startFakeTelegram } from '../fake-telegram';
import { donorUser, users, testRuntime } from '../support/bot-harness';
import { useTestDatabase } from '../support/db';
import { draftFor } from '../support/fixtures';
import { killChildren, spawnTs, watchOutput } from '../support/processes';

afterAll(killChildren);

const PRESSES = 300;
const WISHES = 10;
/** The relay's catch-up bound the bot processes run with (RELAY_CATCH_UP_SECONDS). */
const CATCH_UP_SECONDS = 15;

describe('a bot process SIGKILLed during a burst of 300 presses', () => {
  const db = useTestDatabase();
  let fake: FakeTelegram;
  let rt: Runtime;

  beforeAll(async () => {
    fake = await startFakeTelegram();
    // This process only sets up (community, group, wish); the bots and their senders run in child processes.
    rt = await testRuntime(db, fake, { botInfo: fake.botInfo, instanceId: 'burst-test' });
  });
  afterAll(async () => {
    await fake?.close();
  });

  /** A polling bot process; resolves once it polls (the second one may have redelivered presses to handle first: then once it says ready). */
  async function startBot(name: string, opts: { awaitLongPoll: boolean }) {
    const child = spawnTs('test/support/bot-process.ts', [db.uri, db.dbName, fake.apiRoot, fake.token, name, 'polling'], {
      ...process.env,
      TURN_LIFETIME_MS: '3000',
      RELAY_CATCH_UP_SECONDS: String(CATCH_UP_SECONDS),
    });
    const out = watchOutput(child);
    const polled = opts.awaitLongPoll ? fake.waitForPoll(60_000) : undefined;
    await out.waitForLine((l) => l === 'ready');
    await polled;
    return { child, out };
  }

  it('loses no press and answers none twice: each is answered or handled on redelivery, and every donor gets their next steps', async () => {
    const group = groupChat(-100_300, 'Burst Street');
    const admin = { kind: 'admin' as const, id: 'test' };
    const community = await rt.services.communities.create({ name: 'Burst Street' }, admin);
    await rt.groups.link(group.id, group.title!, community.id, users.admin.id, new Date());

    const first = await startBot('first', { awaitLongPoll: true });
    // Ten cash wishes, thirty presses each: a burst across cards, not one hot wish's contention.
    const wishes: WishState[] = [];
    for (let w = 0; w < WISHES; w++) {
      const { state } = await rt.services.wishes.create(draftFor(community.id, { title: `Community kitchen ${w}`, category: 'cash', target: 100_000 }), admin, { publish: true });
      wishes.push(state);
    }
    const cards = await Promise.all(
      wishes.map((wish) => fake.waitForCall((c) => c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === group.id && String(c.params.text).includes(`${wish.code} `), 60_000)),
    );

    const donors = Array.from({ length: PRESSES }, (_, i) => donorUser(3000 + i));
    for (const d of donors) fake.startUser(d.id);
    const wishOf = (i: number) => wishes[i % WISHES]!;
    const ids = donors.map((d, i) => {
      const update = fake.callbackUpdate(d, cards[i % WISHES]!.result as { chat: { id: number }; message_id: number }, `p:${wishOf(i).id}:1`) as unknown as { callback_query: { id: string } };
      fake.pushUpdate(update);
      return update.callback_query.id;
    });
    const pressIds = new Set(ids);
    const isPressAnswer = (c: RecordedCall) => c.method === 'answerCallbackQuery' && pressIds.has(String(c.params.callback_query_id));

    // Killed part way through the burst.
    await fake.waitForCalls((c) => c.ok && isPressAnswer(c), 60, 120_000);
    first.child.kill('SIGKILL');
    await first.out.exited;
    const answeredByFirst = new Set(fake.calls.filter((c) => c.ok && isPressAnswer(c)).map((c) => String(c.params.callback_query_id))).size;

    const second = await startBot('second', { awaitLongPoll: false });
    const secondReadyAt = Date.now();
    try {
      // Every press answered, by one process or the other.
      await fake.waitForCalls((c) => c.ok && isPressAnswer(c), PRESSES, 240_000);
      const answers = fake.calls.filter(isPressAnswer);
      const accepted = new Map<string, RecordedCall[]>();
      const attempts = new Map<string, number>();
      for (const c of answers) {
        const id = String(c.params.callback_query_id);
        attempts.set(id, (attempts.get(id) ?? 0) + 1);
        if (c.ok) accepted.set(id, [...(accepted.get(id) ?? []), c]);
      }
      for (const id of ids) expect(accepted.get(id)).toHaveLength(1);
      const answeredTwiceAttempted = [...attempts.values()].filter((n) => n > 1).length;

      // None lost: every press answered as a pledge is a pledge, one per donor and wish; a refusal can only be "busy, try again".
      const textOf = (i: number) => String(accepted.get(ids[i]!)![0]!.params.text ?? '');
      const acknowledged = donors.map((d, i) => ({ d, i })).filter(({ i }) => !/try again/i.test(textOf(i)));
      const refused = PRESSES - acknowledged.length;
      for (let i = 0; i < PRESSES; i++) expect(textOf(i)).not.toMatch(/went wrong/i);
      const pledgesOf = new Map<string, string[]>();
      for (const wish of wishes) pledgesOf.set(wish.id, (await rt.services.wishes.get(wish.id)).pledges.map((p) => p.donorId));
      for (const donorIds of pledgesOf.values()) expect(new Set(donorIds).size).toBe(donorIds.length);
      for (const { d, i } of acknowledged) expect(pledgesOf.get(wishOf(i).id)).toContain(`tg:${d.id}`);
      const pledgedDonors = new Set([...pledgesOf.values()].flat());

      // Every pledging donor gets their next steps, those the killed process owed included (its relay sweep catches up).
      const isNextSteps = (c: RecordedCall) => c.ok && c.method === 'sendMessage' && pledgedDonors.has(`tg:${Number(c.params.chat_id)}`) && wishes.some((w) => String(c.params.text).includes(w.code));
      const sentTo = () => new Set(fake.calls.filter(isNextSteps).map((c) => `tg:${Number(c.params.chat_id)}`));
      const deadline = Date.now() + 240_000;
      // Reacting to the fake's calls until every pledging donor has had theirs.
      while (sentTo().size < pledgedDonors.size && Date.now() < deadline) {
        const seen = fake.calls.length;
        await fake.waitForCall((c) => c.seq > seen, 5_000).catch(() => undefined);
      }
      expect(sentTo()).toEqual(pledgedDonors);
      const perDonor = new Map<number, number>();
      for (const c of fake.calls.filter(isNextSteps)) perDonor.set(Number(c.params.chat_id), (perDonor.get(Number(c.params.chat_id)) ?? 0) + 1);
      const sentTwice = [...perDonor.values()].filter((n) => n > 1).length;
      const allSentMs = Date.now() - secondReadyAt;
      process.stderr.write(
        `[crash-burst] first process answered ${answeredByFirst} of ${PRESSES} before SIGKILL; ${refused} answered "busy, try again"; ${answeredTwiceAttempted} presses got a second answer attempt (refused by the fake); ${sentTwice} donors got their next steps twice (at least once); ${pledgedDonors.size} donors' next steps all sent ${allSentMs} ms after the second process was ready\n`,
      );
      for (const wish of wishes) expect(await db.models.WishEvent.collection.countDocuments({ wishId: wish.id, relayedAt: { $exists: false } })).toBe(0);

      // How long each pledge waited, from its commit (or the restart, for those the killed process left) to its relay and to its message.
      const events = await db.models.WishEvent.collection.find({ wishId: { $in: wishes.map((w) => w.id) }, type: 'pledged' }).toArray();
      const firstSend = new Map<string, number>();
      for (const c of fake.calls.filter(isNextSteps)) if (!firstSend.has(`tg:${Number(c.params.chat_id)}`)) firstSend.set(`tg:${Number(c.params.chat_id)}`, c.at);
      let relayLagMs = 0;
      let sendLagMs = 0;
      let leftRelayLagMs = 0;
      let left = 0;
      for (const e of events) {
        const at = (e.at as Date).getTime();
        const from = Math.max(at, secondReadyAt);
        relayLagMs = Math.max(relayLagMs, (e.relayedAt as Date).getTime() - from);
        sendLagMs = Math.max(sendLagMs, firstSend.get(String(e.donorId))! - from);
        if (at < secondReadyAt) {
          left++;
          leftRelayLagMs = Math.max(leftRelayLagMs, (e.relayedAt as Date).getTime() - from);
        }
      }
      process.stderr.write(
        `[crash-burst] slowest relay ${relayLagMs} ms (of the ${left} pledges committed before the restart: ${leftRelayLagMs} ms), slowest next-steps message ${sendLagMs} ms after its commit or the restart (relay bound ${CATCH_UP_SECONDS} s)\n`,
      );
      // Reported, not asserted: how long the sweep takes depends on how busy the machine is (a loaded CI run
      // saw 31 s against a 15 s bound). What must hold, that every event was relayed and every donor told, is above.
    } finally {
      if (process.env.BURST_DEBUG) process.stderr.write(second.out.output().split('\n').filter((l) => l.includes('relay-sweep')).join('\n') + '\n');
      second.child.kill('SIGTERM');
      await second.out.exited;
    }
  }, 600_000);
});
