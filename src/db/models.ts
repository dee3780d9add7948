import { Connection, Schema } from 'mongoose';

// Schemas declare the fields we query and the indexes serving those queries; the stores read
// and write plain objects (lean), so documents carry a few more fields than declared here.

const wishEventSchema = new Schema(
  {
    _id: { type: String, required: true }, // `<wishId>:<seq>`: its uniqueness is the exclusive decision
    wishId: { type: String, required: true },
    seq: { type: Number, required: true },
    type: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'wish_events', strict: false, versionKey: false },
);
wishEventSchema.index({ wishId: 1, seq: 1 }, { unique: true });

/** A wish's snapshot: every wish in `wishes`, the live ones (published, not yet closed) also in `open_wishes`. */
const snapshotFields = {
  _id: { type: String, required: true }, // the wish code, e.g. W-1001
  codeNumber: { type: Number, required: true },
  communityId: { type: String, required: true },
  status: { type: String, required: true },
  deadline: { type: Date, required: true },
  version: { type: Number, required: true },
  updatedAt: { type: Date, required: true },
};

const wishSchema = new Schema(snapshotFields, { collection: 'wishes', strict: false, versionKey: false });
wishSchema.index({ codeNumber: -1 }, { unique: true });
wishSchema.index({ communityId: 1, status: 1, deadline: 1 });
wishSchema.index({ status: 1, deadline: 1, _id: 1 });
wishSchema.index({ 'pledges.donorId': 1 });
wishSchema.index({ 'createdBy.id': 1 });

// What the jobs and the lists of live wishes read: small however many wishes have closed.
const openWishSchema = new Schema(snapshotFields, { collection: 'open_wishes', strict: false, versionKey: false });
openWishSchema.index({ status: 1, deadline: 1, _id: 1 });
openWishSchema.index({ communityId: 1, codeNumber: -1 });
openWishSchema.index({ codeNumber: -1 });
openWishSchema.index({ 'pledges.donorId': 1 });

// One marker per event not yet relayed (`_id` the event id), deleted once relayed: the relay sweep
// reads this small collection instead of looking for unmarked events among all of them.
const relayMarkerSchema = new Schema(
  {
    _id: { type: String, required: true },
    wishId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'relay_queue', versionKey: false },
);
relayMarkerSchema.index({ at: 1 });

// Small documents read by `_id` alone (the highest wish code known, e.g.): no index beyond `_id`.
const hintSchema = new Schema({ _id: { type: String, required: true } }, { collection: 'hints', strict: false, versionKey: false });

// One document per one-time data migration done (`_id` its name).
const migrationSchema = new Schema({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { collection: 'migrations', versionKey: false });

const communitySchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    linkCode: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'communities', versionKey: false },
);
communitySchema.index({ linkCode: 1 }, { unique: true });


const apiTokenSchema = new Schema(
  {
    _id: { type: String, required: true }, // sha256 of the token: the token itself is never stored
    id: { type: String }, // public handle (tok_…), random; lists and DELETE use it (a small collection, scanned)
    role: { type: String, required: true },
    communityIds: { type: [String], default: [] },
    label: { type: String, required: true },
    telegramId: { type: Number },
    createdAt: { type: Date, required: true },
    createdBy: { type: String },
    via: { type: String },
    revokedAt: { type: Date },
  },
  { collection: 'api_tokens', versionKey: false },
);

// Web console sessions, `_id` the sha256 of the cookie's random id: a lookup is a point read by `_id`.
const consoleSessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    actor: { type: Schema.Types.Mixed, required: true },
    tokenHash: { type: String },
    telegramId: { type: Number },
    csrfSecret: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'console_sessions', versionKey: false },
);
consoleSessionSchema.index({ expiresAt: 1 });

/** A wish's needs assessment, private to staff; `_id` is the wish id (a point read). */
const assessmentSchema = new Schema(
  {
    _id: { type: String, required: true },
    domains: { type: [String], default: [] },
    strengths: { type: Schema.Types.Mixed },
    goals: { type: Schema.Types.Mixed },
    referrals: { type: Schema.Types.Mixed },
    recordedBy: { type: Schema.Types.Mixed, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'assessments', versionKey: false },
);

/** An intake in a resident's own words, private to staff; `_id` is random, the words sealed. */
const intakeSchema = new Schema(
  {
    _id: { type: String, required: true },
    communityId: { type: String, required: true },
    residentTelegramId: { type: Number },
    residentFirstName: { type: Schema.Types.Mixed },
    words: { type: Schema.Types.Mixed },
    voiceFileId: { type: String },
    byWhen: { type: String, required: true },
    urgency: { type: String, required: true },
    mayContact: { type: Boolean, required: true },
    contactHow: { type: String },
    recordedBy: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true },
    wishId: { type: String },
    createdAt: { type: Date, required: true },
  },
  { collection: 'intakes', versionKey: false },
);

/** A quiet invitation: one resource asked about one wish; `_id` `<wishId>:<resourceId>` makes asking twice one. */
const invitationSchema = new Schema(
  {
    _id: { type: String, required: true },
    wishId: { type: String, required: true },
    resourceId: { type: String, required: true },
    communityId: { type: String, required: true },
    telegramId: { type: Number, required: true },
    askedBy: { type: String, required: true },
    askedAt: { type: Date, required: true },
  },
  { collection: 'invitations', versionKey: false },
);
invitationSchema.index({ wishId: 1, askedAt: 1 });
invitationSchema.index({ resourceId: 1 });

/** The answer to an invitation, under the invitation's `_id`: the first answer stands. */
const invitationReplySchema = new Schema({ _id: { type: String, required: true } }, { collection: 'invitation_replies', strict: false, versionKey: false });

/** The resource directory (src/domain/resources): one document per entry, its contact sealed. */
const resourceSchema = new Schema({ _id: { type: String, required: true }, communityId: { type: String, required: true } }, { collection: 'resources', strict: false, versionKey: false });
resourceSchema.index({ communityId: 1 });
/** A community's area tree: district -> community -> building or street. */
const areaSchema = new Schema({ _id: { type: String, required: true }, communityId: { type: String, required: true } }, { collection: 'areas', strict: false, versionKey: false });
areaSchema.index({ communityId: 1 });

/** Volunteer teams by skill (src/domain/teams), their members, service requests, slots and what happened at each slot. */
const loose = (collection: string) => new Schema({ _id: { type: String, required: true } }, { collection, strict: false, versionKey: false });
const teamSchema = loose('teams');
teamSchema.index({ communityId: 1 });
teamSchema.index({ joinCode: 1 });
teamSchema.index({ leadTelegramId: 1 });
const teamMemberSchema = loose('team_members');
teamMemberSchema.index({ teamId: 1 });
const serviceRequestSchema = loose('service_requests');
serviceRequestSchema.index({ teamId: 1 });
const serviceSlotSchema = loose('service_slots');
serviceSlotSchema.index({ startsAt: 1 });
/** One record per (slot, kind, member or place), each a unique insert: a place taken, a check-in, a confirmation. */
const slotRecordSchema = loose('slot_records');
slotRecordSchema.index({ teamId: 1, kind: 1 });
slotRecordSchema.index({ telegramId: 1, kind: 1 });

/** The in-kind ledger (src/domain/stock): events by `<itemId>:<seq>`, and each item's last state. */
const stockEventSchema = loose('stock_events');
const stockItemSchema = loose('stock_items');
stockItemSchema.index({ communityId: 1 });
/** Surplus offers, and each unit and each person's share taken (unique inserts). */
const surplusOfferSchema = loose('surplus_offers');
surplusOfferSchema.index({ communityId: 1 });
const surplusTakeSchema = loose('surplus_takes');
/** Whether a community's public impact page is on (an admin's choice). */
const impactPageSchema = loose('impact_pages');

export function createModels(conn: Connection) {
  return {
    WishEvent: conn.model('WishEvent', wishEventSchema),
    Wish: conn.model('Wish', wishSchema),
    OpenWish: conn.model('OpenWish', openWishSchema),
    RelayMarker: conn.model('RelayMarker', relayMarkerSchema),
    Hint: conn.model('Hint', hintSchema),
    Migration: conn.model('Migration', migrationSchema),
    Community: conn.model('Community', communitySchema),
    ApiToken: conn.model('ApiToken', apiTokenSchema),
    ConsoleSession: conn.model('ConsoleSession', consoleSessionSchema),
    Assessment: conn.model('Assessment', assessmentSchema),
    Invitation: conn.model('Invitation', invitationSchema),
    Resource: conn.model('Resource', resourceSchema),
    Area: conn.model('Area', areaSchema),
    InvitationReply: conn.model('InvitationReply', invitationReplySchema),
    Intake: conn.model('Intake', intakeSchema),
    Team: conn.model('Team', teamSchema),
    TeamMember: conn.model('TeamMember', teamMemberSchema),
    ServiceRequest: conn.model('ServiceRequest', serviceRequestSchema),
    ServiceSlot: conn.model('ServiceSlot', serviceSlotSchema),
    SlotRecord: conn.model('SlotRecord', slotRecordSchema),
    StockEvent: conn.model('StockEvent', stockEventSchema),
    StockItem: conn.model('StockItem', stockItemSchema),
    SurplusOffer: conn.model('SurplusOffer', surplusOfferSchema),
    SurplusTake: conn.model('SurplusTake', surplusTakeSchema),
    ImpactPage: conn.model('ImpactPage', impactPageSchema),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Creates collections and declared indexes of any set of models; safe to run on every start. */
export async function ensureIndexes(models: Record<string, { createCollection(): Promise<unknown>; createIndexes(): Promise<unknown> }>): Promise<void> {
  for (const model of Object.values(models)) {
    await model.createCollection().catch(() => undefined); // already exists
    await model.createIndexes();
  }
}
