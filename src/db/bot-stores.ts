import { Group, GroupStore } from '../domain/groups';
import { Invite, InviteStore } from '../domain/invites';
import { Person, PersonStore } from '../domain/people';
import { BotModels } from './bot-models';
import { isDuplicateKey, upsertWithRetry } from './connection';
import { FieldDecryptError, FieldKeyring, fieldKeyring } from './field-crypto';
import { openDocument, sealDocument } from './private-fields';
import { createVersionedMemo, VersionedMemo } from './versioned-memo';

type PersonDoc = Omit<Person, 'telegramId'> & { _id: string };

function toPerson(doc: PersonDoc): Person {
  const { _id, ...rest } = doc;
  return { ...rest, telegramId: Number(_id), workerOf: rest.workerOf ?? [], residentOf: rest.residentOf ?? [] };
}

/**
 * Databases from before ids were strings: each person and group stored under a numeric `_id` is
 * written again under its string form and the old document removed (a scan of each, once, at start-up).
 * Handled-update ids are left: they only matter for minutes, and housekeeping removes them by date.
 */
export async function stringifyIds(models: BotModels): Promise<number> {
  let moved = 0;
  for (const collection of [models.Person.collection, models.Group.collection]) {
    for await (const doc of collection.find({})) {
      if (typeof doc._id !== 'number') continue;
      try {
        await collection.insertOne({ ...doc, _id: String(doc._id) as never });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // moved already by an instance that started alongside
      }
      await collection.deleteOne({ _id: doc._id });
      moved++;
    }
  }
  return moved;
}

/**
 * Databases from before `wish_residents`: each wish's residents gathered from people.residentOf, once
 * (a scan of people, at start-up, never again).
 */
export async function indexResidentLinks(models: BotModels): Promise<number> {
  const byWish = new Map<string, number[]>();
  for await (const p of models.Person.collection.find({}, { projection: { residentOf: 1 } })) {
    for (const wishId of (p.residentOf as string[] | undefined) ?? []) byWish.set(wishId, [...(byWish.get(wishId) ?? []), Number(p._id)]);
  }
  for (const [wishId, ids] of byWish) {
    await upsertWithRetry(() => models.WishResidents.updateOne({ _id: wishId }, { $addToSet: { telegramIds: { $each: ids } } }, { upsert: true }));
  }
  return byWish.size;
}

export function createPersonStore(models: BotModels, memo: VersionedMemo = createVersionedMemo(models)): PersonStore {
  const { Person: M, WishResidents: R } = models;
  const get = async (telegramId: number) => {
    const doc = await M.findById(String(telegramId)).lean<PersonDoc>();
    return doc ? toPerson(doc) : null;
  };
  return {
    get,
    async seen(p, at, opts = {}) {
      const set: Record<string, unknown> = { name: p.name, updatedAt: at };
      if (p.username) set.username = p.username;
      if (p.telegramLanguage) set.telegramLanguage = p.telegramLanguage;
      const update: Record<string, unknown> = { $set: set, $setOnInsert: { createdAt: at, workerOf: [], residentOf: [] } };
      if (opts.started) {
        set.startedAt = at;
        update.$unset = { blockedAt: '' };
      }
      const upsert = () => M.findByIdAndUpdate(String(p.telegramId), update, { upsert: true, returnDocument: 'after' }).lean<PersonDoc>();
      try {
        return toPerson((await upsert())!);
      } catch (err) {
        // Two first updates from one person at once: both upsert, one inserts; the other updates now.
        if (!isDuplicateKey(err)) throw err;
        return toPerson((await upsert())!);
      }
    },
    async setLanguage(telegramId, language, at) {
      await M.updateOne({ _id: String(telegramId) }, { $set: { language, updatedAt: at } });
    },
    async setDonorProfile(telegramId, donor, at) {
      await M.updateOne({ _id: String(telegramId) }, { $set: { donor, updatedAt: at } });
    },
    async addWorkerCommunities(telegramId, communityIds, at) {
      await M.updateOne({ _id: String(telegramId) }, { $addToSet: { workerOf: { $each: communityIds } }, $set: { updatedAt: at } });
      for (const communityId of communityIds) await memo.changed(`workers:${communityId}`, at);
    },
    async addResidentWish(telegramId, wishId, at) {
      await M.updateOne({ _id: String(telegramId) }, { $addToSet: { residentOf: wishId }, $set: { updatedAt: at } });
      await upsertWithRetry(() => R.updateOne({ _id: wishId }, { $addToSet: { telegramIds: telegramId } }, { upsert: true }));
    },
    async markBlocked(telegramId, at) {
      await M.updateOne({ _id: String(telegramId) }, { $set: { blockedAt: at, updatedAt: at } });
    },
    /** Point reads: the wish's resident list, then each resident. */
    async residentsOf(wishId) {
      const ids = (await R.findById(wishId).lean<{ telegramIds?: number[] }>())?.telegramIds ?? [];
      return (await Promise.all(ids.map(get))).filter((p): p is Person => p !== null);
    },
    /** The community's workers: who they are is a list kept while its version holds; each is then read afresh. */
    async workersOf(communityId) {
      const ids = await memo.read(`workers:${communityId}`, async () => (await M.find({ workerOf: communityId }, { _id: 1 }).lean<Array<{ _id: string }>>()).map((d) => Number(d._id)));
      return (await Promise.all(ids.map(get))).filter((p): p is Person => p !== null);
    },
    async many(ids) {
      if (ids.length === 0) return [];
      const docs = await M.find({ _id: { $in: ids.map(String) } }).lean<PersonDoc[]>();
      return docs.map(toPerson);
    },
  };
}

type GroupDoc = Omit<Group, 'chatId'> & { _id: string };

function toGroup(doc: GroupDoc): Group {
  const { _id, ...rest } = doc;
  return { ...rest, chatId: Number(_id) };
}

/**
 * Groups by chat id. A community's linked groups are read on every relayed event: they are kept in
 * memory under a version token that every change to one of its groups renews (read again when it has).
 */
export function createGroupStore(models: BotModels, memo: VersionedMemo = createVersionedMemo(models)): GroupStore {
  const { Group: M } = models;
  const get = async (chatId: number) => {
    const doc = await M.findById(String(chatId)).lean<GroupDoc>();
    return doc ? toGroup(doc) : null;
  };
  const listKey = (communityId: string) => `groups:${communityId}`;
  /** After a change to a group: the lists of the communities it was and is in are read again. */
  const changed = async (at: Date, ...communityIds: Array<string | undefined>) => {
    for (const id of new Set(communityIds)) if (id !== undefined) await memo.changed(listKey(id), at);
  };
  return {
    get,
    async setPresence(chatId, title, active, at) {
      await upsertWithRetry(() => M.updateOne({ _id: String(chatId) }, { $set: { title, active, updatedAt: at } }, { upsert: true }));
      await changed(at, (await get(chatId))?.communityId);
    },
    async link(chatId, title, communityId, by, at) {
      const before = (await get(chatId))?.communityId;
      await upsertWithRetry(() =>
        M.updateOne({ _id: String(chatId) }, { $set: { title, communityId, active: true, linkedBy: by, linkedAt: at, updatedAt: at } }, { upsert: true }),
      );
      await changed(at, before, communityId);
    },
    async setLanguage(chatId, language, at) {
      await M.updateOne({ _id: String(chatId) }, { $set: { language, updatedAt: at } });
      await changed(at, (await get(chatId))?.communityId);
    },
    async ofCommunity(communityId) {
      const groups = await memo.read(listKey(communityId), async () => (await M.find({ communityId, active: true }).lean<GroupDoc[]>()).map(toGroup));
      return [...groups];
    },
    async linked() {
      const docs = await M.find({ communityId: { $exists: true }, active: true }).lean<GroupDoc[]>();
      return docs.map(toGroup);
    },
  };
}

export function createInviteStore(models: BotModels): InviteStore {
  return {
    async insert(invite) {
      const { token, ...rest } = invite;
      await models.Invite.create({ _id: token, ...rest });
    },
    async get(token) {
      const doc = await models.Invite.findById(token).lean<Omit<Invite, 'token'> & { _id: string }>();
      if (!doc) return null;
      const { _id, ...rest } = doc;
      return { ...rest, token: _id } as Invite;
    },
    async redeem(token, telegramId, at) {
      try {
        await models.InviteRedemption.collection.insertOne({ _id: token as never, telegramId, at });
        return 'ok';
      } catch (err) {
        if (isDuplicateKey(err)) return 'taken';
        throw err;
      }
    },
  };
}

/**
 * Updates handled to the end. An update is recorded only once its handling has finished (or failed
 * and been apologised for), so one a crash interrupted is handled again when Telegram redelivers it.
 */
export function createUpdateLog(models: BotModels) {
  return {
    async isDone(updateId: number): Promise<boolean> {
      return (await models.ProcessedUpdate.findById(String(updateId), { _id: 1 }).lean()) !== null;
    },
    /** Records the update as done; recording it twice (two deliveries handled) is harmless. */
    async markDone(updateId: number, at: Date): Promise<void> {
      try {
        await models.ProcessedUpdate.collection.insertOne({ _id: String(updateId) as never, at });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },
    async deleteBefore(date: Date): Promise<number> {
      return (await models.ProcessedUpdate.deleteMany({ at: { $lt: date } })).deletedCount;
    },
  };
}

export type UpdateLog = ReturnType<typeof createUpdateLog>;

/** A person's conversation state and the latest updates that wrote it (oldest first). */
export interface SessionRecord {
  data?: unknown;
  writtenBy: number[];
}

/**
 * Wizard state per person, kept in the database so a restart does not lose a half-written wish. A
 * wizard's draft keeps the beneficiary's private notes: sealed at rest like a wish's (private-fields.ts).
 */
export function createSessionStore(models: BotModels, keyring?: FieldKeyring) {
  const keys = () => keyring ?? fieldKeyring();
  return {
    async load(key: string): Promise<SessionRecord> {
      const doc = await models.BotSession.findById(key).lean<{ data?: unknown; writtenBy?: number[] }>();
      let data: unknown;
      try {
        data = doc?.data === undefined || doc.data === null ? undefined : openDocument({ data: doc.data }, 'session', keys()).data;
      } catch (err) {
        // A draft sealed under a key this service no longer has: the wizard starts afresh rather than
        // failing every message the person sends.
        if (!(err instanceof FieldDecryptError)) throw err;
      }
      return { data, writtenBy: doc?.writtenBy ?? [] };
    },
    /** Replaces the state (`undefined` clears it); the document stays, remembering who wrote it. */
    async write(key: string, plain: unknown, writtenBy: number[], at: Date): Promise<void> {
      const data = plain === undefined ? undefined : sealDocument({ data: plain }, 'session', keys()).data;
      const update = data === undefined ? { $set: { writtenBy, updatedAt: at }, $unset: { data: '' } } : { $set: { data, writtenBy, updatedAt: at } };
      await upsertWithRetry(() => models.BotSession.updateOne({ _id: key }, update, { upsert: true }));
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;

export function createReminderAnswers(models: BotModels) {
  return {
    async record(pledgeId: string, at: Date): Promise<void> {
      await upsertWithRetry(() => models.ReminderAnswer.updateOne({ _id: pledgeId }, { $set: { answeredAt: at } }, { upsert: true }));
    },
    async lastAnswer(pledgeId: string): Promise<Date | undefined> {
      const doc = await models.ReminderAnswer.findById(pledgeId).lean<{ answeredAt: Date }>();
      return doc?.answeredAt;
    },
  };
}

export type ReminderAnswerStore = ReturnType<typeof createReminderAnswers>;
