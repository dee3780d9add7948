import { Skill } from '../resources/types';

// Volunteer teams by skill and the service requests they serve in turns. A team has a lead and
// members who join with the lead's link; a service request is split into slots that members sign up
// for, never more than a slot's places; at the slot a member checks in, then says Done, and the lead
// confirms. Hours served are counted from confirmed slots.

export interface Team {
  /** `team_<random>`. */
  id: string;
  communityId: string;
  name: string;
  skill: Skill;
  /** The lead's Telegram user id and name, as the worker gave them. */
  leadTelegramId: number;
  leadName: string;
  /** Area ids it serves (the community's tree). */
  areaIds: string[];
  /** The team's own group, where slot cards go; absent: cards go to the lead's private chat. */
  chatId?: number;
  /** A forum topic of that group (the lead sent /teamchat in it): cards and news go into the topic. */
  chatTopicId?: number;
  /** Its entry in the directory (kind team), so matching suggests it for services. */
  resourceId?: string;
  /** What a member's join link carries: `t.me/<bot>?start=team_<joinCode>`. */
  joinCode: string;
  createdAt: Date;
  createdBy: string;
}

export interface TeamMember {
  /** `<teamId>:<telegramId>`: joining twice is one membership. */
  id: string;
  teamId: string;
  telegramId: number;
  name: string;
  joinedAt: Date;
}

/** Where a slot is served: a place anyone may read, or the resident's home (its address is the lead's to give). */
export const HOME = 'home';

export interface Slot {
  /** `<requestId>.<n>`, n from 1. */
  id: string;
  requestId: string;
  teamId: string;
  communityId: string;
  startsAt: Date;
  minutes: number;
  /** `home`, or the place's name ("Community centre, room 2"). */
  place: string;
  places: number;
}

export interface ServiceRequest {
  /** `SR-<6 characters>`: short enough for a button's data. */
  id: string;
  teamId: string;
  communityId: string;
  title: string;
  description?: string;
  /** The wish it serves, if any. */
  wishId?: string;
  slotIds: string[];
  createdAt: Date;
  createdBy: string;
}

/**
 * What happened at a slot, one record per (slot, kind, member), each a unique insert:
 * - `place`: place k taken (`<slotId>:place:<k>`), the only thing that decides a signup;
 * - `member`: who holds which place (`<slotId>:member:<telegramId>`), so one member takes one place;
 * - `checkin`, `done`, `confirm` (by the lead, with the minutes counted), `noshow`, `located`;
 * - `remind_day`, `remind_hour`: that reminder was handed to the outbox, so later ticks skip it.
 */
export const SLOT_RECORD_KINDS = ['place', 'member', 'checkin', 'done', 'confirm', 'noshow', 'located', 'remind_day', 'remind_hour'] as const;
export type SlotRecordKind = (typeof SLOT_RECORD_KINDS)[number];

export interface SlotRecord {
  id: string;
  kind: SlotRecordKind;
  slotId: string;
  teamId: string;
  telegramId: number;
  name: string;
  at: Date;
  /** place and member: which place. */
  place?: number;
  /** confirm: minutes counted. */
  minutes?: number;
  /** confirm and noshow: who recorded it (the lead, a worker, or the scheduler). */
  by?: string;
  /** located: where the member said they are. */
  latitude?: number;
  longitude?: number;
}

/** A member's standing at one slot, from its records. */
export type SignupStatus = 'signed_up' | 'checked_in' | 'done' | 'confirmed' | 'no_show';

export interface SlotView {
  slot: Slot;
  signups: Array<{ telegramId: number; name: string; place: number; status: SignupStatus }>;
  /** Places still free. */
  free: number;
}

export const recordId = (slotId: string, kind: SlotRecordKind, key: number) => `${slotId}:${kind}:${key}`;
