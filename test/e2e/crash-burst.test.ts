import { Runtime } from '../../src/runtime';
import { FakeTelegram, groupChat, RecordedCall, startFakeTelegram } from '../fake-telegram';
import { donorUser, users, testRuntime } from '../support/bot-harness';
import { useTestDatabase } from '../support/db';
import { draftFor } from '../support/fixtures';
import { killChildren, spawnTs, watchOutput } from '../support/processes';

afterAll(killChildren);

const PRESSES = 300;
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

  async function startBot(name: string) {
    const child = spawnTs('test/support/bot-process.ts', [db.uri, db.dbName, fake.apiRoot, fake.token, name, 'polling'], {
      ...process.env,
      TURN_LIFETIME_MS: '3000',
      RELAY_CATCH_UP_SECONDS: String(CATCH_UP_SECONDS),
    });
    const out = watchOutput(child);
    const polled = fake.waitForPoll(60_000);
    await out.waitForLine((l) => l === 'ready');
    await polled;
    return { child, out };
  }

  it('loses no press and answers none twice: each is answered or handled on redelivery, and every donor gets their next steps', async () => {
    const group = groupChat(-100_300, 'Burst Street');
    const admin = { kind: 'admin' as const, id: 'test' };
    const community = await rt.services.communities.create({ name: 'Burst Street' }, admin);
    await rt.groups.link(group.id, group.title!, community.id, users.admin.id, new Date());

    const first = await startBot('first');
    const { state: wish } = await rt.services.wishes.create(draftFor(community.id, { title: 'Community kitchen', category: 'cash', target: 100_000 }), admin, { publish: true });
    const card = await fake.waitForCall((c) => c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === group.id && String(c.params.text).includes(wish.code), 30_000);
    const message = card.result as { chat: { id: number }; message_id: number };

    const donors = Array.from({ length: PRESSES }, (_, i) => donorUser(3000 + i));
    for (const d of donors) fake.startUser(d.id);
    const ids = donors.map((d) => {
      const update = fake.callbackUpdate(d, message, `p:${wish.id}:1`) as unknown as { callback_query: { id: string } };
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

    const second = await startBot('second');
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

      // None lost: every press that was answered as a pledge is a pledge, one per donor.
      const state = await rt.services.wishes.get(wish.id);
      const byDonor = new Map<string, number>();
      for (const p of state.pledges) byDonor.set(p.donorId, (byDonor.get(p.donorId) ?? 0) + 1);
      expect([...byDonor.values()].every((n) => n === 1)).toBe(true);
      const acknowledged = donors.filter((d, i) => !/try again|went wrong/i.test(String(accepted.get(ids[i]!)![0]!.params.text ?? '')));
      expect(acknowledged).toHaveLength(PRESSES);
      for (const d of acknowledged) expect(byDonor.get(`tg:${d.id}`)).toBe(1);

      // Every donor's next steps are sent, those the killed process owed included (its relay sweep catches up).
      await fake.waitForCalls((c) => c.ok && c.method === 'sendMessage' && donors.some((d) => d.id === Number(c.params.chat_id)) && String(c.params.text).includes(wish.code), PRESSES, 240_000);
      const sentTo = new Set(fake.calls.filter((c) => c.ok && c.method === 'sendMessage' && String(c.params.text).includes(wish.code)).map((c) => Number(c.params.chat_id)));
      for (const d of donors) expect(sentTo.has(d.id)).toBe(true);
      const allSentMs = Date.now() - secondReadyAt;
      process.stderr.write(
        `[crash-burst] first process answered ${answeredByFirst} of ${PRESSES} before SIGKILL; ${answeredTwiceAttempted} presses got a second answer attempt (refused by the fake); every next-steps message sent ${allSentMs} ms after the second process was ready\n`,
      );
      expect(await db.models.WishEvent.collection.countDocuments({ wishId: wish.id, relayedAt: { $exists: false } })).toBe(0);
    } finally {
      second.child.kill('SIGTERM');
      await second.out.exited;
    }
  }, 600_000);
});
