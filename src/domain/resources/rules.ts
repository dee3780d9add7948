import { ConflictError, FieldIssue, InvalidError } from '../errors';
import { charCount, foldForChecks, tidyText } from '../input';
import { issue } from '../wish/rules';
import { CATEGORIES, Category } from '../wish/types';
import { Area, Availability, Capacity, Offer, RESOURCE_KINDS, Resource, ResourceKind, ResourceState, SKILLS, Skill, WEEKDAYS, Weekday } from './types';

// What a directory entry may say, written once for the API, the console and /offer: each refused
// field is named. Pure.

export interface ResourceInput {
  communityId: string;
  kind: ResourceKind;
  name: string;
  offer: { categories?: string[]; skills?: string[]; note?: string };
  areaIds: string[];
  availability?: { weekdays?: string[]; fromTime?: string; untilTime?: string; from?: Date; until?: Date };
  capacity?: { requestsPerMonth?: number; moneyPerMonth?: number };
  contact?: string;
  telegramId?: number;
  telegramLink?: string;
}

export const RESOURCE_LIMITS = { name: { min: 2, max: 80 }, note: { max: 300 }, contact: { max: 200 } } as const;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The input tidied, or an InvalidError naming every bad field. `areas`: the community's area tree. */
export function validateResource(input: ResourceInput, areas: readonly Area[]): Omit<Resource, 'id' | 'state' | 'createdAt' | 'updatedAt' | 'createdBy'> {
  const issues: FieldIssue[] = [];
  const name = tidyText(input.name ?? '');
  if (charCount(name) < RESOURCE_LIMITS.name.min) issues.push(issue('name', charCount(name) === 0 ? 'required' : 'too_short', charCount(name) === 0 ? undefined : { min: RESOURCE_LIMITS.name.min }));
  else if (charCount(name) > RESOURCE_LIMITS.name.max) issues.push(issue('name', 'too_long', { max: RESOURCE_LIMITS.name.max }));
  if (!(RESOURCE_KINDS as readonly string[]).includes(input.kind)) issues.push(issue('kind', 'not_a_choice', { choices: RESOURCE_KINDS.join(', ') }));

  const categories = [...new Set(input.offer?.categories ?? [])];
  const skills = [...new Set(input.offer?.skills ?? [])];
  categories.forEach((c, i) => (CATEGORIES as readonly string[]).includes(c) || issues.push(issue(`offer.categories.${i}`, 'not_a_choice', { choices: CATEGORIES.join(', ') })));
  skills.forEach((s, i) => (SKILLS as readonly string[]).includes(s) || issues.push(issue(`offer.skills.${i}`, 'not_a_choice', { choices: SKILLS.join(', ') })));
  // An offer of nothing helps nobody: at least one kind of help.
  if (categories.length === 0 && skills.length === 0) issues.push(issue('offer', 'required'));
  const note = input.offer?.note !== undefined ? tidyText(input.offer.note, { multiline: true }) : undefined;
  if (note !== undefined && charCount(note) > RESOURCE_LIMITS.note.max) issues.push(issue('offer.note', 'too_long', { max: RESOURCE_LIMITS.note.max }));

  const known = new Set(areas.filter((a) => a.communityId === input.communityId).map((a) => a.id));
  const areaIds = [...new Set(input.areaIds ?? [])];
  if (areaIds.length === 0) issues.push(issue('areaIds', 'required'));
  areaIds.forEach((a, i) => known.has(a) || issues.push(issue(`areaIds.${i}`, 'unknown_area')));

  const availability = checkAvailability(input.availability, issues);
  const capacity = checkCapacity(input.capacity, issues);
  const contact = input.contact !== undefined ? tidyText(input.contact) : undefined;
  if (contact !== undefined && charCount(contact) > RESOURCE_LIMITS.contact.max) issues.push(issue('contact', 'too_long', { max: RESOURCE_LIMITS.contact.max }));
  if (input.telegramLink !== undefined && !/^https:\/\/t\.me\/[A-Za-z0-9_+/-]{1,64}$/.test(input.telegramLink)) issues.push(issue('telegramLink', 'not_a_choice', { choices: 'a https://t.me/… link' }));
  if (issues.length > 0) throw InvalidError.fields(issues);

  const offer: Offer = { categories: categories as Category[], skills: skills as Skill[], ...(note ? { note } : {}) };
  return {
    communityId: input.communityId,
    kind: input.kind,
    name,
    offer,
    areaIds,
    ...(availability ? { availability } : {}),
    ...(capacity ? { capacity } : {}),
    ...(contact ? { contact } : {}),
    ...(input.telegramId !== undefined ? { telegramId: input.telegramId } : {}),
    ...(input.telegramLink ? { telegramLink: input.telegramLink } : {}),
  };
}

function checkAvailability(a: ResourceInput['availability'], issues: FieldIssue[]): Availability | undefined {
  if (!a) return undefined;
  const weekdays = [...new Set(a.weekdays ?? [])];
  weekdays.forEach((d, i) => (WEEKDAYS as readonly string[]).includes(d) || issues.push(issue(`availability.weekdays.${i}`, 'not_a_choice', { choices: WEEKDAYS.join(', ') })));
  if (a.fromTime !== undefined && !TIME.test(a.fromTime)) issues.push(issue('availability.fromTime', 'not_a_choice', { choices: 'a time such as 09:00' }));
  if (a.untilTime !== undefined && !TIME.test(a.untilTime)) issues.push(issue('availability.untilTime', 'not_a_choice', { choices: 'a time such as 17:30' }));
  if (a.fromTime && a.untilTime && TIME.test(a.fromTime) && TIME.test(a.untilTime) && a.untilTime <= a.fromTime) {
    issues.push(issue('availability.untilTime', 'ends_before_start', { start: a.fromTime }));
  }
  if (a.from && a.until && a.until.getTime() < a.from.getTime()) issues.push(issue('availability.until', 'ends_before_start', { start: a.from.toISOString().slice(0, 10) }));
  const out: Availability = {
    ...(weekdays.length > 0 ? { weekdays: weekdays as Weekday[] } : {}),
    ...(a.fromTime ? { fromTime: a.fromTime } : {}),
    ...(a.untilTime ? { untilTime: a.untilTime } : {}),
    ...(a.from ? { from: a.from } : {}),
    ...(a.until ? { until: a.until } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}

function checkCapacity(c: ResourceInput['capacity'], issues: FieldIssue[]): Capacity | undefined {
  if (!c) return undefined;
  for (const key of ['requestsPerMonth', 'moneyPerMonth'] as const) {
    const v = c[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) issues.push(issue(`capacity.${key}`, 'not_whole'));
  }
  const out: Capacity = { ...(c.requestsPerMonth ? { requestsPerMonth: c.requestsPerMonth } : {}), ...(c.moneyPerMonth ? { moneyPerMonth: c.moneyPerMonth } : {}) };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Where a resource may go from each state: checked by staff, paused and back, retired for good. */
const MOVES: Record<ResourceState, readonly ResourceState[]> = {
  proposed: ['approved', 'retired'],
  approved: ['paused', 'retired'],
  paused: ['approved', 'retired'],
  retired: [],
};

/** The move, or a ConflictError saying it cannot be made from here; moving to where it is is a repeat (null). */
export function checkMove(from: ResourceState, to: ResourceState): ResourceState | null {
  if (from === to) return null;
  if (!MOVES[from].includes(to)) throw new ConflictError('resource_state', `A ${from} resource cannot be ${to}`, { state: from });
  return to;
}

/** Names that read the same (case, width, spacing): a second "Harbour Bakery" is flagged, not refused. */
export function sameName(a: string, b: string): boolean {
  const fold = (s: string) => foldForChecks(s).toLowerCase().replace(/\s+/g, ' ').trim();
  return fold(a) === fold(b);
}
