import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { z } from 'zod';
import { Telegram, TelegramError } from 'telegraf';
import { createLogger } from '../../src/logger';

// Issue 10: when Telegram answered 500 to the wizard's preview (step 8/8), "update failed" logged
// telegraf's TelegramError whole, and with it the preview it tried to send: the resident's name,
// address, phone and private notes. Redaction covered fields named notes/contact one level deep.

const NAME = 'Chen Meihua';
const ADDRESS = 'Building 3, Room 402';
const PHONE = '138 0013 8000';
const NOTES = 'Lives alone; key under the mat';
const PREVIEW = `<b>Preview (8/8)</b>\nReading glasses +2.5\nFor: elderly resident\nName: ${NAME}\nAddress: ${ADDRESS}\nPhone: ${PHONE}\nNotes: ${NOTES}`;
const PRIVATE = [NAME, ADDRESS, PHONE, NOTES, 'Reading glasses', 'key under the mat'];

/** A logger writing into memory, and what it wrote. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('debug', stream);
  return { logger, output: () => lines.join(''), records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

function expectNothingPrivate(output: string) {
  for (const secret of PRIVATE) expect(output).not.toContain(secret);
  expect(output).not.toContain('13800138000');
}

describe('logs carry no message texts', () => {
  let server: http.Server;
  let apiRoot: string;

  beforeAll(async () => {
    // A Bot API that fails every sendMessage with 500, as Telegram sometimes does.
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error_code: 500, description: 'Internal Server Error' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('the wizard preview that Telegram refused with 500 is not in "update failed"; what went wrong is', async () => {
    const telegram = new Telegram('123456:TEST-TOKEN', { apiRoot });
    const err = await telegram
      .sendMessage(2002, PREVIEW, { parse_mode: 'HTML', reply_markup: { inline_keyboard: [[{ text: `Publish for ${NAME}`, callback_data: 'nw:publish' }]] } })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(TelegramError);
    // What the old logger (pino's default error serializer, redaction by field name) wrote: the whole preview.
    const old: string[] = [];
    const oldLogger = pino(
      { redact: { paths: ['*.token', '*.authorization', '*.contact', '*.notes'], censor: '[redacted]' } },
      new Writable({ write: (chunk, _enc, done) => (old.push(String(chunk)), done()) }),
    );
    oldLogger.error({ err, updateId: 77 }, 'update failed');
    expect(old.join('')).toContain(NOTES);

    const { logger, output, records } = capture();
    logger.child({ component: 'bot' }).error({ err, updateId: 77 }, 'update failed');
    expectNothingPrivate(output());
    const [line] = records();
    expect(line).toMatchObject({ msg: 'update failed', component: 'bot', updateId: 77, err: { type: 'TelegramError', error_code: 500, description: 'Internal Server Error', method: 'sendMessage' } });
    expect((line!.err as Record<string, unknown>).stack).toBeUndefined();
  });

  it('an error logged alone, nested, or as a cause is made safe the same way', () => {
    const payload = { chat_id: 2002, text: PREVIEW, caption: NOTES, reply_markup: { inline_keyboard: [[{ text: NAME }]] } };
    const telegramError = new TelegramError({ error_code: 400, description: "Bad Request: can't parse entities" }, { method: 'editMessageText', payload });
    const wrapped = new Error('sending the preview failed', { cause: telegramError });
    const { logger, output, records } = capture();
    logger.error(telegramError);
    logger.warn({ err: wrapped, item: { id: 'o:1', lastError: telegramError } }, 'retrying');
    expectNothingPrivate(output());
    const [alone, nested] = records();
    expect(alone).toMatchObject({ err: { error_code: 400, method: 'editMessageText' } });
    expect(nested).toMatchObject({ err: { message: 'sending the preview failed', cause: { error_code: 400, method: 'editMessageText' } }, item: { id: 'o:1', lastError: { error_code: 400 } } });
    // Our own errors keep where they happened.
    expect(String((nested!.err as Record<string, unknown>).stack)).toMatch(/^\s+at /);
  });

  it('message texts, captions, keyboards, drafts and bodies are left out at any depth', () => {
    const { logger, output, records } = capture();
    logger.info(
      {
        chatId: 2002,
        text: PREVIEW,
        update: { message: { chat: { id: 2002 }, text: `${NAME} ${PHONE}` } },
        call: { method: 'sendMessage', payload: { text: NOTES } },
        session: { flow: 'newwish', draft: { notes: NOTES, alias: ADDRESS } },
        req: { body: { beneficiary: { name: NAME } } },
        wish: { code: 'W-1001', beneficiary: { contact: PHONE, notes: NOTES } },
      },
      'an update',
    );
    expectNothingPrivate(output());
    expect(records()[0]).toMatchObject({ chatId: 2002, update: { message: { chat: { id: 2002 } } }, call: { method: 'sendMessage' }, session: { flow: 'newwish' }, wish: { code: 'W-1001' } });
  });

  it('a validation error is logged by where and why, not by the input it refused', () => {
    const { logger, output, records } = capture();
    const schema = z.strictObject({ beneficiary: z.strictObject({ notes: z.string().max(5) }) });
    const parsed = schema.safeParse({ beneficiary: { notes: NOTES } }, { reportInput: true });
    expect(parsed.success).toBe(false);
    logger.error({ err: parsed.error }, 'unhandled error');
    expectNothingPrivate(output());
    expect(records()[0]).toMatchObject({ err: { message: 'beneficiary.notes: too_big' } });
  });

  it('a bot token in an error message is not logged', () => {
    const { logger, output } = capture();
    const err = new Error('request to https://api.telegram.org/bot123456:AAHsecretTOKEN_value/sendMessage failed, reason: socket hang up');
    logger.error({ err }, 'network');
    logger.error(err);
    // The sender logs a failed call's description as a string.
    logger.info({ item: 'o:1', error: err.message }, 'send failed; will retry');
    expect(output()).not.toContain('AAHsecretTOKEN_value');
    expect(output()).toContain('bot<token>');
  });

  it('a wish, its state, its created event or an error carrying them never logs the private fields (issue 13)', () => {
    const { logger, output } = capture();
    const beneficiary = { alias: 'elderly resident, Building 3', notes: NOTES, contact: PHONE, name: NAME };
    const draft = { communityId: 'c1', title: 'Reading glasses +2.5', beneficiary };
    const state = { id: 'W-1001', code: 'W-1001', ...draft, status: 'open', version: 2 };
    const event = { id: 'W-1001:1', type: 'created', wish: { ...draft, code: 'W-1001' } };
    const err = Object.assign(new Error('save failed for W-1001'), { wish: state, state, event, beneficiary });
    logger.error({ err, wishId: 'W-1001' }, 'saving the snapshot failed');
    logger.error({ state, event, wish: draft }, 'relay failed');
    logger.warn({ context: { deeper: { state } }, beneficiary, ...beneficiary }, 'nested');
    logger.error(err);
    const out = output();
    for (const secret of [NAME, PHONE, NOTES]) expect(out).not.toContain(secret);
    // What says what went wrong is still there.
    expect(out).toContain('save failed for W-1001');
    expect(out).toContain('"wishId":"W-1001"');
    expect(out).toContain('relay failed');
  });
});
