import { testLogger } from './privacy-record';
import { createRuntime, Runtime, RuntimeOptions } from '../../src/runtime';
import { FakeTelegram, groupChat, privateChatOf, RecordedCall, startFakeTelegram, TgChat, TgUser } from '../fake-telegram';
import { TestDatabase } from './db';

export interface Harness {
  fake: FakeTelegram;
  runtime: Runtime;
  /** Sends a text as `user` in `chat` and resolves with the bot's first reply to that chat matching `expect`. */
  say(user: TgUser, chat: TgChat, text: string, expect?: (text: string) => boolean): Promise<RecordedCall>;
  /** Presses a button on `message` as `user`; resolves with the callback answer. */
  press(user: TgUser, message: { chat: { id: number }; message_id: number } & Record<string, unknown>, data: string): Promise<RecordedCall>;
  /** Resolves once every queued outbox message has been delivered (or failed for good). */
  settle(): Promise<void>;
  /** Every text the bot sent or edited into this chat, in order. */
  textsIn(chatId: number): string[];
  stop(): Promise<void>;
}

/** How long a reply or an answer may take before a test gives up: generous, for a loaded machine. */
const WAIT_MS = 30_000;

export const users = {
  admin: { id: 1001, first_name: 'Ada', last_name: 'Admin', language_code: 'en' },
  worker: { id: 2002, first_name: 'Wang', last_name: 'Worker', language_code: 'en' },
  resident: { id: 4004, first_name: 'Rosa', language_code: 'en' },
};

export function donorUser(n: number, language_code = 'en'): TgUser {
  return { id: 50_000 + n, first_name: `Donor${n}`, language_code };
}

export { groupChat, privateChatOf };

/**
 * The service's runtime on this test's database and fake Bot API, in the tests' language and zone,
 * on real time (the sender paces itself by the clock, and Telegram's limits are in real seconds).
 */
export function testRuntime(
  db: TestDatabase,
  fake: FakeTelegram,
  opts: { botInfo?: FakeTelegram['botInfo']; instanceId?: string; sender?: RuntimeOptions['sender']; metrics?: RuntimeOptions['metrics']; adminApiToken?: string; consoleUrl?: string; presses?: RuntimeOptions['bot']['presses'] } = {},
): Promise<Runtime> {
  return createRuntime({
    conn: db.conn,
    models: db.models,
    clock: () => new Date(),
    logger: testLogger(process.env.TEST_LOG_LEVEL),
    bot: { token: fake.token, apiRoot: fake.apiRoot, adminIds: [users.admin.id], ...(opts.botInfo ? { botInfo: opts.botInfo } : {}), ...(opts.consoleUrl ? { consoleUrl: opts.consoleUrl } : {}), ...(opts.presses ? { presses: opts.presses } : {}) },
    defaultLanguage: 'en',
    timeZone: 'Asia/Shanghai',
    instanceId: opts.instanceId ?? `test-${process.pid}`,
    ...(opts.sender ? { sender: opts.sender } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    ...(opts.adminApiToken ? { adminApiToken: opts.adminApiToken } : {}),
  });
}

export async function startHarness(
  db: TestDatabase,
  opts: { rateLimit?: boolean; polling?: boolean; metrics?: RuntimeOptions['metrics']; adminApiToken?: string; consoleUrl?: string; presses?: RuntimeOptions['bot']['presses'] } = {},
): Promise<Harness> {
  const fake = await startFakeTelegram({ rateLimit: opts.rateLimit });
  const runtime = await testRuntime(db, fake, { sender: { slotMs: 2000 }, metrics: opts.metrics, adminApiToken: opts.adminApiToken, consoleUrl: opts.consoleUrl, presses: opts.presses });
  await runtime.bot.prepare({});
  if (opts.polling !== false) await runtime.bot.startPolling();
  runtime.sender.start();

  const textOf = (c: RecordedCall) => String(c.params.text ?? '');
  async function say(user: TgUser, chat: TgChat, text: string, expect: (text: string) => boolean = () => true) {
    const after = fake.calls.length;
    fake.pushUpdate(fake.textUpdate(user, chat, text));
    return fake.waitForCall(
      (c) => c.seq > after && c.method === 'sendMessage' && Number(c.params.chat_id) === chat.id && expect(textOf(c)),
      WAIT_MS,
    );
  }
  async function press(user: TgUser, message: Parameters<Harness['press']>[1], data: string) {
    const update = fake.callbackUpdate(user, message, data) as unknown as { callback_query: { id: string } };
    fake.pushUpdate(update);
    return fake.waitForCall((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === update.callback_query.id, WAIT_MS);
  }
  /** Waits, reacting to the fake's calls, until the outbox has nothing pending; fails after 45 s with what is left. */
  async function settle() {
    const deadline = Date.now() + 45_000;
    for (;;) {
      // What commits owe is relayed after their answers: first let it reach the outbox.
      await runtime.later.idle();
      const pending = await runtime.outbox.pendingCount();
      if (pending === 0) return;
      if (Date.now() > deadline) {
        const left = await runtime.notifyModels.Outbox.find({ status: 'pending' }).lean();
        throw new Error(`outbox still has ${pending} pending: ${JSON.stringify(left).slice(0, 1500)}`);
      }
      runtime.sender.wake();
      await fake.waitForCall(() => true, 1500).catch(() => undefined);
    }
  }
  return {
    fake,
    runtime,
    say,
    press,
    settle,
    textsIn: (chatId) =>
      fake.calls.filter((c) => c.ok && (c.method === 'sendMessage' || c.method === 'editMessageText') && Number(c.params.chat_id) === chatId).map(textOf),
    async stop() {
      await runtime.bot.stop();
      await runtime.later.idle();
      await runtime.sender.stop();
      await fake.close();
    },
  };
}
