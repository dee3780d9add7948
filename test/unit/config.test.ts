import { ConfigError, parseConfig } from '../../src/config';

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  const minimal = { BOT_TOKEN: '123456:ABC-def_ghi' };

  it('applies defaults: polling, port 3000, English, embedded database', () => {
    const c = parseConfig(minimal);
    expect(c.bot.mode).toEqual({ kind: 'polling' });
    expect(c.http.port).toBe(3000);
    expect(c.defaultLanguage).toBe('en');
    expect(c.db.uri).toBeUndefined();
    expect(c.bot.apiRoot).toBe('https://api.telegram.org');
  });

  it('treats empty values as unset', () => {
    expect(parseConfig({ ...minimal, PORT: '', MONGODB_URI: ' ' }).http.port).toBe(3000);
  });

  it('names a missing BOT_TOKEN and a bad PORT, one line each', () => {
    const p = problems({ PORT: 'eighty' });
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(/^BOT_TOKEN is required/);
    expect(p[1]).toMatch(/^PORT .*"eighty"/);
  });

  it('rejects a port out of range', () => {
    expect(problems({ ...minimal, PORT: '70000' })).toEqual([expect.stringMatching(/^PORT must be between 0 and 65535/)]);
  });

  it('requires an https WEBHOOK_URL and a WEBHOOK_SECRET in webhook mode', () => {
    const p = problems({ ...minimal, BOT_MODE: 'webhook', WEBHOOK_URL: 'http://example.org/hook' });
    expect(p.map((x) => x.split(' ')[0])).toEqual(['WEBHOOK_URL', 'WEBHOOK_SECRET']);
    const ok = parseConfig({ ...minimal, BOT_MODE: 'webhook', WEBHOOK_URL: 'https://example.org/hook', WEBHOOK_SECRET: 'a-long-enough-secret' });
    expect(ok.bot.mode).toEqual({ kind: 'webhook', url: 'https://example.org/hook', secret: 'a-long-enough-secret' });
  });

  it('parses admin ids and refuses anything but numbers', () => {
    expect(parseConfig({ ...minimal, ADMIN_TELEGRAM_IDS: '12, 34' }).adminTelegramIds).toEqual([12, 34]);
    expect(problems({ ...minimal, ADMIN_TELEGRAM_IDS: '12,@bob' })[0]).toMatch(/^ADMIN_TELEGRAM_IDS/);
  });

  it('limits API requests to 600 a minute per client unless told; 0 turns it off; a bad value is named', () => {
    expect(parseConfig(minimal).apiRateLimitPerMinute).toBe(600);
    expect(parseConfig({ ...minimal, API_RATE_LIMIT_PER_MINUTE: '0' }).apiRateLimitPerMinute).toBe(0);
    expect(parseConfig({ ...minimal, API_RATE_LIMIT_PER_MINUTE: '120' }).apiRateLimitPerMinute).toBe(120);
    expect(problems({ ...minimal, API_RATE_LIMIT_PER_MINUTE: 'lots' })).toEqual([expect.stringMatching(/^API_RATE_LIMIT_PER_MINUTE must be a number .*"lots"/)]);
    expect(problems({ ...minimal, API_RATE_LIMIT_PER_MINUTE: '-5' })).toEqual([expect.stringMatching(/^API_RATE_LIMIT_PER_MINUTE must be 0 \(off\) or more/)]);
  });

  it('takes CONSOLE_URL only as an https address, without a trailing slash', () => {
    expect(parseConfig({ ...minimal, CONSOLE_URL: 'https://wishes.example.org/' }).consoleUrl).toBe('https://wishes.example.org');
    expect(parseConfig(minimal).consoleUrl).toBeUndefined();
    expect(problems({ ...minimal, CONSOLE_URL: 'http://wishes.example.org' }).join('\n')).toMatch(/CONSOLE_URL.*https/);
  });

  it('takes an optional METRICS_TOKEN for /metrics, refuses a short one and never echoes it', () => {
    expect(parseConfig(minimal).metricsToken).toBeUndefined();
    expect(parseConfig({ ...minimal, METRICS_TOKEN: 'scrape-token-0123456789' }).metricsToken).toBe('scrape-token-0123456789');
    const p = problems({ ...minimal, METRICS_TOKEN: 'short' });
    expect(p).toEqual([expect.stringMatching(/^METRICS_TOKEN must be 16-256 characters/)]);
    expect(p[0]).not.toContain('short');
  });

  it('never echoes secrets in its messages', () => {
    const p = problems({ ...minimal, ADMIN_API_TOKEN: 'short', MONGODB_URI: 'postgres://user:pw@host' });
    expect(p.join('\n')).not.toContain('short');
    expect(p.join('\n')).not.toContain('pw@host');
  });

  it('counts money in CNY unless told, and names a currency code it does not know', () => {
    expect(parseConfig(minimal).currency).toBe('CNY');
    expect(parseConfig({ ...minimal, CURRENCY: 'hkd' }).currency).toBe('HKD');
    expect(problems({ ...minimal, CURRENCY: 'yuan' })).toEqual(['CURRENCY must be an ISO 4217 currency code such as CNY, HKD or USD (got "yuan")']);
  });

  it('refuses an unknown language, bot mode and time zone', () => {
    const p = problems({ ...minimal, DEFAULT_LANGUAGE: 'fr', BOT_MODE: 'push', TZ: 'Mars/Olympus' });
    expect(p.map((x) => x.split(' ')[0]).sort()).toEqual(['BOT_MODE', 'DEFAULT_LANGUAGE', 'TZ']);
  });

  it('reads job schedules and quiet hours, and names a bad cron expression', () => {
    const c = parseConfig({ ...minimal, CRON_DIGEST: '0 9 * * 1', QUIET_HOURS: '22-7' });
    expect(c.jobs.cron.digest).toBe('0 9 * * 1');
    expect(c.jobs.quietHours).toEqual({ from: 22, to: 7 });
    expect(parseConfig({ ...minimal, QUIET_HOURS: 'off' }).jobs.quietHours).toBeUndefined();
    const p = problems({ ...minimal, CRON_EXPIRE: 'every hour', REMINDER_AFTER_DAYS: '0', QUIET_HOURS: '9pm' });
    expect(p.find((x) => x.startsWith('CRON_EXPIRE '))).toContain('cron expression');
    expect(p.find((x) => x.startsWith('REMINDER_AFTER_DAYS '))).toContain('at least 1');
    expect(p.find((x) => x.startsWith('QUIET_HOURS '))).toContain('21-8');
  });

  describe('data key (private fields at rest)', () => {
    const HEX = 'a1'.repeat(32);
    const B64 = Buffer.alloc(32, 7).toString('base64');

    it('refuses to start in production without DATA_KEY, naming it', () => {
      const p = problems({ ...minimal, NODE_ENV: 'production' });
      expect(p).toEqual([expect.stringMatching(/^DATA_KEY is required with NODE_ENV=production/)]);
      expect(problems({ ...minimal, NODE_ENV: 'production', DATA_KEY: '  ' })).toEqual([expect.stringMatching(/^DATA_KEY is required/)]);
    });

    it('leaves DATA_KEY optional in development and test', () => {
      expect(parseConfig({ ...minimal, NODE_ENV: 'development' }).dataKeys).toEqual({ old: [] });
      expect(parseConfig({ ...minimal, NODE_ENV: 'test' }).dataKeys.current).toBeUndefined();
    });

    it('reads hex or base64; the id is derived from the key unless DATA_KEY_ID is given', () => {
      const hex = parseConfig({ ...minimal, NODE_ENV: 'production', DATA_KEY: HEX }).dataKeys.current!;
      expect(hex.key).toEqual(Buffer.from(HEX, 'hex'));
      expect(hex.id).toMatch(/^[0-9a-f]{12}$/);
      const b64 = parseConfig({ ...minimal, DATA_KEY: B64, DATA_KEY_ID: 'k2026' }).dataKeys.current!;
      expect(b64).toEqual({ id: 'k2026', key: Buffer.alloc(32, 7) });
      expect(parseConfig({ ...minimal, DATA_KEY: HEX }).dataKeys.current!.id).toBe(hex.id);
    });

    it('names a malformed key without printing it', () => {
      const short = problems({ ...minimal, DATA_KEY: 'c2hvcnQta2V5' });
      expect(short).toEqual([expect.stringMatching(/^DATA_KEY must be 32 random bytes/)]);
      expect(short[0]).not.toContain('c2hvcnQta2V5');
      expect(problems({ ...minimal, NODE_ENV: 'production', DATA_KEY: 'not a key!' })).toEqual([expect.stringMatching(/^DATA_KEY must be 32 random bytes/)]);
      expect(problems({ ...minimal, DATA_KEY: HEX, DATA_KEYS_OLD: `${B64},zz` })).toEqual([expect.stringMatching(/^DATA_KEYS_OLD \(key 2/)]);
      expect(problems({ ...minimal, DATA_KEY_ID: 'k1' })).toEqual([expect.stringMatching(/^DATA_KEY_ID is set but DATA_KEY is not/)]);
    });

    it('reads old keys, each as key or id:key', () => {
      const c = parseConfig({ ...minimal, DATA_KEY: HEX, DATA_KEYS_OLD: `${B64}, old1:${'0f'.repeat(32)}` });
      expect(c.dataKeys.old.map((k) => k.id)).toEqual([expect.stringMatching(/^[0-9a-f]{12}$/), 'old1']);
      expect(c.dataKeys.old[1]!.key).toEqual(Buffer.from('0f'.repeat(32), 'hex'));
    });
  });
});
