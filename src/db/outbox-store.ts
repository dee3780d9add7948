import { CardPlace, InlineButton, NewOutboxItem, OutboxItem, OutboxPayload, RenderedMessage } from '../domain/outbox';
import { isDuplicateKey, upsertWithRetry } from './connection';
import { NotifyModels } from './notify-models';

/** As stored: the item plus bookkeeping the contract leaves out (when it failed, whether it was coalesced). */
type OutboxDoc = Omit<OutboxItem, 'id'> & { _id: string; outcome?: 'coalesced'; failedAt?: Date };

// FerretDB 1.x stores no nested arrays, so a keyboard's rows are kept as `{ row: [...] }` objects.
type StoredPayload = OutboxPayload | { type: 'message'; message: Omit<RenderedMessage, 'keyboard'> & { keyboard?: Array<{ row: InlineButton[] }> } };

function encodePayload(p: OutboxPayload): StoredPayload {
  if (p.type !== 'message' || !p.message.keyboard) return p;
  return { ...p, message: { ...p.message, keyboard: p.message.keyboard.map((row) => ({ row })) } };
}

function decodePayload(p: StoredPayload): OutboxPayload {
  if (p.type !== 'message' || !p.message.keyboard) return p as OutboxPayload;
  const rows = p.message.keyboard as unknown as Array<{ row: InlineButton[] } | InlineButton[]>;
  return { ...p, message: { ...p.message, keyboard: rows.map((r) => (Array.isArray(r) ? r : r.row)) } };
}

function toItem(doc: OutboxDoc): OutboxItem {
  const { _id, outcome: _outcome, failedAt: _failedAt, ...rest } = doc;
  return { ...rest, payload: decodePayload(rest.payload as StoredPayload), id: _id };
}

function isOnlyDuplicates(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: Array<{ code?: number; err?: { code?: number } }> };
  if (e.code === 11000 && !e.writeErrors) return true;
  return Array.isArray(e.writeErrors) && e.writeErrors.length > 0 && e.writeErrors.every((w) => (w.code ?? w.err?.code) === 11000);
}

/** Runs `fn` over `items`, at most `limit` at once. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Point reads and moves run this many at a time. */
const CONCURRENCY = 16;

/**
 * Hot and cold: `outbox` holds only pending items, which the sender reads every second (on FerretDB
 * every filtered read scans the whole collection); `outbox_history` holds what was sent or given up,
 * under the same `_id`, read only by `_id` and by housekeeping.
 *
 * An item moves by inserting its history document first, then deleting it from `outbox`. A crash
 * between the two, or an enqueue that checked the history just before the move and inserted just
 * after it, leaves a pending copy of an item already in the history: in the history means done, so
 * the sender drops such a copy without sending it (discardIfSettled), and so do card refreshes.
 */
export function createOutboxStore(models: NotifyModels) {
  const { Outbox, OutboxHistory } = models;

  const inHistory = async (id: string) => (await OutboxHistory.exists({ _id: id })) !== null;

  /** Copies the item into the history as `settled` says, then takes it out of the outbox. Idempotent. */
  async function move(id: string, settled: Partial<OutboxDoc> & Pick<OutboxDoc, 'status'>): Promise<void> {
    const doc = await Outbox.findById(id).lean<OutboxDoc>();
    if (!doc) return; // moved already (or never here)
    try {
      // The first record wins: a history document is never rewritten.
      await OutboxHistory.collection.insertOne({ ...doc, ...settled } as never);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    await Outbox.deleteOne({ _id: id });
  }

  /**
   * If the item is in the history already (sent, coalesced or given up), deletes its pending copy and
   * says true: the caller must not send it. The sender asks before it calls the Bot API.
   */
  async function discardIfSettled(id: string): Promise<boolean> {
    if (!(await inHistory(id))) return false;
    await Outbox.deleteOne({ _id: id });
    return true;
  }

  return {
    /**
     * Inserts what is new; an item already there (same key), pending or in the history, is left alone.
     * Returns how many were new. The history is asked by `_id`, item by item (an `$in` would scan it).
     */
    async enqueue(items: NewOutboxItem[], now: Date): Promise<number> {
      if (items.length === 0) return 0;
      const settled = new Set<string>();
      await eachLimited(items, CONCURRENCY, async (i) => {
        if (await inHistory(i.id)) settled.add(i.id);
      });
      // In the caller's order: items of one enqueue share `createdAt`, and a chat's may rely on it.
      const fresh = items.filter((i) => !settled.has(i.id));
      if (fresh.length === 0) return 0;
      const docs = fresh.map((i) => ({
        _id: i.id,
        chatId: i.chatId,
        kind: i.kind,
        payload: encodePayload(i.payload),
        status: 'pending',
        notBefore: i.notBefore ?? now,
        attempts: 0,
        createdAt: now,
      }));
      try {
        const res = await Outbox.collection.insertMany(docs as never[], { ordered: false });
        return res.insertedCount;
      } catch (err) {
        if (!isOnlyDuplicates(err)) throw err;
        return (err as { result?: { insertedCount?: number }; insertedCount?: number }).insertedCount ?? (err as { result?: { insertedCount?: number } }).result?.insertedCount ?? 0;
      }
    },
    /**
     * Pending items whose time has come, oldest first (by when they were enqueued, so a chat's messages
     * keep their order through a retry), leaving out chats that cannot take one soon anyway. The status
     * filter keeps out sent or failed items an older version left in `outbox` (moveSettledToHistory).
     */
    async due(now: Date, limit: number, skipChats: number[] = []): Promise<OutboxItem[]> {
      const query: Record<string, unknown> = { status: 'pending', notBefore: { $lte: now } };
      if (skipChats.length > 0) query.chatId = { $nin: skipChats };
      const docs = await Outbox.find(query).sort({ createdAt: 1, notBefore: 1 }).limit(limit).lean<OutboxDoc[]>();
      return docs.map(toItem);
    },
    /** The item as stored: its pending copy if there is one (the fences need it), else its history. */
    async get(id: string): Promise<OutboxItem | null> {
      const doc = (await Outbox.findById(id).lean<OutboxDoc>()) ?? (await OutboxHistory.findById(id).lean<OutboxDoc>());
      return doc ? toItem(doc) : null;
    },
    discardIfSettled,
    /** Telegram said ok (at-least-once: only ever called after that). */
    async markSent(id: string, at: Date, messageId?: number): Promise<void> {
      await move(id, { status: 'sent', sentAt: at, ...(messageId !== undefined ? { messageId } : {}) });
    },
    /** The other pending refreshes of this card: the sender coalesces them into the one it is sending. */
    async pendingCardRefreshes(exceptId: string, chatId: number, wishId: string): Promise<OutboxItem[]> {
      const docs = await Outbox.find({ status: 'pending', chatId, 'payload.type': 'card', 'payload.wishId': wishId, _id: { $ne: exceptId } }).lean<OutboxDoc[]>();
      // A copy of one already settled is dropped here: taking its fence could find it still held by whoever sent it.
      const live: OutboxDoc[] = [];
      await eachLimited(docs, CONCURRENCY, async (doc) => {
        if (!(await discardIfSettled(doc._id))) live.push(doc);
      });
      return live.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map(toItem);
    },
    /**
     * Marks refreshes sent at `at`, as 'coalesced': the card the caller is about to send is rendered
     * after this, so it shows what they would have shown. The caller holds their send fences.
     */
    async markCoalesced(ids: string[], at: Date): Promise<void> {
      await eachLimited(ids, CONCURRENCY, (id) => move(id, { status: 'sent', sentAt: at, outcome: 'coalesced' }));
    },
    /**
     * Try again from `notBefore` under fence `generation` (the next one: only the holder of the current
     * fence calls this). `attempts` is the new count (the sender knows it; no $inc, which FerretDB can
     * lose); `error` the reason, if the attempt failed rather than was given up unused.
     */
    async markRetry(id: string, retry: { notBefore: Date; generation: number; error?: string; attempts?: number }): Promise<void> {
      const { notBefore, generation, error, attempts } = retry;
      await Outbox.updateOne({ _id: id }, { $set: { notBefore, generation, ...(error !== undefined ? { lastError: error } : {}), ...(attempts !== undefined ? { attempts } : {}) } });
    },
    /** A permanent failure (blocked, chat gone, a request Telegram will never take): not retried. */
    async markFailed(id: string, error: string, at: Date): Promise<void> {
      await move(id, { status: 'failed', lastError: error, failedAt: at });
    },
    async pendingCount(): Promise<number> {
      return Outbox.countDocuments({ status: 'pending' });
    },
    async countByStatus(): Promise<Record<string, number>> {
      const [pending, sent, failed] = await Promise.all([Outbox.countDocuments({ status: 'pending' }), OutboxHistory.countDocuments({ status: 'sent' }), OutboxHistory.countDocuments({ status: 'failed' })]);
      return { pending, sent, failed };
    },
    /** Housekeeping: FerretDB has no TTL indexes, so old delivered items are deleted by a job. Failed ones are kept. */
    async deleteSentBefore(date: Date): Promise<number> {
      return (await OutboxHistory.deleteMany({ status: 'sent', sentAt: { $lt: date } })).deletedCount;
    },
    /**
     * Moves sent and failed items that versions before the history kept in `outbox` (or that such a
     * version, still running beside this one, wrote since). Run at every start-up rather than once
     * behind a marker: it is idempotent, costs one read of the live collection, and so also picks up
     * what an older instance settled after the last start. Returns how many it moved.
     */
    async moveSettledToHistory(): Promise<number> {
      const settled = await Outbox.find({ status: { $ne: 'pending' } }).lean<OutboxDoc[]>();
      await eachLimited(settled, CONCURRENCY, async (doc) => {
        try {
          await OutboxHistory.collection.insertOne(doc as never);
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
        await Outbox.deleteOne({ _id: doc._id });
      });
      return settled.length;
    },
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;

/** Where each wish's card sits in each chat, and what it showed when last sent. */
export function createCardMessageStore(models: NotifyModels) {
  const key = (wishId: string, chatId: number) => `${wishId}|${chatId}`;
  return {
    async placeOf(wishId: string, chatId: number): Promise<CardPlace | undefined> {
      const doc = await models.CardMessage.findById(key(wishId, chatId)).lean<{ messageId: number; hash?: string }>();
      return doc ? { messageId: doc.messageId, ...(doc.hash !== undefined ? { hash: doc.hash } : {}) } : undefined;
    },
    /** Only the holder of a send fence for this card's item writes here, so the last write is the last send. */
    async remember(wishId: string, chatId: number, place: CardPlace): Promise<void> {
      const { messageId, hash } = place;
      await upsertWithRetry(() =>
        models.CardMessage.updateOne({ _id: key(wishId, chatId) }, hash !== undefined ? { $set: { messageId, hash, updatedAt: new Date() } } : { $set: { messageId, updatedAt: new Date() }, $unset: { hash: 1 } }, { upsert: true }),
      );
    },
  };
}
