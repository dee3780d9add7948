import cron from 'node-cron';
import { z } from 'zod';
import { DataKey, parseKeySpec } from './db/field-crypto';

const LANGUAGES = ['en', 'zh'] as const;

const port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Asia/Shanghai or UTC');

const currency = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .refine((c) => Intl.supportedValuesOf('currency').includes(c), 'must be an ISO 4217 currency code such as CNY, HKD or USD');

const cronExpression = (fallback: string) =>
  z
    .string()
    .refine((x) => cron.validate(x), 'must be a cron expression such as "0 9 * * *" (minute hour day month weekday)')
    .default(fallback);
const days = (fallback: number) => z.coerce.number({ error: 'must be a number of days' }).int('must be a whole number of days').min(1, 'must be at least 1').max(365, 'must be at most 365').default(fallback);

const base = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BOT_TOKEN: z
    .string({ error: 'is required (the token @BotFather gave you)' })
    .regex(/^\d+:[\w-]+$/, 'does not look like a bot token (123456789:ABC-DEF…)'),
  TELEGRAM_API_ROOT: z.url({ error: 'must be a URL such as https://api.telegram.org' }).default('https://api.telegram.org'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/.+/, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  EMBEDDED_DB: z.enum(['auto', 'mongodb', 'ferretdb']).default('auto'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  ADMIN_TELEGRAM_IDS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .refine((ids) => ids.every((id) => /^\d+$/.test(id)), 'must be comma-separated Telegram user ids (numbers)')
    .transform((ids) => ids.map(Number)),
  ADMIN_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  CONSOLE_URL: z
    .string()
    .regex(/^https:\/\/[^\s/]+(\/[^\s]*)?$/, 'must be an https:// address (Telegram opens Mini Apps only over HTTPS), e.g. https://wishes.example.org')
    .transform((s) => s.replace(/\/+$/, ''))
    .optional(),
  METRICS_TOKEN: z.string().regex(/^\S{16,256}$/, 'must be 16-256 characters without spaces').optional(),
  API_RATE_LIMIT_PER_MINUTE: z.coerce
    .number({ error: 'must be a number of requests per minute (0 turns the limit off)' })
    .int('must be a whole number of requests per minute')
    .min(0, 'must be 0 (off) or more')
    .max(1_000_000, 'must be at most 1000000')
    .default(600),
  DEFAULT_LANGUAGE: z.enum(LANGUAGES, { error: 'must be en or zh' }).default('en'),
  TZ: timezone.default('UTC'),
  CURRENCY: currency.default('CNY'),
  CRON_EXPIRE: cronExpression('5 * * * *'),
  CRON_PLEDGE_REMINDERS: cronExpression('0 10 * * *'),
  CRON_RELEASE_ABANDONED: cronExpression('15 10 * * *'),
  CRON_STALE_ALERTS: cronExpression('30 9 * * *'),
  CRON_DIGEST: cronExpression('0 18 * * 5'),
  CRON_HOUSEKEEPING: cronExpression('40 3 * * *'),
  CRON_SERVICE_SLOTS: cronExpression('*/5 * * * *'),
  CRON_MONTHLY_SUMMARY: cronExpression('0 9 1 * *'),
  // Unset: the relay sweep runs on the interval RELAY_CATCH_UP_SECONDS implies.
  CRON_RELAY_SWEEP: z.string().refine((x) => cron.validate(x), 'must be a cron expression such as "* * * * *" (minute hour day month weekday)').optional(),
  REMINDER_AFTER_DAYS: days(3),
  REMINDER_INTERVAL_DAYS: days(3),
  RELEASE_AFTER_DAYS: days(10),
  STALE_AFTER_DAYS: days(5),
  DEADLINE_WARNING_DAYS: days(3),
  DIGEST_SIZE: z.coerce.number({ error: 'must be a number' }).int().min(1, 'must be 1 to 10').max(10, 'must be 1 to 10').default(5),
  QUIET_HOURS: z
    .string()
    .regex(/^(off|([01]?\d|2[0-3])-([01]?\d|2[0-3]))$/, 'must be like 21-8 (from 21:00 to 08:00) or off')
    .default('21-8'),
  KEEP_DAYS: days(14),
  PRESS_LIMIT_PER_10S: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 to 1000').max(1000, 'must be 1 to 1000').default(8),
  PRESS_WAIT_MAX_MS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(100, 'must be 100 to 60000').max(60_000, 'must be 100 to 60000').default(10_000),
  PRESS_QUEUE_MAX: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 to 100000').max(100_000, 'must be 1 to 100000').default(200),
  LIVENESS_DB_GRACE_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).int('must be a whole number of seconds').min(10, 'must be at least 10').max(86_400, 'must be at most 86400').default(120),
  RELAY_CATCH_UP_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).int('must be a whole number of seconds').min(3, 'must be at least 3').max(3600, 'must be at most 3600').default(60),
});

const botMode = z.discriminatedUnion(
  'BOT_MODE',
  [
    z.object({ BOT_MODE: z.literal('polling') }),
    z.object({
      BOT_MODE: z.literal('webhook'),
      WEBHOOK_URL: z.url({ protocol: /^https$/, error: 'must be the public https:// URL Telegram will call' }),
      WEBHOOK_SECRET: z
        .string({ error: 'is required in webhook mode' })
        .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z, a-z, 0-9, _ and -'),
    }),
  ],
  { error: 'must be polling or webhook' },
);

export type BotModeConfig = { kind: 'polling' } | { kind: 'webhook'; url: string; secret: string };

export interface Config {
  env: 'development' | 'production' | 'test';
  logLevel: string;
  bot: { token: string; apiRoot: string; mode: BotModeConfig };
  db: { uri?: string; dataDir: string; embedded: 'auto' | 'mongodb' | 'ferretdb' };
  http: { port: number; host: string };
  adminTelegramIds: number[];
  adminApiToken?: string;
  /** The service's public https address (CONSOLE_URL), where Telegram opens the console as a Mini App; unset: no Mini App buttons. */
  consoleUrl?: string;
  /** When set, GET /metrics asks for `Authorization: Bearer <it>`; unset, /metrics is open (keep it off the public internet). */
  metricsToken?: string;
  /** Requests per minute one client address may make to /api/v1; 0: no limit. */
  apiRateLimitPerMinute: number;
  defaultLanguage: (typeof LANGUAGES)[number];
  timezone: string;
  /** ISO 4217 code of the money cash wishes are counted in (whole units). */
  currency: string;
  jobs: JobsConfig;
  /** How many button presses the bot takes on: per person, and waiting in this process. */
  presses: { limitPer10s: number; maxWaitMs: number; maxQueued: number };
  /** After this long without its database the service reports itself not live (/healthz 503), so it gets restarted. */
  livenessDbGraceSeconds: number;
  /**
   * The key private fields are sealed with (DATA_KEY, id DATA_KEY_ID or derived from the key) and the
   * old keys still accepted for reading (DATA_KEYS_OLD). Absent outside production: main.ts keeps a
   * generated key under DATA_DIR.
   */
  dataKeys: { current?: DataKey; old: DataKey[] };
}

export interface JobsConfig {
  /** relaySweep: a cron expression when CRON_RELAY_SWEEP is set; otherwise the sweep runs on an interval derived from relayCatchUpSeconds. */
  cron: { expire: string; pledgeReminders: string; releaseAbandoned: string; staleAlerts: string; digest: string; housekeeping: string; relaySweep?: string; serviceSlots?: string; monthlySummary?: string };
  /** Every committed event is relayed within this bound after a crash (RELAY_CATCH_UP_SECONDS, default 60). */
  relayCatchUpSeconds?: number;
  reminderAfterDays: number;
  reminderIntervalDays: number;
  releaseAfterDays: number;
  staleAfterDays: number;
  deadlineWarningDays: number;
  digestSize: number;
  quietHours?: { from: number; to: number };
  keepDays: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describe(issues: z.core.$ZodIssue[], env: Record<string, string | undefined>): string[] {
  return issues.map((issue) => {
    const name = String(issue.path[0] ?? 'configuration');
    const value = env[name];
    const shown = value === undefined || /TOKEN|SECRET|URI|KEY/.test(name) ? '' : ` (got "${value}")`;
    return `${name} ${issue.message}${shown}`;
  });
}

/** Parses the environment once into a typed Config; every bad variable is named. Pure: no process access. */
export function parseConfig(rawEnv: Record<string, string | undefined>): Config {
  // An empty value in .env means "not set", so defaults apply.
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== undefined && v.trim() !== ''));
  env.BOT_MODE ??= 'polling';
  const a = base.safeParse(env);
  const b = botMode.safeParse(env);
  const keys = parseDataKeys(env);
  const problems = [...(a.success ? [] : describe(a.error.issues, env)), ...(b.success ? [] : describe(b.error.issues, env)), ...keys.problems];
  if (!a.success || !b.success || keys.problems.length > 0) throw new ConfigError(problems);
  const e = a.data;
  const mode: BotModeConfig =
    b.data.BOT_MODE === 'webhook' ? { kind: 'webhook', url: b.data.WEBHOOK_URL, secret: b.data.WEBHOOK_SECRET } : { kind: 'polling' };
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    bot: { token: e.BOT_TOKEN, apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''), mode },
    db: { uri: e.MONGODB_URI, dataDir: e.DATA_DIR, embedded: e.EMBEDDED_DB },
    http: { port: e.PORT, host: e.HOST },
    adminTelegramIds: e.ADMIN_TELEGRAM_IDS,
    adminApiToken: e.ADMIN_API_TOKEN,
    consoleUrl: e.CONSOLE_URL,
    ...(e.METRICS_TOKEN ? { metricsToken: e.METRICS_TOKEN } : {}),
    apiRateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
    defaultLanguage: e.DEFAULT_LANGUAGE,
    timezone: e.TZ,
    currency: e.CURRENCY,
    jobs: {
      cron: {
        expire: e.CRON_EXPIRE,
        pledgeReminders: e.CRON_PLEDGE_REMINDERS,
        releaseAbandoned: e.CRON_RELEASE_ABANDONED,
        staleAlerts: e.CRON_STALE_ALERTS,
        digest: e.CRON_DIGEST,
        housekeeping: e.CRON_HOUSEKEEPING,
        serviceSlots: e.CRON_SERVICE_SLOTS,
        monthlySummary: e.CRON_MONTHLY_SUMMARY,
        ...(e.CRON_RELAY_SWEEP ? { relaySweep: e.CRON_RELAY_SWEEP } : {}),
      },
      relayCatchUpSeconds: e.RELAY_CATCH_UP_SECONDS,
      reminderAfterDays: e.REMINDER_AFTER_DAYS,
      reminderIntervalDays: e.REMINDER_INTERVAL_DAYS,
      releaseAfterDays: e.RELEASE_AFTER_DAYS,
      staleAfterDays: e.STALE_AFTER_DAYS,
      deadlineWarningDays: e.DEADLINE_WARNING_DAYS,
      digestSize: e.DIGEST_SIZE,
      quietHours: e.QUIET_HOURS === 'off' ? undefined : { from: Number(e.QUIET_HOURS.split('-')[0]), to: Number(e.QUIET_HOURS.split('-')[1]) },
      keepDays: e.KEEP_DAYS,
    },
    presses: { limitPer10s: e.PRESS_LIMIT_PER_10S, maxWaitMs: e.PRESS_WAIT_MAX_MS, maxQueued: e.PRESS_QUEUE_MAX },
    livenessDbGraceSeconds: e.LIVENESS_DB_GRACE_SECONDS,
    dataKeys: keys.dataKeys,
  };
}

/** DATA_KEY, DATA_KEY_ID and DATA_KEYS_OLD; each problem names its variable, never a key's value. */
function parseDataKeys(env: Record<string, string | undefined>): { dataKeys: Config['dataKeys']; problems: string[] } {
  const problems: string[] = [];
  let current: DataKey | undefined;
  const old: DataKey[] = [];
  const id = env.DATA_KEY_ID?.trim();
  if (env.DATA_KEY) {
    try {
      current = parseKeySpec(env.DATA_KEY, id);
    } catch (err) {
      problems.push(`DATA_KEY ${(err as Error).message}`);
    }
  } else if (env.NODE_ENV === 'production') {
    problems.push('DATA_KEY is required with NODE_ENV=production: the key private notes and contacts are encrypted with (generate one with `openssl rand -base64 32` and keep it safe: without it they cannot be read)');
  } else if (id) {
    problems.push('DATA_KEY_ID is set but DATA_KEY is not');
  }
  const oldSpecs = (env.DATA_KEYS_OLD ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  oldSpecs.forEach((spec, i) => {
    try {
      old.push(parseKeySpec(spec));
    } catch (err) {
      problems.push(`DATA_KEYS_OLD (key ${i + 1}, as key or id:key) ${(err as Error).message}`);
    }
  });
  for (const k of old) {
    if (current && k.id === current.id && !k.key.equals(current.key)) problems.push(`DATA_KEYS_OLD has a key with the id "${k.id}" of DATA_KEY but another value`);
  }
  return { dataKeys: { ...(current ? { current } : {}), old }, problems };
}
