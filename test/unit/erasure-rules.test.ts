import { ERASED_ID, ERASED_TEXT, repeatsSecret, scrubEvent } from '../../src/domain/erasure';

// The rules for taking an erased person out of a wish's stored history: given an event as stored,
// then this event, or nothing to change.

const SEALED = { v: 1, k: 'key', iv: 'aXY=', tag: 'dGFn', ct: 'Y3Q=' };
const target = { actorId: 'tg:42', beneficiary: true, secrets: ['I need a warm winter coat for my son', 'Rosa Example'] };
const at = new Date('2026-11-22T09:00:00Z');

describe('scrubEvent', () => {
  it('a confirmation by them keeps its pledge and time, with the placeholder as actor and no name', () => {
    const doc = { _id: 'W-1001:5', type: 'confirmed', pledgeId: 'W-1001:3', at, actor: { kind: 'resident', id: 'tg:42', name: 'Rosa Example' } };
    expect(scrubEvent(doc, target)).toEqual({ _id: 'W-1001:5', type: 'confirmed', pledgeId: 'W-1001:3', at, actor: { kind: 'resident', id: ERASED_ID } });
  });

  it('their message, and a worker\'s answer to them, read "(erased)"; the worker stays', () => {
    const theirs = { _id: 'W-1001:6', type: 'message', from: 'resident', text: SEALED, key: 'tg:9', at, actor: { kind: 'resident', id: 'tg:42', name: 'Rosa' } };
    expect(scrubEvent(theirs, target)).toMatchObject({ text: ERASED_TEXT, actor: { kind: 'resident', id: ERASED_ID } });
    const answer = { _id: 'W-1001:7', type: 'message', from: 'worker', text: SEALED, key: 'tg:10', to: { kind: 'resident', id: 'tg:42' }, fromName: 'Chen', at, actor: { kind: 'worker', id: 'tg:7', name: 'Chen' } };
    expect(scrubEvent(answer, target)).toEqual({ ...answer, text: ERASED_TEXT, to: { kind: 'resident', id: ERASED_ID } });
  });

  it('the created event of their wish loses the beneficiary\'s name, contact and notes, and a title made of their words', () => {
    const wish = { code: 'W-1001', title: 'I need a warm winter coat…', description: 'Coat', target: 1, beneficiary: { alias: 'resident, Building 3', name: SEALED, contact: SEALED, notes: SEALED } };
    const doc = { _id: 'W-1001:1', type: 'created', wish, at, actor: { kind: 'worker', id: 'tg:7' } };
    expect(scrubEvent(doc, target)).toEqual({ ...doc, wish: { ...wish, title: ERASED_TEXT, beneficiary: { alias: 'resident, Building 3' } } });
    // Someone else's wish (they only gave to it) keeps its beneficiary.
    expect(scrubEvent(doc, { ...target, beneficiary: false })).toEqual({ ...doc, wish: { ...wish, title: ERASED_TEXT } });
  });

  it('a pledge of theirs keeps its amount, made anonymous under the placeholder', () => {
    const doc = { _id: 'W-1002:2', type: 'pledged', donorId: 'tg:42', displayName: 'Rosa Gives', anonymous: false, amount: 50, at, actor: { kind: 'donor', id: 'tg:42', name: 'Rosa' } };
    expect(scrubEvent(doc, target)).toEqual({ _id: 'W-1002:2', type: 'pledged', donorId: ERASED_ID, anonymous: true, amount: 50, at, actor: { kind: 'donor', id: ERASED_ID } });
  });

  it("a worker's note of their consent in person is erased on their wish; a card shown to them keeps no words of theirs", () => {
    const consent = { _id: 'W-1001:8', type: 'consent', purpose: 'contact', answer: 'given', via: 'in_person', note: 'Agreed at her door', at, actor: { kind: 'worker', id: 'tg:7' } };
    expect(scrubEvent(consent, target)).toEqual({ ...consent, note: ERASED_TEXT });
    expect(scrubEvent(consent, { ...target, beneficiary: false })).toBeNull();
    const asked = { _id: 'W-1001:9', type: 'consent_asked', card: 'W-1001 I need a warm winter coat for my son', at, actor: { kind: 'worker', id: 'tg:7' } };
    expect(scrubEvent(asked, target)).toEqual({ ...asked, card: ERASED_TEXT });
  });

  it('an event with nothing of theirs is left as it is (null), sealed values and dates untouched', () => {
    const doc = { _id: 'W-1001:2', type: 'published', at, actor: { kind: 'worker', id: 'tg:421', name: 'Chen' }, extra: SEALED };
    expect(scrubEvent(doc, target)).toBeNull();
  });
});

describe('repeatsSecret', () => {
  it('finds a text that contains a secret, or a clipped start of one; not short or unrelated texts', () => {
    expect(repeatsSecret('From Rosa Example: thanks', ['Rosa Example'])).toBe(true);
    expect(repeatsSecret('I need a warm winter…', ['I need a warm winter coat for my son'])).toBe(true);
    expect(repeatsSecret('Coat', ['I need a warm winter coat for my son'])).toBe(false);
    expect(repeatsSecret('Winter heating bill', ['Rosa Example'])).toBe(false);
    // A two-character Chinese name is searched for; two Latin letters are not (they are in every word).
    expect(repeatsSecret('王芳认捐了 ¥20', ['王芳'])).toBe(true);
    expect(repeatsSecret('Library books', ['Li'])).toBe(false);
  });
});
