import request from 'supertest';
import { createControlApp } from '../fake-telegram/control';
import { filterCalls, parseCallsFilter } from '../fake-telegram/calls-filter';
import { startFakeTelegram, type FakeTelegram, type RecordedCall } from '../fake-telegram';
import { freePort } from '../../src/db/ferretdb';

const call = (seq: number, method: string, chatId: number | string | undefined, at: number): RecordedCall => ({
  seq,
  method,
  params: chatId === undefined ? {} : { chat_id: chatId },
  at,
  ok: true,
});

describe('the fake Bot API call log filter', () => {
  const T = Date.parse('2026-11-23T10:00:00Z');
  const calls = [
    call(1, 'getMe', undefined, T),
    call(2, 'sendMessage', -100123, T + 1000),
    call(3, 'sendMessage', '42', T + 2000),
    call(4, 'editMessageText', '-100123', T + 3000),
    call(5, 'answerCallbackQuery', undefined, T + 4000),
    call(6, 'sendMessage', -1001234, T + 5000),
  ];
  const seqs = (q: Record<string, unknown>) => filterCalls(calls, parseCallsFilter(q)).map((c) => c.seq);

  it('keeps everything without parameters', () => {
    expect(seqs({})).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads since as a seq (the calls after it) or an ISO time (at or after it)', () => {
    expect(seqs({ since: '3' })).toEqual([4, 5, 6]);
    expect(seqs({ since: '0' })).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seqs({ since: new Date(T + 3000).toISOString() })).toEqual([4, 5, 6]);
    expect(seqs({ since: '2026-11-23T10:00:02.500Z' })).toEqual([4, 5, 6]);
  });

  it('keeps one method or several, whatever their case', () => {
    expect(seqs({ method: 'sendMessage' })).toEqual([2, 3, 6]);
    expect(seqs({ method: 'sendmessage,editMessageText' })).toEqual([2, 3, 4, 6]);
  });

  it('matches chat_id given as a number or a string, and only that chat', () => {
    expect(seqs({ chat_id: '-100123' })).toEqual([2, 4]);
    expect(seqs({ chat_id: '42' })).toEqual([3]);
  });

  it('combines the parameters', () => {
    expect(seqs({ since: '2', method: 'sendMessage,editMessageText', chat_id: '-100123' })).toEqual([4]);
  });

  it('refuses what it cannot read, naming the parameter', () => {
    expect(() => parseCallsFilter({ since: 'yesterday' })).toThrow(/since/);
    expect(() => parseCallsFilter({ since: '-1' })).toThrow(/since/);
    expect(() => parseCallsFilter({ method: 'send Message' })).toThrow(/method/);
    expect(() => parseCallsFilter({ chat_id: 'abc' })).toThrow(/chat_id/);
  });
});

describe('GET /_fake/calls', () => {
  let fake: FakeTelegram;
  beforeAll(async () => {
    fake = await startFakeTelegram();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('answers the whole log, or the filtered part, and 400 for a bad filter', async () => {
    fake.startUser(42);
    const api = (method: string, body: object) =>
      fetch(`${fake.apiRoot}/bot${fake.token}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await api('getMe', {});
    await api('sendMessage', { chat_id: 42, text: 'one' });
    await api('sendMessage', { chat_id: 43, text: 'refused: never started' });
    await api('sendMessage', { chat_id: 42, text: 'two' });
    const app = createControlApp(fake);

    const all = await request(app).get('/_fake/calls').expect(200);
    expect((all.body as RecordedCall[]).map((c) => c.method)).toEqual(['getMe', 'sendMessage', 'sendMessage', 'sendMessage']);

    const to42 = await request(app).get('/_fake/calls').query({ method: 'sendMessage', chat_id: 42 }).expect(200);
    expect((to42.body as RecordedCall[]).map((c) => c.params.text)).toEqual(['one', 'two']);

    const first = (all.body as RecordedCall[])[1]!.seq;
    const later = await request(app).get('/_fake/calls').query({ since: first, chat_id: 42 }).expect(200);
    expect((later.body as RecordedCall[]).map((c) => c.params.text)).toEqual(['two']);

    const bad = await request(app).get('/_fake/calls').query({ since: 'soon' }).expect(400);
    expect(String((bad.body as { error: string }).error)).toMatch(/since/);
  });
});

describe('the fake Bot API on a fixed port', () => {
  it('listens where it is told, so a service started by hand can be pointed at it', async () => {
    const port = await freePort();
    const fake = await startFakeTelegram({ port });
    try {
      expect(fake.apiRoot).toBe(`http://127.0.0.1:${port}`);
      const res = await fetch(`http://127.0.0.1:${port}/bot${fake.token}/getMe`);
      expect(((await res.json()) as { result: { username: string } }).result.username).toBe(fake.botInfo.username);
    } finally {
      await fake.close();
    }
  });
});
