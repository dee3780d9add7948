import { FieldIssue, InvalidError } from '../errors';
import { charCount, tidyText } from '../input';
import { Area, SKILLS, Skill } from '../resources/types';
import { issue } from '../wish/rules';
import { HOME } from './types';

// What a team and a service request may say, and when each step at a slot is allowed: written once
// for the API, the bot and the jobs.

export const TEAM_LIMITS = {
  name: { min: 2, max: 60 },
  title: { min: 2, max: 80 },
  description: { max: 500 },
  place: { min: 2, max: 100 },
  slots: { max: 20 },
  minutes: { min: 15, max: 720 },
  places: { min: 1, max: 20 },
  /** How far ahead a slot may be. */
  aheadDays: 366,
} as const;

const MINUTE = 60_000;
/** A member may check in from this long before the slot until it ends. */
export const CHECK_IN_EARLY_MS = 30 * MINUTE;
/** Signed up and not checked in this long after the start: a no-show, and the lead is asked to fill the place. */
export const NO_SHOW_AFTER_MS = 20 * MINUTE;
/** Reminders: the day before (between 24 and 12 hours ahead; a later signup gets only the hour's) and the hour before. */
export const REMIND_DAY_MS = 24 * 60 * MINUTE;
const REMIND_DAY_LATEST_MS = 12 * 60 * MINUTE;
export const REMIND_HOUR_MS = 60 * MINUTE;

export interface TeamInput {
  communityId: string;
  name: string;
  skill: string;
  leadTelegramId: number;
  leadName: string;
  areaIds?: string[];
  chatId?: number;
  /** A forum topic of that group, for a team that has a topic rather than a group of its own. */
  chatTopicId?: number;
}

export function validateTeam(input: TeamInput, areas: Area[]): { name: string; skill: Skill; leadTelegramId: number; leadName: string; areaIds: string[]; chatId?: number; chatTopicId?: number } {
  const issues: FieldIssue[] = [];
  const name = tidyText(String(input.name ?? ''));
  if (charCount(name) < TEAM_LIMITS.name.min) issues.push(issue('name', name ? 'too_short' : 'required', { min: TEAM_LIMITS.name.min }));
  else if (charCount(name) > TEAM_LIMITS.name.max) issues.push(issue('name', 'too_long', { max: TEAM_LIMITS.name.max }));
  if (!(SKILLS as readonly string[]).includes(input.skill)) issues.push(issue('skill', 'not_a_choice', { choices: SKILLS.join(', ') }));
  if (!Number.isSafeInteger(input.leadTelegramId) || input.leadTelegramId <= 0) issues.push(issue('leadTelegramId', 'wrong_type', { expected: "the lead's Telegram user id (a positive whole number)" }));
  const leadName = tidyText(String(input.leadName ?? ''));
  if (charCount(leadName) === 0) issues.push(issue('leadName', 'required'));
  else if (charCount(leadName) > 60) issues.push(issue('leadName', 'too_long', { max: 60 }));
  const areaIds = [...new Set(input.areaIds ?? [])];
  // Where it serves: matching and the directory need at least one area.
  if (areaIds.length === 0) issues.push(issue('areaIds', 'required'));
  areaIds.forEach((id, i) => {
    if (!areas.some((a) => a.id === id)) issues.push(issue(`areaIds.${i}`, 'unknown_area'));
  });
  if (input.chatId !== undefined && (!Number.isSafeInteger(input.chatId) || input.chatId >= 0)) issues.push(issue('chatId', 'wrong_type', { expected: 'a group chat id (negative)' }));
  if (input.chatTopicId !== undefined) {
    if (!Number.isSafeInteger(input.chatTopicId) || input.chatTopicId <= 0) issues.push(issue('chatTopicId', 'wrong_type', { expected: "a forum topic's id (a positive whole number)" }));
    // A topic is a topic of a group: which one must be said.
    else if (input.chatId === undefined) issues.push(issue('chatId', 'required'));
  }
  if (issues.length > 0) throw InvalidError.fields(issues);
  const chat = input.chatId !== undefined ? { chatId: input.chatId, ...(input.chatTopicId !== undefined ? { chatTopicId: input.chatTopicId } : {}) } : {};
  return { name, skill: input.skill as Skill, leadTelegramId: input.leadTelegramId, leadName, areaIds, ...chat };
}

export interface SlotInput {
  startsAt: Date;
  minutes: number;
  place: string;
  places: number;
}

export interface ServiceRequestInput {
  title: string;
  description?: string;
  wishId?: string;
  slots: SlotInput[];
}

export function validateServiceRequest(input: ServiceRequestInput, now: Date): { title: string; description?: string; wishId?: string; slots: SlotInput[] } {
  const issues: FieldIssue[] = [];
  const title = tidyText(String(input.title ?? ''));
  if (charCount(title) < TEAM_LIMITS.title.min) issues.push(issue('title', title ? 'too_short' : 'required', { min: TEAM_LIMITS.title.min }));
  else if (charCount(title) > TEAM_LIMITS.title.max) issues.push(issue('title', 'too_long', { max: TEAM_LIMITS.title.max }));
  const description = input.description === undefined ? undefined : tidyText(String(input.description), { multiline: true });
  if (description !== undefined && charCount(description) > TEAM_LIMITS.description.max) issues.push(issue('description', 'too_long', { max: TEAM_LIMITS.description.max }));
  const slots = input.slots ?? [];
  if (slots.length === 0) issues.push(issue('slots', 'required'));
  if (slots.length > TEAM_LIMITS.slots.max) issues.push(issue('slots', 'too_large', { max: TEAM_LIMITS.slots.max }));
  const tidySlots = slots.slice(0, TEAM_LIMITS.slots.max).map((s, i) => {
    const at = s.startsAt instanceof Date ? s.startsAt : new Date(NaN);
    if (Number.isNaN(at.getTime())) issues.push(issue(`slots.${i}.startsAt`, 'not_a_date'));
    else if (at.getTime() <= now.getTime()) issues.push(issue(`slots.${i}.startsAt`, 'date_past'));
    else if (at.getTime() > now.getTime() + TEAM_LIMITS.aheadDays * 86_400_000) issues.push(issue(`slots.${i}.startsAt`, 'date_too_far', { days: TEAM_LIMITS.aheadDays }));
    if (!Number.isInteger(s.minutes)) issues.push(issue(`slots.${i}.minutes`, 'not_whole'));
    else if (s.minutes < TEAM_LIMITS.minutes.min) issues.push(issue(`slots.${i}.minutes`, 'too_small', { min: TEAM_LIMITS.minutes.min }));
    else if (s.minutes > TEAM_LIMITS.minutes.max) issues.push(issue(`slots.${i}.minutes`, 'too_large', { max: TEAM_LIMITS.minutes.max }));
    if (!Number.isInteger(s.places)) issues.push(issue(`slots.${i}.places`, 'not_whole'));
    else if (s.places < TEAM_LIMITS.places.min) issues.push(issue(`slots.${i}.places`, 'too_small', { min: TEAM_LIMITS.places.min }));
    else if (s.places > TEAM_LIMITS.places.max) issues.push(issue(`slots.${i}.places`, 'too_large', { max: TEAM_LIMITS.places.max }));
    const place = s.place === HOME ? HOME : tidyText(String(s.place ?? ''));
    if (place !== HOME) {
      if (charCount(place) === 0) issues.push(issue(`slots.${i}.place`, 'required'));
      else if (charCount(place) < TEAM_LIMITS.place.min) issues.push(issue(`slots.${i}.place`, 'too_short', { min: TEAM_LIMITS.place.min }));
      else if (charCount(place) > TEAM_LIMITS.place.max) issues.push(issue(`slots.${i}.place`, 'too_long', { max: TEAM_LIMITS.place.max }));
    }
    return { startsAt: at, minutes: s.minutes, place, places: s.places };
  });
  if (issues.length > 0) throw InvalidError.fields(issues);
  return { title, ...(description ? { description } : {}), ...(input.wishId ? { wishId: input.wishId } : {}), slots: tidySlots };
}

/** When a slot ends. */
export const slotEnd = (slot: { startsAt: Date; minutes: number }) => new Date(slot.startsAt.getTime() + slot.minutes * MINUTE);

/** Whether a member may check in now: from a little before the start until the end. */
export function mayCheckIn(slot: { startsAt: Date; minutes: number }, now: Date): 'early' | 'ok' | 'over' {
  if (now.getTime() < slot.startsAt.getTime() - CHECK_IN_EARLY_MS) return 'early';
  if (now.getTime() > slotEnd(slot).getTime()) return 'over';
  return 'ok';
}

/** Which reminder is due for a slot now, if any: the day before, then the hour before. */
export function reminderDue(slot: { startsAt: Date }, now: Date): 'day' | 'hour' | undefined {
  const ahead = slot.startsAt.getTime() - now.getTime();
  if (ahead <= 0) return undefined;
  if (ahead <= REMIND_HOUR_MS) return 'hour';
  if (ahead <= REMIND_DAY_MS && ahead > REMIND_DAY_LATEST_MS) return 'day';
  return undefined;
}
