import type { Telegram } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import { BotContext } from '../../src/bot/context';

// The press's answer tells whether Telegram took it: the time-to-answer metric is labelled by it.

const botInfo = { id: 1, is_bot: true, first_name: 'Bot', username: 'bot' } as UserFromGetMe;
const press = { update_id: 1, callback_query: { id: 'q1', from: { id: 7, is_bot: false, first_name: 'D' }, chat_instance: 'c', data: 'x' } } as Update;

function contextWith(answer: () => Promise<true>) {
  const telegram = { answerCbQuery: jest.fn(answer) } as unknown as Telegram;
  const ctx = new BotContext(press, telegram, botInfo);
  const told: boolean[] = [];
  ctx.onAnswered = (ok) => told.push(ok);
  return { ctx, told, telegram };
}

describe('BotContext.answerCbQuery', () => {
  it('tells onAnswered(true) once Telegram took the answer, and sends a second answer nowhere', async () => {
    const { ctx, told, telegram } = contextWith(async () => true);
    await ctx.answerCbQuery('done');
    await ctx.answerCbQuery('again');
    expect(told).toEqual([true]);
    expect(telegram.answerCbQuery).toHaveBeenCalledTimes(1);
  });

  it('tells onAnswered(false) when the answer failed', async () => {
    const { ctx, told } = contextWith(async () => Promise.reject(new Error('query is too old')));
    await expect(ctx.answerCbQuery('late')).rejects.toThrow('query is too old');
    expect(told).toEqual([false]);
  });
});
