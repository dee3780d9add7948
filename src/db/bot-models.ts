import { Connection, Schema } from 'mongoose';

// What the bot remembers about Telegram: people, groups, one-time links, handled updates, wizard
// sessions and whose turn it is in each chat. Lean documents; the stores map them to the domain's plain objects.

// Numeric ids (Telegram's) are stored as strings: FerretDB serves a find by `_id` from its index only
// when the `_id` is a string; a number made every lookup of a person, a group or an update scan the collection.

const personSchema = new Schema(
  {
    _id: { type: String, required: true }, // Telegram user id, as a string
    workerOf: { type: [String], default: [] },
    residentOf: { type: [String], default: [] },
  },
  { collection: 'people', strict: false, versionKey: false },
);
personSchema.index({ residentOf: 1 });
personSchema.index({ workerOf: 1 });

const groupSchema = new Schema(
  {
    _id: { type: String, required: true }, // Telegram chat id, as a string
    communityId: { type: String },
    active: { type: Boolean, required: true },
  },
  { collection: 'groups', strict: false, versionKey: false },
);
groupSchema.index({ communityId: 1, active: 1 });

const inviteSchema = new Schema({ _id: { type: String, required: true } }, { collection: 'invites', strict: false, versionKey: false });
// One document per used link: its unique _id is what makes a link one-time.
const redemptionSchema = new Schema({ _id: { type: String, required: true } }, { collection: 'invite_redemptions', strict: false, versionKey: false });

const processedUpdateSchema = new Schema(
  { _id: { type: String, required: true }, at: { type: Date, required: true } }, // Telegram update id, as a string
  { collection: 'processed_updates', versionKey: false },
);
processedUpdateSchema.index({ at: 1 });

const sessionSchema = new Schema(
  { _id: { type: String, required: true }, updatedAt: { type: Date, required: true } },
  { collection: 'bot_sessions', strict: false, versionKey: false },
);

// One chat at a time across instances: turn n of a key is the document `<key>#<n>`, taken by inserting it
// (the unique _id picks one taker); only its holder updates it (renews `until`, sets `releasedAt`).
const chatTurnSchema = new Schema(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    n: { type: Number, required: true },
    holder: { type: String, required: true },
    until: { type: Date, required: true },
    takenAt: { type: Date, required: true },
    releasedAt: { type: Date },
  },
  { collection: 'chat_turns', versionKey: false },
);
chatTurnSchema.index({ until: 1 }); // housekeeping
// A hint per key: the latest turn taken, so finding the current one is a point read or two, not a scan.
const chatTurnPointerSchema = new Schema(
  { _id: { type: String, required: true }, n: { type: Number, required: true }, at: { type: Date, required: true } },
  { collection: 'chat_turn_pointers', versionKey: false },
);

// The donor's latest "still on it" per pledge: it restarts the reminder and release clocks.
const reminderAnswerSchema = new Schema(
  { _id: { type: String, required: true }, answeredAt: { type: Date, required: true } },
  { collection: 'reminder_answers', versionKey: false },
);

// Version tokens of lists read often and changed rarely (a community's linked groups, its workers):
// `<list>:<key>` -> a fresh random token on every change, so a reader keeps a list in memory for as long
// as one point read finds the token it was read under (src/db/versioned-memo.ts).
const listVersionSchema = new Schema(
  { _id: { type: String, required: true }, token: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'list_versions', versionKey: false },
);

// The residents linked to a wish, by wish id: the relay reads them with one point read (a filter on
// people.residentOf scans every person on FerretDB).
const wishResidentsSchema = new Schema(
  { _id: { type: String, required: true }, telegramIds: { type: [Number], default: [] } },
  { collection: 'wish_residents', versionKey: false },
);

// Erasure requests (src/db/erasure-requests.ts): `tg:<telegram id>` while asked (its unique insert makes
// asking twice one request), `tok:<token>` what a worker's button names, `done:<token>` once erased:
// after erasure only the done record stays, which holds no id of the person.
const erasureRequestSchema = new Schema({ _id: { type: String, required: true } }, { collection: 'erasure_requests', strict: false, versionKey: false });

export function createBotModels(conn: Connection) {
  return {
    Person: conn.model('Person', personSchema),
    Group: conn.model('Group', groupSchema),
    Invite: conn.model('Invite', inviteSchema),
    InviteRedemption: conn.model('InviteRedemption', redemptionSchema),
    ProcessedUpdate: conn.model('ProcessedUpdate', processedUpdateSchema),
    BotSession: conn.model('BotSession', sessionSchema),
    ReminderAnswer: conn.model('ReminderAnswer', reminderAnswerSchema),
    ChatTurn: conn.model('ChatTurn', chatTurnSchema),
    ChatTurnPointer: conn.model('ChatTurnPointer', chatTurnPointerSchema),
    ListVersion: conn.model('ListVersion', listVersionSchema),
    WishResidents: conn.model('WishResidents', wishResidentsSchema),
    ErasureRequest: conn.model('ErasureRequest', erasureRequestSchema),
  };
}

export type BotModels = ReturnType<typeof createBotModels>;
