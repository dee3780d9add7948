import { Clock } from '../clock';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { randomCode, randomId } from '../ids';
import { canSee, isStaffFor } from '../roles';
import { Area } from '../resources/types';
import { ResourceInput } from '../resources/rules';
import { Actor } from '../wish/types';
import { mayCheckIn, ServiceRequestInput, slotEnd, TeamInput, validateServiceRequest, validateTeam } from './rules';
import { recordId, ServiceRequest, SignupStatus, Slot, SlotRecord, SlotRecordKind, SlotView, Team, TeamMember } from './types';

export interface TeamStore {
  insertTeam(team: Team): Promise<void>;
  saveTeam(team: Team): Promise<void>;
  team(id: string): Promise<Team | null>;
  teamByJoinCode(joinCode: string): Promise<Team | null>;
  teamsOf(communityId: string): Promise<Team[]>;
  teamsLedBy(telegramId: number): Promise<Team[]>;
  /** Unique insert by `<teamId>:<telegramId>`. */
  insertMember(member: TeamMember): Promise<'ok' | 'exists'>;
  member(teamId: string, telegramId: number): Promise<TeamMember | null>;
  membersOf(teamId: string): Promise<TeamMember[]>;
  insertRequest(request: ServiceRequest): Promise<void>;
  request(id: string): Promise<ServiceRequest | null>;
  requestsOf(teamId: string): Promise<ServiceRequest[]>;
  insertSlot(slot: Slot): Promise<void>;
  slot(id: string): Promise<Slot | null>;
  /** Slots starting in [from, to). */
  slotsStarting(from: Date, to: Date): Promise<Slot[]>;
  /** Unique insert by the record's id: 'exists' when that (slot, kind, member or place) is already recorded. */
  insertRecord(record: SlotRecord): Promise<'ok' | 'exists'>;
  record(id: string): Promise<SlotRecord | null>;
  deleteRecord(id: string): Promise<void>;
  recordsOfTeam(teamId: string, kind: SlotRecordKind): Promise<SlotRecord[]>;
  recordsOfMember(telegramId: number, kind: SlotRecordKind): Promise<SlotRecord[]>;
}

export interface Person {
  telegramId: number;
  name: string;
}

export type SignUpResult = { outcome: 'signed_up'; place: number } | { outcome: 'already'; place?: number } | { outcome: 'full' };

export type TeamService = ReturnType<typeof createTeamService>;

/** A member lock left by a press that crashed between taking it and taking a place: given back after this long. */
const STALE_LOCK_MS = 60_000;

/**
 * Teams and their service requests. Exclusive decisions are unique inserts: a place in a slot is
 * `<slotId>:place:<k>` (k = 1..places), so ten members pressing at once for three places get exactly
 * three; a member first takes `<slotId>:member:<telegramId>`, so one member never holds two places.
 */
export function createTeamService(deps: {
  store: TeamStore;
  clock: Clock;
  areasOf(communityId: string): Promise<Area[]>;
  /** The directory: a team formed is entered as a resource of kind team, so matching can suggest it for services. */
  directory?: { create(input: ResourceInput, actor: Actor): Promise<{ resource: { id: string } }> };
}) {
  const { store, clock } = deps;

  async function visibleTeam(id: string, actor: Actor): Promise<Team> {
    const team = await store.team(id);
    if (!team || !(canSee(actor, team.communityId) || actor.telegramId === team.leadTelegramId)) throw new NotFoundError('team_not_found', `No team ${id}`);
    return team;
  }

  /** The lead of the team, or staff of its community. */
  const leads = (team: Team, actor: Actor) => actor.telegramId === team.leadTelegramId || isStaffFor(actor, team.communityId);

  async function createTeam(input: TeamInput, actor: Actor): Promise<Team> {
    if (!isStaffFor(actor, input.communityId)) {
      if (!canSee(actor, input.communityId)) throw new NotFoundError('community_not_found', `No community ${input.communityId}`);
      throw new ForbiddenError('forbidden', 'Only staff of this community form teams');
    }
    const tidy = validateTeam(input, await deps.areasOf(input.communityId));
    let team: Team = { ...tidy, id: randomId('team'), communityId: input.communityId, joinCode: randomCode(10), createdAt: clock(), createdBy: actor.id };
    if (deps.directory) {
      const entry = { communityId: team.communityId, kind: 'team' as const, name: team.name, offer: { categories: ['service'], skills: [team.skill] }, areaIds: team.areaIds, telegramId: team.leadTelegramId };
      team = { ...team, resourceId: (await deps.directory.create(entry, actor)).resource.id };
    }
    await store.insertTeam(team);
    await store.insertMember({ id: `${team.id}:${team.leadTelegramId}`, teamId: team.id, telegramId: team.leadTelegramId, name: team.leadName, joinedAt: team.createdAt });
    return team;
  }

  async function join(joinCode: string, person: Person): Promise<{ team: Team; already: boolean }> {
    const team = await store.teamByJoinCode(joinCode);
    if (!team) throw new NotFoundError('team_not_found', 'No team has this link');
    const result = await store.insertMember({ id: `${team.id}:${person.telegramId}`, teamId: team.id, telegramId: person.telegramId, name: person.name, joinedAt: clock() });
    return { team, already: result === 'exists' };
  }

  /** The lead's /teamchat: this group, or this forum topic of it, is the team's chat from now on. */
  async function linkChat(joinCode: string, chatId: number, actor: Actor, topicId?: number): Promise<Team> {
    const team = await store.teamByJoinCode(joinCode);
    if (!team) throw new NotFoundError('team_not_found', 'No team has this link');
    if (!leads(team, actor)) throw new ForbiddenError('forbidden', "Only the team's lead or a worker links its group");
    const { chatTopicId: _previous, ...rest } = team;
    const next: Team = { ...rest, chatId, ...(topicId !== undefined ? { chatTopicId: topicId } : {}) };
    await store.saveTeam(next);
    return next;
  }

  async function createRequest(teamId: string, input: ServiceRequestInput, actor: Actor): Promise<{ request: ServiceRequest; slots: Slot[]; team: Team }> {
    const team = await visibleTeam(teamId, actor);
    if (!leads(team, actor)) throw new ForbiddenError('forbidden', "Only the team's lead or a worker adds service requests");
    const tidy = validateServiceRequest(input, clock());
    const id = `SR-${randomCode(6)}`;
    const slots: Slot[] = tidy.slots.map((s, i) => ({ id: `${id}.${i + 1}`, requestId: id, teamId: team.id, communityId: team.communityId, startsAt: s.startsAt, minutes: s.minutes, place: s.place, places: s.places }));
    const request: ServiceRequest = { id, teamId: team.id, communityId: team.communityId, title: tidy.title, ...(tidy.description ? { description: tidy.description } : {}), ...(tidy.wishId ? { wishId: tidy.wishId } : {}), slotIds: slots.map((s) => s.id), createdAt: clock(), createdBy: actor.id };
    for (const s of slots) await store.insertSlot(s);
    await store.insertRequest(request);
    return { request, slots, team };
  }

  async function slotOrThrow(slotId: string): Promise<Slot> {
    const slot = await store.slot(slotId);
    if (!slot) throw new NotFoundError('slot_not_found', `No slot ${slotId}`);
    return slot;
  }

  /** The place this member holds at this slot, if any (read from the places, which decide). */
  async function placeOf(slot: Slot, telegramId: number): Promise<number | undefined> {
    for (let k = 1; k <= slot.places; k++) if ((await store.record(recordId(slot.id, 'place', k)))?.telegramId === telegramId) return k;
    return undefined;
  }

  async function view(slot: Slot): Promise<SlotView> {
    const signups: SlotView['signups'] = [];
    for (let k = 1; k <= slot.places; k++) {
      const place = await store.record(recordId(slot.id, 'place', k));
      if (!place) continue;
      const has = async (kind: SlotRecordKind) => (await store.record(recordId(slot.id, kind, place.telegramId))) !== null;
      const status: SignupStatus = (await has('confirm')) ? 'confirmed' : (await has('done')) ? 'done' : (await has('checkin')) ? 'checked_in' : (await has('noshow')) ? 'no_show' : 'signed_up';
      signups.push({ telegramId: place.telegramId, name: place.name, place: k, status });
    }
    return { slot, signups, free: slot.places - signups.length };
  }

  const base = (slot: Slot, kind: SlotRecordKind, person: Person, key: number = person.telegramId): SlotRecord => ({ id: recordId(slot.id, kind, key), kind, slotId: slot.id, teamId: slot.teamId, telegramId: person.telegramId, name: person.name, at: clock() });

  /** A member signs up for a slot: a place if one is free (never more than its places), else full. */
  async function signUp(slotId: string, person: Person): Promise<SignUpResult & { slot: Slot }> {
    const slot = await slotOrThrow(slotId);
    if (!(await store.member(slot.teamId, person.telegramId))) throw new ForbiddenError('not_team_member', 'Only members of the team sign up; ask the lead for the link');
    if (clock().getTime() >= slot.startsAt.getTime()) throw new ConflictError('slot_started', `${slot.id} has started`);
    const lock = base(slot, 'member', person);
    if ((await store.insertRecord(lock)) === 'exists') {
      const place = await placeOf(slot, person.telegramId);
      const held = await store.record(lock.id);
      // A lock with no place, older than any press could take: a crash in between; give it back and try again.
      if (place === undefined && held && clock().getTime() - held.at.getTime() > STALE_LOCK_MS) {
        await store.deleteRecord(lock.id);
        return signUp(slotId, person);
      }
      return { outcome: 'already', ...(place !== undefined ? { place } : {}), slot };
    }
    for (let k = 1; k <= slot.places; k++) {
      if ((await store.insertRecord({ ...base(slot, 'place', person, k), place: k })) === 'ok') return { outcome: 'signed_up', place: k, slot };
    }
    await store.deleteRecord(lock.id);
    return { outcome: 'full', slot };
  }

  async function givePlaceBack(slot: Slot, telegramId: number, place: number): Promise<void> {
    await store.deleteRecord(recordId(slot.id, 'place', place));
    await store.deleteRecord(recordId(slot.id, 'member', telegramId));
  }

  /** A member who cannot come after all, before the slot starts: the place opens for others. */
  async function leave(slotId: string, telegramId: number): Promise<{ slot: Slot; left: boolean }> {
    const slot = await slotOrThrow(slotId);
    const place = await placeOf(slot, telegramId);
    if (place === undefined) return { slot, left: false };
    if (clock().getTime() >= slot.startsAt.getTime()) throw new ConflictError('slot_started', `${slot.id} has started`);
    await givePlaceBack(slot, telegramId, place);
    return { slot, left: true };
  }

  async function signedUp(slotId: string, person: Person): Promise<Slot> {
    const slot = await slotOrThrow(slotId);
    if ((await placeOf(slot, person.telegramId)) === undefined) throw new ConflictError('not_signed_up', `Not signed up for ${slot.id}`);
    return slot;
  }

  /** "I'm here": from a little before the slot until its end; once. */
  async function checkIn(slotId: string, person: Person): Promise<{ slot: Slot; repeat: boolean }> {
    const slot = await signedUp(slotId, person);
    const when = mayCheckIn(slot, clock());
    if (when !== 'ok') throw new ConflictError(when === 'early' ? 'slot_not_yet' : 'slot_over', `${slot.id}: check-in is ${when}`);
    return { slot, repeat: (await store.insertRecord(base(slot, 'checkin', person))) === 'exists' };
  }

  /** A location shared after checking in, attached to the slot the member is at now. */
  async function located(person: Person, latitude: number, longitude: number): Promise<Slot | undefined> {
    const now = clock().getTime();
    for (const c of await store.recordsOfMember(person.telegramId, 'checkin')) {
      const slot = await store.slot(c.slotId);
      if (!slot || now > slotEnd(slot).getTime()) continue;
      if ((await store.insertRecord({ ...base(slot, 'located', person), latitude, longitude })) === 'ok') return slot;
    }
    return undefined;
  }

  /** "Done": after checking in; the lead is then asked to confirm. */
  async function done(slotId: string, person: Person): Promise<{ slot: Slot; repeat: boolean; team: Team }> {
    const slot = await signedUp(slotId, person);
    if (!(await store.record(recordId(slot.id, 'checkin', person.telegramId)))) throw new ConflictError('not_checked_in', 'Check in first');
    const team = (await store.team(slot.teamId))!;
    return { slot, repeat: (await store.insertRecord(base(slot, 'done', person))) === 'exists', team };
  }

  /** The lead confirms a member served the slot: its minutes count as hours served. */
  async function confirm(slotId: string, telegramId: number, actor: Actor): Promise<{ slot: Slot; member: SlotRecord; repeat: boolean }> {
    const slot = await slotOrThrow(slotId);
    const team = await store.team(slot.teamId);
    if (!team || !leads(team, actor)) throw new ForbiddenError('forbidden', "Only the team's lead or a worker confirms");
    const checkin = await store.record(recordId(slot.id, 'checkin', telegramId));
    if (!checkin) throw new ConflictError('not_checked_in', 'The member has not checked in');
    const record: SlotRecord = { ...base(slot, 'confirm', { telegramId, name: checkin.name }), minutes: slot.minutes, by: actor.id };
    return { slot, member: record, repeat: (await store.insertRecord(record)) === 'exists' };
  }

  /** Signed up and not checked in: a no-show, recorded once; the caller asks the lead to fill the place. */
  async function noShow(slot: Slot, telegramId: number, by: string): Promise<{ recorded: boolean; name: string } | undefined> {
    const place = await placeOf(slot, telegramId);
    if (place === undefined || (await store.record(recordId(slot.id, 'checkin', telegramId)))) return undefined;
    const placeRecord = (await store.record(recordId(slot.id, 'place', place)))!;
    const recorded = (await store.insertRecord({ ...base(slot, 'noshow', { telegramId, name: placeRecord.name }), by })) === 'ok';
    return { recorded, name: placeRecord.name };
  }

  /**
   * Whether this reminder already went to the outbox. Its outbox key alone keeps it from being sent
   * twice, but a key enqueued again after the message was sent becomes a pending copy that waits out
   * its send fence before it is dropped: every tick of the reminder's window would make one.
   */
  const reminded = async (slot: Slot, telegramId: number, which: 'day' | 'hour') => Boolean(await store.record(recordId(slot.id, `remind_${which}`, telegramId)));
  /** Written after the reminder is enqueued: a crash between the two sends nothing twice (the outbox key holds). */
  async function markReminded(slot: Slot, person: Person, which: 'day' | 'hour'): Promise<void> {
    await store.insertRecord(base(slot, `remind_${which}`, person));
  }

  /** The lead frees a no-show's place so another member can take it. */
  async function fillPlace(slotId: string, telegramId: number, actor: Actor): Promise<{ slot: Slot; freed: boolean }> {
    const slot = await slotOrThrow(slotId);
    const team = await store.team(slot.teamId);
    if (!team || !leads(team, actor)) throw new ForbiddenError('forbidden', "Only the team's lead or a worker fills a place");
    if (clock().getTime() > slotEnd(slot).getTime()) throw new ConflictError('slot_over', `${slot.id} is over`);
    const place = await placeOf(slot, telegramId);
    if (place === undefined || !(await store.record(recordId(slot.id, 'noshow', telegramId)))) return { slot, freed: false };
    await givePlaceBack(slot, telegramId, place);
    return { slot, freed: true };
  }

  /** Hours served per member of a team, from confirmed slots only. */
  async function hours(teamId: string, actor: Actor): Promise<{ team: Team; members: Array<{ telegramId: number; name: string; slots: number; minutes: number }> }> {
    const team = await visibleTeam(teamId, actor);
    const byMember = new Map<number, { telegramId: number; name: string; slots: number; minutes: number }>();
    for (const m of await store.membersOf(team.id)) byMember.set(m.telegramId, { telegramId: m.telegramId, name: m.name, slots: 0, minutes: 0 });
    for (const c of await store.recordsOfTeam(team.id, 'confirm')) {
      const row = byMember.get(c.telegramId) ?? { telegramId: c.telegramId, name: c.name, slots: 0, minutes: 0 };
      row.slots += 1;
      row.minutes += c.minutes ?? 0;
      byMember.set(c.telegramId, row);
    }
    return { team, members: [...byMember.values()].sort((a, b) => b.minutes - a.minutes || a.name.localeCompare(b.name)) };
  }

  /** A member's own hours, per team. */
  async function myHours(telegramId: number): Promise<Array<{ team: Team; slots: number; minutes: number }>> {
    const byTeam = new Map<string, { slots: number; minutes: number }>();
    for (const c of await store.recordsOfMember(telegramId, 'confirm')) {
      const row = byTeam.get(c.teamId) ?? { slots: 0, minutes: 0 };
      row.slots += 1;
      row.minutes += c.minutes ?? 0;
      byTeam.set(c.teamId, row);
    }
    const out: Array<{ team: Team; slots: number; minutes: number }> = [];
    for (const [teamId, row] of byTeam) {
      const team = await store.team(teamId);
      if (team) out.push({ team, ...row });
    }
    return out;
  }

  async function requestView(requestId: string): Promise<{ request: ServiceRequest; team: Team; slots: SlotView[] } | null> {
    const request = await store.request(requestId);
    const team = request ? await store.team(request.teamId) : null;
    if (!request || !team) return null;
    const slots: SlotView[] = [];
    for (const id of request.slotIds) {
      const slot = await store.slot(id);
      if (slot) slots.push(await view(slot));
    }
    return { request, team, slots };
  }

  return {
    createTeam,
    join,
    linkChat,
    createRequest,
    signUp,
    leave,
    checkIn,
    located,
    done,
    confirm,
    noShow,
    reminded,
    markReminded,
    fillPlace,
    hours,
    myHours,
    requestView,
    slotView: async (slotId: string) => view(await slotOrThrow(slotId)),
    team: visibleTeam,
    teamOf: (id: string) => store.team(id),
    /** The teams this person leads, with their members, for the lead's /myteams. */
    async ledBy(telegramId: number): Promise<Array<{ team: Team; members: number }>> {
      const out: Array<{ team: Team; members: number }> = [];
      for (const team of await store.teamsLedBy(telegramId)) out.push({ team, members: (await store.membersOf(team.id)).length });
      return out;
    },
    async teamsOf(communityId: string, actor: Actor): Promise<Team[]> {
      if (!canSee(actor, communityId)) throw new NotFoundError('community_not_found', `No community ${communityId}`);
      return (await store.teamsOf(communityId)).sort((a, b) => a.name.localeCompare(b.name));
    },
    async membersOf(teamId: string, actor: Actor): Promise<TeamMember[]> {
      return store.membersOf((await visibleTeam(teamId, actor)).id);
    },
    async requestsOf(teamId: string, actor: Actor): Promise<ServiceRequest[]> {
      return store.requestsOf((await visibleTeam(teamId, actor)).id);
    },
    /** What the jobs read: slots starting in [from, to), and the request behind each. */
    slotsStarting: store.slotsStarting,
    request: store.request,
    isLead: leads,
  };
}
