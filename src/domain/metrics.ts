// What the service counts about itself, as the bot, the sender, the scheduler and the HTTP layer see
// it. They take a Metrics as a dependency (never a module-level registry); src/metrics.ts implements
// it over prom-client and serves it at GET /metrics, and `noMetrics` is the default where nobody
// is listening (tests, scripts, benchmarks).

/** How a press's answer went: Telegram took it, or the answerCallbackQuery call failed. */
export type PressOutcome = 'ok' | 'failed';

/** What became of one delivery attempt (the sender's DeliveryReport outcomes). */
export type SendOutcome = 'sent' | 'coalesced' | 'retry' | 'failed';

/** Where an error was answered: an HTTP response, or a reply/answer in Telegram. */
export type ErrorSource = 'http' | 'bot';

export interface Metrics {
  /** A button press was answered `seconds` after the bot took its update. */
  pressAnswered(seconds: number, outcome: PressOutcome): void;
  /** One outbox item's attempt ended so (`kind` is the item's kind, e.g. `card`, `donor_fulfilled`). */
  sendOutcome(kind: string, outcome: SendOutcome): void;
  /** Telegram answered a send with 429 (retry_after). */
  rateLimited(): void;
  /** A scheduled job ran for `seconds`, and finished (ok) or threw. */
  jobRun(name: string, seconds: number, ok: boolean): void;
  /** An error answer, by its code (`wish_not_found`, `route_not_found`, `busy`, `internal`, ...). */
  error(code: string, where: ErrorSource): void;
}

/** Counts nothing. */
export const noMetrics: Metrics = {
  pressAnswered: () => undefined,
  sendOutcome: () => undefined,
  rateLimited: () => undefined,
  jobRun: () => undefined,
  error: () => undefined,
};
