import { testLogger } from '../support/privacy-record';
import { keepBotRunning } from '../../src/bot/keep-running';
import { useTestDatabase } from '../support/db';
import { Harness, privateChatOf, startHarness, users } from '../support/bot-harness';

// telegraf ends its polling loop on a Bot API error it does not retry (409 when another getUpdates
// comes in with the same token, 401): the service kept serving HTTP but heard no update again.
// keepBotRunning starts it again.

describe('polling that stops by itself is started again', () => {
  const db = useTestDatabase();
  let h: Harness;
  let stopping = false;
  let running: Promise<void>;
  const restarts: unknown[] = [];
  const slept: number[] = [];

  beforeAll(async () => {
    h = await startHarness(db, { polling: false });
    const logger = testLogger();
    logger.error = ((obj: { err?: unknown }) => {
      restarts.push(obj.err);
    }) as typeof logger.error;
    running = keepBotRunning({
      bot: h.runtime.bot,
      mode: { kind: 'polling' },
      stopping: () => stopping,
      logger,
      // Waits are recorded, not waited: the test awaits Telegram's calls instead.
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    await h.fake.waitForPoll(30_000);
  });
  afterAll(async () => {
    stopping = true;
    await h?.stop();
    await running;
  });

  it('after a 409 from another getUpdates, the bot polls again and answers', async () => {
    const before = h.fake.calls.length;
    // Another client polling with the same token ends the bot's waiting getUpdates with 409, as on Telegram.
    const other = await fetch(`${h.fake.apiRoot}/bot${h.fake.token}/getUpdates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ timeout: 0 }) });
    expect(other.status).toBe(200);
    await h.fake.waitForCall((c) => c.seq > before && c.method === 'getUpdates' && c.errorCode === 409, 30_000);
    await h.fake.waitForPoll(30_000);

    const reply = await h.say(users.resident, privateChatOf(users.resident), '/help');
    expect(reply.ok).toBe(true);
    expect(restarts).toHaveLength(1);
    expect(String((restarts[0] as Error).message)).toContain('Conflict');
    expect(slept).toEqual([1000]);
  });
});
