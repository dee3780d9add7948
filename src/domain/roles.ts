import { Actor } from './wish/types';

// Who may do what, written once: the bot, the API and the console all ask here.

/** Staff of any community: an admin, or a worker. */
export function isStaff(actor: Actor): boolean {
  return actor.kind === 'admin' || actor.kind === 'worker';
}

/** Staff of this community: an admin, or one of its workers. */
export function isStaffFor(actor: Actor, communityId: string): boolean {
  return actor.kind === 'admin' || (actor.kind === 'worker' && (actor.communityIds ?? []).includes(communityId));
}

/** The resident a worker linked to this wish. */
export function isLinkedResident(actor: Actor, wishId: string): boolean {
  return actor.kind === 'resident' && (actor.wishIds ?? []).includes(wishId);
}
