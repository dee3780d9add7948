import { Telegram, TelegramError } from 'telegraf';
import { FakeTelegram, privateChatOf, startFakeTelegram } from '../fake-telegram';

// What the fake Bot API says about button answers and text encodings, as Telegram does.

describe('fake Telegram: one answer per press, and UTF-8 only', () => {
  let fake: FakeTelegram;
  let tg: Telegram;
  const ann = { id: 4545, first_name: 'Ann' };
  beforeAll(async () => {
    fake = await startFakeTelegram();
    tg = new Telegram(fake.token, { apiRoot: fake.apiRoot });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('refuses a second answer to one callback query, and counts answers per query', async () => {
    const pressed = fake.pushUpdate(fake.callbackUpdate(ann, { chat: privateChatOf(ann), message_id: 1 }, 'x'));
    const never = fake.pushUpdate(fake.callbackUpdate(ann, { chat: privateChatOf(ann), message_id: 1 }, 'y'));
    const id = pressed.callback_query!.id;
    await tg.answerCbQuery(id, 'first');
    const second = await tg.answerCbQuery(id, 'second').catch((err: unknown) => err);
    expect(second).toBeInstanceOf(TelegramError);
    expect((second as TelegramError).description).toBe('Bad Request: query is too old and response timeout expired or query ID is invalid');
    expect(fake.answersTo(id).map((c) => c.ok)).toEqual([true, false]);
    expect(fake.callbackAnswers()).toEqual({ pushed: 2, unanswered: [never.callback_query!.id], twice: [id] });
  });

  it('refuses texts with a lone surrogate, which have no UTF-8 form', async () => {
    fake.startUser(ann.id);
    const bad = await tg.sendMessage(ann.id, 'hello \uD800').catch((err: unknown) => err);
    expect((bad as TelegramError).description).toBe('Bad Request: strings must be encoded in UTF-8');
    await expect(tg.sendMessage(ann.id, 'hello 👩‍👩‍👧‍👦 \u202e')).resolves.toMatchObject({ text: 'hello 👩‍👩‍👧‍👦 \u202e' });
  });
});
