import { Language } from './community';
import { ForbiddenError } from './errors';

/** A Telegram group the bot is in. */
export interface Group {
  chatId: number;
  title: string;
  communityId?: string;
  language?: Language;
  /** False once the bot was removed. */
  active: boolean;
  linkedBy?: number;
  linkedAt?: Date;
  updatedAt: Date;
}

export interface GroupStore {
  get(chatId: number): Promise<Group | null>;
  /** Records that the bot is (or is no longer) in the group. */
  setPresence(chatId: number, title: string, active: boolean, at: Date): Promise<void>;
  link(chatId: number, title: string, communityId: string, by: number, at: Date): Promise<void>;
  setLanguage(chatId: number, language: Language, at: Date): Promise<void>;
  /** Active groups linked to a community. */
  ofCommunity(communityId: string): Promise<Group[]>;
  linked(): Promise<Group[]>;
}

/** A person's status in a Telegram group, as Telegram's getChatMember tells it. */
export type TelegramMemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';

/** What is known about the person asking to link or configure a group. */
export interface GroupActorFacts {
  /** One of the service's admins (ADMIN_TELEGRAM_IDS). */
  isAdmin: boolean;
  /** The communities they are a worker of. */
  workerOf: readonly string[];
  /** Their status in this Telegram group; undefined when Telegram could not tell. */
  telegramStatus?: TelegramMemberStatus;
}

/** The group's Telegram administrators: its creator and the administrators the creator appointed. */
export function isTelegramGroupAdmin(status: TelegramMemberStatus | undefined): boolean {
  return status === 'creator' || status === 'administrator';
}

/**
 * May this person attach the group to this community (or move it there)? An admin always may. A
 * worker may only for a community they serve, only in a group they administer on Telegram, and
 * never take a group already linked to another community. Undefined when allowed, else the refusal.
 */
export function linkRefusal(facts: GroupActorFacts, communityId: string, linkedTo: string | undefined): ForbiddenError | undefined {
  if (facts.isAdmin) return undefined;
  if (!facts.workerOf.includes(communityId)) return new ForbiddenError('forbidden', 'Only an admin or a worker of the community may link a group to it');
  if (linkedTo !== undefined && linkedTo !== communityId) {
    return new ForbiddenError('group_linked_elsewhere', 'This group is linked to another community; only an admin may move it');
  }
  if (!isTelegramGroupAdmin(facts.telegramStatus)) return new ForbiddenError('not_group_admin', "Only the group's Telegram administrators may link it");
  return undefined;
}

/**
 * May this person change the group's settings (its language)? An admin, the group's Telegram
 * administrators, or the workers of the community it is linked to.
 */
export function configureRefusal(facts: GroupActorFacts, linkedTo: string | undefined): ForbiddenError | undefined {
  if (facts.isAdmin || isTelegramGroupAdmin(facts.telegramStatus)) return undefined;
  if (linkedTo !== undefined && facts.workerOf.includes(linkedTo)) return undefined;
  return new ForbiddenError('not_group_admin', "Only the group's administrators or its community's workers may change its settings");
}
