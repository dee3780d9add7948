import { Telegraf, Telegram, TelegramError } from 'telegraf';
import {
  createRateWindows,
  FakeTelegram,
  groupChat,
  parseHtml,
  privateChatOf,
  RecordedCall,
  startFakeTelegram,
  TgUser,
  Update,
} from '../fake-telegram';

const ann: TgUser = { id: 4242, first_name: 'Ann', username: 'ann', language_code: 'en' };
const bob: TgUser = { id: 4343, first_name: 'Bob' };

/** The TelegramError a promise rejects with (fails the test if it resolves). */
async function telegramError(p: Promise<unknown>): Promise<TelegramError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(TelegramError);
    return err as TelegramError;
  }
  throw new Error('expected the call to fail');
}

/** A raw Bot API request, for what telegraf does not show: HTTP status, exact body, form posts. */
async function raw(fake: FakeTelegram, method: string, init: { body?: string; contentType?: string; token?: string } = {}) {
  const res = await fetch(`${fake.apiRoot}/bot${init.token ?? fake.token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': init.contentType ?? 'application/json' },
    body: init.body ?? '{}',
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('fake Telegram Bot API', () => {
  let fake: FakeTelegram;
  let tg: Telegram;

  beforeAll(async () => {
    fake = await startFakeTelegram();
    tg = new Telegram(fake.token, { apiRoot: fake.apiRoot });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  /** Confirms every pending update, so the next long poll waits. */
  async function drain() {
    const pending = (await tg.callApi('getUpdates', { timeout: 0 })) as Update[];
    const last = pending.at(-1);
    if (last) await tg.callApi('getUpdates', { offset: last.update_id + 1, timeout: 0 });
  }

  it('answers getMe through telegraf', async () => {
    const me = await tg.getMe();
    expect(me).toEqual(fake.botInfo);
    expect(me).toMatchObject({ id: 123456, is_bot: true, username: 'microwish_test_bot', can_join_groups: true });
    expect(fake.callsOf('getMe')).toHaveLength(1);
  });

  it('answers a wrong token with 401 and an unknown method with 404, Bot API shaped', async () => {
    expect(await raw(fake, 'getMe', { token: '1:WRONG' })).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect(await raw(fake, 'sendTelepathy')).toEqual({ status: 404, body: { ok: false, error_code: 404, description: 'Not Found: method not found' } });
    expect(fake.calls.map((c) => [c.method, c.errorCode])).toEqual([
      ['getMe', 401],
      ['sendTelepathy', 404],
    ]);
  });

  it('numbers messages per chat from 1 and keeps them', async () => {
    const group = groupChat(-100123, 'Harbour Street');
    const first = await tg.sendMessage(group.id, 'one');
    const second = await tg.sendMessage(String(group.id), 'two', {
      reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] },
    });
    expect([first.message_id, second.message_id]).toEqual([1, 2]);
    expect(second).toMatchObject({ from: { id: fake.botInfo.id, is_bot: true }, chat: { id: group.id, type: 'supergroup' }, text: 'two' });
    expect(typeof second.date).toBe('number');
    expect((await tg.sendMessage(-100999, 'elsewhere')).message_id).toBe(1);
    expect(fake.chatMessages(group.id).map((m) => [m.message_id, m.text])).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
    expect(fake.message(group.id, 2)?.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] });
  });

  it('refuses private messages to people who have not started the bot or blocked it', async () => {
    const notStarted = await telegramError(tg.sendMessage(ann.id, 'hi'));
    expect(notStarted.code).toBe(403);
    expect(notStarted.description).toBe("Forbidden: bot can't initiate conversation with a user");

    fake.startUser(ann.id);
    const sent = await tg.sendMessage(ann.id, 'hi');
    expect(sent.chat).toMatchObject({ id: ann.id, type: 'private' });

    fake.blockUser(ann.id);
    const blocked = await telegramError(tg.sendMessage(ann.id, 'still there?'));
    expect([blocked.code, blocked.description]).toEqual([403, 'Forbidden: bot was blocked by the user']);
    const blockedEdit = await telegramError(tg.editMessageText(ann.id, sent.message_id, undefined, 'edited'));
    expect(blockedEdit.code).toBe(403);
    fake.startUser(ann.id); // pressing Start again unblocks
    expect((await tg.sendMessage(ann.id, 'welcome back')).message_id).toBe(2);
  });

  it('starts a user who writes to the bot in private, as Telegram does', async () => {
    const stranger: TgUser = { id: 5151, first_name: 'Sam' };
    expect((await telegramError(tg.sendMessage(stranger.id, 'x'))).code).toBe(403);
    fake.pushUpdate(fake.textUpdate(stranger, privateChatOf(stranger), 'hello'));
    expect((await tg.sendMessage(stranger.id, 'hi Sam')).message_id).toBe(2);
  });

  it('checks text: empty, too long', async () => {
    const empty = await telegramError(tg.sendMessage(-1001, '  '));
    expect([empty.code, empty.description]).toEqual([400, 'Bad Request: message text is empty']);
    const long = await telegramError(tg.sendMessage(-1001, 'x'.repeat(4097)));
    expect([long.code, long.description]).toEqual([400, 'Bad Request: message is too long']);
    expect((await tg.sendMessage(-1001, 'x'.repeat(4096))).text).toHaveLength(4096);
  });

  it('parses HTML like Telegram: only its tags, balanced, entities decoded', async () => {
    const unclosed = await telegramError(tg.sendMessage(-1002, '<b>unclosed', { parse_mode: 'HTML' }));
    expect(unclosed.code).toBe(400);
    expect(unclosed.description).toMatch(/^Bad Request: can't parse entities: /);
    const unknownTag = await telegramError(tg.sendMessage(-1002, 'a<br>b', { parse_mode: 'HTML' }));
    expect(unknownTag.description).toBe('Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 1');
    const crossed = await telegramError(tg.sendMessage(-1002, '<b><i>x</b></i>', { parse_mode: 'HTML' }));
    expect(crossed.description).toMatch(/Unmatched end tag/);

    const msg = await tg.sendMessage(-1002, '<b>Tom &amp; Jerry</b> &lt;3 <a href="https://example.org/?a=1&amp;b=2">link</a> &quot;q&quot;', { parse_mode: 'HTML' });
    expect(msg.text).toBe('Tom & Jerry <3 link "q"');
    expect(msg.entities).toEqual([
      { type: 'bold', offset: 0, length: 11 },
      { type: 'text_link', offset: 15, length: 4, url: 'https://example.org/?a=1&b=2' },
    ]);
    expect(fake.message(-1002, msg.message_id)?.text).toBe('Tom & Jerry <3 link "q"');

    expect(parseHtml('<pre><code class="language-ts">let x</code></pre>').entities).toEqual([{ type: 'pre', offset: 0, length: 5, language: 'ts' }]);
    expect(() => parseHtml('<span>x</span>')).toThrow(/must have class "tg-spoiler"/);
    expect(parseHtml('fish & chips > 1').text).toBe('fish & chips > 1');
    expect(() => parseHtml('1 < 2')).toThrow(/Unsupported start tag/);
  });

  it('checks inline keyboards', async () => {
    const longData = await telegramError(tg.sendMessage(-1003, 'x', { reply_markup: { inline_keyboard: [[{ text: 'a', callback_data: 'd'.repeat(65) }]] } }));
    expect([longData.code, longData.description]).toEqual([400, 'Bad Request: BUTTON_DATA_INVALID']);
    const both = await telegramError(tg.sendMessage(-1003, 'x', { reply_markup: { inline_keyboard: [[{ text: 'a', callback_data: 'd', url: 'https://example.org' } as never]] } }));
    expect(both.code).toBe(400);
    const neither = await telegramError(tg.sendMessage(-1003, 'x', { reply_markup: { inline_keyboard: [[{ text: 'a' } as never]] } }));
    expect(neither.code).toBe(400);
    // 64 bytes of UTF-8 is the limit, not 64 characters.
    const wide = await telegramError(tg.sendMessage(-1003, 'x', { reply_markup: { inline_keyboard: [[{ text: 'a', callback_data: 'é'.repeat(33) }]] } }));
    expect(wide.description).toBe('Bad Request: BUTTON_DATA_INVALID');
  });

  it('opens Mini Apps only from https addresses, in buttons and on a private chat\'s menu button', async () => {
    const http = await telegramError(tg.sendMessage(-1003, 'x', { reply_markup: { inline_keyboard: [[{ text: 'a', web_app: { url: 'http://example.org' } }]] } }));
    expect([http.code, http.description]).toEqual([400, "Bad Request: Web App URL 'http://example.org' is invalid: Only HTTPS links are allowed"]);
    const menu = { type: 'web_app' as const, text: 'Console', web_app: { url: 'https://example.org/console/miniapp' } };
    expect(await tg.setChatMenuButton({ chatId: 42, menuButton: menu })).toBe(true);
    expect(await tg.getChatMenuButton({ chatId: 42 })).toEqual(menu);
    expect(await tg.getChatMenuButton({ chatId: 43 })).toEqual({ type: 'default' });
    const insecure = await telegramError(tg.setChatMenuButton({ chatId: 42, menuButton: { ...menu, web_app: { url: 'http://example.org' } } }));
    expect(insecure.code).toBe(400);
  });

  it('takes form posts, parsing JSON fields such as reply_markup', async () => {
    const body = new URLSearchParams({ chat_id: '-100004', text: '[not json] {either}', reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] }) });
    const res = await raw(fake, 'sendMessage', { body: body.toString(), contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ text: '[not json] {either}', reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] } });
  });

  it('edits like Telegram: not found, not modified, then changed', async () => {
    const group = groupChat(-100200, 'Edits');
    const keyboard = { inline_keyboard: [[{ text: 'Claim', callback_data: 'c:1' }]] };
    const sent = await tg.sendMessage(group.id, 'v1', { reply_markup: keyboard });

    const unknown = await telegramError(tg.editMessageText(group.id, 99, undefined, 'v2'));
    expect([unknown.code, unknown.description]).toEqual([400, 'Bad Request: message to edit not found']);
    const same = await telegramError(tg.editMessageText(group.id, sent.message_id, undefined, 'v1', { reply_markup: keyboard }));
    expect(same.code).toBe(400);
    expect(same.description).toBe(
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );

    const edited = await tg.editMessageText(group.id, sent.message_id, undefined, 'v2', { reply_markup: keyboard });
    expect(edited).toMatchObject({ message_id: sent.message_id, text: 'v2', reply_markup: keyboard });
    expect(typeof (edited as { edit_date?: number }).edit_date).toBe('number');
    expect(fake.message(group.id, sent.message_id)?.text).toBe('v2');
    // What was recorded for the first send still shows what was sent then.
    expect((fake.callsOf('sendMessage')[0]!.result as { text: string }).text).toBe('v1');

    const sameMarkup = await telegramError(tg.editMessageReplyMarkup(group.id, sent.message_id, undefined, keyboard));
    expect(sameMarkup.description).toMatch(/^Bad Request: message is not modified/);
    await tg.editMessageReplyMarkup(group.id, sent.message_id, undefined, { inline_keyboard: [] });
    expect(fake.message(group.id, sent.message_id)?.reply_markup).toBeUndefined();

    await tg.deleteMessage(group.id, sent.message_id);
    expect(fake.chatMessages(group.id)).toEqual([]);
    const gone = await telegramError(tg.deleteMessage(group.id, sent.message_id));
    expect([gone.code, gone.description]).toEqual([400, 'Bad Request: message to delete not found']);
  });

  it('answers a callback query once, and only the ones it issued', async () => {
    const group = groupChat(-100300, 'Buttons');
    const card = await tg.sendMessage(group.id, 'card', { reply_markup: { inline_keyboard: [[{ text: 'Claim', callback_data: 'c:1' }]] } });
    const update = fake.callbackUpdate(ann, fake.message(group.id, card.message_id)!, 'c:1');
    const query = update.callback_query!;
    expect(query).toMatchObject({ from: { id: ann.id, is_bot: false }, message: { message_id: card.message_id, chat: { id: group.id } }, data: 'c:1' });
    expect(typeof query.chat_instance).toBe('string');
    expect(fake.callbackUpdate(ann, card, 'c:1').callback_query!.id).not.toBe(query.id);

    const tooLong = await telegramError(tg.answerCbQuery(query.id, 'x'.repeat(201)));
    expect([tooLong.code, tooLong.description]).toEqual([400, 'Bad Request: MESSAGE_TOO_LONG']);
    expect(await tg.answerCbQuery(query.id, 'Claimed')).toBe(true);
    const twice = await telegramError(tg.answerCbQuery(query.id, 'again'));
    expect([twice.code, twice.description]).toEqual([400, 'Bad Request: query is too old and response timeout expired or query ID is invalid']);
    const never = await telegramError(tg.answerCbQuery('12345', 'who?'));
    expect(never.code).toBe(400);
  });

  it('records commands per scope and language', async () => {
    await tg.setMyCommands([{ command: 'help', description: 'Help' }], { language_code: 'en' });
    await tg.setMyCommands([{ command: 'help', description: '帮助' }], { language_code: 'zh' });
    expect(await tg.getMyCommands({ language_code: 'zh' })).toEqual([{ command: 'help', description: '帮助' }]);
    expect(await tg.getMyCommands()).toEqual([]);
    expect((await telegramError(tg.setMyCommands([{ command: 'Bad Command', description: 'x' }]))).code).toBe(400);
  });

  it('long-polls getUpdates until an update is pushed, and confirms by offset', async () => {
    await drain();
    const polled = tg.callApi('getUpdates', { timeout: 30, offset: 0 });
    await fake.waitForPoll();
    const pushed = fake.pushUpdate(fake.textUpdate(ann, privateChatOf(ann), '/start'));
    const updates = (await polled) as Update[];
    expect(updates).toEqual([pushed]);
    expect(pushed.message).toMatchObject({ text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }], from: { id: ann.id, is_bot: false } });

    const second = fake.pushUpdate(fake.textUpdate(bob, groupChat(-100400, 'G'), 'hello'));
    // Not confirmed yet: the same offset gets both again.
    expect(((await tg.callApi('getUpdates', { offset: 0 })) as Update[]).map((u) => u.update_id)).toEqual([pushed.update_id, second.update_id]);
    expect(((await tg.callApi('getUpdates', { offset: pushed.update_id + 1 })) as Update[]).map((u) => u.update_id)).toEqual([second.update_id]);
    expect(await tg.callApi('getUpdates', { offset: second.update_id + 1 })).toEqual([]);
    expect(fake.pushUpdate({ message: pushed.message }).update_id).toBeGreaterThan(second.update_id);
    await drain();
  });

  it('terminates a waiting getUpdates with 409 when another one arrives, and refuses polling while a webhook is set', async () => {
    await drain();
    const first = telegramError(tg.callApi('getUpdates', { timeout: 30 }));
    await fake.waitForPoll();
    expect(await tg.callApi('getUpdates', { timeout: 0 })).toEqual([]);
    expect((await first).code).toBe(409);

    await tg.setWebhook('https://bot.example.org/hook');
    expect((await telegramError(tg.callApi('getUpdates', {}))).description).toMatch(/^Conflict: can't use getUpdates method while webhook is active/);
    expect((await telegramError(tg.setWebhook('http://insecure.example.org'))).code).toBe(400);
    await tg.deleteWebhook();
  });

  it('waits for calls by event, including ones already made', async () => {
    await tg.sendMessage(-100500, 'early');
    const early = await fake.waitForCall((c) => c.method === 'sendMessage' && c.params.text === 'early');
    expect(early.ok).toBe(true);
    const seen: RecordedCall[] = [];
    const off = fake.onCall((c) => seen.push(c));
    const two = fake.waitForCalls((c) => c.method === 'sendChatAction', 2);
    await tg.sendChatAction(-100500, 'typing');
    await tg.sendChatAction(-100500, 'typing');
    expect((await two).map((c) => c.ok)).toEqual([true, true]);
    off();
    await tg.getMe();
    expect(seen.map((c) => c.method)).toEqual(['sendChatAction', 'sendChatAction']);
    await expect(fake.waitForCall((c) => c.method === 'neverCalled', 50)).rejects.toThrow(/Last calls:[\s\S]*getMe/);
    expect(fake.stats()).toMatchObject({ total: 4, tooManyRequests: 0, byMethod: { sendMessage: 1, sendChatAction: 2, getMe: 1 } });
  });

  it('holds answers to a method until released; a held call whose caller went away never gets through', async () => {
    const press = fake.pushUpdate(fake.callbackUpdate(ann, { chat: { id: ann.id }, message_id: 1 }, 'x'));
    const other = fake.pushUpdate(fake.callbackUpdate(bob, { chat: { id: bob.id }, message_id: 1 }, 'y'));
    const held = fake.hold('answerCallbackQuery', (p) => p.callback_query_id === press.callback_query!.id);

    // A caller that dies while its answer is held: the answer is dropped, so the query is still open.
    const abort = new AbortController();
    const dying = fetch(`${fake.apiRoot}/bot${fake.token}/answerCallbackQuery`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ callback_query_id: press.callback_query!.id, text: 'lost' }),
      signal: abort.signal,
    }).catch((err: unknown) => err);
    const lost = await held.next();
    expect(lost.params.text).toBe('lost');
    expect(await tg.answerCbQuery(other.callback_query!.id, 'not held')).toBe(true);
    abort.abort();
    await dying;
    await lost.gone;

    // A live caller waits until the release, then gets its answer.
    const waiting = tg.answerCbQuery(press.callback_query!.id, 'kept');
    expect((await held.next()).params.text).toBe('kept');
    expect(held.count).toBe(2);
    expect(fake.callsOf('answerCallbackQuery').map((c) => c.params.text)).toEqual(['not held']);
    held.release();
    expect(await waiting).toBe(true);
    expect(fake.callsOf('answerCallbackQuery').map((c) => c.params.text)).toEqual(['not held', 'kept']);
    await drain();
  });

  it('builds my_chat_member updates; a bot removed from a group can no longer post there', async () => {
    const group = groupChat(-100600, 'Leaving');
    const added = fake.myChatMemberUpdate(group, ann, 'administrator');
    expect(added.my_chat_member).toMatchObject({ chat: group, old_chat_member: { status: 'left' }, new_chat_member: { status: 'administrator', user: { id: fake.botInfo.id } } });
    fake.pushUpdate(added);
    await tg.sendMessage(group.id, 'hello');
    fake.pushUpdate(fake.myChatMemberUpdate(group, ann, 'kicked'));
    expect((await telegramError(tg.sendMessage(group.id, 'still here?'))).description).toBe('Forbidden: bot was kicked from the supergroup chat');
    await drain();
  });

  it('answers getChatMember with the status a test set per chat, else member', async () => {
    const group = groupChat(-100601, 'Owners');
    fake.setMemberStatus(group.id, ann.id, 'creator');
    expect((await tg.getChatMember(group.id, ann.id)).status).toBe('creator');
    expect((await tg.getChatMember(-100602, ann.id)).status).toBe('member');
    fake.setMemberStatus(group.id, ann.id, 'administrator');
    expect((await tg.getChatMember(group.id, ann.id)).status).toBe('administrator');
  });
});

describe('a real Telegraf bot against the fake', () => {
  let fake: FakeTelegram;
  let bot: Telegraf;
  let stopped: Promise<void>;

  beforeAll(async () => {
    fake = await startFakeTelegram();
    bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
    bot.start((ctx) => ctx.reply(`Hello ${ctx.from.first_name}`, { reply_markup: { inline_keyboard: [[{ text: 'Press', callback_data: 'pressed' }]] } }));
    bot.action('pressed', (ctx) => ctx.answerCbQuery('Pressed!'));
    await new Promise<void>((resolve, reject) => {
      stopped = bot.launch(() => resolve());
      stopped.catch(reject);
    });
  });
  afterAll(async () => {
    bot.stop('test over');
    await stopped;
    await fake.close();
  });

  it('receives /start by long polling and replies; a button press is answered', async () => {
    const chat = privateChatOf(ann);
    fake.pushUpdate(fake.textUpdate(ann, chat, '/start'));
    const reply = await fake.waitForCall((c) => c.method === 'sendMessage');
    expect(reply).toMatchObject({ ok: true, params: { chat_id: ann.id, text: 'Hello Ann' } });
    const message = reply.result as { message_id: number; chat: { id: number } };

    const press = fake.pushUpdate(fake.callbackUpdate(ann, message, 'pressed'));
    const answer = await fake.waitForCall((c) => c.method === 'answerCallbackQuery');
    expect(answer).toMatchObject({ ok: true, params: { callback_query_id: press.callback_query!.id, text: 'Pressed!' } });
    expect(fake.callsOf('getMe')).toHaveLength(1);
    expect(fake.callsOf('deleteWebhook')).toHaveLength(1);
  });
});

describe('close()', () => {
  it('answers a waiting long poll with [] at once', async () => {
    const fake = await startFakeTelegram({ latencyMs: 5 });
    const tg = new Telegram(fake.token, { apiRoot: fake.apiRoot });
    const polled = tg.callApi('getUpdates', { timeout: 50 });
    await fake.waitForPoll();
    await fake.close();
    expect(await polled).toEqual([]);
  });
});

describe('rate limits through the server', () => {
  it('answers 429 with retry_after and does not let the refused call count', async () => {
    const fake = await startFakeTelegram({ rateLimit: true });
    try {
      const tg = new Telegram(fake.token, { apiRoot: fake.apiRoot });
      const results = await Promise.allSettled([tg.sendMessage(-100700, 'a'), tg.sendMessage(-100700, 'b')]);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as TelegramError);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.code).toBe(429);
      expect(refused[0]!.description).toBe('Too Many Requests: retry after 1');
      expect(refused[0]!.parameters).toEqual({ retry_after: 1 });
      expect(fake.stats().tooManyRequests).toBe(1);
      expect(fake.chatMessages(-100700)).toHaveLength(1);
      // Another chat is not held up by the first one.
      expect((await tg.sendMessage(-100701, 'c')).message_id).toBe(1);
    } finally {
      await fake.close();
    }
  });
});

describe('network jitter', () => {
  /** A random source that plays `draws` in order and tells when each was taken (that is, when a request arrived). */
  function scripted(draws: number[]) {
    const takenAt: number[] = [];
    let onDraw: (() => void) | undefined;
    return {
      takenAt,
      random: () => {
        takenAt.push(Date.now());
        onDraw?.();
        const r = draws.shift();
        if (r === undefined) throw new Error('scripted random: no draws left');
        return r;
      },
      /** Resolves once `n` draws have been taken. */
      drawn: (n: number) =>
        new Promise<void>((resolve) => {
          if (takenAt.length >= n) return resolve();
          onDraw = () => takenAt.length >= n && resolve();
        }),
    };
  }

  it('holds each request a random 0..2 x jitterMs after it arrives, so a later request can overtake an earlier one', async () => {
    // A long hold (2 x 1500 x 0.99 ms), so the second request surely arrives during it, however busy the machine.
    const r = scripted([0.99, 0]);
    const fake = await startFakeTelegram({ jitterMs: 1500, random: r.random });
    try {
      const tg = new Telegram(fake.token, { apiRoot: fake.apiRoot });
      const first = tg.sendMessage(-100810, 'first');
      await r.drawn(1); // the first has arrived and drawn 0.99: it waits 2970 ms
      const second = tg.sendMessage(-100810, 'second');
      await Promise.all([first, second]);
      expect(fake.callsOf('sendMessage').map((c) => c.params.text)).toEqual(['second', 'first']);
      expect(fake.chatMessages(-100810).map((m) => [m.message_id, m.text])).toEqual([
        [1, 'second'],
        [2, 'first'],
      ]);
      const firstCall = fake.callsOf('sendMessage')[1]!;
      expect(firstCall.at - r.takenAt[0]!).toBeGreaterThanOrEqual(2969);
    } finally {
      await fake.close();
    }
  });

  it('counts the rate limits when a request arrives, after its jitter, not when it was sent', async () => {
    // One send a minute to a group, so the first (held ~3 s) still falls in the window the second opened.
    const r = scripted([0.99, 0]);
    const fake = await startFakeTelegram({ rateLimit: { perGroupPerMinute: 1 }, jitterMs: 1500, random: r.random });
    try {
      const tg = new Telegram(fake.token, { apiRoot: fake.apiRoot });
      const sentFirst = tg.sendMessage(-100811, 'sent first');
      await r.drawn(1);
      const sentSecond = tg.sendMessage(-100811, 'sent second');
      const [first, second] = await Promise.allSettled([sentFirst, sentSecond]);
      // The second arrived first and took the group's one send; the first, arriving after it, is refused.
      expect(second.status).toBe('fulfilled');
      expect(first.status).toBe('rejected');
      expect(((first as PromiseRejectedResult).reason as TelegramError).code).toBe(429);
      expect(fake.stats().tooManyRequests).toBe(1);
    } finally {
      await fake.close();
    }
  });

  it('has no jitter unless asked, and refuses a negative one', async () => {
    let draws = 0;
    const fake = await startFakeTelegram({ random: () => (draws++, 0.5) });
    try {
      await new Telegram(fake.token, { apiRoot: fake.apiRoot }).sendMessage(-100812, 'x');
      expect(draws).toBe(0);
    } finally {
      await fake.close();
    }
    await expect(startFakeTelegram({ jitterMs: -1 })).rejects.toThrow(/jitterMs/);
  });
});

describe('rate-limit windows (pure)', () => {
  it('refuses the 31st send in one second overall', () => {
    const w = createRateWindows();
    for (let i = 0; i < 30; i++) expect(w.take(1000 + i, 5000 + i * 10)).toBe(0);
    const wait = w.take(2000, 5400);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(w.take(2000, 6000)).toBe(0); // the first send left the window at 6000
  });

  it('refuses the 21st send to one group within a minute', () => {
    const w = createRateWindows();
    for (let i = 0; i < 20; i++) expect(w.take(-100, i * 1500)).toBe(0);
    expect(w.take(-100, 30_000)).toBe(30); // the first send (at 0) frees its slot at 60 s
    expect(w.take(-100, 59_999)).toBe(1);
    expect(w.take(-100, 60_000)).toBe(0);
  });

  it('refuses a second send to the same chat in the same second, private or group', () => {
    const w = createRateWindows();
    expect(w.take(42, 1000)).toBe(0);
    expect(w.take(42, 1999)).toBe(1);
    expect(w.take(43, 1999)).toBe(0);
    expect(w.take(42, 2000)).toBe(0);
    expect(w.take(-7, 0)).toBe(0);
    expect(w.take(-7, 500)).toBe(1);
  });

  it('does not count refused sends, and check() records nothing', () => {
    const w = createRateWindows({ globalPerSecond: 2, perChatPerSecond: 1, perGroupPerMinute: 20 });
    expect(w.take(1, 0)).toBe(0);
    expect(w.take(1, 100)).toBe(1); // refused: not recorded
    expect(w.check(2, 200)).toBe(0);
    expect(w.take(2, 200)).toBe(0);
    expect(w.take(3, 300)).toBe(1); // two in the last second overall
    expect(w.take(3, 1000)).toBe(0); // 0 left the window; the refused one at 100 never counted
    expect(w.take(1, 1100)).toBe(1); // 200 and 1000 are still in the window overall
  });
});
