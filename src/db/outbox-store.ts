import { CardPlace, InlineButton, NewOutboxItem, OutboxItem, OutboxPayload, RenderedMessage } from '../domain/outbox';
import { isDuplicateKey, upsertWithRetry } from './connection';
import { NotifyModels } from './notify-models';

/** As stored: the item plus bookkeeping the contract leaves out (when it failed, whether it was coalesced). */
type OutboxDoc = Omit<OutboxItem, 'id'> & { _id: string; outcome?: 'coalesced'; failedAt?: Date };

// FerretDB 1.x stores no nested arrays, so a keyboard's rows are kept as `{ row: [...] }` objects.
type StoredMessage = Omit<RenderedMessage, 'keyboard'> & { keyboard?: Array<{ row: InlineButton[] }> };
type StoredPayload = Extract<OutboxPayload, { type: 'card' }> | { type: 'message'; message: StoredMessage } | { type: 'voice'; fileId: string; caption: StoredMessage };

const encodeRows = (m: RenderedMessage): StoredMessage => (m.keyboard ? { ...m, keyboard: m.keyboard.map((row) => ({ row })) } : (m as StoredMessage));

function decodeRows(m: StoredMessage): RenderedMessage {
  if (!m.keyboard) return m as RenderedMessage;
  const rows = m.keyboard as unknown as Array<{ row: InlineButton[] } | InlineButton[]>;
  return { ...m, keyboard: rows.map((r) => (Array.isArray(r) ? r : r.row)) };
}

function encodePayload(p: OutboxPayload): StoredPayload {
  if (p.type === 'message') return { ...p, message: encodeRows(p.message) };
  if (p.type === 'voice') return { ...p, caption: encodeRows(p.caption) };
  return p;
}

function decodePayload(p: StoredPayload): OutboxPayload {
  if (p.type === 'message') return { ...p, message: decodeRows(p.message) };
  if (p.type === 'voice') return { ...p, caption: decodeRows(p.caption) };
  return p;
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

/** The pending outbox at a glance (pendingSummary). */
export interface OutboxSummary {
  pending: number;
  /** Pending items whose notBefore has come (the rest wait for quiet hours or a retry's backoff). */
  due: number;
  /** When the oldest pending item was enqueued. */
  oldestCreatedAt?: Date;
  /** The earliest notBefore among the due items: how long the sender has left one waiting. */
  oldestDueAt?: Date;
}

/** Items copied into the history per insert, and deleted from the outbox per delete, when moving an older version's. */
const MOVE_BATCH = 1000;
const DELETE_BATCH = 10_000;

/**
 * Hot and cold: `outbox` holds only pending items, which the sender reads every second and FerretDB
 * answers by scanning the collection; `outbox_history` holds what was sent or given up, under the
 * same `_id`. An item moves by inserting its history document first, then deleting it from `outbox`.
 *
 * On FerretDB 1.24 (SQLite) even a read by `_id` scans the collection (about 0.6 s for a key missing
 * from 100,000 documents; a unique insert is checked by the index, about 1 ms), so no hot path reads
 * the history: not enqueue, not the sender before a call. A pending copy of an item already in the
 * history (a crash between the two writes of a move, or the same key enqueued again after it was
 * sent) is told apart by its send fence, which is always taken already: the sender asks the history
 * only then (see sender.ts), and discards the copy unsent (discardIfSettled).
 */
export function createOutboxStore(models: NotifyModels) {
  const { Outbox, OutboxHistory } = models;

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

  return {
    /**
     * Inserts what is not pending already (same key). Returns how many it inserted. A key already in
     * the history is inserted again, without reading the history (a scan): its send fence is taken,
     * so the sender discards it unsent.
     */
    async enqueue(items: NewOutboxItem[], now: Date): Promise<number> {
      if (items.length === 0) return 0;
      const docs = items.map((i) => ({
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
    /**
     * The item as recorded: its history if it has one (a pending copy beside it is stale), else its
     * pending document. Reads the history, a scan on FerretDB: for the rare paths only (a fence found
     * taken, a donor's /start).
     */
    async get(id: string): Promise<OutboxItem | null> {
      const [done, pending] = await Promise.all([OutboxHistory.findById(id).lean<OutboxDoc>(), Outbox.findById(id).lean<OutboxDoc>()]);
      const doc = done ?? pending;
      return doc ? toItem(doc) : null;
    },
    /**
     * If the item is in the history (sent, coalesced or given up), deletes its pending copy and says
     * true: it must not be sent. For the sender, when a fence says the item was attempted before.
     */
    async discardIfSettled(id: string): Promise<boolean> {
      if ((await OutboxHistory.exists({ _id: id })) === null) return false;
      await Outbox.deleteOne({ _id: id });
      return true;
    },
    /** Telegram said ok (at-least-once: only ever called after that). */
    async markSent(id: string, at: Date, messageId?: number): Promise<void> {
      await move(id, { status: 'sent', sentAt: at, ...(messageId !== undefined ? { messageId } : {}) });
    },
    /** The other pending refreshes of this card: the sender coalesces them into the one it is sending. */
    async pendingCardRefreshes(exceptId: string, chatId: number, wishId: string): Promise<OutboxItem[]> {
      const docs = await Outbox.find({ status: 'pending', chatId, 'payload.type': 'card', 'payload.wishId': wishId, _id: { $ne: exceptId } }).lean<OutboxDoc[]>();
      return docs.map(toItem);
    },
    /**
     * Marks refreshes sent at `at`, as 'coalesced': the card the caller is about to send is rendered
     * after this, so it shows what they would have shown. The caller holds their send fences.
     */
    async markCoalesced(ids: string[], at: Date): Promise<void> {
      // One at a time: a few at most, and concurrent writes can find FerretDB's SQLite busy.
      for (const id of ids) await move(id, { status: 'sent', sentAt: at, outcome: 'coalesced' });
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
    /**
     * For metrics: how many items are pending, how many of them are due at `now`, when the oldest was
     * enqueued, and the earliest time a due one became due. One read of the pending items' two dates
     * (a count scans on FerretDB anyway), so a scrape costs one query; callers cache it.
     */
    async pendingSummary(now: Date): Promise<OutboxSummary> {
      const docs = await Outbox.find({ status: 'pending' }, { _id: 0, createdAt: 1, notBefore: 1 }).lean<Array<Pick<OutboxDoc, 'createdAt' | 'notBefore'>>>();
      let due = 0;
      let oldestCreatedAt: number | undefined;
      let oldestDueAt: number | undefined;
      for (const d of docs) {
        const created = new Date(d.createdAt).getTime();
        const notBefore = new Date(d.notBefore).getTime();
        if (oldestCreatedAt === undefined || created < oldestCreatedAt) oldestCreatedAt = created;
        if (notBefore <= now.getTime()) {
          due++;
          if (oldestDueAt === undefined || notBefore < oldestDueAt) oldestDueAt = notBefore;
        }
      }
      return {
        pending: docs.length,
        due,
        ...(oldestCreatedAt !== undefined ? { oldestCreatedAt: new Date(oldestCreatedAt) } : {}),
        ...(oldestDueAt !== undefined ? { oldestDueAt: new Date(oldestDueAt) } : {}),
      };
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
     * Moves the sent and failed items that versions before the history kept in `outbox`. Run at every
     * start-up rather than once behind a marker: it costs one read of the live collection, and so also
     * picks up what an older instance still running beside this one settled since. Only items settled
     * a minute before `now` (instances' clocks agree within that), so that what it deletes is exactly
     * what it copied: one settled meanwhile waits for the next start, and due() never reads it.
     * Returns how many it moved.
     */
    async moveSettledToHistory(now: Date): Promise<number> {
      const before = new Date(now.getTime() - 60_000);
      const settled = { $or: [{ status: 'sent', sentAt: { $lt: before } }, { status: 'failed', failedAt: { $lt: before } }] };
      const ids: string[] = [];
      let batch: OutboxDoc[] = [];
      const copy = async () => {
        try {
          await OutboxHistory.collection.insertMany(batch as never[], { ordered: false });
        } catch (err) {
          if (!isOnlyDuplicates(err)) throw err; // copied before a crash part way
        }
        batch = [];
      };
      for await (const doc of Outbox.find(settled).lean<OutboxDoc[]>().cursor({ batchSize: MOVE_BATCH })) {
        ids.push((doc as OutboxDoc)._id);
        batch.push(doc as OutboxDoc);
        if (batch.length >= MOVE_BATCH) await copy();
      }
      if (batch.length > 0) await copy();
      // Few deletes, each a scan, of at most DELETE_BATCH (FerretDB's SQLite takes about 30,000 ids at
      // once), by a range of ids: an `$in` of as many ids is checked one by one against every document.
      ids.sort();
      for (let i = 0; i < ids.length; i += DELETE_BATCH) {
        const chunk = ids.slice(i, i + DELETE_BATCH);
        await Outbox.deleteMany({ ...settled, _id: { $gte: chunk[0], $lte: chunk[chunk.length - 1] } });
      }
      return ids.length;
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
