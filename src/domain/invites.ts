import { Clock } from './clock';
import { ConflictError, ForbiddenError, NotFoundError } from './errors';
import { randomCode } from './ids';
import { Actor } from './wish/types';

export type Invite =
  | { token: string; kind: 'worker'; communityIds: string[]; createdBy: string; createdAt: Date; expiresAt: Date }
  | { token: string; kind: 'resident'; wishId: string; createdBy: string; createdAt: Date; expiresAt: Date }
  /** One donor asked directly to see a wish kept out of the groups. */
  | { token: string; kind: 'donor'; wishId: string; createdBy: string; createdAt: Date; expiresAt: Date };

export interface InviteStore {
  insert(invite: Invite): Promise<void>;
  get(token: string): Promise<Invite | null>;
  /** Unique insert of the redemption: 'taken' when someone redeemed it first. */
  redeem(token: string, telegramId: number, at: Date): Promise<'ok' | 'taken'>;
}

const DAY = 24 * 60 * 60 * 1000;

export type InviteService = ReturnType<typeof createInviteService>;

/** One-time deep links: a worker's invitation, a resident's link to their wish. */
export function createInviteService(deps: { store: InviteStore; clock: Clock }) {
  const { store, clock } = deps;

  async function issue(body: { kind: 'worker'; communityIds: string[] } | { kind: 'resident' | 'donor'; wishId: string }, actor: Actor, days: number) {
    const now = clock();
    const invite = { ...body, token: randomCode(12), createdBy: actor.id, createdAt: now, expiresAt: new Date(now.getTime() + days * DAY) } as Invite;
    await store.insert(invite);
    return invite;
  }

  return {
    inviteWorker(communityIds: string[], actor: Actor) {
      if (actor.kind !== 'admin') throw new ForbiddenError('forbidden', 'Only an admin may invite workers');
      return issue({ kind: 'worker', communityIds }, actor, 14);
    },
    linkResident(wishId: string, actor: Actor) {
      if (actor.kind !== 'admin' && actor.kind !== 'worker') throw new ForbiddenError('forbidden', 'Only staff may link residents');
      return issue({ kind: 'resident', wishId }, actor, 60);
    },
    /** A one-time link that shows one donor a wish privately; the caller checks the actor is staff of its community. */
    inviteDonor(wishId: string, actor: Actor) {
      if (actor.kind !== 'admin' && actor.kind !== 'worker') throw new ForbiddenError('forbidden', 'Only staff may invite donors');
      return issue({ kind: 'donor', wishId }, actor, 14);
    },
    /** Uses the link once; a second use, by anyone, is refused. */
    async redeem(token: string, telegramId: number): Promise<Invite> {
      const invite = await store.get(token);
      if (!invite) throw new NotFoundError('invite_not_found', 'This link is not valid');
      if (invite.expiresAt.getTime() < clock().getTime()) throw new ConflictError('invite_expired', 'This link has expired');
      if ((await store.redeem(token, telegramId, clock())) === 'taken') throw new ConflictError('invite_used', 'This link was already used');
      return invite;
    },
  };
}
