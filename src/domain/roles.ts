import { NotFoundError } from './errors';
import { Actor } from './wish/types';

// Who may do what, written once: the bot, the API and the console all ask here.

/** Staff of any community: an admin, or a worker. Auditors read; they are not staff. */
export function isStaff(actor: Actor): boolean {
  return actor.kind === 'admin' || actor.kind === 'worker';
}

/** Staff of this community: an admin, or one of its workers. */
export function isStaffFor(actor: Actor, communityId: string): boolean {
  return actor.kind === 'admin' || (actor.kind === 'worker' && (actor.communityIds ?? []).includes(communityId));
}

/** May read this community's wishes, donors and history: its staff, or an auditor of it. */
export function canSee(actor: Actor, communityId: string): boolean {
  return isStaffFor(actor, communityId) || (actor.kind === 'auditor' && (actor.communityIds ?? []).includes(communityId));
}

/** The communities an actor may read: undefined for all (an admin). */
export function visibleCommunities(actor: Actor): string[] | undefined {
  if (actor.kind === 'admin') return undefined;
  return actor.kind === 'worker' || actor.kind === 'auditor' ? (actor.communityIds ?? []) : [];
}

/**
 * The communities a list may cover for this actor: the one asked for, if they may read it (else
 * `community_not_found`, as if it did not exist), or all they may read (undefined: every one).
 */
export function communitiesToRead(actor: Actor, asked: string | undefined): string[] | undefined {
  if (asked && !canSee(actor, asked)) throw new NotFoundError('community_not_found', `No community ${asked}`);
  return asked ? [asked] : visibleCommunities(actor);
}

/** What a route or a page asks of a token: `read` any staff or auditor, `write` staff, `admin` an admin. */
export type Access = 'read' | 'write' | 'admin';

export function mayUse(actor: Actor, access: Access): boolean {
  if (access === 'admin') return actor.kind === 'admin';
  if (access === 'write') return isStaff(actor);
  return isStaff(actor) || actor.kind === 'auditor';
}

/**
 * May see what is private about the people behind a wish (the beneficiary's name, contact and notes,
 * donors' Telegram ids, an anonymous donor's name): staff only, never an auditor.
 */
export function seesPrivateDetails(actor: Actor): boolean {
  return isStaff(actor);
}

/** The resident a worker linked to this wish. */
export function isLinkedResident(actor: Actor, wishId: string): boolean {
  return actor.kind === 'resident' && (actor.wishIds ?? []).includes(wishId);
}
