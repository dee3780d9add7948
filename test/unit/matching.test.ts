import { availableBefore, MatchNeed, rankMatches } from '../../src/domain/resources/matching';
import { Area, Resource, ResourceRecord } from '../../src/domain/resources/types';

// Matching, table by table: given a need, the directory and each resource's record, the ranked
// suggestions and their reasons.

const NOW = new Date('2026-11-23T09:00:00Z'); // a Monday
const DAY = 86_400_000;

const areas: Area[] = [
  { id: 'd1', communityId: 'c1', name: 'Harbour District', level: 'district' },
  { id: 'c1-root', communityId: 'c1', name: 'Harbour Street', level: 'community', parentId: 'd1' },
  { id: 'b3', communityId: 'c1', name: 'Building 3', level: 'building', parentId: 'c1-root' },
  { id: 'b5', communityId: 'c1', name: 'Building 5', level: 'building', parentId: 'c1-root' },
  { id: 'hill', communityId: 'c1', name: 'Hill Road', level: 'community', parentId: 'd1' },
  { id: 'h1', communityId: 'c1', name: 'Hill 1', level: 'building', parentId: 'hill' },
];

function resource(id: string, over: Partial<Resource> = {}): Resource {
  return {
    id,
    communityId: 'c1',
    kind: 'business',
    name: id,
    offer: { categories: ['goods'], skills: [] },
    areaIds: ['b3'],
    state: 'approved',
    createdAt: NOW,
    updatedAt: NOW,
    createdBy: 'tg:2',
    ...over,
  };
}

function record(over: Partial<ResourceRecord> = {}): ResourceRecord {
  return { requestsThisMonth: 0, moneyThisMonth: 0, fulfilled: 0, taken: 0, declinedWishIds: [], ...over };
}

const need = (over: Partial<MatchNeed> = {}): MatchNeed => ({ id: 'W-1001', communityId: 'c1', category: 'goods', areaId: 'b3', deadline: new Date(NOW.getTime() + 10 * DAY), ...over });

function rank(n: MatchNeed, list: Array<[Resource, ResourceRecord?]>) {
  return rankMatches({ need: n, resources: list.map(([r, rec]) => ({ resource: r, record: rec ?? record() })), areas, now: NOW });
}
const ids = (n: MatchNeed, list: Array<[Resource, ResourceRecord?]>) => rank(n, list).map((m) => m.resourceId);
const codes = (n: MatchNeed, r: Resource, rec?: ResourceRecord) => rank(n, [[r, rec]])[0]?.reasons.map((x) => x.code);

describe('matching a need to the directory', () => {
  it.each([
    // [case, need, resources, expected order]
    ['a resource whose offer fits the category is suggested; one that does not is not', need(), [[resource('bakery')], [resource('cashonly', { offer: { categories: ['cash'], skills: [] } })]], ['bakery']],
    ['a skill fits a service need that names it; the category alone does not', need({ category: 'service', skill: 'haircut' }), [[resource('barber', { offer: { categories: ['service'], skills: ['haircut'] } })], [resource('cleaner', { offer: { categories: ['service'], skills: ['cleaning'] } })]], ['barber']],
    ['serving the resident\'s own building beats a neighbouring one, which beats elsewhere', need(), [[resource('far', { areaIds: ['h1'] })], [resource('next', { areaIds: ['b5'] })], [resource('same', { areaIds: ['b3'] })]], ['same', 'next', 'far']],
    ['a district-wide resource contains every building under it', need(), [[resource('district', { areaIds: ['d1'] })], [resource('next', { areaIds: ['b5'] })]], ['district', 'next']],
    ['paused, proposed and retired resources are never suggested', need(), [[resource('paused', { state: 'paused' })], [resource('proposed', { state: 'proposed' })], [resource('retired', { state: 'retired' })], [resource('ok')]], ['ok']],
    ['one that declined this wish is never asked again; declining another wish does not count', need(), [[resource('declined'), record({ declinedWishIds: ['W-1001'] })], [resource('other'), record({ declinedWishIds: ['W-9999'] })]], ['other']],
    ['another community\'s resource is not suggested', need(), [[resource('theirs', { communityId: 'c2' })], [resource('ours')]], ['ours']],
    ['one not available before the deadline ranks below one that is', need(), [[resource('later', { availability: { from: new Date(NOW.getTime() + 30 * DAY) } })], [resource('now')]], ['now', 'later']],
    ['one with no capacity left this month ranks below one with some', need(), [[resource('full', { capacity: { requestsPerMonth: 2 } }), record({ requestsThisMonth: 2 })], [resource('room', { capacity: { requestsPerMonth: 2 } }), record({ requestsThisMonth: 1 })]], ['room', 'full']],
    ['what it fulfilled of what it took counts, not what it claimed', need(), [[resource('claims'), record({ taken: 10, fulfilled: 2 })], [resource('keeps'), record({ taken: 4, fulfilled: 4 })]], ['keeps', 'claims']],
    ['one asked yesterday ranks below one not asked for weeks', need(), [[resource('asked'), record({ lastAskedAt: new Date(NOW.getTime() - DAY) })], [resource('rested'), record({ lastAskedAt: new Date(NOW.getTime() - 30 * DAY) })]], ['rested', 'asked']],
    ['ties go to the better fulfilment rate, then the name', need(), [[resource('b-name'), record({ taken: 2, fulfilled: 1, lastAskedAt: new Date(NOW.getTime() - 10 * DAY) })], [resource('a-name'), record({ taken: 4, fulfilled: 2, lastAskedAt: new Date(NOW.getTime() - 10 * DAY) })], [resource('c-name'), record({ taken: 1, fulfilled: 1 })]], ['c-name', 'a-name', 'b-name']],
    ['equal in everything: alphabetical, whatever the input order', need(), [[resource('zed')], [resource('amy')], [resource('kim')]], ['amy', 'kim', 'zed']],
    ['a cash need uses money capacity: none left ranks last', need({ category: 'cash', remaining: 180 }), [[resource('spent', { offer: { categories: ['cash'], skills: [] }, capacity: { moneyPerMonth: 200 } }), record({ moneyThisMonth: 200 })], [resource('fund', { offer: { categories: ['cash'], skills: [] }, capacity: { moneyPerMonth: 500 } }), record({ moneyThisMonth: 100 })]], ['fund', 'spent']],
    ['no area given for the resident: anyone serving the community contains them', need({ areaId: undefined }), [[resource('b3')], [resource('hill', { areaIds: ['h1'] })]], ['b3', 'hill']],
    ['nothing fits: an empty list, not an error', need({ category: 'service', skill: 'legal' }), [[resource('bakery')]], []],
  ] as Array<[string, MatchNeed, Array<[Resource, ResourceRecord?]>, string[]]>)('%s', (_name, n, list, expected) => {
    expect(ids(n, list)).toEqual(expected);
    // The same input in reverse gives the same order.
    expect(ids(n, [...list].reverse())).toEqual(expected);
  });

  it.each([
    ['fit by category', need(), resource('r'), undefined, ['offers_category', 'area_contains', 'available_before_deadline', 'new_to_the_directory', 'not_asked_recently']],
    ['fit by skill and category', need({ category: 'service', skill: 'repairs' }), resource('r', { offer: { categories: ['service'], skills: ['repairs'] } }), undefined, ['offers_skill', 'offers_category', 'area_contains', 'available_before_deadline', 'new_to_the_directory', 'not_asked_recently']],
    ['neighbour, capacity left, a record, asked recently', need(), resource('r', { areaIds: ['b5'], capacity: { requestsPerMonth: 4 } }), record({ requestsThisMonth: 1, taken: 3, fulfilled: 3, lastAskedAt: new Date(NOW.getTime() - 2 * DAY) }), ['offers_category', 'area_neighbours', 'available_before_deadline', 'capacity_left', 'fulfilled_rate', 'asked_recently']],
    ['elsewhere, unavailable, no capacity', need(), resource('r', { areaIds: ['h1'], availability: { until: new Date(NOW.getTime() - DAY) }, capacity: { requestsPerMonth: 1 } }), record({ requestsThisMonth: 1 }), ['offers_category', 'area_elsewhere', 'not_available_before_deadline', 'no_capacity_left', 'new_to_the_directory', 'not_asked_recently']],
  ] as Array<[string, MatchNeed, Resource, ResourceRecord | undefined, string[]]>)('reasons: %s', (_name, n, r, rec, expected) => {
    expect(codes(n, r, rec)).toEqual(expected);
  });

  it('capacity and record figures are in the reasons, for the worker to read', () => {
    const [m] = rank(need(), [[resource('r', { capacity: { requestsPerMonth: 4 } }), record({ requestsThisMonth: 1, taken: 5, fulfilled: 4 })]]);
    expect(m!.reasons).toEqual(expect.arrayContaining([{ code: 'capacity_left', requests: 3 }, { code: 'fulfilled_rate', fulfilled: 4, taken: 5 }]));
  });

  it.each([
    ['no availability given', {}, true],
    ['only on Saturdays, deadline Friday of this week', { weekdays: ['sat'] }, false],
    ['only on Wednesdays, deadline Friday of this week', { weekdays: ['wed'] }, true],
    ['until yesterday', { until: new Date(NOW.getTime() - DAY) }, false],
    ['from after the deadline', { from: new Date(NOW.getTime() + 9 * DAY) }, false],
  ] as const)('availability before a deadline 4 days away: %s', (_name, availability, expected) => {
    expect(availableBefore({ availability: availability as Resource['availability'] }, NOW, new Date(NOW.getTime() + 4 * DAY))).toBe(expected);
  });
});
