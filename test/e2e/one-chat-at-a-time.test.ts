import { Runtime } from '../../src/runtime';
import { FakeTelegram, privateChatOf, RecordedCall, startFakeTelegram, TgUser, Update } from '../fake-telegram';
import { Harness, startHarness, testRuntime } from '../support/bot-harness';
import { TestDatabase, useTestDatabase } from '../support/db';
import { killChildren, spawnTs, watchOutput } from '../support/processes';

afterAll(killChildren);

const TITLE = 'Reading glasses +2.5';
const DESCRIPTION = 'Her old pair broke; she cannot read her letters.';

/** A worker of one fresh community, who has started the bot. */
async function workerOf(rt: Runtime, id: number): Promise<TgUser> {
  const worker: TgUser = { id, first_name: `Worker${id}`, language_code: 'en' };
  const community = await rt.services.communities.create({ name: `Community of ${id}` }, { kind: 'admin', id: 'test' });
  await rt.people.seen({ telegramId: id, name: worker.first_name }, new Date(), { started: true });
  await rt.people.addWorkerCommunities(id, [community.id], new Date());
  return worker;
}

async function wizardOf(rt: Runtime, userId: number) {
  const doc = await rt.botModels.BotSession.findById(`u:${userId}`).lean<{ data?: { flow: string; step: string; draft: Record<string, unknown> } }>();
  return doc?.data;
}

const lastSeq = (fake: FakeTelegram) => fake.calls.at(-1)?.seq ?? 0;

describe('one chat at a time, in one process', () => {
  const db = useTestDatabase();
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(db);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('two answers to /newwish arriving in one getUpdates batch are both kept, in order (five people at once)', async () => {
    const workers = await Promise.all([1, 2, 3, 4, 5].map((n) => workerOf(h.runtime, 7_000 + n)));
    for (const w of workers) await h.say(w, privateChatOf(w), '/newwish', (t) => t.includes('1/8'));

    // Pushed back to back while the bot waits in its long poll: one getUpdates answer carries them all.
    await h.fake.waitForPoll();
    const after = lastSeq(h.fake);
    const pushed = workers.flatMap((w) => [TITLE, DESCRIPTION].map((text) => h.fake.pushUpdate(h.fake.textUpdate(w, privateChatOf(w), text))));
    const ids = new Set(workers.map((w) => w.id));
    const replies = await h.fake.waitForCalls((c) => c.seq > after && c.method === 'sendMessage' && ids.has(Number(c.params.chat_id)), 10, 30_000);

    // The bot polls again only once this batch is handled to the end (each step is saved after its reply).
    await h.fake.waitForPoll(30_000);
    const batch = h.fake.callsOf('getUpdates').find((c) => c.seq > after && ((c.result ?? []) as Update[]).length > 0);
    expect(((batch?.result ?? []) as Update[]).map((u) => u.update_id)).toEqual(pushed.map((u) => u.update_id));
    for (const w of workers) {
      const theirs = replies.filter((c) => Number(c.params.chat_id) === w.id).map((c) => String(c.params.text).slice(0, 3));
      expect({ worker: w.id, replies: theirs }).toEqual({ worker: w.id, replies: ['2/8', '3/8'] });
      expect(await wizardOf(h.runtime, w.id)).toMatchObject({ flow: 'newwish', step: 'category', draft: { title: TITLE, description: DESCRIPTION } });
    }
  });
});

describe('recording updates as done', () => {
  const db = useTestDatabase();
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(db);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('an update whose handler failed is apologised for, then recorded as done', async () => {
    const donor: TgUser = { id: 7_060, first_name: 'Dora', language_code: 'en' };
    const wishes = h.runtime.services.wishes;
    const get = wishes.get;
    wishes.get = async () => {
      throw new Error('database hiccup');
    };
    try {
      const press = h.fake.callbackUpdate(donor, { chat: { id: -100_7060 }, message_id: 1 }, 'i:W-1001');
      await h.runtime.bot.handleUpdate(press as never);
      const answer = h.fake.callsOf('answerCallbackQuery').find((c) => c.params.callback_query_id === press.callback_query!.id);
      expect(String(answer?.params.text)).toContain('something went wrong');
      expect(await h.runtime.botModels.ProcessedUpdate.findById(press.update_id).lean()).not.toBeNull();
    } finally {
      wishes.get = get;
    }
  });

  it('a wizard answer is not applied twice when the step was saved but the update never marked done', async () => {
    const worker = await workerOf(h.runtime, 7_050);
    const dm = privateChatOf(worker);
    await h.say(worker, dm, '/newwish', (t) => t.includes('1/8'));
    const toWorker = (after: number) => (c: RecordedCall) => c.seq > after && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id;

    // Delivered as the webhook would: handleUpdate resolves once the update is handled and marked done.
    const title = h.fake.textUpdate(worker, dm, TITLE);
    let after = lastSeq(h.fake);
    await h.runtime.bot.handleUpdate(title as never);
    expect(h.fake.calls.filter(toWorker(after)).map((c) => String(c.params.text).slice(0, 3))).toEqual(['2/8']);

    // As if the process had died after saving the step, before recording the update as done; Telegram redelivers it.
    await h.runtime.botModels.ProcessedUpdate.deleteOne({ _id: String(title.update_id) });
    after = lastSeq(h.fake);
    await h.runtime.bot.handleUpdate(title as never);
    expect(h.fake.calls.filter(toWorker(after))).toEqual([]);
    expect(await wizardOf(h.runtime, worker.id)).toMatchObject({ step: 'description', draft: { title: TITLE } });
    expect(await h.runtime.botModels.ProcessedUpdate.findById(title.update_id).lean()).not.toBeNull();

    after = lastSeq(h.fake);
    await h.runtime.bot.handleUpdate(h.fake.textUpdate(worker, dm, DESCRIPTION) as never);
    expect(h.fake.calls.filter(toWorker(after)).map((c) => String(c.params.text).slice(0, 3))).toEqual(['3/8']);
    expect(await wizardOf(h.runtime, worker.id)).toMatchObject({ step: 'category', draft: { title: TITLE, description: DESCRIPTION } });
  });
});

describe('one chat at a time, across two instances on one database', () => {
  const db: TestDatabase = useTestDatabase();
  let fake: FakeTelegram;
  let rt: Runtime;
  const secret = 'test-secret-0123456789';

  beforeAll(async () => {
    fake = await startFakeTelegram();
    rt = await testRuntime(db, fake, { botInfo: fake.botInfo, instanceId: 'test' });
  });
  afterAll(async () => {
    await fake?.close();
  });

  /** A webhook-mode bot process; resolves with a function that posts an update to it as Telegram would. */
  async function startInstance(name: string) {
    const child = spawnTs('test/support/bot-process.ts', [db.uri, db.dbName, fake.apiRoot, fake.token, name, 'webhook'], { ...process.env, WEBHOOK_SECRET: secret });
    const out = watchOutput(child);
    const port = Number((await out.waitForLine((l) => l.startsWith('ready '))).slice(6));
    const post = async (update: Update) => {
      const res = await fetch(`http://127.0.0.1:${port}/hook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': secret },
        body: JSON.stringify(update),
      });
      await res.arrayBuffer();
      return res.status;
    };
    return { child, out, post };
  }

  it('two answers of one person reaching two instances at once are both kept (five people at once)', async () => {
    const workers = await Promise.all([1, 2, 3, 4, 5].map((n) => workerOf(rt, 7_100 + n)));
    for (const w of workers) fake.startUser(w.id);
    const [a, b] = await Promise.all([startInstance('a'), startInstance('b')]);

    for (const w of workers) expect(await a.post(fake.textUpdate(w, privateChatOf(w), '/newwish'))).toBe(200);
    const after = lastSeq(fake);
    // Each instance answers 200 once it has handled its update.
    const statuses = await Promise.all(
      workers.flatMap((w) => [a.post(fake.textUpdate(w, privateChatOf(w), TITLE)), b.post(fake.textUpdate(w, privateChatOf(w), DESCRIPTION))]),
    );
    expect(statuses).toEqual(Array(10).fill(200));

    for (const w of workers) {
      const replies = fake.calls.filter((c) => c.seq > after && c.method === 'sendMessage' && Number(c.params.chat_id) === w.id);
      expect({ worker: w.id, replies: replies.map((c) => String(c.params.text).slice(0, 3)) }).toEqual({ worker: w.id, replies: ['2/8', '3/8'] });
      const wizard = await wizardOf(rt, w.id);
      expect(wizard?.step).toBe('category');
      // Which of the two arrived first is up to the network; neither is lost.
      expect([wizard?.draft.title, wizard?.draft.description].sort()).toEqual([TITLE, DESCRIPTION].sort());
    }

    for (const x of [a, b]) x.child.kill('SIGTERM');
    await Promise.all([a.out.exited, b.out.exited]);
  });
});
