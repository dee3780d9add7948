import { createHash } from 'node:crypto';
import { Language } from './community';
import { Actor, DonorRef } from './wish/types';

export const DONOR_TYPES = ['business', 'party_member', 'individual', 'volunteer_team'] as const;
export type DonorType = (typeof DONOR_TYPES)[number];

/** Someone the bot has met on Telegram. One record per Telegram user. */
export interface Person {
  telegramId: number;
  /** Their Telegram name, as last seen. */
  name: string;
  username?: string;
  /** Chosen with /language; else from Telegram's language_code. */
  language?: Language;
  /** Telegram's language_code, as last seen. */
  telegramLanguage?: string;
  /** Set when they opened a private chat with the bot: only then may it message them. */
  startedAt?: Date;
  /** Set when a private message failed with 403 (blocked); cleared when they write again. */
  blockedAt?: Date;
  /** Communities they serve as a worker. */
  workerOf: string[];
  /** Wishes they are the linked resident of. */
  residentOf: string[];
  /** `thanked`: may be named in the monthly thanks (asked in /profile; absent: not named). */
  donor?: { type: DonorType; displayName: string; anonymous: boolean; thanked?: boolean };
  createdAt: Date;
  updatedAt: Date;
}

export interface PersonStore {
  get(telegramId: number): Promise<Person | null>;
  /** Records the latest name/username/language_code, creating the person on first sight. */
  seen(p: { telegramId: number; name: string; username?: string; telegramLanguage?: string }, at: Date, opts?: { started?: boolean }): Promise<Person>;
  setLanguage(telegramId: number, language: Language, at: Date): Promise<void>;
  setDonorProfile(telegramId: number, profile: NonNullable<Person['donor']>, at: Date): Promise<void>;
  addWorkerCommunities(telegramId: number, communityIds: string[], at: Date): Promise<void>;
  addResidentWish(telegramId: number, wishId: string, at: Date): Promise<void>;
  markBlocked(telegramId: number, at: Date): Promise<void>;
  /** The linked residents of a wish. */
  residentsOf(wishId: string): Promise<Person[]>;
  /** The workers of a community. */
  workersOf(communityId: string): Promise<Person[]>;
  many(telegramIds: number[]): Promise<Person[]>;
}

export type SeenPerson = Parameters<PersonStore['seen']>[0];

/**
 * The person as `PersonStore.seen` would leave them, without writing: a button press acts on this and
 * records the sighting after its answer.
 */
export function personAsSeen(stored: Person | null, seen: SeenPerson, at: Date): Person {
  const base: Person = stored ?? { telegramId: seen.telegramId, name: seen.name, workerOf: [], residentOf: [], createdAt: at, updatedAt: at };
  return {
    ...base,
    name: seen.name,
    ...(seen.username ? { username: seen.username } : {}),
    ...(seen.telegramLanguage ? { telegramLanguage: seen.telegramLanguage } : {}),
    updatedAt: at,
  };
}

export const DONOR_PREFIX = 'tg:';

/** A Telegram user's id as a donor (and as an actor): `tg:<telegram id>`. */
export function donorIdOf(telegramId: number): string {
  return `${DONOR_PREFIX}${telegramId}`;
}

/** The Telegram user behind a donor id, when there is one. */
export function telegramIdOfDonor(donorId: string): number | undefined {
  if (!donorId.startsWith(DONOR_PREFIX)) return undefined;
  const n = Number(donorId.slice(DONOR_PREFIX.length));
  return Number.isSafeInteger(n) ? n : undefined;
}

export function languageOf(person: Pick<Person, 'language' | 'telegramLanguage'> | null | undefined, fallback: Language): Language {
  if (person?.language) return person.language;
  const code = person?.telegramLanguage?.toLowerCase();
  if (code?.startsWith('zh')) return 'zh';
  if (code?.startsWith('en')) return 'en';
  return fallback;
}

export function canMessage(person: Person | null | undefined): boolean {
  return !!person?.startedAt && !person.blockedAt;
}

/**
 * What a Telegram user may do: admins by configuration, workers by invitation, residents by link;
 * everyone else acts as a donor for themselves.
 */
export function actorFor(person: Pick<Person, 'telegramId' | 'name' | 'workerOf' | 'residentOf'>, adminIds: readonly number[]): Actor {
  const who = { id: donorIdOf(person.telegramId), name: person.name, telegramId: person.telegramId };
  if (adminIds.includes(person.telegramId)) return { kind: 'admin', ...who };
  if (person.workerOf.length > 0) return { kind: 'worker', ...who, communityIds: person.workerOf };
  if (person.residentOf.length > 0) return { kind: 'resident', ...who, wishIds: person.residentOf };
  return { kind: 'donor', ...who };
}

/** A resident acting on the wishes they are linked to, whatever other role they hold. */
export function residentActor(person: Pick<Person, 'telegramId' | 'name' | 'residentOf'>): Actor {
  return { kind: 'resident', id: donorIdOf(person.telegramId), name: person.name, telegramId: person.telegramId, wishIds: person.residentOf };
}

/** A donor acting for themselves, whatever other role they hold. */
export function donorActor(person: Pick<Person, 'telegramId' | 'name'>): Actor {
  return { kind: 'donor', id: donorIdOf(person.telegramId), name: person.name, telegramId: person.telegramId };
}

/** How a person appears on what they pledge: their chosen display name, or their Telegram name. */
export function donorRefOf(person: Pick<Person, 'telegramId' | 'name' | 'donor'>): DonorRef {
  return { donorId: donorIdOf(person.telegramId), displayName: person.donor?.displayName ?? person.name, anonymous: person.donor?.anonymous ?? false };
}

/**
 * A donor's id as shown to those who may not see Telegram ids (auditors): stable, so a donor's pledges
 * can still be followed across wishes, but not reversible to the Telegram account.
 */
export function publicDonorId(donorId: string): string {
  return `d-${createHash('sha256').update(`donor:${donorId}`).digest('base64url').slice(0, 16)}`;
}

/** The staff actor a Telegram user is, if any: an admin (by configuration) or a worker of some community. */
export function staffActorOf(person: Pick<Person, 'telegramId' | 'name' | 'workerOf' | 'residentOf'> | null, telegramId: number, adminIds: readonly number[]): Actor | undefined {
  const known = person ?? { telegramId, name: `Telegram user ${telegramId}`, workerOf: [], residentOf: [] };
  const actor = actorFor(known, adminIds);
  return actor.kind === 'admin' || actor.kind === 'worker' ? actor : undefined;
}
