import { Collection } from 'mongodb';
import { TeamStore } from '../domain/teams/service';
import { ServiceRequest, Slot, SlotRecord, Team, TeamMember } from '../domain/teams/types';
import { isDuplicateKey } from './connection';
import { Models } from './models';

type WithId = { id: string };

const toDoc = <T extends WithId>(value: T) => {
  const { id, ...rest } = value;
  return { _id: id, ...rest };
};
const fromDoc = <T extends WithId>(doc: unknown): T | null => {
  if (!doc) return null;
  const { _id, ...rest } = doc as { _id: string };
  return { ...rest, id: _id } as unknown as T;
};
const all = <T extends WithId>(docs: unknown[]): T[] => docs.map((d) => fromDoc<T>(d)!);

async function insertOnce(collection: Collection, value: WithId): Promise<'ok' | 'exists'> {
  try {
    await collection.insertOne(toDoc(value) as never);
    return 'ok';
  } catch (err) {
    if (isDuplicateKey(err)) return 'exists';
    throw err;
  }
}

/**
 * Teams, members, service requests, slots and slot records, each a document by `_id`. Who holds a
 * place, who checked in, who was confirmed: point reads by `_id`. A team's members and requests, a
 * member's records and the slots starting soon are scans (a community has a handful of teams).
 */
export function createTeamStore(models: Pick<Models, 'Team' | 'TeamMember' | 'ServiceRequest' | 'ServiceSlot' | 'SlotRecord'>): TeamStore {
  const c = (m: { collection: unknown }) => m.collection as Collection;
  const teams = c(models.Team);
  const members = c(models.TeamMember);
  const requests = c(models.ServiceRequest);
  const slots = c(models.ServiceSlot);
  const records = c(models.SlotRecord);
  const byId = async <T extends WithId>(collection: Collection, id: string) => fromDoc<T>(await collection.findOne({ _id: id as never }));

  return {
    insertTeam: async (team) => void (await teams.insertOne(toDoc(team) as never)),
    async saveTeam(team) {
      const { _id, ...rest } = toDoc(team);
      await teams.replaceOne({ _id: _id as never }, rest);
    },
    team: (id) => byId<Team>(teams, id),
    teamByJoinCode: async (joinCode) => fromDoc<Team>(await teams.findOne({ joinCode })),
    teamsOf: async (communityId) => all<Team>(await teams.find({ communityId }).toArray()),
    teamsLedBy: async (telegramId) => all<Team>(await teams.find({ leadTelegramId: telegramId }).toArray()),
    insertMember: (member) => insertOnce(members, member),
    member: (teamId, telegramId) => byId<TeamMember>(members, `${teamId}:${telegramId}`),
    membersOf: async (teamId) => all<TeamMember>(await members.find({ teamId }).toArray()).sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime()),
    insertRequest: async (request) => void (await requests.insertOne(toDoc(request) as never)),
    request: (id) => byId<ServiceRequest>(requests, id),
    requestsOf: async (teamId) => all<ServiceRequest>(await requests.find({ teamId }).toArray()).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()),
    insertSlot: async (slot) => void (await slots.insertOne(toDoc(slot) as never)),
    slot: (id) => byId<Slot>(slots, id),
    slotsStarting: async (from, to) => all<Slot>(await slots.find({ startsAt: { $gte: from, $lt: to } }).toArray()),
    insertRecord: (record) => insertOnce(records, record),
    record: (id) => byId<SlotRecord>(records, id),
    deleteRecord: async (id) => void (await records.deleteOne({ _id: id as never })),
    recordsOfTeam: async (teamId, kind) => all<SlotRecord>(await records.find({ teamId, kind }).toArray()),
    recordsOfMember: async (telegramId, kind) => all<SlotRecord>(await records.find({ kind, telegramId }).toArray()),
  };
}
