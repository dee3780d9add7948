import { Clock } from '../clock';
import { ConflictError, DomainError, ForbiddenError, InvalidError, NotFoundError } from '../errors';
import { donorIdOf } from '../people';
import { isStaffFor } from '../roles';
import { issue } from '../wish/rules';
import { WishService } from '../wish/service';
import { Actor, WishState } from '../wish/types';
import { remainingAmount } from '../wish/views';
import { Resource } from './types';

// Quiet invitations: the worker picks a few suggestions; each gets the card privately with Can /
// Can't / Not now. The first Can takes the wish under the same rule as a group claim (the wish's own
// unique insert decides); Can't and Not now are recorded and stop further asks for that wish.

export const INVITATION_ANSWERS = ['can', 'cant', 'not_now'] as const;
export type InvitationAnswer = (typeof INVITATION_ANSWERS)[number];

export interface Invitation {
  /** `<wishId>:<resourceId>`: asking the same resource twice about a wish is one invitation. */
  id: string;
  wishId: string;
  resourceId: string;
  communityId: string;
  telegramId: number;
  askedBy: string;
  askedAt: Date;
}

export interface InvitationReply {
  /** The invitation's id: one answer each, the first. */
  id: string;
  wishId: string;
  resourceId: string;
  answer: InvitationAnswer;
  /** For Can: whether it took the wish or someone was first. */
  outcome?: 'took' | 'taken';
  at: Date;
}

export interface InvitationStore {
  /** Unique insert: 'exists' when this resource was already asked about this wish. */
  insert(invitation: Invitation): Promise<'ok' | 'exists'>;
  get(id: string): Promise<Invitation | null>;
  /** Unique insert of the answer: 'exists' when it already answered. */
  answer(reply: InvitationReply): Promise<'ok' | 'exists'>;
  reply(id: string): Promise<InvitationReply | null>;
  /** A wish's invitations and their answers, oldest first. */
  ofWish(wishId: string): Promise<Array<Invitation & { reply?: InvitationReply }>>;
  /** Every invitation of these resources with its answer: when each was last asked, and what it declined. */
  ofResources(resourceIds: string[]): Promise<Array<Invitation & { reply?: InvitationReply }>>;
}

export interface InvitationDeps {
  store: InvitationStore;
  wishes: Pick<WishService, 'get' | 'execute'>;
  directory: { get(id: string): Promise<Resource | null> };
  clock: Clock;
  /** Sends the invitation and tells the worker the answer (through the outbox); its failure is the caller's to log. */
  notify?: {
    invited(wish: WishState, invitation: Invitation, resource: Resource): Promise<void>;
    answered(wish: WishState, reply: InvitationReply, resource: Resource): Promise<void>;
  };
}

export const invitationId = (wishId: string, resourceId: string) => `${wishId}:${resourceId}`;
/** How many resources one request may ask at once: a few, quietly. */
export const MAX_INVITED_AT_ONCE = 10;

/** Why a resource cannot be asked about this wish, if it cannot. */
function notAskable(resource: Resource | null, wish: WishState): string | undefined {
  if (!resource || resource.communityId !== wish.communityId) return 'not_found';
  if (resource.state !== 'approved') return 'not_approved';
  if (resource.telegramId === undefined) return 'no_telegram';
  return undefined;
}

export type InvitationService = ReturnType<typeof createInvitationService>;

export function createInvitationService(deps: InvitationDeps) {
  const { store, wishes, clock } = deps;

  /**
   * Asks these resources about a published wish. Returns whom to message (new invitations) and whom
   * not and why (already asked, declined, not approved, no Telegram): the caller sends the messages.
   */
  async function invite(wishId: string, resourceIds: string[], actor: Actor) {
    const wish = await wishes.get(wishId);
    if (!isStaffFor(actor, wish.communityId)) throw new NotFoundError('wish_not_found', `No wish ${wishId}`);
    if (resourceIds.length === 0) throw InvalidError.fields([issue('resourceIds', 'required')]);
    if (resourceIds.length > MAX_INVITED_AT_ONCE) throw InvalidError.fields([issue('resourceIds', 'too_long', { max: MAX_INVITED_AT_ONCE })]);
    if (wish.lifecycle !== 'published') throw new ConflictError(wish.lifecycle === 'draft' ? 'not_published' : 'wish_closed', `${wish.code} is ${wish.lifecycle}`);
    if (remainingAmount(wish) <= 0) throw new ConflictError('already_taken', `${wish.code} is already taken`);
    const invited: Array<{ invitation: Invitation; resource: Resource }> = [];
    const skipped: Array<{ resourceId: string; reason: string }> = [];
    for (const resourceId of [...new Set(resourceIds)]) {
      const resource = await deps.directory.get(resourceId);
      const why = notAskable(resource, wish);
      if (why) {
        skipped.push({ resourceId, reason: why });
        continue;
      }
      const invitation: Invitation = { id: invitationId(wish.id, resourceId), wishId: wish.id, resourceId, communityId: wish.communityId, telegramId: resource!.telegramId!, askedBy: actor.id, askedAt: clock() };
      if ((await store.insert(invitation)) === 'exists') skipped.push({ resourceId, reason: 'already_asked' });
      else invited.push({ invitation, resource: resource! });
    }
    for (const { invitation, resource } of invited) await deps.notify?.invited(wish, invitation, resource);
    return { wish, invited, skipped };
  }

  /**
   * The invited resource's answer. Can: it claims the wish (or pledges what is still needed) as itself,
   * decided by the wish's unique insert; someone first means 'taken', and it is thanked. Can't and Not
   * now stop further asks. Answering twice keeps the first answer.
   */
  async function answer(wishId: string, resourceId: string, telegramId: number, reply: InvitationAnswer): Promise<{ reply: InvitationReply; repeat: boolean; wish: WishState; resource: Resource }> {
    const id = invitationId(wishId, resourceId);
    const invitation = await store.get(id);
    if (!invitation || invitation.telegramId !== telegramId) throw new ForbiddenError('forbidden', 'This invitation is not yours');
    const resource = await deps.directory.get(resourceId);
    if (!resource) throw new NotFoundError('wish_not_found', `No wish ${wishId}`);
    const earlier = await store.reply(id);
    if (earlier) return { reply: earlier, repeat: true, wish: await wishes.get(wishId), resource };
    let outcome: InvitationReply['outcome'];
    let wish = await wishes.get(wishId);
    if (reply === 'can') {
      const donor = { donorId: donorIdOf(telegramId), displayName: resource.name, anonymous: false };
      const actor: Actor = { kind: 'donor', id: donor.donorId, name: resource.name, telegramId };
      try {
        const command = wish.category === 'cash' ? { type: 'pledge' as const, donor, amount: remainingAmount(wish) } : { type: 'claim' as const, donor };
        wish = (await wishes.execute(wishId, command, actor)).state;
        outcome = 'took';
      } catch (err) {
        // Someone was first (a group press, another invited resource): thanked, and told.
        if (err instanceof DomainError && ['already_taken', 'target_reached', 'exceeds_remaining', 'wish_closed', 'use_pledge'].includes(err.code)) outcome = 'taken';
        else throw err;
        wish = await wishes.get(wishId);
      }
    }
    const record: InvitationReply = { id, wishId, resourceId, answer: reply, ...(outcome ? { outcome } : {}), at: clock() };
    if ((await store.answer(record)) === 'exists') return { reply: (await store.reply(id)) ?? record, repeat: true, wish, resource };
    await deps.notify?.answered(wish, record, resource);
    return { reply: record, repeat: false, wish, resource };
  }

  return { invite, answer, ofWish: store.ofWish, ofResources: store.ofResources };
}
