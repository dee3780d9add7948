import express from 'express';
import request from 'supertest';
import { createDatabaseHealth, SetTimer } from '../../src/db/health';
import { healthDepsOf, healthRoutes } from '../../src/http/routes/health';

/** A clock and timers the test moves by hand: `advance` fires what falls due. */
function manualTime(start = 0) {
  let now = start;
  const timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];
  const setTimer: SetTimer = (fn, ms) => {
    const t = { at: now + ms, fn, cancelled: false };
    timers.push(t);
    return { cancel: () => void (t.cancelled = true) };
  };
  return {
    clock: () => new Date(now),
    setTimer,
    pending: () => timers.filter((t) => !t.cancelled).length,
    /** Moves time on, firing due timers one by one and letting each one's promises settle. */
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        due.cancelled = true;
        now = due.at;
        due.fn();
        for (let i = 0; i < 20; i++) await Promise.resolve();
      }
      now = until;
    },
  };
}

describe('database health', () => {
  it('is up, then down since the first failed ping, and up again with a new "since" once a ping answers', async () => {
    const time = manualTime(1_000);
    let answers = true;
    const health = createDatabaseHealth({ ping: async () => answers, clock: time.clock, setTimer: time.setTimer, intervalMs: 5_000, downIntervalMs: 1_000, livenessGraceMs: 120_000 });
    health.start();
    await time.advance(5_000);
    expect(health.state()).toMatchObject({ up: true, failures: 0 });
    answers = false;
    await time.advance(5_000);
    expect(health.state()).toMatchObject({ up: false, since: new Date(11_000), failures: 1 });
    // While down it looks every second, so recovery is noticed at once.
    await time.advance(3_000);
    expect(health.state().failures).toBe(4);
    answers = true;
    await time.advance(1_000);
    expect(health.state()).toMatchObject({ up: true, since: new Date(15_000), failures: 0 });
    health.stop();
    expect(time.pending()).toBe(0);
  });

  it('stays live through a short outage and reports not live once the database has been gone longer than the grace', async () => {
    const time = manualTime();
    let answers = false;
    const health = createDatabaseHealth({ ping: async () => answers, clock: time.clock, setTimer: time.setTimer, livenessGraceMs: 120_000 });
    health.start();
    await time.advance(5_000); // the first failed ping: down since 5 s
    expect(health.isLive()).toBe(true);
    await time.advance(120_000);
    expect(health.isLive()).toBe(true); // exactly the grace
    await time.advance(1_000);
    expect(health.isLive()).toBe(false);
    answers = true;
    await time.advance(1_000);
    expect(health.isLive()).toBe(true);
    health.stop();
  });

  it('a ping that throws counts as a failed one', async () => {
    const time = manualTime();
    const health = createDatabaseHealth({ ping: () => Promise.reject(new Error('boom')), clock: time.clock, setTimer: time.setTimer, livenessGraceMs: 10_000 });
    expect((await health.check()).up).toBe(false);
  });

  describe('the watchdog', () => {
    it('rebuilds the client when pings keep failing while the server port accepts connections, at most once per period', async () => {
      const time = manualTime();
      const rebuilds: number[] = [];
      let portOpen = false;
      const health = createDatabaseHealth({
        ping: async () => false,
        clock: time.clock,
        setTimer: time.setTimer,
        livenessGraceMs: 120_000,
        watchdog: { afterMs: 15_000, serverReachable: async () => portOpen, rebuild: async () => void rebuilds.push(time.clock().getTime()) },
      });
      health.start();
      // Down from 5 s; the server is stopped (port closed) for a minute: nothing to rebuild.
      await time.advance(65_000);
      expect(rebuilds).toEqual([]);
      // The server is back (port open from the check at 66 s) but our pings keep failing.
      portOpen = true;
      await time.advance(1_000 + 14_000);
      expect(rebuilds).toEqual([]);
      await time.advance(1_000);
      expect(rebuilds).toEqual([81_000]);
      // Still stuck after the rebuild: counted afresh from the next sighting (82 s), so again 15 s later.
      await time.advance(15_000);
      expect(rebuilds).toHaveLength(1);
      await time.advance(1_000);
      expect(rebuilds).toEqual([81_000, 97_000]);
      expect(health.state().rebuiltAt).toEqual(new Date(97_000));
      health.stop();
    });

    it('starts counting afresh after a recovery: a brief failure later is not taken for a stuck client', async () => {
      const time = manualTime();
      const rebuild = jest.fn(async () => undefined);
      let answers = false;
      const health = createDatabaseHealth({ ping: async () => answers, clock: time.clock, setTimer: time.setTimer, livenessGraceMs: 120_000, watchdog: { afterMs: 15_000, serverReachable: async () => true, rebuild } });
      health.start();
      await time.advance(5_000 + 10_000); // 10 s of failed pings with the port open
      answers = true;
      await time.advance(1_000);
      expect(health.state().up).toBe(true);
      answers = false;
      await time.advance(5_000 + 8_000); // down again for 8 s: 18 s since the first sighting, but not in a row
      expect(rebuild).not.toHaveBeenCalled();
      health.stop();
    });

    it('leaves the client alone while the server is simply not there', async () => {
      const time = manualTime();
      const rebuild = jest.fn(async () => undefined);
      const health = createDatabaseHealth({ ping: async () => false, clock: time.clock, setTimer: time.setTimer, livenessGraceMs: 120_000, watchdog: { afterMs: 20_000, serverReachable: async () => false, rebuild } });
      health.start();
      await time.advance(120_000);
      expect(rebuild).not.toHaveBeenCalled();
      health.stop();
    });
  });
});

describe('/healthz and /readyz', () => {
  function appWith(health: Parameters<typeof healthDepsOf>[0]) {
    const app = express();
    app.use(healthRoutes(healthDepsOf(health)));
    return app;
  }
  const state = (up: boolean, since = new Date('2026-11-23T10:00:00Z')) => ({ up, since, failures: up ? 0 : 3 });

  it('healthz answers 200 while live, 503 naming the outage once the database has been lost beyond the grace; readyz 503 while down', async () => {
    let live = true;
    let up = false;
    const app = appWith({ check: async () => state(up), state: () => state(up), isLive: () => live });
    expect((await request(app).get('/healthz')).status).toBe(200);
    const notReady = await request(app).get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toEqual({ status: 'unavailable', database: 'down' });
    live = false;
    const dead = await request(app).get('/healthz');
    expect(dead.status).toBe(503);
    expect(dead.body).toEqual({ status: 'unhealthy', database: 'down', downSince: '2026-11-23T10:00:00.000Z' });
    up = true;
    live = true;
    expect((await request(app).get('/readyz')).status).toBe(200);
    expect((await request(app).get('/healthz')).status).toBe(200);
  });

  it('a plain readiness function (no tracker) keeps healthz at 200', async () => {
    const app = express();
    app.use(healthRoutes({ isDatabaseReady: async () => false }));
    expect((await request(app).get('/healthz')).status).toBe(200);
    expect((await request(app).get('/readyz')).status).toBe(503);
  });
});
