import { Group, GroupStore } from '../domain/groups';
import { Invite, InviteStore } from '../domain/invites';
import { Person, PersonStore } from '../domain/people';
import { BotModels } from './bot-models';
import { isDuplicateKey, upsertWithRetry } from './connection';

type PersonDoc = Omit<Person, 'telegramId'> & { _id: number };

function toPerson(doc: PersonDoc): Person {
  const { _id, ...rest } = doc;
  return { ...rest, telegramId: _id, workerOf: rest.workerOf ?? [], residentOf: rest.residentOf ?? [] };
}

export function createPersonStore(models: BotModels): PersonStore {
  const { Person: M } = models;
  const get = async (telegramId: number) => {
    const doc = await M.findById(telegramId).lean<PersonDoc>();
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
      const upsert = () => M.findByIdAndUpdate(p.telegramId, update, { upsert: true, returnDocument: 'after' }).lean<PersonDoc>();
      try {
        return toPerson((await upsert())!);
      } catch (err) {
        // Two first updates from one person at once: both upsert, one inserts; the other updates now.
        if (!isDuplicateKey(err)) throw err;
        return toPerson((await upsert())!);
      }
    },
    async setLanguage(telegramId, language, at) {
      await M.updateOne({ _id: telegramId }, { $set: { language, updatedAt: at } });
    },
    async setDonorProfile(telegramId, donor, at) {
      await M.updateOne({ _id: telegramId }, { $set: { donor, updatedAt: at } });
    },
    async addWorkerCommunities(telegramId, communityIds, at) {
      await M.updateOne({ _id: telegramId }, { $addToSet: { workerOf: { $each: communityIds } }, $set: { updatedAt: at } });
    },
    async addResidentWish(telegramId, wishId, at) {
      await M.updateOne({ _id: telegramId }, { $addToSet: { residentOf: wishId }, $set: { updatedAt: at } });
    },
    async markBlocked(telegramId, at) {
      await M.updateOne({ _id: telegramId }, { $set: { blockedAt: at, updatedAt: at } });
    },
    async residentsOf(wishId) {
      const docs = await M.find({ residentOf: wishId }).lean<PersonDoc[]>();
      return docs.map(toPerson);
    },
    async workersOf(communityId) {
      const docs = await M.find({ workerOf: communityId }).lean<PersonDoc[]>();
      return docs.map(toPerson);
    },
    async many(ids) {
      if (ids.length === 0) return [];
      const docs = await M.find({ _id: { $in: ids } }).lean<PersonDoc[]>();
      return docs.map(toPerson);
    },
  };
}

type GroupDoc = Omit<Group, 'chatId'> & { _id: number };

function toGroup(doc: GroupDoc): Group {
  const { _id, ...rest } = doc;
  return { ...rest, chatId: _id };
}

export function createGroupStore(models: BotModels): GroupStore {
  const { Group: M } = models;
  return {
    async get(chatId) {
      const doc = await M.findById(chatId).lean<GroupDoc>();
      return doc ? toGroup(doc) : null;
    },
    async setPresence(chatId, title, active, at) {
      await upsertWithRetry(() => M.updateOne({ _id: chatId }, { $set: { title, active, updatedAt: at } }, { upsert: true }));
    },
    async link(chatId, title, communityId, by, at) {
      await upsertWithRetry(() =>
        M.updateOne({ _id: chatId }, { $set: { title, communityId, active: true, linkedBy: by, linkedAt: at, updatedAt: at } }, { upsert: true }),
      );
    },
    async setLanguage(chatId, language, at) {
      await M.updateOne({ _id: chatId }, { $set: { language, updatedAt: at } });
    },
    async ofCommunity(communityId) {
      const docs = await M.find({ communityId, active: true }).lean<GroupDoc[]>();
      return docs.map(toGroup);
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
      return (await models.ProcessedUpdate.findById(updateId, { _id: 1 }).lean()) !== null;
    },
    /** Records the update as done; recording it twice (two deliveries handled) is harmless. */
    async markDone(updateId: number, at: Date): Promise<void> {
      try {
        await models.ProcessedUpdate.collection.insertOne({ _id: updateId as never, at });
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

/** Wizard state per person, kept in the database so a restart does not lose a half-written wish. */
export function createSessionStore(models: BotModels) {
  return {
    async load(key: string): Promise<SessionRecord> {
      const doc = await models.BotSession.findById(key).lean<{ data?: unknown; writtenBy?: number[] }>();
      return { data: doc?.data ?? undefined, writtenBy: doc?.writtenBy ?? [] };
    },
    /** Replaces the state (`undefined` clears it); the document stays, remembering who wrote it. */
    async write(key: string, data: unknown, writtenBy: number[], at: Date): Promise<void> {
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
