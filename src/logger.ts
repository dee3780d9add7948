import pino, { DestinationStream, Logger } from 'pino';

// What a log line may carry is decided by structure, not by guessing field names: an error keeps
// only the fields that say what went wrong (its type, code, Telegram's answer, the method called,
// where in the code), never the request that failed. Telegraf's TelegramError carries the whole
// call in `on.payload` (a wizard preview: the resident's name, address, phone and private notes),
// so that is dropped, as are message texts, captions, keyboards and request bodies wherever they
// appear in a log object.

/** Keys whose values are what people wrote or will read: never logged, at any depth. */
const NEVER_LOGGED = new Set(['text', 'caption', 'reply_markup', 'entities', 'payload', 'body', 'draft', 'notes', 'contact', 'beneficiary', 'params', 'on']);
/**
 * A beneficiary's private fields (src/db/private-fields.ts, encrypted at rest), where a log object
 * might hold one: a wish, a wish state, a draft, a created event's wish, one or two levels down.
 */
const PRIVATE_PATHS = ['notes', 'contact', 'name'].flatMap((f) => [`beneficiary.${f}`, `*.beneficiary.${f}`, `*.*.beneficiary.${f}`, `*.wish.beneficiary.${f}`]);
/** Plain fields of an error that say what went wrong without repeating what was sent. */
const SAFE_ERROR_FIELDS = ['code', 'kind', 'status', 'statusCode', 'error_code', 'description', 'retry_after', 'migrate_to_chat_id', 'errno', 'syscall', 'codeName', 'method', 'type'];
const MAX_MESSAGE = 300;
const MAX_DEPTH = 5;

/** A bot token in a URL (telegraf's network errors name the URL they called). */
const BOT_TOKEN = /bot\d+:[A-Za-z0-9_-]+/g;

function safeText(s: string): string {
  const clean = s.replace(BOT_TOKEN, 'bot<token>');
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isPlain = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Telegraf's TelegramError (and anything shaped like it): Telegram's answer in `response`, the call in `on`. */
function isTelegramError(err: Record<string, unknown>): boolean {
  return isRecord(err.response) && typeof err.response.error_code === 'number';
}

/**
 * An error as a log line may show it: type, message (without tokens, cut short), safe plain fields,
 * Telegram's error_code, description and retry hints, the method called; the stack's frames for our
 * own errors (a Telegram refusal's stack says nothing useful); causes likewise. Never its payload.
 */
export function serializeError(err: unknown, depth = 0): Record<string, unknown> {
  if (!isRecord(err)) return { message: safeText(String(err)) };
  const out: Record<string, unknown> = {};
  const ctorName = (err as { constructor?: { name?: unknown } }).constructor?.name;
  out.type = typeof err.type === 'string' ? err.type : typeof ctorName === 'string' && ctorName !== 'Object' ? ctorName : 'Error';
  if (typeof err.name === 'string' && err.name !== out.type) out.name = err.name;
  if (Array.isArray(err.issues)) {
    // A validation error's message repeats the input it refused: only where and why.
    out.message = safeText(err.issues.map((i: unknown) => (isRecord(i) ? `${Array.isArray(i.path) ? i.path.join('.') : '?'}: ${String(i.code ?? 'invalid')}` : 'invalid')).join('; '));
  } else if (typeof err.message === 'string') out.message = safeText(err.message);
  for (const key of SAFE_ERROR_FIELDS) {
    const value = err[key];
    if (key !== 'type' && isPlain(value)) out[key] = typeof value === 'string' ? safeText(value) : value;
  }
  const telegram = isTelegramError(err);
  if (telegram) {
    const response = err.response as Record<string, unknown>;
    out.error_code = response.error_code;
    if (typeof response.description === 'string') out.description = safeText(response.description);
    const parameters = response.parameters;
    if (isRecord(parameters)) {
      for (const key of ['retry_after', 'migrate_to_chat_id'] as const) if (typeof parameters[key] === 'number') out[key] = parameters[key];
    }
    const on = err.on;
    if (isRecord(on) && typeof on.method === 'string') out.method = on.method;
  } else if (typeof err.stack === 'string') {
    // The frames only: the stack's first line repeats the message.
    out.stack = err.stack
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .join('\n');
  }
  if (err.cause !== undefined && depth < 3) out.cause = serializeError(err.cause, depth + 1);
  return out;
}

/** A log object with errors made safe, bot tokens blotted out, and message texts, keyboards and request bodies left out, at any depth. */
export function withoutPrivateText(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return serializeError(value);
  // A network failure's description names the URL it called, bot token included.
  if (typeof value === 'string') return value.replace(BOT_TOKEN, 'bot<token>');
  if (!isRecord(value)) return value;
  if (value instanceof Date) return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.map((v) => withoutPrivateText(v, depth + 1));
  if (isTelegramError(value)) return serializeError(value);
  const out: Record<string, unknown> = {};
  // An object with an `alias` is a beneficiary (or one spread into a log object): its `name` is the resident's.
  const beneficiaryLike = 'alias' in value;
  for (const [key, v] of Object.entries(value)) {
    if (NEVER_LOGGED.has(key) || (beneficiaryLike && key === 'name')) continue;
    out[key] = withoutPrivateText(v, depth + 1);
  }
  return out;
}

/** The service's logger; tests pass their own destination to read what it writes. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'microwish' },
    // The message too: pino takes an error's message for the line's when none is given.
    serializers: { err: serializeError, msg: (m: unknown) => (typeof m === 'string' ? safeText(m) : m) },
    formatters: { log: (object) => withoutPrivateText(object) as Record<string, unknown> },
    // Belt and braces: withoutPrivateText already leaves out `beneficiary`, `notes` and `contact` at any depth.
    redact: { paths: ['*.token', '*.authorization', 'req.headers.authorization', '*.contact', '*.notes', ...PRIVATE_PATHS], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
