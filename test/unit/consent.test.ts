import { ConflictError, ForbiddenError, InvalidError } from '../../src/domain/errors';
import { isRedacted, needsConsent, showsInGroups } from '../../src/domain/wish/consent';
import { decide } from '../../src/domain/wish/decide';
import { evolve } from '../../src/domain/wish/evolve';
import { Actor, WishCommand, WishEvent, WishEventBody, WishState } from '../../src/domain/wish/types';

// Given a wish's events, when a consent command, then the event or the refusal: the resident decides
// what the groups see, and nothing linked to a resident is published without their yes.

const NOW = new Date('2026-11-22T09:00:00Z');
const worker: Actor = { kind: 'worker', id: 'tg:2', name: 'Wang', communityIds: ['c1'] };
const otherWorker: Actor = { kind: 'worker', id: 'tg:3', communityIds: ['c2'] };
const resident: Actor = { kind: 'resident', id: 'tg:4', wishIds: ['W-1001'] };
const stranger: Actor = { kind: 'resident', id: 'tg:5', wishIds: ['W-2002'] };
const system: Actor = { kind: 'system', id: 'consent' };

let seq = 0;
function event(body: WishEventBody, actor: Actor): WishEvent {
  seq += 1;
  return { ...body, id: `W-1001:${seq}`, wishId: 'W-1001', seq, at: NOW, actor: { kind: actor.kind, id: actor.id } } as WishEvent;
}

function draft(): WishState {
  seq = 0;
  return evolve(
    null,
    event(
      {
        type: 'created',
        wish: {
          code: 'W-1001',
          communityId: 'c1',
          title: 'Heating bill',
          description: 'Her heating was cut off',
          category: 'cash',
          target: 300,
          deadline: new Date('2026-12-12T23:59:59Z'),
          urgency: 'normal',
          beneficiary: { alias: 'elderly resident, Building 3', name: 'Mei Lin', contact: '555-0100' },
        },
      },
      worker,
    ),
  );
}

function apply(state: WishState, command: WishCommand, actor: Actor): WishState {
  const d = decide(state, command, { actor, now: NOW });
  if (!d.ok) throw d.error;
  if (!d.event) throw new Error('expected an event, got a repeat');
  return evolve(state, event(d.event, actor));
}

function outcome(state: WishState, command: WishCommand, actor: Actor): string {
  const d = decide(state, command, { actor, now: NOW });
  if (!d.ok) return `refused ${d.error.code}`;
  return d.event ? d.event.type : 'repeat';
}

function intakeDraft() {
  return {
    code: 'W-1001',
    communityId: 'c1',
    title: 'Help carrying shopping',
    description: 'Up to the fourth floor',
    category: 'service' as const,
    target: 1,
    deadline: new Date('2026-12-12T23:59:59Z'),
    urgency: 'normal' as const,
    beneficiary: { alias: 'a resident of Harbour Street' },
    intakeId: 'in_abc123',
  };
}

const linked = () => apply(draft(), { type: 'link_resident', residentId: 'tg:4' }, system);
const asked = () => apply(linked(), { type: 'ask_consent', card: '<b>W-1001 · Heating bill</b>' }, worker);
const answer = (state: WishState, a: 'given' | 'changes' | 'private'): WishCommand => ({
  type: 'consent',
  purpose: 'publish',
  answer: a,
  via: 'resident',
  askedSeq: state.consentAsked?.seq,
});

describe('consent to what is published', () => {
  it('a draft no resident follows is published as before', () => {
    expect(outcome(draft(), { type: 'publish' }, worker)).toBe('published');
    expect(needsConsent(draft())).toBe(false);
  });

  it('once a resident is linked to a draft, publishing waits for their yes, by every staff member', () => {
    const s = linked();
    expect(needsConsent(s)).toBe(true);
    expect(outcome(s, { type: 'publish' }, worker)).toBe('refused consent_needed');
    expect(outcome(s, { type: 'publish' }, { kind: 'admin', id: 'api:admin' })).toBe('refused consent_needed');
    expect(outcome(s, { type: 'publish' }, system)).toBe('refused consent_needed');
  });

  it("a draft made from a resident's intake waits for their yes even when a worker recorded it for them", () => {
    seq = 0;
    const fromIntake = evolve(null, event({ type: 'created', wish: intakeDraft() }, worker));
    expect(needsConsent(fromIntake)).toBe(true);
    expect(outcome(fromIntake, { type: 'publish' }, worker)).toBe('refused consent_needed');
    const told = apply(fromIntake, { type: 'consent', purpose: 'publish', answer: 'given', via: 'in_person', note: 'Agreed at the community office' }, worker);
    expect(outcome(told, { type: 'publish' }, worker)).toBe('published');
  });

  it('linking the same resident twice records one link', () => {
    expect(outcome(linked(), { type: 'link_resident', residentId: 'tg:4' }, system)).toBe('repeat');
    expect(outcome(linked(), { type: 'link_resident', residentId: 'not-a-person' }, worker)).toBe('refused invalid_input');
    expect(outcome(draft(), { type: 'link_resident', residentId: 'tg:4' }, otherWorker)).toBe('refused forbidden');
  });

  it('asking needs a linked resident; asking again about the same card is a repeat', () => {
    expect(outcome(draft(), { type: 'ask_consent', card: 'x' }, worker)).toBe('refused no_resident');
    expect(outcome(asked(), { type: 'ask_consent', card: '<b>W-1001 · Heating bill</b>' }, worker)).toBe('repeat');
    expect(outcome(linked(), { type: 'ask_consent', card: 'x' }, otherWorker)).toBe('refused forbidden');
  });

  it('"Publish as shown" records the card the resident saw, and then the wish may be published', () => {
    const s = asked();
    const after = apply(s, answer(s, 'given'), resident);
    expect(after.consents?.publish).toMatchObject({ answer: 'given', via: 'resident' });
    expect(outcome(after, { type: 'publish' }, system)).toBe('published');
    const d = decide(s, answer(s, 'given'), { actor: resident, now: NOW });
    expect(d.ok && d.event).toMatchObject({ type: 'consent', card: '<b>W-1001 · Heating bill</b>' });
  });

  it('only the linked resident answers for themselves', () => {
    const s = asked();
    expect(outcome(s, answer(s, 'given'), stranger)).toBe('refused forbidden');
    expect(outcome(s, answer(s, 'given'), worker)).toBe('refused forbidden');
  });

  it('an answer to an older preview is refused: the card changed since (publish after edit)', () => {
    const s = asked();
    const given = apply(s, answer(s, 'given'), resident);
    const edited = apply(given, { type: 'edit', changes: { description: 'Her heating was cut off in November' } }, worker);
    expect(edited.consents?.publish).toBeUndefined();
    expect(outcome(edited, { type: 'publish' }, worker)).toBe('refused consent_needed');
    expect(outcome(edited, answer(s, 'given'), resident)).toBe('refused card_changed');
  });

  it('"Ask for changes" does not publish; after the edit the resident is asked again and may agree', () => {
    const s = asked();
    const changes = apply(s, answer(s, 'changes'), resident);
    expect(outcome(changes, { type: 'publish' }, worker)).toBe('refused consent_needed');
    const edited = apply(changes, { type: 'edit', changes: { title: 'Winter heating bill' } }, worker);
    const again = apply(edited, { type: 'ask_consent', card: '<b>W-1001 · Winter heating bill</b>' }, system);
    const yes = apply(again, answer(again, 'given'), resident);
    expect(outcome(yes, { type: 'publish' }, system)).toBe('published');
  });

  it('a second, different answer to the same question is refused; the same one is a repeat', () => {
    const s = asked();
    const given = apply(s, answer(s, 'given'), resident);
    expect(outcome(given, answer(s, 'given'), resident)).toBe('repeat');
    expect(outcome(given, answer(s, 'private'), resident)).toBe('refused already_answered');
  });

  it('"Keep it private" publishes to invited donors only: redacted, never shown in the groups', () => {
    const s = asked();
    const kept = apply(s, answer(s, 'private'), resident);
    const published = apply(kept, { type: 'publish' }, system);
    expect(published.lifecycle).toBe('published');
    expect(showsInGroups(published)).toBe(false);
    expect(isRedacted(published)).toBe(true);
  });

  it('a worker records consent given in person only with a note', () => {
    const s = linked();
    const noNote = decide(s, { type: 'consent', purpose: 'publish', answer: 'given', via: 'in_person', note: '  ' }, { actor: worker, now: NOW });
    expect(noNote.ok).toBe(false);
    expect(!noNote.ok && noNote.error).toBeInstanceOf(InvalidError);
    expect(!noNote.ok && (noNote.error as InvalidError).details).toMatchObject({ fields: [{ field: 'note', code: 'required' }] });
    const tooLong = outcome(s, { type: 'consent', purpose: 'publish', answer: 'given', via: 'in_person', note: 'x'.repeat(501) }, worker);
    expect(tooLong).toBe('refused invalid_input');
    const given = apply(s, { type: 'consent', purpose: 'publish', answer: 'given', via: 'in_person', note: 'Home visit, read her the card' }, worker);
    expect(given.consents?.publish).toMatchObject({ answer: 'given', via: 'in_person' });
    expect(outcome(given, { type: 'publish' }, worker)).toBe('published');
    expect(outcome(s, { type: 'consent', purpose: 'publish', answer: 'given', via: 'in_person', note: 'x' }, otherWorker)).toBe('refused forbidden');
    expect(outcome(s, { type: 'consent', purpose: 'publish', answer: 'changes', via: 'in_person', note: 'x' }, worker)).toBe('refused invalid_input');
  });

  it('withdrawing publish after publication redacts the card; withdrawing twice is a repeat', () => {
    const s = asked();
    const open = apply(apply(s, answer(s, 'given'), resident), { type: 'publish' }, system);
    expect(isRedacted(open)).toBe(false);
    const withdrawn = apply(open, { type: 'consent', purpose: 'publish', answer: 'withdrawn', via: 'resident' }, resident);
    expect(isRedacted(withdrawn)).toBe(true);
    expect(outcome(withdrawn, { type: 'consent', purpose: 'publish', answer: 'withdrawn', via: 'resident' }, resident)).toBe('repeat');
  });

  it('a resident linked to a wish already shown may stop it, though they were never asked', () => {
    seq = 0;
    const open = apply(draft(), { type: 'publish' }, worker);
    const later = apply(open, { type: 'link_resident', residentId: 'tg:4' }, system);
    expect(isRedacted(later)).toBe(false);
    const stopped = apply(later, { type: 'consent', purpose: 'publish', answer: 'withdrawn', via: 'resident' }, resident);
    expect(isRedacted(stopped)).toBe(true);
  });

  it('other purposes are given and withdrawn by the resident; "private" and "changes" are for publishing only', () => {
    const s = linked();
    const contact = apply(s, { type: 'consent', purpose: 'contact', answer: 'given', via: 'resident' }, resident);
    expect(contact.consents?.contact?.answer).toBe('given');
    expect(outcome(contact, { type: 'consent', purpose: 'contact', answer: 'given', via: 'resident' }, resident)).toBe('repeat');
    expect(outcome(s, { type: 'consent', purpose: 'contact', answer: 'private', via: 'resident' }, resident)).toBe('refused invalid_input');
    const back = apply(contact, { type: 'consent', purpose: 'contact', answer: 'withdrawn', via: 'resident' }, resident);
    expect(back.consents?.contact?.answer).toBe('withdrawn');
  });

  it('erasing the resident drops their private details and keeps the card redacted', () => {
    const s = asked();
    const open = apply(apply(s, answer(s, 'given'), resident), { type: 'publish' }, system);
    const erased = apply(open, { type: 'erase_resident', residentId: 'tg:4' }, worker);
    expect(erased.beneficiary).toEqual({ alias: 'elderly resident, Building 3' });
    expect(erased.residents).toEqual([]);
    expect(isRedacted(erased)).toBe(true);
    expect(outcome(erased, { type: 'erase_resident', residentId: 'tg:4' }, worker)).toBe('repeat');
    expect(outcome(open, { type: 'erase_resident', residentId: 'tg:4' }, otherWorker)).toBe('refused forbidden');
    expect(decide(erased, { type: 'consent', purpose: 'contact', answer: 'given', via: 'resident' }, { actor: resident, now: NOW })).toMatchObject({ ok: false, error: expect.any(ConflictError) });
  });

  it('a resident may write about their draft (what to change); a donor may not', () => {
    const s = asked();
    expect(outcome(s, { type: 'message', from: 'resident', text: 'Please do not say Building 3', key: 'tg:1' }, resident)).toBe('message');
    expect(decide(s, { type: 'message', from: 'resident', text: 'hi', key: 'tg:2' }, { actor: stranger, now: NOW })).toMatchObject({ ok: false, error: expect.any(ForbiddenError) });
  });
});
