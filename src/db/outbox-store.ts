import { InlineButton, NewOutboxItem, OutboxItem, OutboxPayload, RenderedMessage } from '../notify/types';
import { NotifyModels } from './notify-models';

type OutboxDoc = Omit<OutboxItem, 'id'> & { _id: string; coalesced?: boolean };

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
  const { _id, coalesced: _coalesced, ...rest } = doc;
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
    async due(now: Date, limit: number): Promise<OutboxItem[]> {
      const docs = await Outbox.find({ status: 'pending', notBefore: { $lte: now } }).sort({ notBefore: 1, createdAt: 1 }).limit(limit).lean<OutboxDoc[]>();
      return docs.map(toItem);
    },
    async get(id: string): Promise<OutboxItem | null> {
      const doc = await Outbox.findById(id).lean<OutboxDoc>();
      return doc ? toItem(doc) : null;
    },
    async markSent(id: string, at: Date, messageId?: number): Promise<void> {
      await Outbox.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: at, ...(messageId ? { messageId } : {}) } });
    },
    /** The other pending refreshes of the same card: the one being sent shows the latest state. */
    async coalesceCard(exceptId: string, chatId: number, wishId: string, at: Date): Promise<number> {
      const res = await Outbox.updateMany(
        { status: 'pending', chatId, 'payload.type': 'card', 'payload.wishId': wishId, _id: { $ne: exceptId } },
        { $set: { status: 'sent', sentAt: at, coalesced: true } },
      );
      return res.modifiedCount;
    },
    async markRetry(id: string, notBefore: Date, error: string, attempts: number): Promise<void> {
      await Outbox.updateOne({ _id: id }, { $set: { notBefore, lastError: error, attempts } });
    },
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

export function createCardMessageStore(models: NotifyModels) {
  const key = (wishId: string, chatId: number) => `${wishId}|${chatId}`;
  return {
    async messageIdOf(wishId: string, chatId: number): Promise<number | undefined> {
      const doc = await models.CardMessage.findById(key(wishId, chatId)).lean<{ messageId: number }>();
      return doc?.messageId;
    },
    async remember(wishId: string, chatId: number, messageId: number): Promise<void> {
      await models.CardMessage.updateOne({ _id: key(wishId, chatId) }, { $set: { messageId, updatedAt: new Date() } }, { upsert: true });
    },
  };
}
