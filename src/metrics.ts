import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OutboxSummary } from './db/outbox-store';
import type { Metrics, PressOutcome, SendOutcome } from './domain/metrics';

export interface PromMetricsOptions {
  /** The pending outbox at a glance (OutboxStore.pendingSummary); without it the outbox gauges stay absent. */
  outbox?: (now: Date) => Promise<OutboxSummary>;
  clock?: () => Date;
  /** How long one read of the outbox serves scrapes (default 5 s): scrapes cannot hammer the database. */
  outboxCacheMs?: number;
  /** Node's own metrics (process_*, nodejs_*: memory, CPU, event loop lag, GC). Default true. */
  defaultMetrics?: boolean;
}

export interface PromMetrics extends Metrics {
  readonly registry: Registry;
  /** The Content-Type of render()'s text (Prometheus text format 0.0.4). */
  readonly contentType: string;
  render(): Promise<string>;
  /** Adds the outbox gauges over this reader, when it was not given at creation (the runtime's outbox exists after the metrics). Once only. */
  watchOutbox(read: (now: Date) => Promise<OutboxSummary>): void;
}

/** Item kinds are names from our code; anything odd is folded, so a label can never grow without bound. */
const labelOf = (s: string) => (/^[A-Za-z0-9_.-]{1,40}$/.test(s) ? s : 'other');

/**
 * The service's metrics over prom-client, in a registry of their own (never prom-client's global
 * one: two runtimes in one process, as tests build, each count their own). Names are listed in the
 * README (Metrics and health).
 */
export function createPromMetrics(opts: PromMetricsOptions = {}): PromMetrics {
  const registry = new Registry();
  const clock = opts.clock ?? (() => new Date());
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const press = new Histogram({
    name: 'microwish_press_answer_seconds',
    help: 'Time from the bot taking a button press to its answerCallbackQuery completing, by outcome (ok, failed)',
    labelNames: ['outcome'] as const,
    // Telegram shows a spinner until the answer; after about 15 s the answer is refused.
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 15, 30],
    registers: [registry],
  });
  const sends = new Counter({
    name: 'microwish_sends_total',
    help: 'Outbox delivery attempts by item kind and outcome (sent, coalesced, retry, failed)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({ name: 'microwish_telegram_429_total', help: 'Sends Telegram refused with 429 Too Many Requests (retried after retry_after)', registers: [registry] });
  const jobRuns = new Counter({ name: 'microwish_job_runs_total', help: 'Scheduled job runs by job and outcome (ok, failed)', labelNames: ['job', 'outcome'] as const, registers: [registry] });
  const jobSeconds = new Histogram({
    name: 'microwish_job_duration_seconds',
    help: 'How long scheduled job runs took, by job',
    labelNames: ['job'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'microwish_errors_total',
    help: 'Error answers by where they were given (http, bot) and their code (wish_not_found, route_not_found, busy, internal, ...)',
    labelNames: ['where', 'code'] as const,
    registers: [registry],
  });

  let watching = false;
  function watchOutbox(read: (now: Date) => Promise<OutboxSummary>): void {
    if (watching) throw new Error('the outbox is watched already');
    watching = true;
    const cacheMs = opts.outboxCacheMs ?? 5_000;
    let cached: { at: number; summary: OutboxSummary } | undefined;
    let reading: Promise<OutboxSummary | undefined> | undefined;
    const readFailures = new Counter({
      name: 'microwish_outbox_read_failures_total',
      help: 'Scrapes whose read of the outbox failed (the outbox gauges kept their last values)',
      registers: [registry],
      // Reported after the scrape's read has settled, so a failure shows in the scrape it happened in.
      async collect() {
        await summary();
      },
    });
    /** One read per cacheMs however many gauges and scrapes ask; a failed read keeps the last summary. */
    const summary = (): Promise<OutboxSummary | undefined> => {
      if (cached && Date.now() - cached.at < cacheMs) return Promise.resolve(cached.summary);
      reading ??= read(clock())
        .then((s) => {
          cached = { at: Date.now(), summary: s };
          return s;
        })
        .catch(() => {
          readFailures.inc();
          return cached?.summary;
        })
        .finally(() => {
          reading = undefined;
        });
      return reading;
    };
    const ageOf = (at: Date | undefined) => (at ? Math.max(0, (clock().getTime() - at.getTime()) / 1000) : 0);
    const gauge = (name: string, help: string, value: (s: OutboxSummary) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          const s = await summary();
          if (s) this.set(value(s));
        },
      });
    gauge('microwish_outbox_pending_items', 'Items waiting in the outbox (due now or later: quiet hours, retry backoff)', (s) => s.pending);
    gauge('microwish_outbox_due_items', 'Pending outbox items whose time has come', (s) => s.due);
    gauge('microwish_outbox_oldest_pending_age_seconds', 'Age of the oldest pending outbox item, since it was enqueued (0 when none)', (s) => ageOf(s.oldestCreatedAt));
    gauge('microwish_outbox_oldest_due_wait_seconds', 'How long the longest-waiting due item has been due (0 when none): the sender falling behind', (s) => ageOf(s.oldestDueAt));
  }
  if (opts.outbox) watchOutbox(opts.outbox);

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    watchOutbox,
    pressAnswered(seconds: number, outcome: PressOutcome) {
      press.observe({ outcome }, seconds);
    },
    sendOutcome(kind: string, outcome: SendOutcome) {
      sends.inc({ kind: labelOf(kind), outcome });
    },
    rateLimited() {
      rateLimited.inc();
    },
    jobRun(name: string, seconds: number, ok: boolean) {
      jobRuns.inc({ job: labelOf(name), outcome: ok ? 'ok' : 'failed' });
      jobSeconds.observe({ job: labelOf(name) }, seconds);
    },
    error(code: string, where) {
      errors.inc({ where, code: labelOf(code) });
    },
  };
}
