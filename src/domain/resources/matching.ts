import { Category } from '../wish/types';
import { Area, Resource, ResourceRecord, Skill, Weekday, WEEKDAYS } from './types';

// Who is most likely to meet a need: a ranked list of the directory's resources, each with its reasons,
// so the worker sees why and decides. Pure: the caller brings the wish, the directory and what each
// resource has done; the same input always gives the same list.

export interface MatchNeed {
  id: string;
  communityId: string;
  category: Category;
  /** For a service: the skill it needs, when the worker said. */
  skill?: Skill;
  /** Where the resident is (an area of the community's tree); absent: the community as a whole. */
  areaId?: string;
  deadline: Date;
  /** For cash: how much is still needed, to weigh money capacity. */
  remaining?: number;
}

export type MatchReason =
  | { code: 'offers_category'; category: Category }
  | { code: 'offers_skill'; skill: Skill }
  | { code: 'area_contains'; areaId: string }
  | { code: 'area_neighbours'; areaId: string }
  | { code: 'area_elsewhere' }
  | { code: 'available_before_deadline' }
  | { code: 'not_available_before_deadline' }
  | { code: 'capacity_left'; requests?: number; money?: number }
  | { code: 'no_capacity_left' }
  | { code: 'fulfilled_rate'; fulfilled: number; taken: number }
  | { code: 'new_to_the_directory' }
  | { code: 'not_asked_recently'; days?: number }
  | { code: 'asked_recently'; days: number };

export interface Match {
  resourceId: string;
  name: string;
  kind: Resource['kind'];
  score: number;
  reasons: MatchReason[];
}

/** Asked this many days ago or less counts as recently (a lighter touch on the same people). */
export const RECENT_ASK_DAYS = 7;
/** Not asked for this long counts in its favour: spread the asking around. */
export const RESTED_DAYS = 14;
const DAY = 86_400_000;

/** Points per reason: fit first, then place, then whether it can, then how it has done, then fairness. */
const POINTS = {
  skill: 40,
  category: 30,
  contains: 30,
  neighbours: 15,
  available: 10,
  notAvailable: -40,
  capacity: 10,
  noCapacity: -40,
  /** Scaled by the share fulfilled of what it took. */
  fulfilled: 20,
  newcomer: 10,
  rested: 10,
  askedRecently: -10,
} as const;

/** The area and every area above it, nearest first. */
function lineage(areaId: string, byId: ReadonlyMap<string, Area>): string[] {
  const out: string[] = [];
  let at = byId.get(areaId);
  while (at && !out.includes(at.id)) {
    out.push(at.id);
    at = at.parentId ? byId.get(at.parentId) : undefined;
  }
  return out;
}

/** Where the resource serves, seen from where the resident is: contains (it serves their area or one above), neighbours (a sibling), or elsewhere. */
function placeReason(need: MatchNeed, resource: Resource, byId: ReadonlyMap<string, Area>): MatchReason {
  // No area given for the resident: the community is where they are; a resource listed for it contains them.
  const residentLine = need.areaId ? lineage(need.areaId, byId) : [];
  const contained = resource.areaIds.find((a) => residentLine.includes(a) || (!need.areaId && byId.get(a)?.communityId === need.communityId));
  if (contained) return { code: 'area_contains', areaId: contained };
  const parent = need.areaId ? byId.get(need.areaId)?.parentId : undefined;
  const neighbour = parent ? resource.areaIds.find((a) => a !== need.areaId && byId.get(a)?.parentId === parent) : undefined;
  if (neighbour) return { code: 'area_neighbours', areaId: neighbour };
  return { code: 'area_elsewhere' };
}

/** Whether its availability leaves any day between now and the deadline. Times of day are the worker's to arrange. */
export function availableBefore(resource: Pick<Resource, 'availability'>, now: Date, deadline: Date): boolean {
  const a = resource.availability;
  if (!a) return true;
  const start = Math.max(now.getTime(), a.from ? a.from.getTime() : -Infinity);
  const end = Math.min(deadline.getTime(), a.until ? a.until.getTime() : Infinity);
  if (end < start) return false;
  if (!a.weekdays || a.weekdays.length === 0) return true;
  // A week or more holds every weekday; else look at each day in the window (UTC days: near enough for a week's test).
  if (end - start >= 7 * DAY) return true;
  for (let t = start; t <= end + DAY - 1; t += DAY) {
    const day = WEEKDAYS[(new Date(t).getUTCDay() + 6) % 7] as Weekday;
    if (a.weekdays.includes(day)) return true;
  }
  return false;
}

function capacityReason(need: MatchNeed, resource: Resource, record: ResourceRecord): MatchReason | undefined {
  const c = resource.capacity;
  if (!c || (c.requestsPerMonth === undefined && c.moneyPerMonth === undefined)) return undefined;
  const requests = c.requestsPerMonth !== undefined ? c.requestsPerMonth - record.requestsThisMonth : undefined;
  const money = c.moneyPerMonth !== undefined ? c.moneyPerMonth - record.moneyThisMonth : undefined;
  const out = (requests !== undefined && requests <= 0) || (need.category === 'cash' && money !== undefined && money <= 0);
  if (out) return { code: 'no_capacity_left' };
  return { code: 'capacity_left', ...(requests !== undefined ? { requests } : {}), ...(money !== undefined ? { money } : {}) };
}

/** Why a resource is never suggested for this need, if it is not. */
function excluded(need: MatchNeed, resource: Resource, record: ResourceRecord): boolean {
  if (resource.state !== 'approved') return true; // proposed (unchecked), paused, retired
  if (resource.communityId !== need.communityId) return true;
  if (record.declinedWishIds.includes(need.id)) return true;
  const fitsCategory = resource.offer.categories.includes(need.category);
  const fitsSkill = need.skill !== undefined && resource.offer.skills.includes(need.skill);
  // A service wish with a skill is met by that skill; any other by its category.
  return !(need.skill !== undefined ? fitsSkill : fitsCategory);
}

/**
 * The suggestions for a need, best first, each with its reasons. Never a resource that declined this
 * need, is paused, retired or not yet approved, or offers nothing that fits. Ties go to the one that
 * fulfilled more of what it took, then by name and id, so the order never depends on input order.
 */
export function rankMatches(input: { need: MatchNeed; resources: ReadonlyArray<{ resource: Resource; record: ResourceRecord }>; areas: readonly Area[]; now: Date }): Match[] {
  const { need, now } = input;
  const byId = new Map(input.areas.map((a) => [a.id, a]));
  const matches: Array<Match & { rate: number }> = [];
  for (const { resource, record } of input.resources) {
    if (excluded(need, resource, record)) continue;
    const reasons: MatchReason[] = [];
    let score = 0;
    if (need.skill !== undefined && resource.offer.skills.includes(need.skill)) {
      reasons.push({ code: 'offers_skill', skill: need.skill });
      score += POINTS.skill;
    }
    if (resource.offer.categories.includes(need.category)) {
      reasons.push({ code: 'offers_category', category: need.category });
      score += POINTS.category;
    }
    const place = placeReason(need, resource, byId);
    reasons.push(place);
    score += place.code === 'area_contains' ? POINTS.contains : place.code === 'area_neighbours' ? POINTS.neighbours : 0;
    const available = availableBefore(resource, now, need.deadline);
    reasons.push({ code: available ? 'available_before_deadline' : 'not_available_before_deadline' });
    score += available ? POINTS.available : POINTS.notAvailable;
    const capacity = capacityReason(need, resource, record);
    if (capacity) {
      reasons.push(capacity);
      score += capacity.code === 'capacity_left' ? POINTS.capacity : POINTS.noCapacity;
    }
    const rate = record.taken > 0 ? record.fulfilled / record.taken : 0;
    if (record.taken > 0) {
      reasons.push({ code: 'fulfilled_rate', fulfilled: record.fulfilled, taken: record.taken });
      score += Math.round(POINTS.fulfilled * rate);
    } else {
      reasons.push({ code: 'new_to_the_directory' });
      score += POINTS.newcomer;
    }
    const askedDays = record.lastAskedAt ? Math.floor((now.getTime() - record.lastAskedAt.getTime()) / DAY) : undefined;
    if (askedDays !== undefined && askedDays <= RECENT_ASK_DAYS) {
      reasons.push({ code: 'asked_recently', days: askedDays });
      score += POINTS.askedRecently;
    } else if (askedDays === undefined || askedDays >= RESTED_DAYS) {
      reasons.push({ code: 'not_asked_recently', ...(askedDays !== undefined ? { days: askedDays } : {}) });
      score += POINTS.rested;
    }
    matches.push({ resourceId: resource.id, name: resource.name, kind: resource.kind, score, reasons, rate });
  }
  matches.sort((a, b) => b.score - a.score || b.rate - a.rate || a.name.localeCompare(b.name) || a.resourceId.localeCompare(b.resourceId));
  return matches.map(({ rate: _rate, ...m }) => m);
}
