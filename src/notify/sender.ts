import { Logger } from 'pino';
import { FenceStore } from '../db/fence-store';
import { LeaseStore } from '../db/lease-store';
import { OutboxStore } from '../db/outbox-store';
import { Metrics, noMetrics } from '../domain/metrics';
import { OutboxItem } from '../domain/outbox';
import { callWithTimeout, messagePayload, TelegramApi, voicePayload } from './bot-api';
import { CardItem, createCardDelivery } from './card-delivery';
import { createFences, FenceTake } from './fences';
import { createLeases, slotAt } from './lease';
import { createRateLimiter, isGroup, SendLimits, Ticket } from './rate-limiter';
import { classify, failureOf, Outcome } from './telegram-errors';
import { planTurn, turnTiming } from './turn';
import { CardSource, DeliveryReport } from './types';

/** About a day of retries at the longest backoff (5 min, with jitter): an outage of Telegram loses nothing. */
export const DEFAULT_MAX_ATTEMPTS = 300;

export type { TelegramApi } from './bot-api';

export interface SenderDeps {
  outbox: Pick<OutboxStore, 'due' | 'get' | 'discardIfSettled' | 'markSent' | 'markRetry' | 'markFailed' | 'pendingCardRefreshes' | 'markCoalesced'>;
  leases: Pick<LeaseStore, 'tryAcquire'>;
  fences: Pick<FenceStore, 'tryTake' | 'get'>;
  telegram: TelegramApi;
  cards: CardSource;
  clock: () => Date;
  logger: Logger;
  instanceId: string;
  limits?: Partial<SendLimits>;
  /** One sending turn (default 10 s); every instance must use the same. A crashed holder's turn just ends. */
  slotMs?: number;
  /** Each Bot API call is cut off after this (default 15 s). */
  callTimeoutMs?: number;
  /**
   * How long a send fence holds (default 60 s), more than twice the call timeout: how long the items a
   * dead sender had in flight wait before another sender takes them up.
   */
  fenceMs?: number;
  /** How often the outbox is read when nothing wakes the sender (default 1 s). */
  pollMs?: number;
  /** Due items read at once (default 2000). */
  batchSize?: number;
  /**
   * Attempts after which a transient failure (5xx, a network error) is final. Default 300: with the
   * backoff growing to 5 minutes, about a day of Telegram failing before a message is given up.
   */
  maxAttempts?: number;
  /** Items being sent (fence, call, record) at once (default 40): bounds what a crash can send twice. */
  maxInFlight?: number;
  onReport?(report: DeliveryReport): void;
  /** Counts every attempt's outcome by item kind, and Telegram's 429s. */
  metrics?: Metrics;
  /** The longest wait after failed passes (default 10 s); the wait doubles from pollMs with each failure in a row. */
  maxBackoffMs?: number;
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

/** An attempt given up before its call: our turn ended, or its fence would not outlast the call. */
class GiveUp extends Error {}

const LEASE = 'sender';
const HOLD_DONE_MS = 60_000;

/** One attempt at one item: its fence once taken, and its place in the rate windows. */
interface Attempt {
  fence?: Extract<FenceTake, { kind: 'held' }>;
  /** The current reservation; `used` once a call went out on it. */
  ticket?: Ticket;
  used?: boolean;
}

/**
 * Drains the outbox within Telegram's limits.
 *
 * Who sends: an instance dispatches only during its turn, a time slot whose lease it won (the rules
 * are in turn.ts). A crashed holder's slot simply ends (and the one it took ahead, if it got that
 * far), and the next free slot goes to whoever asks first: the queue waits at most ~1.3 slots.
 *
 * Exactly once between senders: every call for an item is made under its send fence (fences.ts). A
 * call still in flight when the turn passes on cannot be repeated by the next holder, which finds the
 * fence taken and leaves that chat alone until it is settled.
 *
 * What it sends: due items are read in batches into per-chat queues (one message in flight per chat
 * keeps a chat's messages in order). Whenever the limits allow, the chats that may send now go in order
 * of how long their backlog takes to drain under their own limits (a group with 40 queued must start
 * early: its last 20 wait a minute after its first 20) plus how long their next item has waited, so
 * nothing starves. Many sends are in flight at once, so the 30 a second overall is used (almost) fully.
 *
 * At least once: an item is marked sent only after Telegram said ok; one in flight when the process
 * dies is sent again, once its fence expires, by the next sender.
 *
 * Sent items leave the outbox for its history (outbox-store.ts). A pending copy of one already there
 * (a crash between the two writes of the move, or its key enqueued again) is never sent: an item
 * reaches the history only through an attempt under its fence, and the copy carries that attempt's
 * generation (the crash) or 0, whose fence the item's first attempt took (enqueued again), so its
 * fence is always found taken. Only then, once that fence has expired, is the history read (a scan
 * on FerretDB, kept off the way of a normal send): the fences call the item settled, and the copy is
 * deleted unsent. Fences are kept KEEP_DAYS, as sent items are: a key enqueued again later is new.
 */
export function createSender(deps: SenderDeps) {
  const limiter = createRateLimiter(deps.limits);
  const { limits } = limiter;
  const slotMs = deps.slotMs ?? 10_000;
  const pollMs = deps.pollMs ?? 1000;
  const batchSize = deps.batchSize ?? 2000;
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const maxInFlight = deps.maxInFlight ?? 40;
  const random = deps.random ?? Math.random;
  const timing = turnTiming(slotMs);
  const { telegram } = deps;
  const leases = createLeases(deps.leases, deps.instanceId);
  const fences = createFences({ store: deps.fences, outbox: deps.outbox, holderId: deps.instanceId, clock: deps.clock, fenceMs: deps.fenceMs, callTimeoutMs: deps.callTimeoutMs });
  const log = deps.logger;
  const now = () => deps.clock().getTime();
  const metrics = deps.metrics ?? noMetrics;
  /** Every report goes to the metrics and to whoever asked for them. */
  const reportOf = (report: DeliveryReport) => {
    metrics.sendOutcome(report.item.kind, report.outcome);
    deps.onReport?.(report);
  };
  /** When the loop last decided a turn without failing (/readyz shows it: a stuck loop stops moving it). */
  let lastActivityAt: Date | undefined;

  let running = false;
  let loop: Promise<void> | undefined;
  /** Per-chat queues of due items, from the last read of the outbox. */
  let queue = new Map<number, OutboxItem[]>();
  let fetchedAt = -Infinity;
  let dirty = true;
  /** No dispatching, and no call, at or after this time (the end of our turn). */
  let sendUntil = Infinity;
  const inFlight = new Map<string, Promise<void>>();
  const busyChats = new Set<number>();
  /** Items this instance finished or rescheduled: a read that raced the write must not send them again before this time. */
  const hold = new Map<string, number>();
  /** Items whose fence another sender holds (an attempt under way there): their chats wait while it stands. */
  const elsewhere = new Map<string, { generation: number; until: number }>();
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
    const waiting = new Set<number>();
    for (const item of items) {
      if (waiting.has(item.chatId) || inFlight.has(item.id) || (hold.get(item.id) ?? 0) > fetchedAt) continue;
      const away = elsewhere.get(item.id);
      if (away && away.generation === (item.generation ?? 0) && away.until > fetchedAt) {
        // Being sent elsewhere: the rest of its chat waits, to stay in order.
        waiting.add(item.chatId);
        continue;
      }
      elsewhere.delete(item.id);
      const q = next.get(item.chatId);
      if (q) q.push(item);
      else next.set(item.chatId, [item]);
    }
    queue = next;
    limiter.prune(fetchedAt);
    for (const [id, until] of hold) if (until <= fetchedAt) hold.delete(id);
    for (const [id, away] of elsewhere) if (away.until <= fetchedAt) elsewhere.delete(id);
  }

  /**
   * Waits for the right to send to this chat now and takes it: a reservation made when the item was
   * dispatched moves to now, so the windows count the moment the call really goes out. Gives the
   * attempt up when our turn ends or its fence would not outlast the call.
   */
  async function acquire(chatId: number, attempt: Attempt): Promise<void> {
    if (attempt.ticket && !attempt.used) limiter.release(attempt.ticket);
    attempt.ticket = undefined;
    attempt.used = false;
    for (;;) {
      const t = now();
      const deadline = Math.min(sendUntil, attempt.fence?.callDeadline ?? Infinity);
      if (t >= deadline) throw new GiveUp(t >= sendUntil ? 'our turn ended' : 'the send fence would not outlast the call');
      const r = limiter.reserve(chatId, t);
      if (r.ok) {
        attempt.ticket = r.ticket;
        return;
      }
      await delay(Math.min(r.waitMs, deadline - t));
    }
  }

  /**
   * One Bot API call, cut off after the call timeout whether or not the client honours the abort. Its
   * reservation counts in the windows until a window after the answer: Telegram counted it by then.
   */
  async function call(method: string, payload: Record<string, unknown>, attempt: Attempt): Promise<unknown> {
    attempt.used = true;
    try {
      const result = await callWithTimeout(telegram, method, payload, fences.callTimeoutMs);
      log.debug({ method, chatId: payload.chat_id }, 'sent');
      return result;
    } finally {
      if (attempt.ticket) limiter.settle(attempt.ticket, now());
    }
  }

  const cardDelivery = createCardDelivery({ outbox: deps.outbox, cards: deps.cards, fences, clock: deps.clock, logger: log, write });

  function coalesced(items: OutboxItem[], at: Date, tally: DrainTally): void {
    for (const other of items) {
      tally.coalesced++;
      hold.set(other.id, now() + HOLD_DONE_MS);
      reportOf({ item: { ...other, status: 'sent', sentAt: at }, outcome: 'coalesced' });
    }
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

  /** Records an attempt made under `fence`; the next attempt, if any, takes the next generation. */
  async function record(item: OutboxItem, fence: NonNullable<Attempt['fence']>, outcome: Outcome, tally: DrainTally): Promise<void> {
    const t = now();
    const report = (o: DeliveryReport['outcome'], error?: DeliveryReport['error']) => reportOf({ item, outcome: o, ...(error ? { error } : {}) });
    if (outcome.kind === 'sent') {
      // Telegram has it: true whatever became of the fence meanwhile.
      hold.set(item.id, t + HOLD_DONE_MS);
      await write(() => deps.outbox.markSent(item.id, new Date(t), outcome.messageId));
      tally.sent++;
      report('sent');
      return;
    }
    if (t >= fence.until) {
      // Held too long (a stalled process): another sender may have taken the item up; it is theirs to record.
      hold.set(item.id, t + HOLD_DONE_MS);
      log.warn({ item: item.id, outcome: outcome.kind }, 'send fence expired before the attempt was recorded; leaving the item to whoever took it up');
      return;
    }
    const generation = fence.generation + 1;
    if (outcome.kind === 'later') {
      const until = t + outcome.afterMs;
      hold.set(item.id, until);
      nextRetryAt = Math.min(nextRetryAt, until);
      log.debug({ item: item.id, reason: outcome.reason }, 'attempt given up before its call');
      await write(() => deps.outbox.markRetry(item.id, { notBefore: new Date(until), generation }));
      return;
    }
    if (outcome.kind === 'retry') {
      const until = t + outcome.afterMs;
      hold.set(item.id, until);
      nextRetryAt = Math.min(nextRetryAt, until);
      if (outcome.rateLimited) {
        metrics.rateLimited();
        limiter.blockUntil(item.chatId, until);
        recent429.set(item.chatId, t);
        for (const [chat, at] of recent429) if (at < t - 1000) recent429.delete(chat);
        // Telegram does not say which limit it was; 429s from several chats at once mean all of them.
        if (recent429.size >= 2) limiter.blockUntil('global', until);
        log.warn({ item: item.id, chatId: item.chatId, retryAfterMs: outcome.afterMs, global: recent429.size >= 2 }, 'Telegram said 429; waiting as told');
      } else {
        log.info({ item: item.id, kind: item.kind, code: outcome.code, error: outcome.error, attempt: item.attempts + 1, retryInMs: outcome.afterMs }, 'send failed; will retry');
      }
      const attempts = outcome.rateLimited ? item.attempts : item.attempts + 1;
      await write(() => deps.outbox.markRetry(item.id, { notBefore: new Date(until), generation, error: outcome.error, attempts }));
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

  /** The fence is not ours: leave the item to whoever holds it or settled it. */
  function leaveAlone(item: OutboxItem, take: Exclude<FenceTake, { kind: 'held' }>): void {
    if (take.kind === 'busy') {
      elsewhere.set(item.id, { generation: take.generation, until: take.until });
      // The rest of its chat waits for the next read, to stay in order.
      queue.delete(item.chatId);
      log.debug({ item: item.id, until: new Date(take.until) }, 'another sender holds this item');
    } else {
      hold.set(item.id, take.kind === 'settled' ? now() + HOLD_DONE_MS : take.notBefore);
    }
  }

  /** Sends one item under its fence. A message or voice was reserved by the caller; a card reserves once rendered. */
  async function process(item: OutboxItem, attempt: Attempt, tally: DrainTally): Promise<void> {
    try {
      const take = await fences.take(item);
      if (take.kind === 'settled' && (await deps.outbox.discardIfSettled(item.id))) log.info({ item: item.id, kind: item.kind, chatId: item.chatId }, 'already sent or given up; deleted a pending copy unsent');
      if (take.kind !== 'held') return leaveAlone(item, take);
      const fence = take;
      attempt.fence = fence;
      let outcome: Outcome;
      try {
        if (item.payload.type === 'message' || item.payload.type === 'voice') {
          const p = item.payload;
          await acquire(item.chatId, attempt);
          const [method, params] = p.type === 'message' ? ['sendMessage', messagePayload(item.chatId, p.message)] : ['sendVoice', voicePayload(item.chatId, p.fileId, p.caption)];
          const msg = (await call(method, params, attempt)) as { message_id?: number } | undefined;
          outcome = { kind: 'sent', ...(typeof msg?.message_id === 'number' ? { messageId: msg.message_id } : {}) };
        } else {
          outcome = await cardDelivery.deliver(item as CardItem, {
            acquire: () => acquire(item.chatId, attempt),
            call: (method, payload) => call(method, payload, attempt),
            coalesced: (items, at) => coalesced(items, at, tally),
          });
        }
      } catch (err) {
        outcome = err instanceof GiveUp ? { kind: 'later', afterMs: 0, reason: err.message } : classify(failureOf(err), item.attempts + 1, maxAttempts, random);
      }
      // Telegram did not count a refused call, so neither do we.
      if (outcome.kind === 'retry' && outcome.rateLimited && attempt.ticket) limiter.release(attempt.ticket);
      await record(item, fence, outcome, tally);
    } finally {
      // A reservation no call went out on is handed back.
      if (attempt.ticket && !attempt.used) limiter.release(attempt.ticket);
    }
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
      let ticket: Ticket | undefined;
      if (item.payload.type !== 'card') {
        // Reserved now, so this pass dispatches no more than the windows hold; moved to the call's moment later.
        const r = limiter.reserve(chatId, t);
        if (!r.ok) {
          // Only the global window can have filled since the check: the rest must wait as well.
          wait = Math.min(wait, r.waitMs);
          break;
        }
        ticket = r.ticket;
      } else if (limiter.waitMs(chatId, t) > 0) {
        wait = Math.min(wait, limiter.waitMs(chatId, t));
        break;
      }
      items.shift();
      if (items.length === 0) queue.delete(chatId);
      dispatch(item, { ticket }, tally);
    }
    return wait;
  }

  const emptyTally = (): DrainTally => ({ sent: 0, failed: 0, retried: 0, coalesced: 0 });

  function dropQueue(): void {
    queue = new Map();
    dirty = true;
  }

  /** Passes that failed in a row (the database out of reach, usually): each waits longer, up to `maxBackoffMs`. */
  let failedPasses = 0;
  const maxBackoffMs = deps.maxBackoffMs ?? 10_000;

  async function run(): Promise<void> {
    const tally = emptyTally();
    while (running) {
      try {
        const slot = slotAt(deps.clock(), slotMs);
        const holdsSlot = await leases.acquireSlot(LEASE, new Date(slot.start), slotMs);
        let plan = planTurn(timing, { now: now(), slot, holdsSlot });
        if (plan.kind === 'ask-next') {
          const holdsNext = await leases.acquireSlot(LEASE, new Date(slot.end), slotMs);
          plan = planTurn(timing, { now: now(), slot, holdsSlot, holdsNext });
        }
        if (failedPasses > 0) log.info({ failedPasses }, 'sender resumed');
        failedPasses = 0;
        lastActivityAt = deps.clock();
        if (plan.kind !== 'send') {
          // Not our turn: what is in flight finishes under its fences; the queue will be stale by our next turn.
          sendUntil = -Infinity;
          dropQueue();
          await idle(plan.until - now());
          continue;
        }
        sendUntil = plan.sendUntil;
        const wait = await pass(tally);
        await idle(Math.min(wait, plan.decideAt - now()));
      } catch (err) {
        // Backs off (1 s doubling to 10 s) rather than spinning, and never gives up: a wake() still cuts the wait short.
        const backoff = Math.min(maxBackoffMs, pollMs * 2 ** Math.min(failedPasses, 16));
        failedPasses++;
        if (failedPasses === 1 || backoff === maxBackoffMs) log.error({ err, failedPasses, retryInMs: backoff }, 'sender pass failed; trying again');
        dropQueue();
        sendUntil = -Infinity;
        await idle(backoff);
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
    /** Whether the sending loop runs, and when it last decided a turn without failing (for /readyz). */
    status(): { state: 'running' | 'stopped'; lastActivityAt?: Date } {
      return { state: running ? 'running' : 'stopped', ...(lastActivityAt ? { lastActivityAt } : {}) };
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
     * Sends everything due now, waiting for the limits as needed, ignoring slot leases (fences still
     * apply); for tests and scripts, never while start()ed.
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
