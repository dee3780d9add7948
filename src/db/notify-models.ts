import { Connection, Schema } from 'mongoose';

// The outbox and its history, the leases that decide who sends (and who runs a job tick), the send
// fences that decide who may call the Bot API for an item, and where each card sits. FerretDB has no
// TTL indexes: housekeeping deletes old sent items, old fences and expired leases by date.
//
// Hot and cold: `outbox` holds only pending items, so the sender's reads every second (which FerretDB
// answers by scanning the collection) scan only what is live; once sent or given up, an item moves to
// `outbox_history` under the same `_id` (see outbox-store.ts). The indexes serve MongoDB: FerretDB
// 1.24 scans for every query, `_id` included, and uses its unique `_id` index only to check inserts.

const outboxSchema = new Schema(
  {
    _id: { type: String, required: true }, // `<sourceId>|<chatId>|<kind>`: relaying twice sends nothing (sender.ts)
    chatId: { type: Number, required: true },
    status: { type: String, required: true },
    notBefore: { type: Date, required: true },
  },
  { collection: 'outbox', strict: false, versionKey: false },
);
// due(): status equal, sorted by createdAt, notBefore a range (equality, sort, range).
outboxSchema.index({ status: 1, createdAt: 1, notBefore: 1 });
// pendingCardRefreshes(): the other refreshes of one card in one chat.
outboxSchema.index({ chatId: 1, 'payload.wishId': 1 });

const outboxHistorySchema = new Schema(
  {
    _id: { type: String, required: true }, // the item's outbox `_id`
    chatId: { type: Number, required: true },
    status: { type: String, required: true }, // 'sent' (outcome 'coalesced' when covered by another card send) or 'failed'
  },
  { collection: 'outbox_history', strict: false, versionKey: false },
);
// Housekeeping deletes sent items by sentAt; countByStatus counts by status.
outboxHistorySchema.index({ status: 1, sentAt: 1 });

const leaseSchema = new Schema(
  {
    _id: { type: String, required: true }, // `<name>:<slot start>`: the first insert holds it
    holder: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'leases', versionKey: false },
);
leaseSchema.index({ expiresAt: 1 });

const sendFenceSchema = new Schema(
  {
    _id: { type: String, required: true }, // `<outbox item id>#<generation>`: the first insert may call the Bot API
    itemId: { type: String, required: true },
    generation: { type: Number, required: true },
    holder: { type: String, required: true },
    createdAt: { type: Date, required: true },
    until: { type: Date, required: true },
  },
  { collection: 'send_fences', versionKey: false },
);
sendFenceSchema.index({ createdAt: 1 });

const cardMessageSchema = new Schema(
  // `<wishId>|<chatId>`; `hash`: of the text and keyboard last sent, so a refresh that changes nothing makes no call.
  { _id: { type: String, required: true }, messageId: { type: Number, required: true }, hash: { type: String }, updatedAt: { type: Date, required: true } },
  { collection: 'card_messages', versionKey: false },
);

export function createNotifyModels(conn: Connection) {
  return {
    Outbox: conn.model('Outbox', outboxSchema),
    OutboxHistory: conn.model('OutboxHistory', outboxHistorySchema),
    Lease: conn.model('Lease', leaseSchema),
    SendFence: conn.model('SendFence', sendFenceSchema),
    CardMessage: conn.model('CardMessage', cardMessageSchema),
  };
}

export type NotifyModels = ReturnType<typeof createNotifyModels>;
