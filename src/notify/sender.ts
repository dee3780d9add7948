import { Logger } from 'pino';
import { LeaseStore } from '../db/lease-store';
import { OutboxStore } from '../db/outbox-store';
import { createLeases, slotAt } from './lease';
import { createRateLimiter, isGroup, SendLimits } from './rate-limiter';
import { OutboxItem, RenderedMessage } from '../domain/outbox';
import { CardSource, DeliveryReport } from './types';

/** What the sender needs of the Bot API: telegraf's `Telegram` instance has it. */
export interface TelegramApi {
  callApi(method: string, payload: Record<string, unknown>): Promise<unknown>;
}

export interface SenderDeps {
  outbox: Pick<OutboxStore, 'due' | 'markSent' | 'markRetry' | 'markFailed' | 'coalesceCard'>;
  leases: Pick<LeaseStore, 'tryAcquire'>;
  telegram: TelegramApi;
  cards: CardSource;
  clock: () => Date;
  logger: Logger;
  instanceId: string;
  limits?: Partial<SendLimits>;
  /** One sending turn (default 10 s); every instance must use the same. A crashed holder's turn just ends. */
  slotMs?: number;
  /** How often the outbox is read when nothing wakes the sender (default 1 s). */
  pollMs?: number;
  /** Due items read at once (default 2000). */
  batchSize?: number;
  /** Attempts after which a transient failure is final (default 10). */
  maxAttempts?: number;
  /** Sends awaiting Telegram or the database at once (default 40): bounds what a crash can send twice. */
  maxInFlight?: number;
  onReport?(report: DeliveryReport): void;
  /** Waits between passes (tests may inject one); the sender's own timer otherwise. */
  sleep?(ms: number): Promise<void>;
  random?: () => number;
}

export interface DrainTally {
  sent: number;
  failed: number;
  retried: number;
  coalesced: number;
}

export interface ApiFailure {
  /** Telegram's error_code; undefined for network errors. */
  code?: number;
  description: string;
  retryAfter?: number;
}

export type Outcome =
  | { kind: 'sent'; messageId?: number }
  | { kind: 'retry'; afterMs: number; error: string; code?: number; rateLimited?: boolean }
  | { kind: 'failed'; code?: number; error: string };

/** A TelegramError (telegraf) or any `{response: {error_code, description, parameters}}`; else a network error. */
export function failureOf(err: unknown): ApiFailure {
  const e = (err ?? {}) as {
    response?: { error_code?: unknown; description?: unknown; parameters?: { retry_after?: unknown } };
    code?: unknown;
    description?: unknown;
    parameters?: { retry_after?: unknown };
    message?: unknown;
  };
  const r = e.response;
  if (r && typeof r.error_code === 'number') {
    const retryAfter = r.parameters?.retry_after;
    return { code: r.error_code, description: String(r.description ?? ''), ...(typeof retryAfter === 'number' ? { retryAfter } : {}) };
  }
  if (typeof e.code === 'number' && typeof e.description === 'string') {
    const retryAfter = e.parameters?.retry_after;
    return { code: e.code, description: e.description, ...(typeof retryAfter === 'number' ? { retryAfter } : {}) };
  }
  // Network: ECONNREFUSED, ETIMEDOUT, fetch failures, aborts. Keep the errno code in the text.
  const message = typeof e.message === 'string' ? e.message : String(err);
  return { description: typeof e.code === 'string' && !message.includes(e.code) ? `${e.code}: ${message}` : message };
}

/** Telegram will never take these: the user blocked us or never started, the chat is gone, we may not write there. */
const PERMANENT_400 = /chat not found|PEER_ID_INVALID|user not found|user is deactivated|group chat was upgraded|not enough rights|have no rights|CHAT_WRITE_FORBIDDEN|CHAT_RESTRICTED/i;

export const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * What to do after a failed call, given the attempts so far including this one: 429 waits as told
 * (not an attempt); 403 and a chat that is gone are final; other 4xx are requests Telegram will never
 * take, also final, except 401/404 (a wrong token or API root: ours to fix, so keep the items);
 * 5xx and network errors back off exponentially with jitter, up to `maxAttempts`.
 */
export function classify(f: ApiFailure, attempts: number, maxAttempts: number, random: () => number = Math.random): Outcome {
  if (f.code === 429) return { kind: 'retry', afterMs: Math.max(1, f.retryAfter ?? 1) * 1000, error: f.description, code: 429, rateLimited: true };
  if (f.code === 403 || (f.code === 400 && PERMANENT_400.test(f.description))) return { kind: 'failed', code: f.code, error: f.description };
  if (f.code !== undefined && f.code >= 400 && f.code < 500 && f.code !== 401 && f.code !== 404) return { kind: 'failed', code: f.code, error: f.description };
  if (attempts >= maxAttempts) return { kind: 'failed', code: f.code, error: `gave up after ${attempts} attempts: ${f.description}` };
  const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (attempts - 1));
  return { kind: 'retry', afterMs: Math.round(base / 2 + (random() * base) / 2), error: f.description, ...(f.code !== undefined ? { code: f.code } : {}) };
}

function messagePayload(chatId: number, m: RenderedMessage): Record<string, unknown> {
  return {
    chat_id: chatId,
    text: m.text,
    ...(m.parseMode ? { parse_mode: m.parseMode } : {}),
    link_preview_options: { is_disabled: true },
    ...(m.keyboard && m.keyboard.length > 0 ? { reply_markup: { inline_keyboard: m.keyboard } } : {}),
  };
}

const NOT_MODIFIED = /message is not modified/i;
const EDIT_GONE = /message to edit not found|message can't be edited/i;

/** The sender's turn ended while a card waited for its moment: leave the item pending for the next holder. */
class TurnOver extends Error {}

const LEASE = 'sender';
const HOLD_DONE_MS = 60_000;

/**
 * Drains the outbox within Telegram's limits.
 *
 * Who sends: time is cut into slots of `slotMs`; an instance sends only during a slot whose lease
 * (`sender:<slot start>`, a unique insert) it won. Near the end of its slot (3 s before, of 10 s) the
 * holder takes the next one, so sending never pauses; if another instance has it, the holder stops
 * dispatching a guard interval (2 s) before its slot ends, so whatever it sent is recorded before the
 * next holder reads the outbox. A crashed holder's slot simply ends (and the one it took ahead, if it
 * got that far), and the next free slot goes to whoever asks first: the queue waits at most ~1.3 slots.
 *
 * What it sends: due items are read in batches into per-chat queues (one message in flight per chat
 * keeps a chat's messages in order). Whenever the limits allow, the chats that may send now go in order
 * of how long their backlog takes to drain under their own limits (a group with 40 queued must start
 * early: its last 20 wait a minute after its first 20) plus how long their next item has waited, so
 * nothing starves. Many sends are in flight at once, so the 30 a second overall is used fully.
 *
 * At least once: an item is marked sent only after Telegram said ok; one in flight when the process
 * dies is sent again by the next holder.
 */
export function createSender(deps: SenderDeps) {
  const limiter = createRateLimiter(deps.limits);
  const { limits } = limiter;
  const slotMs = deps.slotMs ?? 10_000;
  const pollMs = deps.pollMs ?? 1000;
  const batchSize = deps.batchSize ?? 2000;
  const maxAttempts = deps.maxAttempts ?? 10;
  const maxInFlight = deps.maxInFlight ?? 40;
  const random = deps.random ?? Math.random;
  const guardMs = Math.min(2000, slotMs * 0.3);
  const aheadMs = guardMs + Math.min(1000, slotMs * 0.2);
  const { telegram } = deps;
  const leases = createLeases(deps.leases, deps.instanceId);
  const log = deps.logger;
  const now = () => deps.clock().getTime();

  let running = false;
  let loop: Promise<void> | undefined;
  /** Per-chat queues of due items, from the last read of the outbox. */
  let queue = new Map<number, OutboxItem[]>();
  let fetchedAt = -Infinity;
  let dirty = true;
  /** No dispatching, and no card send, at or after this time (the end of our turn). */
  let sendUntil = Infinity;
  const inFlight = new Map<string, Promise<void>>();
  const busyChats = new Set<number>();
  /** Items this instance finished or rescheduled: a read that raced the write must not send them again before this time. */
  const hold = new Map<string, number>();
  /** Chats that answered 429 in the last second: several at once means the global limit. */
  const recent429 = new Map<number, number>();
  let wakeUp: (() => void) | undefined;
  /** The earliest time an item this instance rescheduled becomes due: read the outbox then, not a poll later. */
  let nextRetryAt = Infinity;

  const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

  function idle(ms: number): Promise<void> {
    const wait = Math.max(1, Math.ceil(ms));
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        if (wakeUp === done) wakeUp = undefined;
        resolve();
      };
      wakeUp = done;
      if (deps.sleep) void deps.sleep(wait).then(done);
      else timer = setTimeout(done, wait);
    });
  }

  /** How long a chat's backlog of `n` takes under its own limits: its priority when it may send. */
  function drainMs(chatId: number, n: number): number {
    const spacing = 1000 / limits.perChatPerSecond;
    const k = n - 1;
    if (!isGroup(chatId)) return k * spacing;
    return Math.max(k * spacing, Math.floor(k / limits.perGroupPerMinute) * 60_000 + (k % limits.perGroupPerMinute) * spacing);
  }

  let refilling: Promise<void> | undefined;

  /**
   * Reads the outbox in the background: sending goes on from the queue in hand meanwhile (a pause
   * in sending is lost for good: the windows slide on). Failures are logged and retried a poll later.
   */
  function startRefill(): Promise<void> {
    refilling ??= refill()
      .catch((err) => {
        fetchedAt = now();
        log.error({ err }, 'reading the outbox failed; trying again');
      })
      .finally(() => {
        refilling = undefined;
        wakeUp?.();
      });
    return refilling;
  }

  async function refill(): Promise<void> {
    dirty = false;
    const t = now();
    // Chats that cannot send before the next read anyway (full group windows, 429s) would only crowd the batch.
    const skip = limiter.blockedChats(t, 2 * pollMs).slice(0, 500);
    const items = await deps.outbox.due(new Date(t), batchSize, skip);
    fetchedAt = now();
    const next = new Map<number, OutboxItem[]>();
    for (const item of items) {
      if (inFlight.has(item.id) || (hold.get(item.id) ?? 0) > fetchedAt) continue;
      const q = next.get(item.chatId);
      if (q) q.push(item);
      else next.set(item.chatId, [item]);
    }
    queue = next;
    limiter.prune(fetchedAt);
    for (const [id, until] of hold) if (until <= fetchedAt) hold.delete(id);
  }

  /** Where a send stands: when its current call was reserved, so a 429 can hand the reservation back. */
  interface Attempt {
    reservedAt?: number;
  }

  /** Waits for the right to send to this chat (the chat is ours: no one else sends to it meanwhile). */
  async function acquire(chatId: number, attempt: Attempt): Promise<void> {
    for (;;) {
      const t = now();
      if (t >= sendUntil) throw new TurnOver();
      const r = limiter.reserve(chatId, t);
      if (r.ok) {
        attempt.reservedAt = t;
        return;
      }
      await delay(Math.min(r.waitMs, sendUntil - t));
    }
  }

  async function call(method: string, payload: Record<string, unknown>): Promise<unknown> {
    const result = await telegram.callApi(method, payload);
    log.debug({ method, chatId: payload.chat_id }, 'sent');
    return result;
  }

  async function sendCard(item: OutboxItem & { payload: { type: 'card' } }, attempt: Attempt, tally: DrainTally): Promise<Outcome> {
    const { wishId } = item.payload;
    const at = deps.clock();
    // Before rendering: the render below shows the state they were queued to show, or a later one.
    for (const other of await deps.outbox.coalesceCard(item.id, item.chatId, wishId, at)) {
      tally.coalesced++;
      hold.set(other.id, now() + HOLD_DONE_MS);
      deps.onReport?.({ item: { ...other, status: 'sent', sentAt: at }, outcome: 'coalesced' });
    }
    const card = await deps.cards.render(wishId, item.chatId);
    if (!card) return { kind: 'sent' };
    const messageId = await deps.cards.messageIdOf(wishId, item.chatId);
    if (messageId !== undefined) {
      await acquire(item.chatId, attempt);
      try {
        const keyboard = card.keyboard && card.keyboard.length > 0 ? card.keyboard : [];
        await call('editMessageText', { ...messagePayload(item.chatId, card), message_id: messageId, reply_markup: { inline_keyboard: keyboard } });
        return { kind: 'sent', messageId };
      } catch (err) {
        const f = failureOf(err);
        if (f.code === 400 && NOT_MODIFIED.test(f.description)) return { kind: 'sent', messageId };
        if (!(f.code === 400 && EDIT_GONE.test(f.description))) throw err;
        log.info({ item: item.id, messageId }, 'card message gone; posting it again');
      }
    }
    await acquire(item.chatId, attempt);
    const posted = (await call('sendMessage', messagePayload(item.chatId, card))) as { message_id: number };
    await deps.cards.remember(wishId, item.chatId, posted.message_id);
    return { kind: 'sent', messageId: posted.message_id };
  }

  /** Database writes after Telegram answered: a few tries, since failing here means sending again later. */
  async function write(what: () => Promise<void>): Promise<void> {
    for (let i = 1; ; i++) {
      try {
        return await what();
      } catch (err) {
        if (i >= 3) throw err;
        await delay(100 * i);
      }
    }
  }

  async function record(item: OutboxItem, outcome: Outcome, tally: DrainTally): Promise<void> {
    const t = now();
    const report = (o: DeliveryReport['outcome'], error?: DeliveryReport['error']) => deps.onReport?.({ item, outcome: o, ...(error ? { error } : {}) });
    if (outcome.kind === 'sent') {
      hold.set(item.id, t + HOLD_DONE_MS);
      await write(() => deps.outbox.markSent(item.id, new Date(t), outcome.messageId));
      tally.sent++;
      report('sent');
      return;
    }
    if (outcome.kind === 'retry') {
      const until = t + outcome.afterMs;
      hold.set(item.id, until);
      nextRetryAt = Math.min(nextRetryAt, until);
      if (outcome.rateLimited) {
        limiter.blockUntil(item.chatId, until);
        recent429.set(item.chatId, t);
        for (const [chat, at] of recent429) if (at < t - 1000) recent429.delete(chat);
        // Telegram does not say which limit it was; 429s from several chats at once mean all of them.
        if (recent429.size >= 2) limiter.blockUntil('global', until);
        log.warn({ item: item.id, chatId: item.chatId, retryAfterMs: outcome.afterMs, global: recent429.size >= 2 }, 'Telegram said 429; waiting as told');
      } else {
        log.info({ item: item.id, kind: item.kind, code: outcome.code, error: outcome.error, attempt: item.attempts + 1, retryInMs: outcome.afterMs }, 'send failed; will retry');
      }
      await write(() => deps.outbox.markRetry(item.id, new Date(until), outcome.error, outcome.rateLimited ? item.attempts : item.attempts + 1));
      tally.retried++;
      report('retry', { ...(outcome.code !== undefined ? { code: outcome.code } : {}), description: outcome.error });
      return;
    }
    hold.set(item.id, t + HOLD_DONE_MS);
    log.info({ item: item.id, kind: item.kind, chatId: item.chatId, code: outcome.code, error: outcome.error }, 'message could not be delivered');
    await write(() => deps.outbox.markFailed(item.id, outcome.error, new Date(t)));
    tally.failed++;
    report('failed', { ...(outcome.code !== undefined ? { code: outcome.code } : {}), description: outcome.error });
  }

  /** Sends one item. A plain message's send was reserved by the caller; a card reserves once it is rendered. */
  async function process(item: OutboxItem, attempt: Attempt, tally: DrainTally): Promise<void> {
    let outcome: Outcome;
    try {
      if (item.payload.type === 'message') {
        const msg = (await call('sendMessage', messagePayload(item.chatId, item.payload.message))) as { message_id?: number } | undefined;
        outcome = { kind: 'sent', ...(typeof msg?.message_id === 'number' ? { messageId: msg.message_id } : {}) };
      } else {
        outcome = await sendCard(item as OutboxItem & { payload: { type: 'card' } }, attempt, tally);
      }
    } catch (err) {
      if (err instanceof TurnOver) return; // untouched: still pending for the next holder
      outcome = classify(failureOf(err), item.attempts + 1, maxAttempts, random);
    }
    if (outcome.kind === 'retry' && outcome.rateLimited && attempt.reservedAt !== undefined) limiter.release(item.chatId, attempt.reservedAt);
    await record(item, outcome, tally);
  }

  function dispatch(item: OutboxItem, attempt: Attempt, tally: DrainTally): void {
    busyChats.add(item.chatId);
    const p = process(item, attempt, tally)
      .catch((err) => log.error({ err, item: item.id }, 'outbox item failed unexpectedly; it stays pending'))
      .finally(() => {
        busyChats.delete(item.chatId);
        inFlight.delete(item.id);
        wakeUp?.();
      });
    inFlight.set(item.id, p);
  }

  /** Reads the outbox when due, then starts every send the limits allow now. Returns how long until more could go. */
  async function pass(tally: DrainTally): Promise<number> {
    if (now() >= nextRetryAt) {
      nextRetryAt = Infinity;
      dirty = true;
    }
    if (dirty || now() - fetchedAt >= pollMs) {
      const reading = startRefill();
      if (queue.size === 0) await reading;
    }
    const t = now();
    // The next read; one under way wakes us when it lands.
    let wait = Math.min(refilling ? pollMs : Math.max(1, fetchedAt + pollMs - t), nextRetryAt - t);
    if (t >= sendUntil) return wait;
    const ready: Array<{ chatId: number; items: OutboxItem[]; priority: number }> = [];
    for (const [chatId, items] of queue) {
      if (busyChats.has(chatId)) continue; // woken when its send finishes
      // Coalesced into a card sent since the read, or otherwise done here already.
      while (items.length > 0 && (hold.get(items[0]!.id) ?? 0) > t) items.shift();
      if (items.length === 0) {
        queue.delete(chatId);
        continue;
      }
      const w = limiter.waitMs(chatId, t);
      if (w > 0) wait = Math.min(wait, w);
      else ready.push({ chatId, items, priority: t - items[0]!.notBefore.getTime() + drainMs(chatId, items.length) });
    }
    ready.sort((a, b) => b.priority - a.priority);
    for (const { chatId, items } of ready) {
      if (inFlight.size >= maxInFlight) break; // woken as sends finish
      const item = items[0]!;
      if (item.payload.type === 'message') {
        const r = limiter.reserve(chatId, t);
        if (!r.ok) {
          // Only the global window can have filled since the check: the rest must wait as well.
          wait = Math.min(wait, r.waitMs);
          break;
        }
      } else if (limiter.waitMs(chatId, t) > 0) {
        wait = Math.min(wait, limiter.waitMs(chatId, t));
        break;
      }
      items.shift();
      if (items.length === 0) queue.delete(chatId);
      dispatch(item, item.payload.type === 'message' ? { reservedAt: t } : {}, tally);
    }
    return wait;
  }

  const emptyTally = (): DrainTally => ({ sent: 0, failed: 0, retried: 0, coalesced: 0 });

  function dropQueue(): void {
    queue = new Map();
    dirty = true;
  }

  async function run(): Promise<void> {
    const tally = emptyTally();
    while (running) {
      try {
        const t = deps.clock();
        const slot = slotAt(t, slotMs);
        if (!(await leases.acquireSlot(LEASE, t, slotMs))) {
          dropQueue();
          await idle(slot.end - now());
          continue;
        }
        // Near the end of our slot, take the next one. If someone else has it, stop a guard interval
        // before the end and let what is in flight finish: turns never overlap.
        const holdsNext = slot.end - now() <= aheadMs ? await leases.acquireSlot(LEASE, new Date(slot.end), slotMs) : undefined;
        sendUntil = holdsNext === false ? slot.end - guardMs : holdsNext ? slot.end + slotMs - guardMs : slot.end;
        if (now() >= sendUntil) {
          await Promise.all(inFlight.values());
          dropQueue();
          await idle(slot.end - now());
          continue;
        }
        const wait = await pass(tally);
        const nextDecision = holdsNext === undefined ? slot.end - aheadMs : holdsNext ? slot.end : slot.end - guardMs;
        await idle(Math.min(wait, nextDecision - now()));
      } catch (err) {
        log.error({ err }, 'sender pass failed; trying again');
        dropQueue();
        await idle(pollMs);
      }
    }
    await Promise.all(inFlight.values());
    sendUntil = Infinity;
  }

  return {
    /** Sends in the background whenever this instance holds the sending slot, until stop(). */
    start(): void {
      if (running) return;
      running = true;
      loop = run();
    },
    /** Something was enqueued: read the outbox now rather than at the next poll. */
    wake(): void {
      dirty = true;
      wakeUp?.();
    },
    /** Stops dispatching, lets in-flight sends finish and be recorded, and returns. */
    async stop(): Promise<void> {
      running = false;
      wakeUp?.();
      await loop;
      loop = undefined;
    },
    /**
     * Sends everything due now, waiting for the limits as needed, ignoring slot leases; for tests and
     * scripts, never while start()ed.
     */
    async drainOnce(): Promise<DrainTally> {
      const tally = emptyTally();
      dirty = true;
      for (;;) {
        const wait = await pass(tally);
        if (queue.size === 0 && inFlight.size === 0) {
          await refilling;
          await refill();
          if (queue.size === 0) return tally;
          continue;
        }
        const pause = deps.sleep ? deps.sleep(Math.max(1, wait)) : delay(Math.max(1, wait));
        await (inFlight.size > 0 ? Promise.race([...inFlight.values(), pause]) : pause);
      }
    },
  };
}

export type Sender = ReturnType<typeof createSender>;
