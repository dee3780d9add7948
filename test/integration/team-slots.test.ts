import { createTeamStore } from '../../src/db/team-store';
import { createResourceService } from '../../src/domain/resources/service';
import { createResourceStore } from '../../src/db/resource-store';
import { createTeamService } from '../../src/domain/teams/service';
import { SlotRecord } from '../../src/domain/teams/types';
import { recordNoShows, remindSlots } from '../../src/jobs/slots';
import { eraseVolunteer } from '../../src/db/team-erasure';
import { useTestDatabase } from '../support/db';
import { killChildren, spawnTs, watchOutput } from '../support/processes';
import { admin, buildServices } from '../support/fixtures';

// Volunteer slots against the real database, with a controlled clock: ten members signing up at once
// for three places get exactly three; one member pressing twice holds one place; Can't come opens a
// place for the next; reminders the day and the hour before (once each); a no-show recorded once and
// the lead asked; hours counted from confirmed slots only.

afterAll(killChildren);

describe('volunteer slots', () => {
  const db = useTestDatabase();

  async function setUp(label: string, startsAt = new Date('2026-12-02T10:00:00Z'), start = new Date('2026-12-01T08:00:00Z')) {
    // Each test its own day: the job reads every slot of the database.
    let now = start;
    const clock = () => now;
    const setNow = (d: Date) => {
      now = d;
    };
    const services = buildServices(db, clock);
    const community = await services.communities.create({ name: `Slot Lane ${label}` }, admin);
    const resources = createResourceService({ store: createResourceStore(db.models), clock });
    const teams = createTeamService({ store: createTeamStore(db.models), clock, areasOf: resources.areasOf });
    const area = await resources.addArea(community.id, { name: 'Harbour Street', level: 'community' }, admin);
    const team = await teams.createTeam({ communityId: community.id, name: `Haircut team ${label}`, skill: 'haircut', leadTelegramId: 50_000, leadName: 'Li', areaIds: [area.id] }, admin);
    const members = Array.from({ length: 10 }, (_, i) => ({ telegramId: 50_001 + i, name: `Member ${i + 1}` }));
    for (const m of members) await teams.join(team.joinCode, m);
    const { request, slots } = await teams.createRequest(team.id, { title: 'Haircuts at home', slots: [{ startsAt, minutes: 90, place: 'home', places: 3 }] }, admin);
    return { teams, team, members, request, slot: slots[0]!, setNow, clock };
  }

  it('ten members at once for three places: exactly three signed up, seven told it is full', async () => {
    const { teams, members, slot } = await setUp('race');
    const results = await Promise.all(members.map((m) => teams.signUp(slot.id, m)));
    expect(results.filter((r) => r.outcome === 'signed_up')).toHaveLength(3);
    expect(results.filter((r) => r.outcome === 'full')).toHaveLength(7);
    const places = results.flatMap((r) => (r.outcome === 'signed_up' ? [r.place] : [])).sort();
    expect(places).toEqual([1, 2, 3]);
    const view = await teams.slotView(slot.id);
    expect([view.signups.length, view.free]).toEqual([3, 0]);
    // Pressing again: already; one who was refused is still refused.
    const winner = members.find((_, i) => results[i]!.outcome === 'signed_up')!;
    expect((await teams.signUp(slot.id, winner)).outcome).toBe('already');
    const loser = members.find((_, i) => results[i]!.outcome === 'full')!;
    expect((await teams.signUp(slot.id, loser)).outcome).toBe('full');
    // Can't come: the place opens and the next one takes it.
    expect((await teams.leave(slot.id, winner.telegramId)).left).toBe(true);
    expect(await teams.signUp(slot.id, loser)).toMatchObject({ outcome: 'signed_up' });
    expect((await teams.slotView(slot.id)).signups.map((s) => s.telegramId)).not.toContain(winner.telegramId);
  });

  it('one member pressing five times at once holds one place', async () => {
    const { teams, members, slot } = await setUp('twice');
    const results = await Promise.all(Array.from({ length: 5 }, () => teams.signUp(slot.id, members[0]!)));
    expect(results.filter((r) => r.outcome === 'signed_up')).toHaveLength(1);
    expect((await teams.slotView(slot.id)).signups).toHaveLength(1);
  });

  it('refuses who is not in the team, and after the start', async () => {
    const { teams, members, slot, setNow } = await setUp('refusals');
    await expect(teams.signUp(slot.id, { telegramId: 59_999, name: 'Stranger' })).rejects.toMatchObject({ code: 'not_team_member' });
    await expect(teams.signUp('SR-NOPE00.1', members[0]!)).rejects.toMatchObject({ code: 'slot_not_found' });
    setNow(new Date('2026-12-02T10:00:00Z'));
    await expect(teams.signUp(slot.id, members[0]!)).rejects.toMatchObject({ code: 'slot_started' });
  });

  it('reminders the day and the hour before; a no-show recorded once and the lead asked; hours from confirmed slots only', async () => {
    const { teams, team, members, slot, setNow } = await setUp('day', new Date('2026-12-12T10:00:00Z'));
    for (const m of members.slice(0, 3)) await teams.signUp(slot.id, m);
    const sent: Array<{ to: number; which: string }> = [];
    const leadAsked: Array<{ name: string }> = [];
    const deps = {
      teams,
      messages: {
        reminder: async (_r: unknown, _s: unknown, to: number, which: 'day' | 'hour') => {
          sent.push({ to, which });
          return { id: `slot-remind:${slot.id}:${which}|${to}|slot_reminder`, chatId: to, kind: 'slot_reminder', payload: { type: 'message' as const, message: { text: which } } };
        },
        noShow: async (_t: unknown, _r: unknown, _s: unknown, m: { name: string }) => {
          leadAsked.push(m);
          return { id: `noshow|${team.leadTelegramId}|slot_no_show`, chatId: team.leadTelegramId, kind: 'slot_no_show', payload: { type: 'message' as const, message: { text: 'no-show' } } };
        },
      },
      enqueue: async () => undefined,
    };
    // Two days ahead: nothing yet.
    expect((await remindSlots(deps, new Date('2026-12-10T09:00:00Z'))).reminded).toBe(0);
    // The day before: each of the three.
    setNow(new Date('2026-12-11T11:00:00Z'));
    expect((await remindSlots(deps, new Date('2026-12-11T11:00:00Z'))).reminded).toBe(3);
    expect(sent.every((s) => s.which === 'day')).toBe(true);
    // Later ticks in the day's window hand nothing to the outbox again (a key enqueued again after its
    // message went out would sit there as a pending copy until its fence expired).
    expect((await remindSlots(deps, new Date('2026-12-11T13:00:00Z'))).reminded).toBe(0);
    expect((await remindSlots(deps, new Date('2026-12-11T16:00:00Z'))).reminded).toBe(0);
    expect(sent).toHaveLength(3);
    // Within the hour: the hour reminder.
    await remindSlots(deps, new Date('2026-12-12T09:15:00Z'));
    expect(sent.filter((s) => s.which === 'hour').map((s) => s.to).sort()).toEqual(members.slice(0, 3).map((m) => m.telegramId));

    // Two check in, one does not. 10 minutes in: no no-show yet; 25 minutes in: one, and the lead asked.
    setNow(new Date('2026-12-12T09:50:00Z'));
    await teams.checkIn(slot.id, members[0]!);
    await teams.checkIn(slot.id, members[1]!);
    expect((await recordNoShows(deps, new Date('2026-12-12T10:10:00Z'))).noShows).toBe(0);
    setNow(new Date('2026-12-12T10:25:00Z'));
    expect((await recordNoShows(deps, new Date('2026-12-12T10:25:00Z'))).noShows).toBe(1);
    expect(leadAsked.map((m) => m.name)).toEqual([members[2]!.name]);
    // The next tick records nothing again.
    expect((await recordNoShows(deps, new Date('2026-12-12T10:30:00Z'))).noShows).toBe(0);
    expect((await teams.slotView(slot.id)).signups.find((s) => s.telegramId === members[2]!.telegramId)?.status).toBe('no_show');
    // The lead fills the place: another member takes it.
    const lead = { kind: 'donor' as const, id: `tg:${team.leadTelegramId}`, telegramId: team.leadTelegramId };
    expect((await teams.fillPlace(slot.id, members[2]!.telegramId, lead)).freed).toBe(true);
    // (After the start a new signup is refused; the lead finds someone in the chat and a worker adds them later.)

    // Done and confirmed: member 1 counts 1.5 h; member 2 said Done but was not confirmed: nothing.
    await teams.done(slot.id, members[0]!);
    await teams.done(slot.id, members[1]!);
    await expect(teams.confirm(slot.id, members[0]!.telegramId, { kind: 'donor', id: 'tg:59998', telegramId: 59_998 })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await teams.confirm(slot.id, members[0]!.telegramId, lead)).repeat).toBe(false);
    expect((await teams.confirm(slot.id, members[0]!.telegramId, lead)).repeat).toBe(true);
    const hours = await teams.hours(team.id, admin);
    const byName = new Map(hours.members.map((m) => [m.name, m.minutes]));
    expect([byName.get(members[0]!.name), byName.get(members[1]!.name), byName.get(members[2]!.name)]).toEqual([90, 0, 0]);
    expect((await teams.myHours(members[0]!.telegramId)).map((r) => r.minutes)).toEqual([90]);
  });

  it('the stored records are exactly the places and steps: a recount of the records equals the view', async () => {
    const { teams, members, slot } = await setUp('recount');
    await Promise.all(members.map((m) => teams.signUp(slot.id, m)));
    const docs = (await db.models.SlotRecord.collection.find({ slotId: slot.id }).toArray()) as unknown as SlotRecord[];
    expect(docs.filter((d) => d.kind === 'place')).toHaveLength(3);
    // The seven refused gave their member lock back.
    expect(docs.filter((d) => d.kind === 'member')).toHaveLength(3);
  });

  it('two processes signing up ten members each for three places: exactly three places taken', async () => {
    const { teams, team, slot } = await setUp('processes', new Date(Date.now() + 2 * 86_400_000), new Date()); // the processes run on real time
    for (let i = 0; i < 20; i++) await teams.join(team.joinCode, { telegramId: 52_000 + i, name: `Member ${i}` });
    const workers = [52_000, 52_010].map((first) => {
      const child = spawnTs('test/support/signup-process.ts', [db.uri, db.dbName, slot.id, String(first), '10']);
      return { child, out: watchOutput(child) };
    });
    await Promise.all(workers.map((w) => w.out.waitForLine((l) => l === 'ready')));
    for (const w of workers) w.child.stdin!.end('go\n');
    const lines = await Promise.all(workers.map((w) => w.out.waitForLine((l) => l.startsWith('['))));
    await Promise.all(workers.map((w) => w.out.exited));
    const outcomes = lines.flatMap((l) => JSON.parse(l) as string[]);
    expect(outcomes.filter((o) => o === 'signed_up')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'full')).toHaveLength(17);
    const docs = (await db.models.SlotRecord.collection.find({ slotId: slot.id, kind: 'place' }).toArray()) as unknown as SlotRecord[];
    expect(docs.map((d) => d.place).sort()).toEqual([1, 2, 3]);
  });

  it("an erased volunteer leaves no id or name in the teams' records; the team's confirmed hours stay", async () => {
    const { teams, team, members, slot, setNow } = await setUp('erase', new Date('2026-12-22T10:00:00Z'), new Date('2026-12-21T08:00:00Z'));
    const gone = { telegramId: 53_001, name: 'Zhou Erased' };
    const stays = members[1]!;
    await teams.join(team.joinCode, gone);
    await teams.signUp(slot.id, gone);
    await teams.signUp(slot.id, stays);
    setNow(new Date('2026-12-22T10:05:00Z'));
    for (const m of [gone, stays]) {
      await teams.checkIn(slot.id, m);
      await teams.done(slot.id, m);
      await teams.confirm(slot.id, m.telegramId, admin);
    }
    await eraseVolunteer(db.models, gone.telegramId);
    for (const model of [db.models.Team, db.models.TeamMember, db.models.SlotRecord, db.models.ServiceRequest, db.models.ServiceSlot]) {
      const text = JSON.stringify(await model.collection.find({}).toArray());
      expect([text.includes(String(gone.telegramId)), text.includes(gone.name)]).toEqual([false, false]);
    }
    const hours = await teams.hours(team.id, admin);
    expect(hours.members.reduce((n, m) => n + m.minutes, 0)).toBe(180);
    expect(hours.members.find((m) => m.name === stays.name)?.minutes).toBe(90);
    expect((await teams.slotView(slot.id)).signups).toHaveLength(2);
  });
});
