import { testLogger } from '../support/privacy-record';
import request from 'supertest';
import { parseConfig } from '../../src/config';
import { createScheduler } from '../../src/jobs/schedule';
import { createPromMetrics, PromMetrics } from '../../src/metrics';
import { donorUser, groupChat, Harness, startHarness, users } from '../support/bot-harness';
import { useTestDatabase } from '../support/db';
import { ADMIN_TOKEN, buildApp } from '../support/http';

/** One sample of a metric in Prometheus's text format, by name and (some of) its labels; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

/** Polls `probe` (every 20 ms) until it returns something, failing after a generous deadline (a loaded machine). */
async function eventually<T>(probe: () => T | undefined, what: string, deadlineMs = 30_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const got = probe();
    if (got !== undefined) return got;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
  }
}

describe('metrics and readiness, through the real bot, sender and scheduler', () => {
  const db = useTestDatabase();
  let h: Harness;
  let metrics: PromMetrics;
  let scheduler: ReturnType<typeof createScheduler>;
  let app: ReturnType<typeof buildApp>;
  const group = groupChat(-100555, 'Hillside');

  beforeAll(async () => {
    metrics = createPromMetrics({ outboxCacheMs: 0 });
    h = await startHarness(db, { metrics, adminApiToken: ADMIN_TOKEN });
    metrics.watchOutbox((now) => h.runtime.outbox.pendingSummary(now));
    // The relay sweep every second (RELAY_CATCH_UP_SECONDS=3): a job that runs soon by itself.
    const jobs = h.runtime.jobs(parseConfig({ BOT_TOKEN: '1:test', RELAY_CATCH_UP_SECONDS: '3' }).jobs).list.filter((j) => j.name === 'relay-sweep');
    scheduler = createScheduler({ jobs, timeZone: 'UTC', leases: h.runtime.leases, instanceId: 'metrics-test', logger: testLogger(), metrics });
    scheduler.start();
    const sender = h.runtime.sender;
    app = buildApp(db, h.runtime.services, { app: { metrics, workers: () => ({ sender: sender.status(), scheduler: scheduler.status() }) } });
  });
  afterAll(async () => {
    await scheduler?.stop();
    await h?.stop();
  });

  const scrape = async () => {
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text;
  };

  it('counts a press from its update to its answer, and the card sent for it, by outcome', async () => {
    const admin = { kind: 'admin' as const, id: 'test' };
    const community = await h.runtime.services.communities.create({ name: 'Hillside' }, admin);
    await h.runtime.groups.link(group.id, group.title!, community.id, users.admin.id, new Date());
    const { state: wish } = await h.runtime.services.wishes.create(
      { communityId: community.id, title: 'Walking frame', description: 'For the stairs.', category: 'goods', target: 1, deadline: new Date(Date.now() + 10 * 86_400_000), urgency: 'normal', beneficiary: { alias: 'resident, Building 2' } },
      admin,
      { publish: true },
    );
    const posted = await h.fake.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === group.id && String(c.params.text).includes(wish.code), 30_000);
    const card = posted.result as { chat: { id: number }; message_id: number } & Record<string, unknown>;
    expect(sample(await scrape(), 'microwish_press_answer_seconds_count', { outcome: 'ok' })).toBeUndefined();

    const donor = donorUser(7);
    h.fake.startUser(donor.id);
    const answer = await h.press(donor, card, `c:${wish.id}`);
    expect(String(answer.params.text)).toMatch(/You claimed|is yours/);
    await h.settle();

    const text = await scrape();
    expect(sample(text, 'microwish_press_answer_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'microwish_press_answer_seconds_sum', { outcome: 'ok' })).toBeGreaterThan(0);
    // The card was posted, then edited to show the claim: both sends of kind `card`.
    expect(sample(text, 'microwish_sends_total', { kind: 'card', outcome: 'sent' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'microwish_telegram_429_total')).toBe(0);
    // Everything was delivered: the outbox gauges say so.
    expect(sample(text, 'microwish_outbox_pending_items')).toBe(0);
    expect(sample(text, 'microwish_outbox_oldest_pending_age_seconds')).toBe(0);
    // Node's own metrics, in this registry.
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('shows the outbox depth and the age of its oldest pending item', async () => {
    const enqueuedAt = new Date(Date.now() - 120_000);
    await h.runtime.outbox.enqueue([{ id: 'metrics|1|later', chatId: 1, kind: 'test', payload: { type: 'message', message: { text: 'later' } }, notBefore: new Date(Date.now() + 3_600_000) }], enqueuedAt);
    try {
      const text = await scrape();
      expect(sample(text, 'microwish_outbox_pending_items')).toBe(1);
      expect(sample(text, 'microwish_outbox_due_items')).toBe(0);
      expect(sample(text, 'microwish_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(120);
      expect(sample(text, 'microwish_outbox_oldest_due_wait_seconds')).toBe(0);
    } finally {
      await h.runtime.notifyModels.Outbox.deleteOne({ _id: 'metrics|1|later' });
    }
  });

  it('counts error answers by code: a wish that does not exist, a route that does not exist', async () => {
    const api = await request(app).get('/api/v1/wishes/W-99999').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(api.status).toBe(404);
    const code = api.body.error.code as string;
    expect((await request(app).get('/no/such/page')).status).toBe(404);
    const text = await scrape();
    expect(sample(text, 'microwish_errors_total', { where: 'http', code })).toBe(1);
    expect(sample(text, 'microwish_errors_total', { where: 'http', code: 'route_not_found' })).toBe(1);
  });

  it('counts job runs and durations, and /readyz shows the sender and each job\'s last run', async () => {
    await eventually(() => (scheduler.status().jobs['relay-sweep']?.lastOk === true ? true : undefined), 'the relay sweep to run');
    const ran = await request(app).get('/readyz');
    expect(ran.status).toBe(200);
    expect(ran.body).toMatchObject({ status: 'ready', database: 'up', sender: { state: 'running' }, scheduler: { state: 'running' } });
    expect(Number.isNaN(Date.parse(ran.body.sender.lastActivityAt))).toBe(false);
    expect(Number.isNaN(Date.parse(ran.body.scheduler.jobs['relay-sweep'].lastRunAt))).toBe(false);

    const text = await scrape();
    expect(sample(text, 'microwish_job_runs_total', { job: 'relay-sweep', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'microwish_job_duration_seconds_count', { job: 'relay-sweep' })).toBeGreaterThanOrEqual(1);
  });

  it('is not ready once the scheduler has stopped, though the database answers', async () => {
    await scheduler.stop();
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'unavailable', database: 'up', scheduler: { state: 'stopped' }, sender: { state: 'running' } });
  });

  it('asks for METRICS_TOKEN when it is set', async () => {
    const guarded = buildApp(db, h.runtime.services, { app: { metrics, metricsToken: 'scrape-token-0123456789' } });
    const refused = await request(guarded).get('/metrics');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthenticated');
    expect((await request(guarded).get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789')).status).toBe(401);
    const ok = await request(guarded).get('/metrics').set('Authorization', 'Bearer scrape-token-0123456789');
    expect(ok.status).toBe(200);
    expect(sample(ok.text, 'microwish_errors_total', { where: 'http', code: 'unauthenticated' })).toBeGreaterThanOrEqual(2);
  });
});
