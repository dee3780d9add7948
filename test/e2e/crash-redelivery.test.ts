import { Runtime } from '../../src/runtime';
import { FakeTelegram, groupChat, RecordedCall, startFakeTelegram } from '../fake-telegram';
import { donorUser, users, testRuntime } from '../support/bot-harness';
import { useTestDatabase } from '../support/db';
import { draftFor } from '../support/fixtures';
import { killChildren, spawnTs, watchOutput } from '../support/processes';

afterAll(killChildren);

const resultMessage = (c: RecordedCall) => c.result as { chat: { id: number }; message_id: number; text: string };

describe('a bot process killed while it handles a Claim press', () => {
  const db = useTestDatabase();
  let fake: FakeTelegram;
  let rt: Runtime;

  beforeAll(async () => {
    fake = await startFakeTelegram();
    // This process only writes to the database (community, group, wish; the relay's outbox items);
    // the bot and the sender run in the child processes.
    rt = await testRuntime(db, fake, { botInfo: fake.botInfo, instanceId: 'test' });
  });
  afterAll(async () => {
    await fake?.close();
  });

  /** A polling bot process on this test's database and fake; resolves once it polls. */
  async function startBot(name: string) {
    const child = spawnTs('test/support/bot-process.ts', [db.uri, db.dbName, fake.apiRoot, fake.token, name, 'polling'], {
      ...process.env,
      // A killed instance keeps the donor's turn until it lapses: short, so the test does not wait long.
      TURN_LIFETIME_MS: '3000',
    });
    const out = watchOutput(child);
    const polled = fake.waitForPoll(60_000);
    await out.waitForLine((l) => l === 'ready');
    await polled;
    return { child, out };
  }

  it('loses nothing: a new process handles the redelivered press, answers it, and the wish has one pledge', async () => {
    const group = groupChat(-100_313, 'Crash Street');
    const donor = donorUser(313);
    const admin = { kind: 'admin' as const, id: 'test' };
    const community = await rt.services.communities.create({ name: 'Crash Street' }, admin);
    await rt.groups.link(group.id, group.title!, community.id, users.admin.id, new Date());

    const first = await startBot('first');
    const { state: wish } = await rt.services.wishes.create(draftFor(community.id, { title: 'Winter coat', category: 'goods', target: 1 }), admin, { publish: true });
    // The first process's sender posts the card.
    const card = await fake.waitForCall(
      (c) => c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === group.id && String(c.params.text).includes(wish.code),
      30_000,
    );

    // The press is handled up to its answer, which the "network" holds: the process is provably mid-update.
    const press = fake.callbackUpdate(donor, resultMessage(card), `c:${wish.id}`) as unknown as { callback_query: { id: string } };
    const isThisPress = (p: Record<string, unknown>) => p.callback_query_id === press.callback_query.id;
    const hold = fake.hold('answerCallbackQuery', isThisPress);
    fake.pushUpdate(press as never);
    const inFlight = await hold.next(30_000);
    first.child.kill('SIGKILL');
    await first.out.exited;
    await inFlight.gone;
    hold.release();
    expect((await rt.services.wishes.get(wish.id)).pledges).toHaveLength(1); // the claim was committed before the kill

    // Telegram never saw the offset confirmed, so it redelivers the press to the next process.
    const second = await startBot('second');
    const answer = await fake.waitForCall((c) => c.method === 'answerCallbackQuery' && isThisPress(c.params), 30_000);
    expect(answer.ok).toBe(true);
    // The claim it finds is the presser's own: answered as what it is, theirs, not as an error.
    expect(String(answer.params.text)).toMatch(/You claimed W-\d+|is yours/);
    const state = await rt.services.wishes.get(wish.id);
    expect(state.pledges).toHaveLength(1);
    expect(state.pledges[0]!.donorId).toBe(`tg:${donor.id}`);

    second.child.kill('SIGTERM');
    await second.out.exited;
  });
});
