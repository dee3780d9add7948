import { ConflictError, DomainError, ForbiddenError, InvalidError, NotFoundError } from '../errors';
import { remainingAmount } from './evolve';
import { Actor, Pledge, WishCommand, WishEventBody, WishState } from './types';

export type Decision = { ok: true; event: WishEventBody } | { ok: false; error: DomainError };

export interface DecideContext {
  actor: Actor;
  now: Date;
}

const accept = (event: WishEventBody): Decision => ({ ok: true, event });
const refuse = (error: DomainError): Decision => ({ ok: false, error });

export function isStaffFor(actor: Actor, communityId: string): boolean {
  return actor.kind === 'admin' || (actor.kind === 'worker' && (actor.communityIds ?? []).includes(communityId));
}

function isLinkedResident(actor: Actor, wishId: string): boolean {
  return actor.kind === 'resident' && (actor.wishIds ?? []).includes(wishId);
}

function forbidden(what: string): Decision {
  return refuse(new ForbiddenError('forbidden', `You may not ${what}`));
}

/** Why a wish takes no new pledges right now, if it doesn't. */
function closedReason(state: WishState, now: Date): DomainError | undefined {
  if (state.lifecycle === 'draft') return new ConflictError('not_published', `${state.code} is not published yet`);
  if (state.lifecycle !== 'published') {
    return new ConflictError('wish_closed', `${state.code} is ${state.lifecycle}`, { status: state.status });
  }
  if (now.getTime() >= state.deadline.getTime()) {
    return new ConflictError('wish_closed', `${state.code} is past its deadline`, { status: 'expired' });
  }
  return undefined;
}

function livePledgeOf(state: WishState, donorId: string): Pledge | undefined {
  return state.pledges.find((p) => p.donorId === donorId && ['active', 'delivered', 'confirmed'].includes(p.status));
}

/** A pledge that can still take a step; closed pledges and wishes refuse every step with the same words. */
function pledgeInPlay(state: WishState, pledgeId: string): { pledge: Pledge } | { error: DomainError } {
  const pledge = state.pledges.find((p) => p.id === pledgeId);
  if (!pledge) return { error: new NotFoundError('pledge_not_found', `No pledge ${pledgeId} on ${state.code}`) };
  if (state.lifecycle !== 'published') {
    return { error: new ConflictError('wish_closed', `${state.code} is ${state.lifecycle}`, { status: state.status }) };
  }
  if (pledge.status === 'withdrawn' || pledge.status === 'released') {
    return { error: new ConflictError('pledge_closed', `This pledge was ${pledge.status}`, { pledgeStatus: pledge.status }) };
  }
  return { pledge };
}

function notActive(pledge: Pledge): DomainError {
  return new ConflictError(`already_${pledge.status}`, `This pledge is already ${pledge.status}`, { pledgeStatus: pledge.status });
}

function mayActOnPledge(actor: Actor, state: WishState, pledge: Pledge): boolean {
  return (actor.kind === 'donor' && actor.id === pledge.donorId) || isStaffFor(actor, state.communityId);
}

function mayPledgeAs(actor: Actor, state: WishState, donorId: string): boolean {
  return (actor.kind === 'donor' && actor.id === donorId) || isStaffFor(actor, state.communityId);
}

/**
 * The rules of a wish. Given the current state and a command, returns the one event that
 * records what happens, or a typed refusal. Pure: no I/O, no clock of its own.
 */
export function decide(state: WishState, command: WishCommand, ctx: DecideContext): Decision {
  const { actor, now } = ctx;
  switch (command.type) {
    case 'publish': {
      if (!isStaffFor(actor, state.communityId)) return forbidden('publish this wish');
      if (state.lifecycle !== 'draft') {
        return refuse(new ConflictError('not_draft', `${state.code} is ${state.status} and can't be published`, { status: state.status }));
      }
      if (now.getTime() >= state.deadline.getTime()) {
        return refuse(new InvalidError('deadline_passed', `The deadline of ${state.code} has passed`));
      }
      return accept({ type: 'published' });
    }

    case 'claim': {
      if (state.category === 'cash') return refuse(new InvalidError('use_pledge', `${state.code} is a cash wish: pledge an amount instead`));
      if (!mayPledgeAs(actor, state, command.donor.donorId)) return forbidden('claim for someone else');
      const closed = closedReason(state, now);
      if (closed) return refuse(closed);
      if (livePledgeOf(state, command.donor.donorId)) return refuse(new ConflictError('already_pledged', `You already claimed ${state.code}`));
      if (remainingAmount(state) <= 0) return refuse(new ConflictError('already_taken', `${state.code} is already taken`));
      return accept({
        type: 'pledged',
        donorId: command.donor.donorId,
        displayName: command.donor.displayName,
        anonymous: command.donor.anonymous ?? false,
        amount: state.target,
      });
    }

    case 'pledge': {
      if (state.category !== 'cash') return refuse(new InvalidError('use_claim', `${state.code} is a ${state.category} wish: claim it instead`));
      if (!Number.isInteger(command.amount) || command.amount <= 0) {
        return refuse(InvalidError.fields([{ field: 'amount', message: 'must be a whole number above 0' }]));
      }
      if (!mayPledgeAs(actor, state, command.donor.donorId)) return forbidden('pledge for someone else');
      const closed = closedReason(state, now);
      if (closed) return refuse(closed);
      if (livePledgeOf(state, command.donor.donorId)) return refuse(new ConflictError('already_pledged', `You already pledged to ${state.code}`));
      const remaining = remainingAmount(state);
      if (remaining <= 0) return refuse(new ConflictError('target_reached', `${state.code} has reached its target`));
      if (command.amount > remaining) {
        return refuse(new ConflictError('exceeds_remaining', `Only ${remaining} is still needed for ${state.code}`, { remaining }));
      }
      return accept({
        type: 'pledged',
        donorId: command.donor.donorId,
        displayName: command.donor.displayName,
        anonymous: command.donor.anonymous ?? false,
        amount: command.amount,
      });
    }

    case 'withdraw':
    case 'deliver': {
      const found = pledgeInPlay(state, command.pledgeId);
      if ('error' in found) return refuse(found.error);
      const { pledge } = found;
      if (!mayActOnPledge(actor, state, pledge)) return forbidden(`${command.type} someone else's pledge`);
      if (pledge.status !== 'active') return refuse(notActive(pledge));
      return command.type === 'withdraw'
        ? accept({ type: 'withdrawn', pledgeId: pledge.id, reason: command.reason })
        : accept({ type: 'delivered', pledgeId: pledge.id });
    }

    case 'release': {
      if (actor.kind !== 'system' && actor.kind !== 'admin') return forbidden('release pledges');
      const found = pledgeInPlay(state, command.pledgeId);
      if ('error' in found) return refuse(found.error);
      const { pledge } = found;
      if (pledge.status !== 'active') return refuse(notActive(pledge));
      return accept({ type: 'released', pledgeId: pledge.id, reason: command.reason });
    }

    case 'confirm': {
      const found = pledgeInPlay(state, command.pledgeId);
      if ('error' in found) return refuse(found.error);
      const { pledge } = found;
      if (!isStaffFor(actor, state.communityId) && !isLinkedResident(actor, state.id)) return forbidden('confirm receipt');
      if (pledge.status === 'confirmed') return refuse(new ConflictError('already_confirmed', 'Receipt was already confirmed'));
      return accept({ type: 'confirmed', pledgeId: pledge.id });
    }

    case 'cancel': {
      if (!isStaffFor(actor, state.communityId)) return forbidden('cancel this wish');
      if (state.lifecycle !== 'draft' && state.lifecycle !== 'published') {
        return refuse(new ConflictError('wish_closed', `${state.code} is already ${state.lifecycle}`, { status: state.status }));
      }
      return accept({ type: 'cancelled', reason: command.reason });
    }

    case 'expire': {
      if (actor.kind !== 'system' && actor.kind !== 'admin') return forbidden('expire wishes');
      if (state.lifecycle !== 'published') {
        return refuse(new ConflictError('wish_closed', `${state.code} is ${state.lifecycle}`, { status: state.status }));
      }
      if (now.getTime() < state.deadline.getTime()) return refuse(new ConflictError('not_due', `${state.code} is not past its deadline`));
      return accept({ type: 'expired' });
    }
  }
}
