import { ConflictError, InvalidError } from '../../src/domain/errors';
import { checkMove, ResourceInput, sameName, validateResource } from '../../src/domain/resources/rules';
import { Area } from '../../src/domain/resources/types';

const areas: Area[] = [
  { id: 'street', communityId: 'c1', name: 'Harbour Street', level: 'community' },
  { id: 'b3', communityId: 'c1', name: 'Building 3', level: 'building', parentId: 'street' },
  { id: 'theirs', communityId: 'c2', name: 'Hill Road', level: 'community' },
];

const base: ResourceInput = { communityId: 'c1', kind: 'business', name: 'Harbour Bakery', offer: { categories: ['goods'] }, areaIds: ['b3'] };

function fields(input: Partial<ResourceInput>): string[] {
  try {
    validateResource({ ...base, ...input } as ResourceInput, areas);
    return [];
  } catch (err) {
    if (!(err instanceof InvalidError)) throw err;
    return (err.details as { fields: Array<{ field: string; code: string }> }).fields.map((f) => `${f.field}:${f.code}`);
  }
}

describe('what a directory entry may say', () => {
  it.each([
    ['a plain entry', {}, []],
    ['no name', { name: '  ' }, ['name:required']],
    ['a one-letter name', { name: 'X' }, ['name:too_short']],
    ['an empty offer', { offer: {} }, ['offer:required']],
    ['an unknown category and skill', { offer: { categories: ['hugs'], skills: ['juggling'] } }, ['offer.categories.0:not_a_choice', 'offer.skills.0:not_a_choice']],
    ['a skill alone is an offer', { offer: { skills: ['haircut'] } }, []],
    ['no area', { areaIds: [] }, ['areaIds:required']],
    ["another community's area", { areaIds: ['theirs'] }, ['areaIds.0:unknown_area']],
    ['an area that does not exist', { areaIds: ['b3', 'nowhere'] }, ['areaIds.1:unknown_area']],
    ['hours that end before they start', { availability: { fromTime: '18:00', untilTime: '09:00' } }, ['availability.untilTime:ends_before_start']],
    ['a period that ends before it starts', { availability: { from: new Date('2026-12-10'), until: new Date('2026-12-01') } }, ['availability.until:ends_before_start']],
    ['a time that is not one', { availability: { fromTime: '9am' } }, ['availability.fromTime:not_a_choice']],
    ['a weekday that is not one', { availability: { weekdays: ['mon', 'funday'] } }, ['availability.weekdays.1:not_a_choice']],
    ['capacity of half a request', { capacity: { requestsPerMonth: 0.5 } }, ['capacity.requestsPerMonth:not_whole']],
    ['an unknown kind', { kind: 'alien' as never }, ['kind:not_a_choice']],
    ['a link that is not a t.me link', { telegramLink: 'http://example.com' }, ['telegramLink:not_a_choice']],
  ] as Array<[string, Partial<ResourceInput>, string[]]>)('%s', (_name, input, expected) => {
    expect(fields(input).sort()).toEqual([...expected].sort());
  });

  it('keeps what was said, tidied', () => {
    const r = validateResource({ ...base, name: '  Harbour   Bakery ', offer: { categories: ['goods', 'goods'], note: ' bread on Fridays ' }, contact: ' 555-0110 ' }, areas);
    expect(r).toMatchObject({ name: 'Harbour Bakery', offer: { categories: ['goods'], skills: [], note: 'bread on Fridays' }, contact: '555-0110' });
  });

  it.each([
    ['proposed', 'approved', 'approved'],
    ['approved', 'paused', 'paused'],
    ['paused', 'approved', 'approved'],
    ['approved', 'retired', 'retired'],
    ['approved', 'approved', null],
  ] as const)('%s -> %s', (from, to, expected) => {
    expect(checkMove(from, to)).toBe(expected);
  });

  it.each([
    ['retired', 'approved'],
    ['proposed', 'paused'],
  ] as const)('%s -> %s is refused', (from, to) => {
    expect(() => checkMove(from, to)).toThrow(ConflictError);
  });

  it('names read the same whatever the case, width or spacing', () => {
    expect(sameName('Harbour Bakery', 'HARBOUR  bakery')).toBe(true);
    expect(sameName('港湾面包房', '港湾面包房 ')).toBe(true);
    expect(sameName('Harbour Bakery', 'Harbour Bakery 2')).toBe(false);
  });
});
