// Every query the service sends to the database, and the index that serves it on MongoDB (FerretDB 1.x
// scans for anything but a plain `_id` equality, whatever is declared). test/integration/query-shapes.test.ts
// records the queries a full workload issues and checks each against this table, each index against
// the schemas (models.ts, bot-models.ts, notify-models.ts) and, on a real MongoDB, with explain().
//
// Notation of `filter`: the filter's field paths, equalities first, then the rest, each alphabetically;
// an operator in brackets: `(in)` `$in`, `(nin)`, `(ne)`, `(exists)`, `(regex)`, `(range)` any of
// `$gt $gte $lt $lte`; `$or[a | b]` for alternatives; `{}` for no filter. `sort`: `key:1 key:-1` in order.
// `index`: the key spec as a schema declares it, `'_id'` for the built-in one, null for none (`gap` says
// why). `gap`: a shortfall known and accepted for now; the test prints every gap.

export type QueryOp = 'find' | 'count' | 'update' | 'delete' | 'findAndModify' | 'aggregate' | 'distinct';
export type IndexKeys = Readonly<Record<string, 1 | -1>>;

export interface QueryShape {
  collection: string;
  op: QueryOp;
  filter: string;
  sort?: string;
  index: IndexKeys | '_id' | null;
  /** Where it is issued (file: function). */
  from: string;
  why?: string;
  gap?: string;
}

export const QUERY_SHAPES: readonly QueryShape[] = [
  // wishes: snapshots, the cache lists and jobs read
  { collection: 'wishes', op: 'find', filter: '_id', index: '_id', from: 'wish-store: loadSnapshot, saveSnapshot' },
  { collection: 'wishes', op: 'update', filter: '_id', index: '_id', from: 'wish-store: saveSnapshot', why: 'replaceOne by _id, upsert' },
  { collection: 'wishes', op: 'find', filter: '{}', sort: 'codeNumber:-1', index: { codeNumber: -1 }, from: 'wish-store: highestCodeNumber, listSnapshots', why: 'every create asks for the top code; an admin lists all' },
  { collection: 'wishes', op: 'find', filter: '_id(in)', sort: 'codeNumber:-1', index: '_id', from: 'wish-store: listSnapshots', why: "a resident's /mywishes" },
  { collection: 'wishes', op: 'find', filter: 'communityId(in)', sort: 'codeNumber:-1', index: { communityId: 1, status: 1, deadline: 1 }, from: 'wish-store: listSnapshots', why: "a worker's /mywishes and API list" },
  { collection: 'wishes', op: 'find', filter: 'communityId(in) status(in)', sort: 'codeNumber:-1', index: { communityId: 1, status: 1, deadline: 1 }, from: 'wish-store: listSnapshots', why: '/link, /wishes, the bot back in a group, API list' },
  { collection: 'wishes', op: 'find', filter: 'status(in)', sort: 'codeNumber:-1', index: { status: 1, deadline: 1, _id: 1 }, from: 'wish-store: listSnapshots', why: "an admin's API list by status" },
  { collection: 'wishes', op: 'find', filter: 'pledges.donorId', sort: 'codeNumber:-1', index: { 'pledges.donorId': 1 }, from: 'wish-store: listSnapshots', why: '/mypledges' },
  { collection: 'wishes', op: 'find', filter: 'pledges.donorId status(in)', sort: 'codeNumber:-1', index: { 'pledges.donorId': 1 }, from: 'wish-store: listSnapshots', why: '/start: next steps a donor missed' },
  { collection: 'wishes', op: 'find', filter: 'status(in)', sort: 'deadline:1 _id:1', index: { status: 1, deadline: 1, _id: 1 }, from: 'wish-store: pageByDeadline', why: "jobs' first page" },
  { collection: 'wishes', op: 'find', filter: 'status(in) deadline(range)', sort: 'deadline:1 _id:1', index: { status: 1, deadline: 1, _id: 1 }, from: 'wish-store: pageByDeadline', why: 'expiry job, first page' },
  { collection: 'wishes', op: 'find', filter: 'status(in) $or[deadline _id(range) | deadline(range)]', sort: 'deadline:1 _id:1', index: { status: 1, deadline: 1, _id: 1 }, from: 'wish-store: pageByDeadline', why: "jobs' next pages, after a cursor" },

  // wish_events: each wish's stream
  { collection: 'wish_events', op: 'find', filter: '_id', index: '_id', from: 'wish-store: eventsFrom, eventExists' },
  { collection: 'wish_events', op: 'find', filter: '_id(in)', index: '_id', from: 'wish-store: staleIds', why: 'after every list: which snapshots are behind' },
  { collection: 'wish_events', op: 'update', filter: '_id', index: '_id', from: 'wish-store: markRelayed' },
  { collection: 'wish_events', op: 'find', filter: 'relayedAt(absent) at(range)', sort: 'at:1', index: { relayedAt: 1, at: 1 }, from: 'wish-store: unrelayed', why: 'relay sweep, every 20 s' },

  // communities, api_tokens
  { collection: 'communities', op: 'find', filter: '_id', index: '_id', from: 'community-store: get' },
  { collection: 'communities', op: 'find', filter: 'linkCode', index: { linkCode: 1 }, from: 'community-store: byLinkCode', why: '/link, /invite' },
  {
    collection: 'communities', op: 'find', filter: '{}', sort: 'createdAt:1', index: null, from: 'community-store: list', why: '/communities, /newwish by an admin, API list',
    gap: 'no index on createdAt: a few communities, read whole; communitySchema.index({ createdAt: 1 }) would serve the sort',
  },
  { collection: 'api_tokens', op: 'find', filter: '_id', index: '_id', from: 'api-token-store: byHash', why: 'every API request with a stored token' },

  // people, groups, invites: who the bot talks to
  { collection: 'people', op: 'find', filter: '_id', index: '_id', from: 'bot-stores: person get' },
  { collection: 'people', op: 'findAndModify', filter: '_id', index: '_id', from: 'bot-stores: person seen', why: 'every update from a person' },
  { collection: 'people', op: 'update', filter: '_id', index: '_id', from: 'bot-stores: setLanguage, setDonorProfile, add*, markBlocked' },
  { collection: 'people', op: 'find', filter: 'residentOf', index: { residentOf: 1 }, from: 'bot-stores: residentsOf', why: 'relay, for events that speak to residents' },
  { collection: 'people', op: 'find', filter: 'workerOf', index: { workerOf: 1 }, from: 'bot-stores: workersOf', why: 'relay and alerts, for wishes with no worker of their own' },
  { collection: 'groups', op: 'find', filter: '_id', index: '_id', from: 'bot-stores: group get', why: 'every group update' },
  { collection: 'groups', op: 'update', filter: '_id', index: '_id', from: 'bot-stores: setPresence, link, setLanguage' },
  { collection: 'groups', op: 'find', filter: 'active communityId', index: { communityId: 1, active: 1 }, from: 'bot-stores: ofCommunity', why: 'relay, every wish event' },
  {
    collection: 'groups', op: 'find', filter: 'active communityId(exists)', index: { communityId: 1, active: 1 }, from: 'bot-stores: linked', why: 'digest job, weekly',
    gap: 'communityId is $exists, not an equality: the whole index is walked; groups are few',
  },
  { collection: 'invites', op: 'find', filter: '_id', index: '_id', from: 'bot-stores: invite get' },

  // the bot's bookkeeping per update
  { collection: 'processed_updates', op: 'find', filter: '_id', index: '_id', from: 'bot-stores: isDone', why: 'every update' },
  { collection: 'processed_updates', op: 'delete', filter: 'at(range)', index: { at: 1 }, from: 'bot-stores: deleteBefore', why: 'housekeeping, daily' },
  { collection: 'bot_sessions', op: 'find', filter: '_id', index: '_id', from: 'bot-stores: session load' },
  { collection: 'bot_sessions', op: 'update', filter: '_id', index: '_id', from: 'bot-stores: session write' },
  { collection: 'reminder_answers', op: 'find', filter: '_id', index: '_id', from: 'bot-stores: lastAnswer', why: 'reminder and release jobs, per active pledge' },
  { collection: 'reminder_answers', op: 'update', filter: '_id', index: '_id', from: 'bot-stores: record', why: '"still on it"' },
  { collection: 'chat_turn_pointers', op: 'find', filter: '_id', index: '_id', from: 'turn-store: pointer', why: 'every update' },
  { collection: 'chat_turn_pointers', op: 'update', filter: '_id', index: '_id', from: 'turn-store: take' },
  { collection: 'chat_turns', op: 'find', filter: '_id', index: '_id', from: 'turn-store: get', why: 'only when a turn is taken already' },
  { collection: 'chat_turns', op: 'update', filter: '_id', index: '_id', from: 'turn-store: renew, release' },
  { collection: 'chat_turns', op: 'delete', filter: 'until(range)', index: { until: 1 }, from: 'turn-store: deleteEndedBefore', why: 'housekeeping, daily' },

  // outbox and sending
  { collection: 'outbox', op: 'find', filter: 'status notBefore(range)', sort: 'createdAt:1 notBefore:1', index: { status: 1, notBefore: 1 }, from: 'outbox-store: due', why: 'the sender, every turn' },
  { collection: 'outbox', op: 'find', filter: 'status chatId(nin) notBefore(range)', sort: 'createdAt:1 notBefore:1', index: { status: 1, notBefore: 1 }, from: 'outbox-store: due', why: 'the sender, while some chats are at their limit' },
  { collection: 'outbox', op: 'find', filter: '_id', index: '_id', from: 'outbox-store: get' },
  { collection: 'outbox', op: 'update', filter: '_id', index: '_id', from: 'outbox-store: markSent, markRetry, markFailed' },
  { collection: 'outbox', op: 'find', filter: 'chatId payload.type payload.wishId status _id(ne)', index: { status: 1, chatId: 1, 'payload.wishId': 1 }, from: 'outbox-store: pendingCardRefreshes', why: 'the sender, per card it sends' },
  { collection: 'outbox', op: 'update', filter: '_id(in)', index: '_id', from: 'outbox-store: markCoalesced' },
  {
    collection: 'outbox', op: 'delete', filter: 'status sentAt(range)', index: { sentAt: 1 }, from: 'outbox-store: deleteSentBefore', why: 'housekeeping, daily',
    gap: "leads with sentAt, not status: only sent items have a sentAt, so status: 'sent' narrows nothing",
  },
  { collection: 'card_messages', op: 'find', filter: '_id', index: '_id', from: 'outbox-store: placeOf' },
  { collection: 'card_messages', op: 'update', filter: '_id', index: '_id', from: 'outbox-store: remember' },
  { collection: 'send_fences', op: 'find', filter: '_id', index: '_id', from: 'fence-store: get', why: 'only for an item whose fence is taken' },
  { collection: 'send_fences', op: 'delete', filter: 'createdAt(range)', index: { createdAt: 1 }, from: 'fence-store: deleteCreatedBefore', why: 'housekeeping, daily' },
  { collection: 'leases', op: 'delete', filter: 'expiresAt(range)', index: { expiresAt: 1 }, from: 'lease-store: deleteExpiredBefore', why: 'housekeeping, daily' },
];
