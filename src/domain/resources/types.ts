import { Category } from '../wish/types';

// The community's resource directory: who can give what, where and when. Shared by the directory
// (rules, store, API, console, /offer), matching and quiet invitations.

export const RESOURCE_KINDS = ['organisation', 'business', 'person', 'team'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** proposed (offered through /offer, or added and not yet checked) -> approved -> paused <-> approved -> retired. */
export const RESOURCE_STATES = ['proposed', 'approved', 'paused', 'retired'] as const;
export type ResourceState = (typeof RESOURCE_STATES)[number];

/** Skills and services a resource can offer, besides categories of wish (goods, cash, service). */
export const SKILLS = ['haircut', 'medical', 'repairs', 'electrical', 'cleaning', 'cooking', 'shopping', 'companionship', 'tutoring', 'transport', 'legal', 'counselling'] as const;
export type Skill = (typeof SKILLS)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** What a resource offers: kinds of wish it can meet, and skills for services. */
export interface Offer {
  categories: Category[];
  skills: Skill[];
  /** In its own words ("bread every Friday", "haircuts at home"). */
  note?: string;
}

/** When it can help: some weekdays and hours, and/or a period. Absent: any time. */
export interface Availability {
  weekdays?: Weekday[];
  /** "09:00"-"17:00", local time of the service. */
  fromTime?: string;
  untilTime?: string;
  from?: Date;
  until?: Date;
}

/** How much it can give in a month: requests, and/or money in whole currency units. Absent: no limit said. */
export interface Capacity {
  requestsPerMonth?: number;
  moneyPerMonth?: number;
}

/**
 * A place in a community's area tree: district -> community -> building or street. Each community keeps
 * its own; `parentId` is absent at the top. Neighbours are siblings under the same parent.
 */
export interface Area {
  id: string;
  communityId: string;
  name: string;
  level: 'district' | 'community' | 'building';
  parentId?: string;
}

export interface Resource {
  id: string;
  communityId: string;
  kind: ResourceKind;
  name: string;
  offer: Offer;
  /** Area ids it serves (any level: a district covers everything under it). */
  areaIds: string[];
  availability?: Availability;
  capacity?: Capacity;
  /** How it prefers to be reached: private, staff only. */
  contact?: string;
  /** Its Telegram user id, when it has one (a person or a business that offered through the bot). */
  telegramId?: number;
  /** t.me link of its own chat or channel, if any. */
  telegramLink?: string;
  state: ResourceState;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
}

/**
 * What matching knows of a resource beyond its record: how it has done and when it was last asked.
 * Derived from wish events and invitations, never counted with $inc.
 */
export interface ResourceRecord {
  /** Requests it took this month, and money it pledged this month. */
  requestsThisMonth: number;
  moneyThisMonth: number;
  /** Of the wishes it took, how many were fulfilled (confirmed), and how many it took at all. */
  fulfilled: number;
  taken: number;
  lastAskedAt?: Date;
  /** Wishes it declined ("Can't" or "Not now"): never asked about them again. */
  declinedWishIds: string[];
}
