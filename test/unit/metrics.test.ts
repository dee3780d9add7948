import { register } from 'prom-client';
import type { OutboxSummary } from '../../src/db/outbox-store';
import { createPromMetrics } from '../../src/metrics';

const line = (text: string, start: string) => text.split('\n').find((l) => l.startsWith(start));

describe('prom-client metrics', () => {
  it('counts in a registry of its own: two instances do not share counts, and the global registry stays empty', async () => {
    const a = createPromMetrics({ defaultMetrics: false });
    const b = createPromMetrics({ defaultMetrics: false });
    a.sendOutcome('card', 'sent');
    a.sendOutcome('card', 'sent');
    a.rateLimited();
    a.error('not_found', 'http');
    a.error('busy', 'bot');
    a.jobRun('digest', 0.2, true);
    a.jobRun('digest', 3, false);
    a.pressAnswered(0.3, 'ok');
    const text = await a.render();
    expect(line(text, 'microwish_sends_total{')).toBe('microwish_sends_total{kind="card",outcome="sent"} 2');
    expect(line(text, 'microwish_telegram_429_total ')).toBe('microwish_telegram_429_total 1');
    expect(line(text, 'microwish_errors_total{where="http"')).toBe('microwish_errors_total{where="http",code="not_found"} 1');
    expect(line(text, 'microwish_errors_total{where="bot"')).toBe('microwish_errors_total{where="bot",code="busy"} 1');
    expect(line(text, 'microwish_job_runs_total{job="digest",outcome="failed"}')).toBe('microwish_job_runs_total{job="digest",outcome="failed"} 1');
    expect(line(text, 'microwish_job_duration_seconds_sum{job="digest"}')).toBe('microwish_job_duration_seconds_sum{job="digest"} 3.2');
    expect(line(text, 'microwish_press_answer_seconds_bucket{le="0.5",outcome="ok"}')).toMatch(/ 1$/);
    expect(line(text, 'microwish_press_answer_seconds_bucket{le="0.25",outcome="ok"}')).toMatch(/ 0$/);

    expect(line(await b.render(), 'microwish_sends_total{')).toBeUndefined();
    expect((await register.metrics()).includes('microwish_')).toBe(false);
    expect(a.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('folds a label that is not a plain name, so labels cannot grow without bound', async () => {
    const m = createPromMetrics({ defaultMetrics: false });
    m.sendOutcome('x'.repeat(200), 'failed');
    m.error('weird code with spaces', 'http');
    const text = await m.render();
    expect(line(text, 'microwish_sends_total{')).toBe('microwish_sends_total{kind="other",outcome="failed"} 1');
    expect(line(text, 'microwish_errors_total{')).toBe('microwish_errors_total{where="http",code="other"} 1');
  });

  it('reads the outbox once per cache period however many scrapes and gauges ask, and gives ages from the clock', async () => {
    const now = new Date('2026-11-23T10:00:00Z');
    let reads = 0;
    const summary: OutboxSummary = { pending: 7, due: 3, oldestCreatedAt: new Date(now.getTime() - 90_000), oldestDueAt: new Date(now.getTime() - 4_000) };
    const m = createPromMetrics({ defaultMetrics: false, clock: () => now, outboxCacheMs: 60_000, outbox: async () => (reads++, summary) });
    const [first] = await Promise.all([m.render(), m.render(), m.render()]);
    await m.render();
    expect(reads).toBe(1);
    expect(line(first, 'microwish_outbox_pending_items ')).toBe('microwish_outbox_pending_items 7');
    expect(line(first, 'microwish_outbox_due_items ')).toBe('microwish_outbox_due_items 3');
    expect(line(first, 'microwish_outbox_oldest_pending_age_seconds ')).toBe('microwish_outbox_oldest_pending_age_seconds 90');
    expect(line(first, 'microwish_outbox_oldest_due_wait_seconds ')).toBe('microwish_outbox_oldest_due_wait_seconds 4');
  });

  it('keeps the last outbox values when a read fails, and counts the failure instead of failing the scrape', async () => {
    let fail = false;
    const m = createPromMetrics({ defaultMetrics: false, outboxCacheMs: 0, outbox: async () => {
      if (fail) throw new Error('database down');
      return { pending: 2, due: 2 };
    } });
    expect(line(await m.render(), 'microwish_outbox_pending_items ')).toBe('microwish_outbox_pending_items 2');
    fail = true;
    const text = await m.render();
    expect(line(text, 'microwish_outbox_pending_items ')).toBe('microwish_outbox_pending_items 2');
    expect(line(text, 'microwish_outbox_read_failures_total ')).toBe('microwish_outbox_read_failures_total 1');
    expect(line(text, 'microwish_outbox_oldest_pending_age_seconds ')).toBe('microwish_outbox_oldest_pending_age_seconds 0');
  });

  it('has no outbox gauges until told where the outbox is, and takes it only once', async () => {
    const m = createPromMetrics({ defaultMetrics: false });
    expect(await m.render()).not.toContain('microwish_outbox_');
    m.watchOutbox(async () => ({ pending: 0, due: 0 }));
    expect(await m.render()).toContain('microwish_outbox_pending_items 0');
    expect(() => m.watchOutbox(async () => ({ pending: 0, due: 0 }))).toThrow(/already/);
  });

  it('adds Node\'s own metrics unless told not to', async () => {
    expect(await createPromMetrics().render()).toContain('nodejs_eventloop_lag_seconds');
    expect(await createPromMetrics({ defaultMetrics: false }).render()).not.toContain('nodejs_');
  });
});
