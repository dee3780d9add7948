import { CardPlace, InlineButton, NewOutboxItem, OutboxItem, OutboxPayload, RenderedMessage } from '../domain/outbox';
import { upsertWithRetry } from './connection';
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

export function createOutboxStore(models: NotifyModels) {
  const { Outbox } = models;
  return {
    /** Inserts what is new; an item already there (same key) is left alone. Returns how many were new. */
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
     * keep their order through a retry), leaving out chats that cannot take one soon anyway.
     */
    async due(now: Date, limit: number, skipChats: number[] = []): Promise<OutboxItem[]> {
      const query: Record<string, unknown> = { status: 'pending', notBefore: { $lte: now } };
      if (skipChats.length > 0) query.chatId = { $nin: skipChats };
      const docs = await Outbox.find(query).sort({ createdAt: 1, notBefore: 1 }).limit(limit).lean<OutboxDoc[]>();
      return docs.map(toItem);
    },
    async get(id: string): Promise<OutboxItem | null> {
      const doc = await Outbox.findById(id).lean<OutboxDoc>();
      return doc ? toItem(doc) : null;
    },
    /** Telegram said ok (at-least-once: only ever called after that). */
    async markSent(id: string, at: Date, messageId?: number): Promise<void> {
      await Outbox.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: at, ...(messageId !== undefined ? { messageId } : {}) } });
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
      if (ids.length === 0) return;
      await Outbox.updateMany({ _id: { $in: ids } }, { $set: { status: 'sent', sentAt: at, outcome: 'coalesced' } });
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
      await Outbox.updateOne({ _id: id }, { $set: { status: 'failed', lastError: error, failedAt: at } });
    },
    async pendingCount(): Promise<number> {
      return Outbox.countDocuments({ status: 'pending' });
    },
    async countByStatus(): Promise<Record<string, number>> {
      const [pending, sent, failed] = await Promise.all(['pending', 'sent', 'failed'].map((status) => Outbox.countDocuments({ status })));
      return { pending: pending!, sent: sent!, failed: failed! };
    },
    /** Housekeeping: FerretDB has no TTL indexes, so old delivered items are deleted by a job. */
    async deleteSentBefore(date: Date): Promise<number> {
      return (await Outbox.deleteMany({ status: 'sent', sentAt: { $lt: date } })).deletedCount;
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
