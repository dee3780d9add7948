import { Logger } from 'pino';
import { Clock } from '../domain/clock';
import { LeaseStore, slotKey } from '../db/lease-store';
import { OutboxStore } from '../db/outbox-store';
import { createRateLimiter, DEFAULT_LIMITS, SendLimits } from './rate-limiter';
import { CardSource, DeliveryReport, OutboxItem, RenderedMessage } from './types';

export interface SenderDeps {
  outbox: OutboxStore;
  leases: LeaseStore;
  telegram: unknown;
  cards: CardSource;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  limits?: Partial<SendLimits>;
  /** Length of one sending turn; a crashed sender's work is picked up by the next turn. */
  slotMs?: number;
  onReport?(report: DeliveryReport): void;
  maxAttempts?: number;
  /** At most this many sends awaiting Telegram or the database: bounds what a crash can re-send. */
  maxInFlight?: number;
}

type Outcome = { kind: 'sent'; messageId?: number } | { kind: 'retry'; afterMs: number; error: string; rateLimited?: boolean } | { kind: 'failed'; code?: number; error: string };

interface ApiFailure {
  code?: number;
  description: string;
  retryAfter?: number;
}

function failureOf(err: unknown): ApiFailure {
  const e = err as { response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } }; code?: unknown; message?: string };
  if (e?.response && typeof e.response.error_code === 'number') {
    return { code: e.response.error_code, description: e.response.description ?? '', retryAfter: e.response.parameters?.retry_after };
  }
  return { description: e?.message ?? String(err) };
}

const PERMANENT = /chat not found|PEER_ID_INVALID|user is deactivated|bot was kicked|not enough rights|have no rights|CHAT_WRITE_FORBIDDEN|group chat was upgraded/i;

/** Permanent failures are recorded once; 429 waits as told; anything else is retried with backoff. */
export function classify(f: ApiFailure, attempts: number, maxAttempts: number, random = Math.random): Outcome {
  if (f.code === 429) return { kind: 'retry', afterMs: Math.max(1, f.retryAfter ?? 1) * 1000, error: f.description, rateLimited: true };
  if (f.code === 403 || (f.code === 400 && PERMANENT.test(f.description))) return { kind: 'failed', code: f.code, error: f.description };
  if (f.code !== undefined && f.code >= 400 && f.code < 500) return { kind: 'failed', code: f.code, error: f.description };
  if (attempts >= maxAttempts) return { kind: 'failed', code: f.code, error: `gave up after ${attempts} attempts: ${f.description}` };
  const base = Math.min(300_000, 1000 * 2 ** Math.min(attempts, 12));
  return { kind: 'retry', afterMs: Math.round(base / 2 + (random() * base) / 2), error: f.description };
}

function sendPayload(chatId: number, m: RenderedMessage) {
  return {
    chat_id: chatId,
    text: m.text,
    ...(m.parseMode ? { parse_mode: m.parseMode } : {}),
    link_preview_options: { is_disabled: true },
    ...(m.keyboard && m.keyboard.length > 0 ? { reply_markup: { inline_keyboard: m.keyboard } } : {}),
  };
}

/**
 * Drains the outbox within Telegram's limits. Only the holder of the current time slot's lease sends,
 * so two instances never send the same item; the holder takes the next slot ahead of time to keep
 * going, and if it dies its slot simply ends and another instance takes the next one.
 * Delivery is at least once: an item is marked sent after Telegram said ok.
 */
export function createSender(deps: SenderDeps) {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const limiter = createRateLimiter(limits);
  const slotMs = deps.slotMs ?? 10_000;
  const maxAttempts = deps.maxAttempts ?? 10;
  const maxInFlight = deps.maxInFlight ?? 40;
  const telegram = deps.telegram as { callApi(method: string, payload: Record<string, unknown>): Promise<unknown> };
  const log = deps.logger;
  const now = () => deps.clock().getTime();

  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  const inFlight = new Set<Promise<void>>();
  const busyChats = new Set<number>();
  // Items this process finished recently: a due() read that began before an item was marked sent
  // can still return it, and must not send it again.
  const finished = new Map<string, number>();
  const heldSlots = new Set<string>();

  async function holdsSlot(offset: number): Promise<boolean> {
    const slot = slotKey('sender', deps.clock(), slotMs, offset);
    if (heldSlots.has(slot.key)) return true;
    const won = await deps.leases.tryAcquire(slot.key, deps.instanceId, new Date(slot.end));
    if (won) heldSlots.add(slot.key);
    if (heldSlots.size > 8) heldSlots.delete(heldSlots.values().next().value!);
    return won;
  }

  async function deliver(item: OutboxItem): Promise<Outcome> {
    try {
      if (item.payload.type === 'message') {
        const msg = (await telegram.callApi('sendMessage', sendPayload(item.chatId, item.payload.message))) as { message_id?: number };
        return { kind: 'sent', messageId: msg?.message_id };
      }
      const { wishId } = item.payload;
      const card = await deps.cards.render(wishId, item.chatId);
      if (!card) return { kind: 'sent' };
      const messageId = await deps.cards.messageIdOf(wishId, item.chatId);
      if (messageId !== undefined) {
        try {
          await telegram.callApi('editMessageText', { ...sendPayload(item.chatId, card), message_id: messageId, ...(card.keyboard && card.keyboard.length > 0 ? {} : { reply_markup: { inline_keyboard: [] } }) });
          return { kind: 'sent', messageId };
        } catch (err) {
          const f = failureOf(err);
          if (f.code === 400 && /message is not modified/i.test(f.description)) return { kind: 'sent', messageId };
          if (!(f.code === 400 && /message to edit not found/i.test(f.description))) throw err;
          // The card was deleted in the group: post it again below.
        }
      }
      const posted = (await telegram.callApi('sendMessage', sendPayload(item.chatId, card))) as { message_id: number };
      await deps.cards.remember(wishId, item.chatId, posted.message_id);
      return { kind: 'sent', messageId: posted.message_id };
    } catch (err) {
      return classify(failureOf(err), item.attempts + 1, maxAttempts);
    }
  }

  async function process(item: OutboxItem): Promise<DeliveryReport['outcome']> {
    const at = deps.clock();
    if (item.payload.type === 'card') await deps.outbox.coalesceCard(item.id, item.chatId, item.payload.wishId, at);
    const outcome = await deliver(item);
    const report = (o: DeliveryReport['outcome'], error?: DeliveryReport['error']) => deps.onReport?.({ item, outcome: o, ...(error ? { error } : {}) });
    if (outcome.kind === 'sent') {
      await deps.outbox.markSent(item.id, deps.clock(), outcome.messageId);
      report('sent');
      return 'sent';
    }
    if (outcome.kind === 'retry') {
      if (outcome.rateLimited) limiter.blockUntil(item.chatId, now() + outcome.afterMs);
      await deps.outbox.markRetry(item.id, new Date(now() + outcome.afterMs), outcome.error, outcome.rateLimited ? item.attempts : item.attempts + 1);
      log.info({ item: item.id, error: outcome.error, retryInMs: outcome.afterMs }, 'send failed; will retry');
      report('retry', { description: outcome.error });
      return 'retry';
    }
    await deps.outbox.markFailed(item.id, outcome.error, deps.clock());
    log.info({ item: item.id, kind: item.kind, code: outcome.code, error: outcome.error }, 'message could not be delivered');
    report('failed', { code: outcome.code, description: outcome.error });
    return 'failed';
  }

  function dispatch(item: OutboxItem, tally: Record<string, number>) {
    busyChats.add(item.chatId);
    const p = process(item)
      .then((o) => {
        tally[o] = (tally[o] ?? 0) + 1;
        if (o !== 'retry') finished.set(item.id, now());
      })
      .catch((err) => log.error({ err, item: item.id }, 'outbox item failed unexpectedly; it stays pending'))
      .finally(() => {
        busyChats.delete(item.chatId);
        inFlight.delete(p);
        wakeUp?.();
      });
    inFlight.add(p);
  }

  // Due items are read in batches and worked through locally: re-reading the outbox after every
  // send would scan it each time on FerretDB and starve the writes that mark items sent.
  let queue: OutboxItem[] = [];
  let fetchedAt = 0;

  /** One pass: sends whatever the limits allow right now. Returns how long until more could go. */
  async function pass(tally: Record<string, number>): Promise<number> {
    if (queue.length === 0 || now() - fetchedAt > 1000) {
      queue = await deps.outbox.due(deps.clock(), 1000);
      fetchedAt = now();
    }
    let nextWait = queue.length === 0 ? 1000 : Infinity;
    const seen = new Set<number>();
    const kept: OutboxItem[] = [];
    for (const item of queue) {
      if (finished.has(item.id)) continue;
      // One message at a time per chat keeps a chat's messages in order.
      if (inFlight.size >= maxInFlight || busyChats.has(item.chatId) || seen.has(item.chatId)) {
        kept.push(item);
        if (inFlight.size >= maxInFlight) nextWait = Math.min(nextWait, 1000);
        continue;
      }
      seen.add(item.chatId);
      const r = limiter.reserve(item.chatId, now());
      if (!r.ok) {
        nextWait = Math.min(nextWait, r.waitMs);
        kept.push(item);
        continue;
      }
      dispatch(item, tally);
    }
    queue = kept;
    limiter.prune(now());
    for (const [id, at] of finished) if (at < now() - 60_000) finished.delete(id);
    return Math.min(nextWait, 1000);
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(1, ms));
      function done() {
        clearTimeout(timer);
        if (wakeUp === done) wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function run(): Promise<void> {
    const tally: Record<string, number> = {};
    while (running) {
      try {
        const slot = slotKey('sender', deps.clock(), slotMs);
        if (!(await holdsSlot(0))) {
          await sleep(slot.end - now());
          continue;
        }
        // Halfway through our turn, take the next one so sending never pauses. If someone else has
        // it, stop dispatching a guard interval before the end, so everything we sent is recorded
        // before they read the outbox: turns never overlap, and nothing is sent twice.
        const left = slot.end - now();
        const guard = Math.min(2000, slotMs * 0.3);
        const holdsNext = left < slotMs * 0.5 ? await holdsSlot(1) : true;
        if (!holdsNext && left < guard + 50) {
          await Promise.all(inFlight);
          await sleep(slot.end - now());
          continue;
        }
        const wait = await pass(tally);
        const untilGuard = holdsNext ? Infinity : slot.end - guard - now();
        // Woken early by any send finishing, so a full pipeline refills at once.
        await sleep(Math.max(1, Math.min(inFlight.size > 0 ? Math.max(wait, 1000) : wait, untilGuard, slot.end - now())));
      } catch (err) {
        log.error({ err }, 'sender pass failed; retrying');
        await sleep(1000);
      }
    }
    await Promise.all(inFlight);
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      loop = run();
    },
    wake(): void {
      wakeUp?.();
    },
    async stop(): Promise<void> {
      running = false;
      wakeUp?.();
      await loop;
    },
    /** Sends everything due now, waiting for the limits as needed; for tests and scripts. */
    async drainOnce(): Promise<Record<string, number>> {
      const tally: Record<string, number> = {};
      for (;;) {
        const due = await deps.outbox.due(deps.clock(), 1);
        if (due.length === 0 && inFlight.size === 0) return tally;
        const wait = await pass(tally);
        if (inFlight.size > 0) await Promise.race(inFlight);
        else await new Promise((r) => setTimeout(r, wait));
      }
    },
  };
}

export type Sender = ReturnType<typeof createSender>;
