import { InvalidError } from '../../src/domain/errors';
import { Area } from '../../src/domain/resources/types';
import { mayCheckIn, reminderDue, validateServiceRequest, validateTeam } from '../../src/domain/teams/rules';

// The teams' rules, table by table: what a team and a service request may say (each refused field
// named), when a member may check in, and which reminder is due.

const areas: Area[] = [{ id: 'a1', communityId: 'c1', name: 'Harbour Street', level: 'community' }];
const now = new Date('2026-12-01T08:00:00Z');
const at = (iso: string) => new Date(iso);
const fieldsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidError) return err.issues.map((f) => `${f.field}:${f.code}`).sort();
    throw err;
  }
  return [];
};

describe('validateTeam', () => {
  const good = { communityId: 'c1', name: 'Haircut team', skill: 'haircut', leadTelegramId: 42, leadName: 'Li', areaIds: ['a1'] };
  it.each([
    ['a good team', {}, []],
    ['no name', { name: '' }, ['name:required']],
    ['a one-letter name', { name: 'H' }, ['name:too_short']],
    ['a skill not on the list', { skill: 'juggling' }, ['skill:not_a_choice']],
    ['no lead id', { leadTelegramId: 0 }, ['leadTelegramId:wrong_type']],
    ['no lead name', { leadName: ' ' }, ['leadName:required']],
    ['no area', { areaIds: [] }, ['areaIds:required']],
    ['an area of another tree', { areaIds: ['a1', 'nope'] }, ['areaIds.1:unknown_area']],
    ['a private chat as its group', { chatId: 42 }, ['chatId:wrong_type']],
    ['a forum topic of its group', { chatId: -1001, chatTopicId: 77 }, []],
    ['a topic of no group', { chatTopicId: 77 }, ['chatId:required']],
    ['a topic id that is no id', { chatId: -1001, chatTopicId: 0 }, ['chatTopicId:wrong_type']],
  ] as const)('%s', (_label, change, expected) => {
    expect(fieldsOf(() => validateTeam({ ...good, ...change } as never, areas))).toEqual(expected);
  });
  it('keeps the topic with its group', () => {
    expect(validateTeam({ ...good, chatId: -1001, chatTopicId: 77 }, areas)).toMatchObject({ chatId: -1001, chatTopicId: 77 });
  });
});

describe('validateServiceRequest', () => {
  const slot = { startsAt: at('2026-12-02T10:00:00Z'), minutes: 90, place: 'home', places: 3 };
  it.each([
    ['a good request', {}, {}, []],
    ['no title', { title: '' }, {}, ['title:required']],
    ['no slots', { slots: [] }, undefined, ['slots:required']],
    ['a slot in the past', {}, { startsAt: at('2026-11-30T10:00:00Z') }, ['slots.0.startsAt:date_past']],
    ['a slot more than a year ahead', {}, { startsAt: at('2028-01-01T10:00:00Z') }, ['slots.0.startsAt:date_too_far']],
    ['not a date', {}, { startsAt: new Date('nonsense') }, ['slots.0.startsAt:not_a_date']],
    ['five minutes', {}, { minutes: 5 }, ['slots.0.minutes:too_small']],
    ['thirteen hours', {}, { minutes: 780 }, ['slots.0.minutes:too_large']],
    ['no places', {}, { places: 0 }, ['slots.0.places:too_small']],
    ['fifty places', {}, { places: 50 }, ['slots.0.places:too_large']],
    ['half a place', {}, { places: 1.5 }, ['slots.0.places:not_whole']],
    ['no place', {}, { place: ' ' }, ['slots.0.place:required']],
  ] as const)('%s', (_label, change, slotChange, expected) => {
    const input = { title: 'Haircuts', slots: slotChange === undefined ? [] : [{ ...slot, ...slotChange }], ...change };
    expect(fieldsOf(() => validateServiceRequest(input as never, now))).toEqual(expected);
  });
  it('keeps "home" as the resident\'s home and tidies a named place', () => {
    const tidy = validateServiceRequest({ title: ' Haircuts ', slots: [slot, { ...slot, place: '  Community centre,  room 2 ' }] }, now);
    expect([tidy.title, tidy.slots[0]!.place, tidy.slots[1]!.place]).toEqual(['Haircuts', 'home', 'Community centre, room 2']);
  });
});

describe('when a member may check in, and which reminder is due', () => {
  const slot = { startsAt: at('2026-12-02T10:00:00Z'), minutes: 90 };
  it.each([
    ['an hour before', '2026-12-02T09:00:00Z', 'early'],
    ['30 minutes before', '2026-12-02T09:30:00Z', 'ok'],
    ['at the start', '2026-12-02T10:00:00Z', 'ok'],
    ['at the end', '2026-12-02T11:30:00Z', 'ok'],
    ['after the end', '2026-12-02T11:31:00Z', 'over'],
  ])('check-in %s: %s', (_label, when, expected) => {
    expect(mayCheckIn(slot, at(when))).toBe(expected);
  });
  it.each([
    ['two days before', '2026-11-30T10:00:00Z', undefined],
    ['23 hours before', '2026-12-01T11:00:00Z', 'day'],
    ['six hours before (signed up late: only the hour reminder)', '2026-12-02T04:00:00Z', undefined],
    ['an hour before', '2026-12-02T09:00:00Z', 'hour'],
    ['ten minutes before', '2026-12-02T09:50:00Z', 'hour'],
    ['at the start', '2026-12-02T10:00:00Z', undefined],
  ])('reminder %s: %s', (_label, when, expected) => {
    expect(reminderDue(slot, at(when))).toBe(expected);
  });
});
