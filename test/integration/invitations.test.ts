import { systemClock } from '../../src/domain/clock';
import { createInvitationService, Invitation, InvitationReply } from '../../src/domain/resources/invitations';
import { createMatchService } from '../../src/domain/resources/match-service';
import { Resource } from '../../src/domain/resources/types';
import { createInvitationStore } from '../../src/db/invitation-store';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, draftFor } from '../support/fixtures';

// Quiet invitations against the real database: two resources pressing Can at the same moment, exactly
// one takes the wish (the wish's own unique insert decides); Can't is recorded and stops further asks;
// asking twice is one invitation; matching then leaves out who declined and counts when each was asked.

function resource(id: string, telegramId: number | undefined, over: Partial<Resource> = {}): Resource {
  const now = new Date();
  return {
    id,
    communityId: '',
    kind: 'business',
    name: id,
    offer: { categories: ['goods'], skills: [] },
    areaIds: ['area-1'],
    state: 'approved',
    ...(telegramId !== undefined ? { telegramId } : {}),
    createdAt: now,
    updatedAt: now,
    createdBy: 'tg:1',
    ...over,
  };
}

describe('quiet invitations', () => {
  const db = useTestDatabase();

  it('two Can at once: exactly one takes the wish, the other is told it is taken; Can\'t stops further asks', async () => {
    const services = buildServices(db, systemClock);
    const community = await services.communities.create({ name: 'Invite Lane' }, admin);
    const directory = new Map<string, Resource>();
    for (const r of [
      resource('bakery', 61_001, { name: 'Harbour Bakery' }),
      resource('grocer', 61_002, { name: 'Corner Grocer' }),
      resource('clinic', 61_003, { name: 'Free Clinic' }),
      resource('noTelegram', undefined),
      resource('paused', 61_004, { state: 'paused' }),
    ]) directory.set(r.id, { ...r, communityId: community.id });
    const sent: Array<{ invited?: Invitation; answered?: InvitationReply }> = [];
    const store = createInvitationStore(db.models);
    const invitations = createInvitationService({
      store,
      wishes: services.wishes,
      directory: { get: async (id) => directory.get(id) ?? null },
      clock: systemClock,
      notify: { invited: async (_w, invited) => void sent.push({ invited }), answered: async (_w, answered) => void sent.push({ answered }) },
    });
    const { state: wish } = await services.wishes.create(draftFor(community.id, { category: 'goods', target: 1 }), admin, { publish: true });

    const asked = await invitations.invite(wish.id, ['bakery', 'grocer', 'clinic', 'noTelegram', 'paused', 'nope'], admin);
    expect(asked.invited.map((i) => i.invitation.resourceId)).toEqual(['bakery', 'grocer', 'clinic']);
    expect(asked.skipped).toEqual([
      { resourceId: 'noTelegram', reason: 'no_telegram' },
      { resourceId: 'paused', reason: 'not_approved' },
      { resourceId: 'nope', reason: 'not_found' },
    ]);
    expect(sent.filter((s) => s.invited)).toHaveLength(3);
    // Asking again is one invitation, not a second message.
    expect((await invitations.invite(wish.id, ['bakery'], admin)).skipped).toEqual([{ resourceId: 'bakery', reason: 'already_asked' }]);

    const [a, b] = await Promise.all([invitations.answer(wish.id, 'bakery', 61_001, 'can'), invitations.answer(wish.id, 'grocer', 61_002, 'can')]);
    expect([a.reply.outcome, b.reply.outcome].sort()).toEqual(['taken', 'took']);
    const after = await services.wishes.get(wish.id);
    expect(after.pledges.filter((p) => p.status === 'active')).toHaveLength(1);
    const winner = a.reply.outcome === 'took' ? 'Harbour Bakery' : 'Corner Grocer';
    expect(after.pledges[0]!.displayName).toBe(winner);

    const cant = await invitations.answer(wish.id, 'clinic', 61_003, 'cant');
    expect(cant.reply.answer).toBe('cant');
    // Answering again keeps the first answer; someone else's press is refused.
    expect((await invitations.answer(wish.id, 'clinic', 61_003, 'can')).reply.answer).toBe('cant');
    await expect(invitations.answer(wish.id, 'clinic', 99_999, 'can')).rejects.toMatchObject({ code: 'forbidden' });
    expect(sent.filter((s) => s.answered)).toHaveLength(3);

    const history = await invitations.ofWish(wish.id);
    expect(history.map((i) => [i.resourceId, i.reply?.answer])).toEqual([
      ['bakery', 'can'],
      ['grocer', 'can'],
      ['clinic', 'cant'],
    ]);

    // Matching for this wish: the clinic declined it and is never suggested; the others were asked just now.
    const matching = createMatchService({
      wishes: services.wishes,
      directory: { get: async (id) => directory.get(id) ?? null, listByCommunity: async () => [...directory.values()], areasOf: async () => [] },
      invitations: store,
      clock: systemClock,
    });
    const { matches } = await matching.matchesFor(wish.id, admin);
    expect(matches.map((m) => m.resourceId)).not.toContain('clinic');
    expect(matches.map((m) => m.resourceId)).not.toContain('paused');
    const bakery = matches.find((m) => m.resourceId === 'bakery')!;
    expect(bakery.reasons).toEqual(expect.arrayContaining([{ code: 'asked_recently', days: 0 }]));
    const resting = await matching.resting(community.id, 14);
    expect(resting.map((r) => r.resource.id)).toEqual(['noTelegram']);
  });
});
