import request from 'supertest';
import { testLogger } from '../support/privacy-record';
import { createApp } from '../../src/http/create-app';
import { useTestDatabase } from '../support/db';
import { privateChatOf, startHarness, Harness, donorUser } from '../support/bot-harness';

describe('webhook mode', () => {
  const db = useTestDatabase();
  let h: Harness;
  const secret = 'webhook-secret-0123456789';

  beforeAll(async () => {
    h = await startHarness(db, { polling: false });
  });
  afterAll(async () => {
    await h?.stop();
  });

  function app() {
    const { services, bot } = h.runtime;
    return createApp({
      logger: testLogger(),
      wishes: services.wishes,
      consent: h.runtime.consent,
    directory: h.runtime.directory,
    teams: h.runtime.appDeps().teams,
    stock: h.runtime.stock,
    reports: h.runtime.reports,
      communities: services.communities,
      tokens: services.tokens,
      invites: h.runtime.invites,
      resolveToken: services.resolveToken,
      isDatabaseReady: async () => true,
      timezone: 'UTC',
      clock: () => new Date(),
      botUsername: () => bot.telegraf.botInfo?.username,
      extraRoutes: [{ path: '/telegram/webhook', handler: bot.webhookHandler(secret), secret: { header: 'X-Telegram-Bot-Api-Secret-Token', value: secret } }],
    });
  }

  it('handles an update carrying the secret and refuses one without it', async () => {
    const user = donorUser(1);
    h.fake.startUser(user.id);
    const update = h.fake.textUpdate(user, privateChatOf(user), '/help');

    const forged = await request(app()).post('/telegram/webhook').set('X-Telegram-Bot-Api-Secret-Token', 'wrong').send(update);
    expect(forged.status).toBe(403);
    expect(h.fake.callsOf('sendMessage')).toHaveLength(0);

    const real = await request(app()).post('/telegram/webhook').set('X-Telegram-Bot-Api-Secret-Token', secret).send(update);
    expect(real.status).toBe(200);
    const reply = await h.fake.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === user.id);
    expect(String(reply.params.text)).toContain('/mypledges');
  });

  it('refuses an update over 1 MB with 413 before telegraf reads it, even with the right secret', async () => {
    const user = donorUser(2);
    h.fake.startUser(user.id);
    const update = h.fake.textUpdate(user, privateChatOf(user), `/help ${'x'.repeat(2 * 1024 * 1024)}`);
    const res = await request(app()).post('/telegram/webhook').set('X-Telegram-Bot-Api-Secret-Token', secret).send(update);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('too_large');
    // A small update after it is handled as usual: the big one never reached the bot.
    const small = h.fake.textUpdate(user, privateChatOf(user), '/help');
    expect((await request(app()).post('/telegram/webhook').set('X-Telegram-Bot-Api-Secret-Token', secret).send(small)).status).toBe(200);
    await h.fake.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === user.id);
    expect(h.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === user.id)).toHaveLength(1);
  });

  it('registers the webhook and command lists in both languages at start-up', async () => {
    await h.runtime.bot.prepare({ webhook: { url: 'https://bot.example.org/telegram/webhook', secret } });
    const hook = h.fake.callsOf('setWebhook').at(-1)!;
    expect(hook.params.secret_token).toBe(secret);
    const langs = h.fake.callsOf('setMyCommands').map((c) => c.params.language_code ?? 'default');
    expect(new Set(langs)).toEqual(new Set(['default', 'en', 'zh']));
  });
});
