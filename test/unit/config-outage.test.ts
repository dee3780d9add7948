import { ConfigError, parseConfig } from '../../src/config';

const minimal = { BOT_TOKEN: '123456:ABC-def_ghi' };

describe('configuration for outages and crashes', () => {
  it('defaults: relay catch-up within 60 s on an interval (no relay cron), liveness grace 120 s', () => {
    const c = parseConfig(minimal);
    expect(c.jobs.relayCatchUpSeconds).toBe(60);
    expect(c.jobs.cron.relaySweep).toBeUndefined();
    expect(c.livenessDbGraceSeconds).toBe(120);
  });

  it('reads RELAY_CATCH_UP_SECONDS, LIVENESS_DB_GRACE_SECONDS and an explicit CRON_RELAY_SWEEP', () => {
    const c = parseConfig({ ...minimal, RELAY_CATCH_UP_SECONDS: '30', LIVENESS_DB_GRACE_SECONDS: '300', CRON_RELAY_SWEEP: '*/2 * * * *' });
    expect(c.jobs.relayCatchUpSeconds).toBe(30);
    expect(c.livenessDbGraceSeconds).toBe(300);
    expect(c.jobs.cron.relaySweep).toBe('*/2 * * * *');
  });

  it('names each bad value', () => {
    let problems: string[] = [];
    try {
      parseConfig({ ...minimal, RELAY_CATCH_UP_SECONDS: 'soon', LIVENESS_DB_GRACE_SECONDS: '1', CRON_RELAY_SWEEP: 'often' });
    } catch (err) {
      if (err instanceof ConfigError) problems = err.problems;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^RELAY_CATCH_UP_SECONDS must be a number of seconds/),
        expect.stringMatching(/^LIVENESS_DB_GRACE_SECONDS must be at least 10/),
        expect.stringMatching(/^CRON_RELAY_SWEEP must be a cron expression/),
      ]),
    );
  });
});
