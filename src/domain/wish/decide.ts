import { ConflictError, DomainError, FieldIssue, ForbiddenError, InvalidError, NotFoundError } from '../errors';
import { charCount, tidyReason, tidyText } from '../input';
import { donorIdOf } from '../people';
import { isLinkedResident, isStaffFor } from '../roles';
import { consentRefusal, decideAskConsent, decideConsent, decideEraseResident, decideLinkResident } from './consent';
import { checkAlias, checkDeadline, checkDescription, checkTitle, issue } from './rules';
import { Actor, Pledge, URGENCIES, WishChanges, WishCommand, WishEventBody, WishState } from './types';
import { coversAndConfirmed, livePledgeOf, remainingAmount } from './views';

/**
 * What a command comes to: one event, a refusal, or nothing at all because what it asks for is
 * already so (Delivered pressed twice, a second confirmation). The caller answers a repeat as done.
 */
export type Decision = { ok: true; event: WishEventBody } | { ok: true; event: null } | { ok: false; error: DomainError };

export interface DecideContext {
  actor: Actor;
  now: Date;
}

const accept = (event: WishEventBody): Decision => ({ ok: true, event });
const alreadyDone: Decision = { ok: true, event: null };
const refuse = (error: DomainError): Decision => ({ ok: false, error });

function forbidden(what: string): Decision {
  return refuse(new ForbiddenError('forbidden', `You may not ${what}`));
}

function closed(state: WishState): Decision {
  return refuse(new ConflictError('wish_closed', `${state.code} is ${state.lifecycle}`, { status: state.status }));
}

/** Why a wish takes no new pledges right now, if it doesn't. */
function closedReason(state: WishState, now: Date): DomainError | undefined {
  if (state.lifecycle === 'draft') return new ConflictError('not_published', `${state.code} is not published yet`);
  if (state.lifecycle !== 'published') return new ConflictError('wish_closed', `${state.code} is ${state.lifecycle}`, { status: state.status });
  if (now.getTime() >= state.deadline.getTime()) return new ConflictError('wish_closed', `${state.code} is past its deadline`, { status: 'expired' });
  return undefined;
}

function findPledge(state: WishState, pledgeId: string): Pledge | DomainError {
  return state.pledges.find((p) => p.id === pledgeId) ?? new NotFoundError('pledge_not_found', `No pledge ${pledgeId} on ${state.code}`);
}

const pledgeClosed = (pledge: Pledge) =>
  refuse(new ConflictError('pledge_closed', `This pledge was ${pledge.status}`, { pledgeStatus: pledge.status }));
const pledgeDelivered = (pledge: Pledge) =>
  refuse(new ConflictError('pledge_delivered', `This pledge is already ${pledge.status}`, { pledgeStatus: pledge.status }));

function mayActOnPledge(actor: Actor, state: WishState, pledge: Pledge): boolean {
  return (actor.kind === 'donor' && actor.id === pledge.donorId) || isStaffFor(actor, state.communityId);
}

/** The pledge is the actor's own: made under their id, or under their Telegram account (a worker's API token). */
/** Theirs as the donor, or recorded by them on someone's behalf: either way not theirs to vouch for. */
function isOwnPledge(actor: Actor, pledge: Pledge): boolean {
  return pledge.donorId === actor.id || pledge.pledgedBy === actor.id || (actor.telegramId !== undefined && pledge.donorId === donorIdOf(actor.telegramId));
}

function mayPledgeAs(actor: Actor, state: WishState, donorId: string): boolean {
  return (actor.kind === 'donor' && actor.id === donorId) || isStaffFor(actor, state.communityId);
}

/** The changes that really change something, checked by the same rules as a new wish; null when nothing changes. */
function checkedChanges(state: WishState, changes: WishChanges, now: Date): WishChanges | InvalidError | null {
  const issues: FieldIssue[] = [];
  const out: WishChanges = {};
  const keep = <K extends keyof WishChanges>(key: K, checked: { ok: true; value: WishChanges[K] } | { ok: false; issue: FieldIssue }, current: unknown) => {
    if (!checked.ok) issues.push(checked.issue);
    else if (checked.value instanceof Date ? checked.value.getTime() !== (current as Date).getTime() : checked.value !== current) out[key] = checked.value;
  };
  if (changes.title !== undefined) keep('title', checkTitle(changes.title), state.title);
  if (changes.description !== undefined) keep('description', checkDescription(changes.description), state.description);
  if (changes.deadline !== undefined) keep('deadline', checkDeadline(changes.deadline, now), state.deadline);
  if (changes.alias !== undefined) keep('alias', checkAlias(changes.alias, state.beneficiary, 'beneficiary.alias'), state.beneficiary.alias);
  if (changes.urgency !== undefined) {
    const valid = (URGENCIES as readonly string[]).includes(changes.urgency);
    keep('urgency', valid ? { ok: true, value: changes.urgency } : { ok: false, issue: issue('urgency', 'not_a_choice', { choices: URGENCIES.join(', ') }) }, state.urgency);
  }
  if (issues.length > 0) return InvalidError.fields(issues);
  return Object.keys(out).length > 0 ? out : null;
}

/** The longest message relayed through the bot, in characters. */
export const MESSAGE_MAX = 1000;

/**
 * A message relayed between a resident or donor and the worker. The resident writes about a wish they
 * are linked to while it is live, a donor about their own pledge still in hand; staff of the wish's
 * community answer one of them. A message with a key already recorded is a redelivery: done.
 */
function decideMessage(state: WishState, command: Extract<WishCommand, { type: 'message' }>, actor: Actor): Decision {
  const { from } = command;
  const pledge = command.pledgeId !== undefined ? state.pledges.find((p) => p.id === command.pledgeId) : undefined;
  if (from === 'resident' && !isLinkedResident(actor, state.id)) return forbidden('write as the resident of this wish');
  if (from === 'donor' && !(pledge && actor.kind !== 'system' && pledge.donorId === actor.id)) return forbidden('write about this pledge');
  if (from === 'worker') {
    if (!isStaffFor(actor, state.communityId)) return forbidden('answer for this community');
    if (!command.to || (command.to.kind === 'donor' && !state.pledges.some((p) => p.donorId === command.to!.id))) {
      return refuse(InvalidError.fields([issue('to', 'required')]));
    }
  }
  if ((state.messageKeys ?? []).includes(command.key)) return alreadyDone;
  const text = tidyText(command.text, { multiline: true });
  if (charCount(text) === 0) return refuse(InvalidError.fields([issue('text', 'required')]));
  if (charCount(text) > MESSAGE_MAX) return refuse(InvalidError.fields([issue('text', 'too_long', { max: MESSAGE_MAX })]));
  // A resident may write about their draft (what to change before it is shown); donors never see one.
  if (state.lifecycle === 'draft' && from !== 'resident' && !(from === 'worker' && command.to?.kind === 'resident')) return closed(state);
  // Residents and donors write while there is something to arrange; an answer may come after.
  if (from === 'resident' && state.lifecycle !== 'published' && state.lifecycle !== 'draft') return closed(state);
  if (from === 'donor' && pledge!.status !== 'active' && pledge!.status !== 'delivered') return pledgeClosed(pledge!);
  return accept({
    type: 'message',
    from,
    text,
    key: command.key,
    ...(from === 'donor' ? { pledgeId: pledge!.id } : {}),
    ...(from === 'worker' ? { to: { kind: command.to!.kind, id: command.to!.id } } : {}),
    ...(from === 'worker' && command.fromName ? { fromName: command.fromName.slice(0, 64) } : {}),
  });
}

/**
 * The rules of a wish. Given the current state and a command, returns the one event that
 * records what happens, nothing when it has already happened, or a typed refusal. Pure: no I/O,
 * no clock of its own. Permission is checked before anything is revealed about the state.
 */
export function decide(state: WishState, command: WishCommand, ctx: DecideContext): Decision {
  const { actor, now } = ctx;
  switch (command.type) {
    case 'publish': {
      // The bot publishes on the resident's own "Publish as shown".
      if (!isStaffFor(actor, state.communityId) && actor.kind !== 'system') return forbidden('publish this wish');
      if (state.lifecycle === 'published') return alreadyDone;
      if (state.lifecycle !== 'draft') return closed(state);
      if (now.getTime() >= state.deadline.getTime()) return refuse(new InvalidError('deadline_passed', `The deadline of ${state.code} has passed`));
      const waiting = consentRefusal(state);
      if (waiting) return refuse(waiting);
      return accept({ type: 'published' });
    }

    case 'claim':
    case 'pledge': {
      const isCash = state.category === 'cash';
      if (command.type === 'claim' && isCash) return refuse(new InvalidError('use_pledge', `${state.code} is a cash wish: pledge an amount instead`));
      if (command.type === 'pledge' && !isCash) return refuse(new InvalidError('use_claim', `${state.code} is a ${state.category} wish: claim it instead`));
      if (command.type === 'pledge' && (!Number.isInteger(command.amount) || command.amount <= 0)) {
        return refuse(InvalidError.fields([issue('amount', 'not_whole')]));
      }
      if (!mayPledgeAs(actor, state, command.donor.donorId)) return forbidden(`${command.type} for someone else`);
      const own = livePledgeOf(state, command.donor.donorId);
      if (own) {
        // The same press again (a double tap, a redelivered update) is done; a different amount is not.
        if (command.type === 'claim' || own.amount === command.amount) return alreadyDone;
        return refuse(new ConflictError('already_pledged', `You already pledged ${own.amount} to ${state.code}`, { amount: own.amount }));
      }
      const shut = closedReason(state, now);
      if (shut) return refuse(shut);
      const remaining = remainingAmount(state);
      if (command.type === 'claim') {
        if (remaining <= 0) return refuse(new ConflictError('already_taken', `${state.code} is already taken`));
      } else {
        if (remaining <= 0) return refuse(new ConflictError('target_reached', `${state.code} has reached its target`));
        if (command.amount > remaining) return refuse(new ConflictError('exceeds_remaining', `Only ${remaining} is still needed for ${state.code}`, { remaining }));
      }
      return accept({
        type: 'pledged',
        donorId: command.donor.donorId,
        displayName: command.donor.displayName,
        anonymous: command.donor.anonymous ?? false,
        amount: command.type === 'claim' ? state.target : command.amount,
      });
    }

    case 'deliver': {
      const pledge = findPledge(state, command.pledgeId);
      if (pledge instanceof DomainError) return refuse(pledge);
      if (!mayActOnPledge(actor, state, pledge)) return forbidden("mark someone else's pledge delivered");
      if (pledge.status === 'delivered' || pledge.status === 'confirmed') return alreadyDone;
      if (pledge.status !== 'active') return pledgeClosed(pledge);
      if (state.lifecycle !== 'published') return closed(state);
      return accept({ type: 'delivered', pledgeId: pledge.id });
    }

    case 'withdraw': {
      const pledge = findPledge(state, command.pledgeId);
      if (pledge instanceof DomainError) return refuse(pledge);
      if (!mayActOnPledge(actor, state, pledge)) return forbidden("withdraw someone else's pledge");
      if (pledge.status === 'withdrawn') return alreadyDone;
      if (pledge.status === 'released') return pledgeClosed(pledge);
      if (pledge.status !== 'active') return pledgeDelivered(pledge);
      if (state.lifecycle !== 'published') return closed(state);
      return accept({ type: 'withdrawn', pledgeId: pledge.id, reason: tidyReason(command.reason) });
    }

    case 'release': {
      if (actor.kind !== 'system' && actor.kind !== 'admin') return forbidden('release pledges');
      const pledge = findPledge(state, command.pledgeId);
      if (pledge instanceof DomainError) return refuse(pledge);
      if (pledge.status === 'released') return alreadyDone;
      if (pledge.status === 'withdrawn') return pledgeClosed(pledge);
      if (pledge.status !== 'active') return pledgeDelivered(pledge);
      if (state.lifecycle !== 'published') return closed(state);
      return accept({ type: 'released', pledgeId: pledge.id, reason: command.reason });
    }

    case 'confirm': {
      const pledge = findPledge(state, command.pledgeId);
      if (pledge instanceof DomainError) return refuse(pledge);
      const staff = isStaffFor(actor, state.communityId);
      if (!staff && !isLinkedResident(actor, state.id)) return forbidden('confirm receipt');
      if (command.handedOver && !staff) return forbidden('record a hand-over');
      // Nobody vouches for their own pledge: the resident or another worker confirms it.
      if (isOwnPledge(actor, pledge)) {
        return refuse(new ForbiddenError('own_pledge', 'You made this pledge yourself: the resident or another worker confirms it'));
      }
      if (pledge.status === 'confirmed') return alreadyDone;
      if (pledge.status === 'withdrawn' || pledge.status === 'released') return pledgeClosed(pledge);
      // A delivery made before the deadline stays confirmable after the wish expired.
      const open = state.lifecycle === 'published' || (state.lifecycle === 'expired' && pledge.status === 'delivered');
      if (!open) return closed(state);
      // A receipt follows a delivery: marked by the donor, or seen handed over by staff.
      const handedOver = pledge.status === 'active' && command.handedOver === true;
      if (pledge.status === 'active' && !handedOver) {
        return refuse(new ConflictError('not_delivered', `This pledge to ${state.code} has not been marked delivered yet`));
      }
      const after = state.pledges.map((p) => (p.id === pledge.id ? { ...p, status: 'confirmed' as const } : p));
      return accept({ type: 'confirmed', pledgeId: pledge.id, fulfils: coversAndConfirmed(after, state.target), ...(handedOver ? { handedOver: true } : {}) });
    }

    case 'edit': {
      if (!isStaffFor(actor, state.communityId)) return forbidden('edit this wish');
      if (state.lifecycle !== 'draft' && state.lifecycle !== 'published') return closed(state);
      const changes = checkedChanges(state, command.changes, now);
      if (changes instanceof InvalidError) return refuse(changes);
      return changes ? accept({ type: 'edited', changes }) : alreadyDone;
    }

    case 'cancel': {
      if (!isStaffFor(actor, state.communityId)) return forbidden('cancel this wish');
      if (state.lifecycle === 'cancelled') return alreadyDone;
      if (state.lifecycle !== 'draft' && state.lifecycle !== 'published') return closed(state);
      return accept({ type: 'cancelled', reason: tidyReason(command.reason) });
    }

    case 'expire': {
      if (actor.kind !== 'system' && actor.kind !== 'admin') return forbidden('expire wishes');
      if (state.lifecycle === 'expired') return alreadyDone;
      if (state.lifecycle !== 'published') return closed(state);
      if (now.getTime() < state.deadline.getTime()) return refuse(new ConflictError('not_due', `${state.code} is not past its deadline`));
      return accept({ type: 'expired' });
    }

    case 'message':
      return decideMessage(state, command, actor);

    case 'link_resident':
      return decideLinkResident(state, command, actor);
    case 'ask_consent':
      return decideAskConsent(state, command, actor);
    case 'consent':
      return decideConsent(state, command, actor);
    case 'erase_resident':
      return decideEraseResident(state, command, actor);
  }
}
