import { ConflictError, DomainError, ForbiddenError, InvalidError } from '../errors';
import { charCount, tidyText } from '../input';
import { isLinkedResident, isStaffFor } from '../roles';
import { issue } from './rules';
import { Actor, ConsentAnswer, CONSENT_PURPOSES, WishCommand, WishEventBody, WishState } from './types';

// The resident decides what is published. Written once here: the bot, the API, the console, the
// relay and the jobs all ask these questions.

/** The longest note a worker may write about consent heard in person. */
export const CONSENT_NOTE_MAX = 500;

type ConsentView = Pick<WishState, 'consentRequired' | 'consents' | 'residentErased' | 'lifecycle' | 'intakeId'>;

/**
 * Whether the groups may see this wish only with its resident's yes: a resident was linked to it, or
 * it came from their intake, before it was published. (A resident linked to a wish already shown
 * hears how it is shown and may stop it.)
 */
export function needsConsent(state: Pick<WishState, 'consentRequired' | 'residentErased' | 'intakeId'>): boolean {
  return state.consentRequired === true || state.intakeId !== undefined || state.residentErased === true;
}

/** The resident's answer about publishing the card, if they gave one. */
export function publishAnswer(state: Pick<WishState, 'consents'>): ConsentAnswer | undefined {
  return state.consents?.publish?.answer;
}

/** May the card be posted to, and stay in full in, the community's groups? */
export function showsInGroups(state: ConsentView): boolean {
  if (state.residentErased) return false;
  const answer = publishAnswer(state);
  if (answer === 'withdrawn' || answer === 'private') return false;
  return !needsConsent(state) || answer === 'given';
}

/**
 * A published wish the groups must not see in full: kept private (only invited donors see it), its
 * publish consent withdrawn, or its resident erased. Cards already posted show only the title and
 * progress; no new card is posted; digests leave it out.
 */
export function isRedacted(state: ConsentView): boolean {
  return state.lifecycle !== 'draft' && !showsInGroups(state);
}

/** Why the wish cannot be published yet, if it cannot. */
export function consentRefusal(state: WishState): DomainError | undefined {
  if (state.residentErased) return new ConflictError('resident_erased', `${state.code}'s resident asked to be erased; it cannot be published`);
  if (!needsConsent(state)) return undefined;
  const answer = publishAnswer(state);
  if (answer === 'given' || answer === 'private') return undefined;
  return new ConflictError('consent_needed', `${state.code} waits for its resident's consent: ask them, or record the consent they gave in person`, {
    ...(answer ? { answer } : {}),
  });
}

type Result = { ok: true; event: WishEventBody } | { ok: true; event: null } | { ok: false; error: DomainError };
const refuse = (error: DomainError): Result => ({ ok: false, error });
const accept = (event: WishEventBody): Result => ({ ok: true, event });
const alreadyDone: Result = { ok: true, event: null };

/** Ask the linked resident about the card they would be shown by: staff of the community, or the bot itself right after they link. */
export function decideAskConsent(state: WishState, command: Extract<WishCommand, { type: 'ask_consent' }>, actor: Actor): Result {
  if (!isStaffFor(actor, state.communityId) && actor.kind !== 'system') return refuse(new ForbiddenError('forbidden', 'You may not ask consent for this wish'));
  if ((state.residents ?? []).length === 0) {
    return refuse(new ConflictError('no_resident', `No resident follows ${state.code} in Telegram: link them, or record the consent they gave in person`));
  }
  if (state.lifecycle !== 'draft' && state.lifecycle !== 'published') return refuse(new ConflictError('wish_closed', `${state.code} is ${state.lifecycle}`, { status: state.status }));
  if (publishAnswer(state) === 'given' && showsInGroups(state) && state.lifecycle === 'published') return alreadyDone;
  const pending = state.consentAsked && (state.consents?.publish?.seq ?? 0) < state.consentAsked.seq;
  if (pending && state.consentAsked!.card === command.card) return alreadyDone;
  return accept({ type: 'consent_asked', card: command.card });
}

const PUBLISH_ONLY: readonly ConsentAnswer[] = ['changes', 'private'];

/**
 * A consent answer. A resident answers for themselves: about publishing, only the card they were last
 * shown (an answer to an older preview is refused, so what they agreed to is what goes out); any
 * purpose can be withdrawn at any time. A worker records what the resident said in person, with a note.
 */
export function decideConsent(state: WishState, command: Extract<WishCommand, { type: 'consent' }>, actor: Actor): Result {
  const { purpose, answer, via } = command;
  if (via === 'resident' && !isLinkedResident(actor, state.id)) return refuse(new ForbiddenError('forbidden', 'Only the resident of this wish may answer'));
  if (via === 'in_person' && !isStaffFor(actor, state.communityId)) return refuse(new ForbiddenError('forbidden', 'You may not record consent for this wish'));
  if (!(CONSENT_PURPOSES as readonly string[]).includes(purpose)) return refuse(InvalidError.fields([issue('purpose', 'not_a_choice', { choices: CONSENT_PURPOSES.join(', ') })]));
  const answers: readonly ConsentAnswer[] = purpose === 'publish' ? ['given', 'changes', 'private', 'withdrawn'] : ['given', 'withdrawn'];
  if (!answers.includes(answer) || (via === 'in_person' && answer === 'changes')) {
    return refuse(InvalidError.fields([issue('answer', 'not_a_choice', { choices: answers.filter((a) => via === 'resident' || a !== 'changes').join(', ') })]));
  }
  let note: string | undefined;
  if (via === 'in_person') {
    note = tidyText(command.note ?? '', { multiline: true });
    if (charCount(note) === 0) return refuse(InvalidError.fields([issue('note', 'required')]));
    if (charCount(note) > CONSENT_NOTE_MAX) return refuse(InvalidError.fields([issue('note', 'too_long', { max: CONSENT_NOTE_MAX })]));
  }
  if (state.residentErased) return refuse(new ConflictError('resident_erased', `${state.code}'s resident was erased`));
  const current = state.consents?.[purpose];
  // Taking back is always possible, even after the wish closed: its card stays in the groups.
  if (answer === 'withdrawn') {
    // Nothing given, nothing to take back; but a card shown before its resident was linked is theirs to stop.
    const shownWithoutAsking = purpose === 'publish' && !current && !needsConsent(state) && state.lifecycle !== 'draft';
    if (current?.answer !== 'given' && !shownWithoutAsking) return alreadyDone;
    return accept({ type: 'consent', purpose, answer, via, ...(note ? { note } : {}) });
  }
  if (state.lifecycle !== 'draft' && state.lifecycle !== 'published') return refuse(new ConflictError('wish_closed', `${state.code} is ${state.lifecycle}`, { status: state.status }));
  let card: string | undefined;
  if (purpose === 'publish' && via === 'resident') {
    const asked = state.consentAsked;
    if (!asked || command.askedSeq !== asked.seq) return refuse(new ConflictError('card_changed', `The card of ${state.code} has changed since you were shown it`));
    if (current && current.seq > asked.seq) return current.answer === answer ? alreadyDone : refuse(new ConflictError('already_answered', `You already answered about ${state.code}`, { answer: current.answer }));
    card = asked.card;
  } else if (PUBLISH_ONLY.includes(answer) && via === 'resident') {
    return refuse(InvalidError.fields([issue('answer', 'not_a_choice', { choices: 'given, withdrawn' })]));
  } else if (current?.answer === answer && via === current.via) {
    return alreadyDone;
  }
  return accept({ type: 'consent', purpose, answer, via, ...(card ? { card } : {}), ...(note ? { note } : {}) });
}

/** Link a resident who followed their link: staff, or the bot redeeming the link. Linking twice is done. */
export function decideLinkResident(state: WishState, command: Extract<WishCommand, { type: 'link_resident' }>, actor: Actor): Result {
  if (!isStaffFor(actor, state.communityId) && actor.kind !== 'system') return refuse(new ForbiddenError('forbidden', 'You may not link residents to this wish'));
  if (!/^tg:\d{1,15}$/.test(command.residentId)) return refuse(InvalidError.fields([issue('residentId', 'required')]));
  if ((state.residents ?? []).includes(command.residentId)) return alreadyDone;
  return accept({ type: 'resident_linked', residentId: command.residentId });
}

/** The resident's details go at their request, confirmed by staff; the wish stays as an anonymous record. */
export function decideEraseResident(state: WishState, command: Extract<WishCommand, { type: 'erase_resident' }>, actor: Actor): Result {
  if (!isStaffFor(actor, state.communityId) && actor.kind !== 'system') return refuse(new ForbiddenError('forbidden', 'You may not erase residents of this wish'));
  // Links made before they were recorded on the wish are known to the caller only: it vouches for them.
  if (!(state.residents ?? []).includes(command.residentId) && state.residentErased) return alreadyDone;
  return accept({ type: 'resident_erased', residentId: command.residentId });
}
