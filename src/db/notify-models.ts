import { Connection, Schema } from 'mongoose';

// The outbox, the leases that decide who sends (and who runs a job tick), the send fences that decide
// who may call the Bot API for an item, and where each card sits. FerretDB has no TTL indexes:
// housekeeping deletes old sent items, old fences and expired leases by date.

const outboxSchema = new Schema(
  {
    _id: { type: String, required: true }, // `<sourceId>|<chatId>|<kind>`: relaying twice inserts nothing
    chatId: { type: Number, required: true },
    status: { type: String, required: true },
    notBefore: { type: Date, required: true },
  },
  { collection: 'outbox', strict: false, versionKey: false },
);
outboxSchema.index({ status: 1, notBefore: 1 });
outboxSchema.index({ status: 1, chatId: 1, 'payload.wishId': 1 });
outboxSchema.index({ sentAt: 1 });

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
    Lease: conn.model('Lease', leaseSchema),
    SendFence: conn.model('SendFence', sendFenceSchema),
    CardMessage: conn.model('CardMessage', cardMessageSchema),
  };
}

export type NotifyModels = ReturnType<typeof createNotifyModels>;
