import { Logger } from 'pino';
import { Clock, systemClock } from '../domain/clock';
import type { CreatedBot } from './create-bot';

export interface KeepRunningOptions {
  bot: Pick<CreatedBot, 'prepare' | 'startPolling' | 'pollingEnded'>;
  mode: { kind: 'polling' } | { kind: 'webhook'; url: string; secret: string };
  /** True once the service is shutting down: no more attempts. */
  stopping(): boolean;
  logger: Logger;
  clock?: Clock;
  sleep?(ms: number): Promise<void>;
  /** The longest wait between attempts. Default 60 s. */
  maxDelayMs?: number;
}

/** Polling that ran at least this long before it stopped was healthy: the next start is not delayed much. */
const HEALTHY_RUN_MS = 60_000;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Keeps the bot connected to Telegram for as long as the service runs. Telegram being unreachable at
 * start-up is not fatal (HTTP keeps serving while this retries), and neither is polling that stops by
 * itself later: telegraf retries 5xx, 429 and network errors on its own, but ends its loop on anything
 * else (a 409 when another instance polls with the same token, a 401), which left a running service
 * that no longer heard any update. Here it is started again, with a growing delay while it keeps failing.
 */
export async function keepBotRunning(opts: KeepRunningOptions): Promise<void> {
  const sleep = opts.sleep ?? realSleep;
  const clock = opts.clock ?? systemClock;
  const maxDelayMs = opts.maxDelayMs ?? 60_000;
  const log = opts.logger;
  for (let failures = 0; !opts.stopping(); ) {
    try {
      await opts.bot.prepare({ webhook: opts.mode.kind === 'webhook' ? { url: opts.mode.url, secret: opts.mode.secret } : undefined });
      if (opts.mode.kind === 'webhook') {
        log.info({ mode: 'webhook' }, 'bot running');
        return;
      }
      await opts.bot.startPolling();
      const started = clock().getTime();
      log.info({ mode: 'polling' }, 'bot running');
      const reason = await opts.bot.pollingEnded();
      if (opts.stopping()) return;
      failures = clock().getTime() - started >= HEALTHY_RUN_MS ? 0 : failures + 1;
      log.error({ err: reason }, 'polling stopped by itself; starting it again');
    } catch (err) {
      failures += 1;
      log.error({ err }, 'could not reach the Telegram Bot API');
    }
    if (opts.stopping()) return;
    await sleep(Math.min(maxDelayMs, 1000 * 2 ** Math.max(0, failures - 1)));
  }
}
