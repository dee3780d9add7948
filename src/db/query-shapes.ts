// Every query the service sends to the database, and the index that serves it on MongoDB. On FerretDB
// (the project's patched build, src/db/ferretdb.ts) only a find, update or delete by a string `_id`
// equality uses an index; any other filter scans, whatever is declared. test/integration/query-shapes.test.ts
// records the queries a full workload issues and checks each against this table, each index against
// the schemas (models.ts, bot-models.ts, notify-models.ts) and, on a real MongoDB, with explain().
//
// Notation of `filter`: the filter's field paths, equalities first, then the rest, each alphabetically;
// an operator in brackets: `(in)` `$in`, `(nin)`, `(ne)`, `(exists)`, `(absent)` `$exists: false`,
// `(regex)`, `(range)` any of `$gt $gte $lt $lte`; `$or[a | b]` for alternatives; `{}` for no filter.
// `sort`: `key:1 key:-1` in order. `index`: the key spec as a schema declares it, `'_id'` for the
// built-in one, null for none. `gap`: a shortfall known and accepted for now; the test prints every gap.
// `startup`: sent only while the service starts, before it serves; such a query may scan on purpose.

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
  /** 'once': by a one-time migration, recorded in `migrations`; 'every': at every start. */
  startup?: 'once' | 'every';
}

export const QUERY_SHAPES: readonly QueryShape[] = [
  // wishes: every wish's snapshot; the lists that may show closed wishes read it
  { collection: 'wishes', op: 'find', filter: '_id', index: '_id', from: 'wish-store: loadSnapshot, saveSnapshot, staleIds' },
  { collection: 'wishes', op: 'update', filter: '_id', index: '_id', from: 'wish-store: saveSnapshot; private-fields: sealStoredPrivateFields (once)', why: 'replaceOne by _id, upsert' },
  { collection: 'wishes', op: 'find', filter: '{}', sort: 'codeNumber:-1', index: { codeNumber: -1 }, from: 'wish-store: listSnapshots, highestCodeNumber', why: "an admin's /mywishes and API list; the top code once, on a database from before the code hint" },
  { collection: 'wishes', op: 'find', filter: '_id(in)', sort: 'codeNumber:-1', index: '_id', from: 'wish-store: listSnapshots', why: "a resident's /mywishes" },
  { collection: 'wishes', op: 'find', filter: 'communityId(in)', sort: 'codeNumber:-1', index: { communityId: 1, status: 1, deadline: 1 }, from: 'wish-store: listSnapshots', why: "a worker's /mywishes and API list" },
  { collection: 'wishes', op: 'find', filter: 'communityId(in) status(in)', sort: 'codeNumber:-1', index: { communityId: 1, status: 1, deadline: 1 }, from: 'wish-store: listSnapshots', why: 'API list by community and a status that is not live (live ones read open_wishes)' },
  { collection: 'wishes', op: 'find', filter: 'status(in)', sort: 'codeNumber:-1', index: { status: 1, deadline: 1, _id: 1 }, from: 'wish-store: listSnapshots', why: "an admin's API list by a status that is not live" },
  { collection: 'wishes', op: 'find', filter: 'pledges.donorId', sort: 'codeNumber:-1', index: { 'pledges.donorId': 1 }, from: 'wish-store: listSnapshots', why: '/mypledges' },
  { collection: 'wishes', op: 'find', filter: 'status(in)', index: { status: 1, deadline: 1, _id: 1 }, from: 'wish-store: rebuildOpenWishes', why: 'migration open_wishes_v1: the live snapshots', startup: 'once' },
  { collection: 'wishes', op: 'find', filter: '{}', index: null, from: 'private-fields: sealStoredPrivateFields', why: 'migration private_fields_<key id>: seals plain or old-key private fields (once per DATA_KEY)', startup: 'once' },

  // open_wishes: the live wishes (published, not closed), which the jobs and the lists of live wishes read
  { collection: 'open_wishes', op: 'update', filter: '_id', index: '_id', from: 'wish-store: syncOpenEntry; private-fields: sealStoredPrivateFields (once)', why: 'every snapshot save of a live wish; replaceOne, upsert' },
  { collection: 'open_wishes', op: 'delete', filter: '_id', index: '_id', from: 'wish-store: syncOpenEntry', why: 'every snapshot save of a closed wish' },
  { collection: 'open_wishes', op: 'find', filter: 'communityId(in) status(in)', sort: 'codeNumber:-1', index: { communityId: 1, codeNumber: -1 }, from: 'wish-store: listSnapshots', why: '/link, /wishes, the bot back in a group, API list by community' },
  { collection: 'open_wishes', op: 'find', filter: 'pledges.donorId status(in)', sort: 'codeNumber:-1', index: { 'pledges.donorId': 1 }, from: 'wish-store: listSnapshots', why: '/start: next steps a donor missed' },
  { collection: 'open_wishes', op: 'find', filter: 'status(in)', sort: 'codeNumber:-1', index: { status: 1, deadline: 1, _id: 1 }, from: 'wish-store: listSnapshots', why: "an admin's API list by a live status; sorted in memory, among the live wishes only" },
  { collection: 'open_wishes', op: 'find', filter: 'status(in)', sort: 'deadline:1 _id:1', index: { status: 1, deadline: 1, _id: 1 }, from: 'wish-store: pageByDeadline', why: "jobs' first page" },
  { collection: 'open_wishes', op: 'find', filter: 'status(in) deadline(range)', sort: 'deadline:1 _id:1', index: { status: 1, deadline: 1, _id: 1 }, from: 'wish-store: pageByDeadline', why: 'expiry job, first page' },
  { collection: 'open_wishes', op: 'find', filter: 'status(in) $or[deadline _id(range) | deadline(range)]', sort: 'deadline:1 _id:1', index: { status: 1, deadline: 1, _id: 1 }, from: 'wish-store: pageByDeadline', why: "jobs' next pages, after a cursor" },
  { collection: 'open_wishes', op: 'delete', filter: '{}', index: null, from: 'wish-store: rebuildOpenWishes', why: 'migration open_wishes_v1: replaces what was there', startup: 'once' },
  { collection: 'open_wishes', op: 'find', filter: '{}', index: null, from: 'private-fields: sealStoredPrivateFields', why: 'migration private_fields_<key id>', startup: 'once' },

  // wish_events: each wish's stream, read by point reads of `<wishId>:<seq>`
  { collection: 'wish_events', op: 'find', filter: '_id', index: '_id', from: 'wish-store: eventsFrom, exists (eventExists, codeTaken, staleIds); relay log: unrelayed' },
  { collection: 'wish_events', op: 'update', filter: '_id', index: '_id', from: 'relay log: markRelayed; private-fields: sealStoredPrivateFields (once); wish-store: createHistoryRewriter (erasure)', why: 'each event relayed; an erased person taken out of a history (replaceOne)' },
  { collection: 'wish_events', op: 'find', filter: 'relayedAt(absent)', index: null, from: 'wish-store: queueUnrelayedEvents', why: 'migration relay_queue_v1: events the old sweep would still have relayed', startup: 'once' },
  { collection: 'wish_events', op: 'find', filter: 'type', index: null, from: 'private-fields: sealStoredPrivateFields', why: 'migration private_fields_<key id>: the created events, which hold the beneficiary', startup: 'once' },

  // relay_queue: a marker per event not yet relayed; hints: the highest wish code known
  { collection: 'relay_queue', op: 'find', filter: 'at(range)', sort: 'at:1', index: { at: 1 }, from: 'relay log: unrelayed', why: 'relay sweep, every RELAY_CATCH_UP_SECONDS / 3 (20 s)' },
  { collection: 'relay_queue', op: 'delete', filter: '_id', index: '_id', from: 'relay log: markRelayed, unrelayed', why: 'each event relayed' },
  { collection: 'hints', op: 'find', filter: '_id', index: '_id', from: 'wish-store: highestCodeNumber', why: 'every wish created' },
  { collection: 'hints', op: 'update', filter: '_id', index: '_id', from: 'wish-store: raiseCodeHint', why: 'every wish created; $max, upsert' },
  { collection: 'migrations', op: 'find', filter: '_id', index: '_id', from: 'migrations: runMigrations, runOnce', why: 'is this migration done?', startup: 'every' },

  // communities, api_tokens
  { collection: 'communities', op: 'find', filter: '_id', index: '_id', from: 'community-store: get' },
  { collection: 'communities', op: 'find', filter: 'linkCode', index: { linkCode: 1 }, from: 'community-store: byLinkCode', why: '/link, /invite' },
  {
    collection: 'communities', op: 'find', filter: '{}', sort: 'createdAt:1', index: null, from: 'community-store: list', why: '/communities, /newwish by an admin, API list',
    gap: 'no index on createdAt: a few communities, read whole; communitySchema.index({ createdAt: 1 }) would serve the sort',
  },
  { collection: 'api_tokens', op: 'find', filter: '_id', index: '_id', from: 'api-token-store: byHash', why: 'every API request with a stored token' },
  {
    collection: 'api_tokens', op: 'find', filter: '{}', sort: 'createdAt:-1', index: null, from: 'api-token-store: list, byId, revoke', why: 'token admin: GET/DELETE /api/v1/tokens, /token in the bot',
    gap: 'no index on createdAt: a few tokens, read whole',
  },
  { collection: 'api_tokens', op: 'update', filter: '_id', index: '_id', from: 'api-token-store: revoke', why: 'a token revoked' },
  { collection: 'resources', op: 'find', filter: '_id', index: '_id', from: 'resource-store: get', why: 'a directory entry: its page, an invitation, an answer' },
  { collection: 'resources', op: 'update', filter: '_id', index: '_id', from: 'resource-store: save', why: 'an entry edited, approved, paused or retired (replaced whole)' },
  { collection: 'resources', op: 'find', filter: 'communityId', index: { communityId: 1 }, from: 'resource-store: ofCommunity', why: "a community's directory: lists, matching, duplicate names (tens or hundreds of entries)" },
  { collection: 'areas', op: 'find', filter: 'communityId', index: { communityId: 1 }, from: 'resource-store: areasOf', why: "a community's area tree" },
  { collection: 'invitations', op: 'find', filter: '_id', index: '_id', from: 'invitation-store: get', why: 'an invited resource answers' },
  { collection: 'invitations', op: 'find', filter: 'wishId', sort: 'askedAt:1', index: { wishId: 1, askedAt: 1 }, from: 'invitation-store: ofWish', why: "a wish's invitations on its page and in the API" },
  { collection: 'invitations', op: 'find', filter: 'resourceId(in)', index: { resourceId: 1 }, from: 'invitation-store: ofResources', why: 'matching: when each resource was last asked and what it declined' },
  { collection: 'invitation_replies', op: 'find', filter: '_id', index: '_id', from: 'invitation-store: reply, ofWish', why: "an invitation's answer" },
  { collection: 'assessments', op: 'find', filter: '_id', index: '_id', from: 'assessment-store: get', why: 'a wish page shown to staff, the assessment form' },
  { collection: 'assessments', op: 'update', filter: '_id', index: '_id', from: 'assessment-store: save', why: 'an assessment saved (replaced whole, upserted)' },
  // volunteer teams (src/db/team-store.ts)
  { collection: 'teams', op: 'find', filter: '_id', index: '_id', from: 'team-store: team', why: 'a team: its page, a slot card, a press' },
  { collection: 'teams', op: 'update', filter: '_id', index: '_id', from: 'team-store: saveTeam', why: "the team's group linked (replaced whole)" },
  { collection: 'teams', op: 'find', filter: 'joinCode', index: { joinCode: 1 }, from: 'team-store: teamByJoinCode', why: "a member opens the lead's join link; /teamchat" },
  { collection: 'teams', op: 'find', filter: 'leadTelegramId', index: { leadTelegramId: 1 }, from: 'team-store: teamsLedBy', why: "a lead's /myteams" },
  { collection: 'teams', op: 'find', filter: 'communityId', index: { communityId: 1 }, from: 'team-store: teamsOf', why: "a community's teams (a handful)" },
  { collection: 'team_members', op: 'find', filter: '_id', index: '_id', from: 'team-store: member', why: 'is this person in the team (every signup)' },
  { collection: 'team_members', op: 'find', filter: 'teamId', index: { teamId: 1 }, from: 'team-store: membersOf', why: "a team's members: hours, the lead's /myteams" },
  { collection: 'service_requests', op: 'find', filter: '_id', index: '_id', from: 'team-store: request', why: 'a service card rendered, a reminder' },
  { collection: 'service_requests', op: 'find', filter: 'teamId', index: { teamId: 1 }, from: 'team-store: requestsOf', why: "a team's service requests in the API" },
  { collection: 'service_slots', op: 'find', filter: '_id', index: '_id', from: 'team-store: slot', why: 'every slot press and card' },
  { collection: 'service_slots', op: 'find', filter: 'startsAt(range)', index: { startsAt: 1 }, from: 'team-store: slotsStarting', why: 'the slot job: reminders before, no-shows after the start' },
  { collection: 'slot_records', op: 'find', filter: '_id', index: '_id', from: 'team-store: record', why: 'who holds each place, who checked in, was confirmed' },
  { collection: 'slot_records', op: 'delete', filter: '_id', index: '_id', from: 'team-store: deleteRecord', why: 'a place given back (Can\'t come, a no-show replaced, a full slot\'s member lock)' },
  { collection: 'slot_records', op: 'find', filter: 'kind teamId', index: { teamId: 1, kind: 1 }, from: 'team-store: recordsOfTeam', why: "a team's hours" },
  { collection: 'slot_records', op: 'find', filter: 'kind telegramId', index: { telegramId: 1, kind: 1 }, from: 'team-store: recordsOfMember', why: '/myhours, a shared location' },
  // the in-kind ledger (src/db/stock-store.ts) and surplus offers (src/db/surplus-store.ts)
  { collection: 'stock_events', op: 'find', filter: '_id', index: '_id', from: 'stock-store: eventsAfter', why: "an item's events, read forward from its head" },
  { collection: 'stock_items', op: 'find', filter: '_id', index: '_id', from: 'stock-store: head, saveHead', why: "an item's last state" },
  { collection: 'stock_items', op: 'update', filter: '_id', index: '_id', from: 'stock-store: saveHead', why: 'replaceOne by _id, upsert' },
  { collection: 'stock_items', op: 'find', filter: 'communityId', index: { communityId: 1 }, from: 'stock-store: headsOf', why: "a community's kinds of goods (tens)" },
  { collection: 'surplus_offers', op: 'find', filter: '_id', index: '_id', from: 'surplus-store: offer', why: 'every press on a surplus card' },
  { collection: 'surplus_offers', op: 'find', filter: 'communityId', index: { communityId: 1 }, from: 'surplus-store: offersOf', why: "a community's surplus offers (a few a month)" },
  { collection: 'surplus_takes', op: 'find', filter: '_id', index: '_id', from: 'surplus-store: take', why: 'who took each unit and share; whether the offer closed' },
  { collection: 'surplus_takes', op: 'delete', filter: '_id', index: '_id', from: 'surplus-store: deleteTake', why: 'a share given back when nothing was left, or the offer closed meanwhile' },
  { collection: 'impact_pages', op: 'find', filter: '_id', index: '_id', from: 'impact-store: isPublic', why: 'every view of a public impact page' },
  { collection: 'impact_pages', op: 'update', filter: '_id', index: '_id', from: 'impact-store: set', why: 'an admin turns the page on or off (replaceOne, upsert)' },
  { collection: 'intakes', op: 'update', filter: '_id', index: '_id', from: 'intake-store: insert, markDrafted', why: 'an intake recorded (replaceOne of a new random id, upsert), then marked drafted (after its unique draft claim)' },
  { collection: 'intakes', op: 'find', filter: '_id', index: '_id', from: 'intake-store: get', why: "a worker's 'Make a draft wish' press" },
  { collection: 'intakes', op: 'find', filter: 'communityId', index: null, from: 'intake-store: listOf', why: "a community's intakes on the console's Intakes page; few, read by staff only", gap: 'scans intakes; fine while they are few (a community gets a handful a week)' },
  { collection: 'intakes', op: 'delete', filter: '_id', index: '_id', from: 'intake-store: releaseDraft; erasure: erase', why: "a draft claim given back when making the wish failed, so the intake can be drafted again; an erased resident's intakes" },
  { collection: 'console_sessions', op: 'find', filter: '_id', index: '_id', from: 'console-session-store: get', why: 'every console request with a session cookie' },
  { collection: 'console_sessions', op: 'delete', filter: '_id', index: '_id', from: 'console-session-store: delete', why: 'sign-out, an expired or revoked session' },
  { collection: 'console_sessions', op: 'delete', filter: 'expiresAt(range)', index: { expiresAt: 1 }, from: 'console-session-store: deleteExpiredBefore', why: 'housekeeping: sessions never used again after they expired' },

  // people, groups, invites: who the bot talks to
  { collection: 'people', op: 'find', filter: '_id', index: '_id', from: 'bot-stores: person get', why: 'every update; each resident and worker a relayed event speaks to' },
  { collection: 'people', op: 'findAndModify', filter: '_id', index: '_id', from: 'bot-stores: person seen', why: 'every update from a person' },
  { collection: 'people', op: 'update', filter: '_id', index: '_id', from: 'bot-stores: setLanguage, setDonorProfile, add*, markBlocked' },
  { collection: 'people', op: 'find', filter: 'workerOf', index: { workerOf: 1 }, from: 'bot-stores: workersOf', why: 'relay and alerts, once per change to the list (versioned-memo)' },
  { collection: 'people', op: 'find', filter: '{}', index: null, from: 'bot-stores: stringifyIds, indexResidentLinks', why: 'migrations string_ids_v1, wish_residents_v1', startup: 'once' },
  { collection: 'people', op: 'delete', filter: '_id', index: '_id', from: 'bot-stores: stringifyIds; erasure: erase', why: 'migration string_ids_v1: a person under a numeric _id; a person erased' },
  { collection: 'wish_residents', op: 'find', filter: '_id', index: '_id', from: 'bot-stores: residentsOf', why: 'relay, for events that speak to residents' },
  { collection: 'wish_residents', op: 'update', filter: '_id', index: '_id', from: 'bot-stores: addResidentWish, indexResidentLinks', why: 'a resident follows a link; $addToSet, upsert' },
  { collection: 'groups', op: 'find', filter: '_id', index: '_id', from: 'bot-stores: group get', why: 'every group update' },
  { collection: 'groups', op: 'update', filter: '_id', index: '_id', from: 'bot-stores: setPresence, link, setLanguage' },
  { collection: 'groups', op: 'find', filter: 'active communityId', index: { communityId: 1, active: 1 }, from: 'bot-stores: ofCommunity', why: 'relay, once per change to the list (versioned-memo)' },
  {
    collection: 'groups', op: 'find', filter: 'active communityId(exists)', index: { communityId: 1, active: 1 }, from: 'bot-stores: linked', why: 'digest job, weekly',
    gap: 'communityId is $exists, not an equality: the whole index is walked; groups are few',
  },
  { collection: 'groups', op: 'find', filter: '{}', index: null, from: 'bot-stores: stringifyIds', why: 'migration string_ids_v1', startup: 'once' },
  { collection: 'groups', op: 'delete', filter: '_id', index: '_id', from: 'bot-stores: stringifyIds', why: 'migration string_ids_v1: a group under a numeric _id', startup: 'once' },
  { collection: 'list_versions', op: 'find', filter: '_id', index: '_id', from: 'versioned-memo: read', why: "every relayed event: are a community's groups and workers as remembered?" },
  { collection: 'list_versions', op: 'update', filter: '_id', index: '_id', from: 'versioned-memo: changed', why: 'a group or worker list changed; upsert' },
  { collection: 'invites', op: 'find', filter: '_id', index: '_id', from: 'bot-stores: invite get' },

  // the bot's bookkeeping per update
  { collection: 'processed_updates', op: 'find', filter: '_id', index: '_id', from: 'bot-stores: isDone', why: 'every update' },
  { collection: 'processed_updates', op: 'delete', filter: 'at(range)', index: { at: 1 }, from: 'bot-stores: deleteBefore', why: 'housekeeping, daily' },
  { collection: 'bot_sessions', op: 'find', filter: '_id', index: '_id', from: 'bot-stores: session load' },
  { collection: 'bot_sessions', op: 'update', filter: '_id', index: '_id', from: 'bot-stores: session write; private-fields: sealStoredPrivateFields (once)' },
  { collection: 'bot_sessions', op: 'find', filter: 'data.draft(exists)', index: null, from: 'private-fields: sealStoredPrivateFields', why: 'migration private_fields_<key id>: wizard drafts', startup: 'once' },
  { collection: 'reminder_answers', op: 'find', filter: '_id', index: '_id', from: 'bot-stores: lastAnswer', why: 'reminder and release jobs, per active pledge' },
  { collection: 'reminder_answers', op: 'update', filter: '_id', index: '_id', from: 'bot-stores: record', why: '"still on it"' },
  { collection: 'chat_turn_pointers', op: 'find', filter: '_id', index: '_id', from: 'turn-store: pointer', why: 'every update' },
  { collection: 'chat_turn_pointers', op: 'update', filter: '_id', index: '_id', from: 'turn-store: advance' },
  { collection: 'chat_turns', op: 'find', filter: '_id', index: '_id', from: 'turn-store: get', why: 'only when a turn is taken already' },
  { collection: 'chat_turns', op: 'update', filter: '_id', index: '_id', from: 'turn-store: renew, release' },
  { collection: 'chat_turns', op: 'delete', filter: 'until(range)', index: { until: 1 }, from: 'turn-store: deleteEndedBefore', why: 'housekeeping, daily' },

  // outbox (pending items only), outbox_history (sent and given up) and sending
  { collection: 'outbox', op: 'find', filter: 'status notBefore(range)', sort: 'createdAt:1 notBefore:1', index: { status: 1, createdAt: 1, notBefore: 1 }, from: 'outbox-store: due', why: 'the sender, every turn' },
  { collection: 'outbox', op: 'find', filter: 'status chatId(nin) notBefore(range)', sort: 'createdAt:1 notBefore:1', index: { status: 1, createdAt: 1, notBefore: 1 }, from: 'outbox-store: due', why: 'the sender, while some chats are at their limit' },
  { collection: 'outbox', op: 'find', filter: '_id', index: '_id', from: 'outbox-store: move, get', why: 'every item sent, coalesced or given up' },
  { collection: 'outbox', op: 'update', filter: '_id', index: '_id', from: 'outbox-store: markRetry; erasure: scrubOutbox' },
  { collection: 'outbox', op: 'delete', filter: '_id', index: '_id', from: 'outbox-store: move, discardIfSettled', why: 'every item sent, coalesced or given up' },
  { collection: 'outbox', op: 'find', filter: 'chatId payload.type payload.wishId status _id(ne)', index: { chatId: 1, 'payload.wishId': 1 }, from: 'outbox-store: pendingCardRefreshes', why: 'the sender, per card it sends' },
  { collection: 'outbox', op: 'find', filter: '$or[status failedAt(range) | status sentAt(range)]', index: { status: 1, createdAt: 1, notBefore: 1 }, from: 'outbox-store: moveSettledToHistory', why: 'items an older version left settled in the outbox; reads the small live outbox', startup: 'every' },
  { collection: 'outbox', op: 'delete', filter: '_id(range) $or[status failedAt(range) | status sentAt(range)]', index: '_id', from: 'outbox-store: moveSettledToHistory', why: 'the items it copied, by ranges of ids', startup: 'every' },
  { collection: 'outbox_history', op: 'find', filter: '_id', index: '_id', from: 'outbox-store: get, discardIfSettled', why: 'only for an item whose fence is taken, and a donor\'s /start' },
  { collection: 'outbox_history', op: 'delete', filter: 'status sentAt(range)', index: { status: 1, sentAt: 1 }, from: 'outbox-store: deleteSentBefore', why: 'housekeeping, daily' },
  { collection: 'card_messages', op: 'find', filter: '_id', index: '_id', from: 'outbox-store: placeOf' },
  { collection: 'card_messages', op: 'update', filter: '_id', index: '_id', from: 'outbox-store: remember' },
  { collection: 'send_fences', op: 'find', filter: '_id', index: '_id', from: 'fence-store: get', why: 'only for an item whose fence is taken' },
  { collection: 'send_fences', op: 'delete', filter: 'createdAt(range)', index: { createdAt: 1 }, from: 'fence-store: deleteCreatedBefore', why: 'housekeeping, daily' },
  { collection: 'leases', op: 'delete', filter: 'expiresAt(range)', index: { expiresAt: 1 }, from: 'lease-store: deleteExpiredBefore', why: 'housekeeping, daily' },

  // erasure (src/db/erasure.ts, resident-data.ts, erasure-requests.ts): rare, so its scans are accepted
  { collection: 'wish_residents', op: 'find', filter: 'telegramIds', index: null, from: 'resident-data: residentLinks', why: '/mydata, /erase and an erasure: the wishes a person is linked to', gap: 'scans wish_residents; rare (a person asking about their own data)' },
  { collection: 'intakes', op: 'find', filter: 'residentTelegramId', index: null, from: 'resident-data: residentLinks', why: '/mydata, /erase and an erasure: their intakes', gap: 'scans intakes; rare' },
  { collection: 'assessments', op: 'delete', filter: '_id', index: '_id', from: 'erasure: erase', why: "an erased resident's wishes' assessments" },
  { collection: 'outbox', op: 'find', filter: '{}', index: null, from: 'erasure: scrubOutbox', why: 'items to or about an erased person', gap: 'scans the outbox; once per erasure' },
  { collection: 'outbox_history', op: 'find', filter: '{}', index: null, from: 'erasure: scrubOutbox', why: 'items sent to or about an erased person', gap: 'scans the outbox history; once per erasure' },
  { collection: 'outbox_history', op: 'update', filter: '_id', index: '_id', from: 'erasure: scrubOutbox', why: 'a sent item that repeats an erased person: its text blanked' },
  { collection: 'outbox_history', op: 'delete', filter: '_id', index: '_id', from: 'erasure: scrubOutbox', why: 'a sent item to an erased person' },
  { collection: 'send_fences', op: 'delete', filter: 'itemId', index: null, from: 'erasure: scrubOutbox', why: "the fences of an erased person's items", gap: 'scans send_fences (small: housekeeping keeps a day); once per item erased' },
  { collection: 'bot_sessions', op: 'delete', filter: '_id', index: '_id', from: 'erasure: erase' },
  { collection: 'chat_turns', op: 'delete', filter: 'key', index: null, from: 'erasure: erase', why: "an erased person's chat turns", gap: 'scans chat_turns; once per erasure' },
  { collection: 'chat_turn_pointers', op: 'delete', filter: '_id', index: '_id', from: 'erasure: erase' },
  { collection: 'team_members', op: 'find', filter: 'telegramId', index: null, from: 'resident-data: describeResident', why: "/mydata: a person's teams", gap: 'scans team_members; once per /mydata' },
  { collection: 'team_members', op: 'delete', filter: 'telegramId', index: null, from: 'team-erasure: eraseVolunteer', why: "an erased person's memberships", gap: 'scans team_members; once per erasure' },
  { collection: 'slot_records', op: 'find', filter: 'telegramId', index: { telegramId: 1, kind: 1 }, from: 'team-erasure: eraseVolunteer', why: "an erased person's places and steps at slots" },
  { collection: 'slot_records', op: 'update', filter: '_id', index: '_id', from: 'team-erasure: eraseVolunteer', why: 'a place an erased person held, kept as (erased)' },
  { collection: 'teams', op: 'update', filter: 'leadTelegramId', index: { leadTelegramId: 1 }, from: 'team-erasure: eraseVolunteer', why: 'teams an erased person led' },
  { collection: 'resources', op: 'find', filter: 'telegramId', index: null, from: 'team-erasure: eraseVolunteer', why: 'entries an erased person offered', gap: 'scans resources; once per erasure' },
  { collection: 'invitations', op: 'update', filter: 'telegramId', index: null, from: 'team-erasure: eraseVolunteer', why: 'invitations sent to an erased person', gap: 'scans invitations; once per erasure' },
  { collection: 'stock_events', op: 'find', filter: 'from.donorId', index: null, from: 'team-erasure: eraseVolunteer', why: 'goods an erased person gave', gap: 'scans stock_events; once per erasure' },
  { collection: 'stock_events', op: 'update', filter: '_id', index: '_id', from: 'team-erasure: eraseVolunteer', why: "a gift's giver erased" },
  { collection: 'stock_items', op: 'delete', filter: '_id', index: '_id', from: 'team-erasure: eraseVolunteer', why: "an item's cached state, folded again from its events" },
  { collection: 'surplus_takes', op: 'find', filter: 'telegramId', index: null, from: 'team-erasure: eraseVolunteer', why: 'what an erased person took from surplus offers', gap: 'scans surplus_takes; once per erasure' },
  { collection: 'surplus_takes', op: 'update', filter: '_id', index: '_id', from: 'team-erasure: eraseVolunteer', why: 'a unit an erased person took, kept as (erased)' },
  { collection: 'invite_redemptions', op: 'update', filter: 'telegramId', index: null, from: 'erasure: erase', why: "links an erased person used: their id removed", gap: 'scans invite_redemptions; once per erasure' },
  { collection: 'erasure_requests', op: 'find', filter: '_id', index: '_id', from: 'erasure-requests: ask, byTelegramId, byToken', why: '/mydata, /erase, a Confirm erasure press' },
  { collection: 'erasure_requests', op: 'update', filter: '_id', index: '_id', from: 'erasure-requests: ask', why: "the button's token record; upsert" },
  { collection: 'erasure_requests', op: 'delete', filter: '_id', index: '_id', from: 'erasure-requests: done', why: 'an erasure done: the records naming the person go' },
];
