import { createIntakeStore } from '../../src/db/intake-store';
import { readIntake } from '../../src/domain/intake';
import { useTestDatabase } from '../support/db';

describe('the intake store', () => {
  const db = useTestDatabase();
  const at = new Date('2026-11-23T10:00:00Z');

  it('keeps the words and first name sealed at rest, opens them on read, lists a community\'s, drafts once', async () => {
    const store = createIntakeStore(db.models);
    const a = readIntake({ communityId: 'c-store', words: 'My heating broke, Mrs Li at 12 Harbour St', residentFirstName: 'Mei', residentTelegramId: 5, byWhen: 'this_week', urgency: 'urgent', mayContact: true, contactHow: 'visit', recordedBy: 'resident' }, 'in_store_a', at);
    const b = readIntake({ communityId: 'c-store', voiceFileId: 'VOICE1', byWhen: 'no_rush', urgency: 'normal', mayContact: false, recordedBy: { workerId: 'tg:7', name: 'Wang' } }, 'in_store_b', new Date(at.getTime() + 1000));
    await store.insert(a);
    await store.insert(b);

    const raw = JSON.stringify(await db.models.Intake.collection.find({ communityId: 'c-store' }).toArray());
    expect(raw).not.toContain('heating');
    expect(raw).not.toContain('Mei');
    expect(await store.get('in_store_a')).toEqual(a);
    expect(await store.get('in_store_b')).toEqual(b);
    expect(await store.get('in_nope')).toBeNull();
    expect((await store.listOf('c-store')).map((i) => i.id)).toEqual(['in_store_b', 'in_store_a']);

    expect(await store.claimDraft('in_store_a')).toBe(true);
    expect(await store.claimDraft('in_store_a')).toBe(false);
    // A claim given back (making the wish failed) can be taken again.
    await store.releaseDraft('in_store_a');
    expect(await store.claimDraft('in_store_a')).toBe(true);
    await store.markDrafted('in_store_a', 'w_1');
    expect((await store.get('in_store_a'))?.status).toBe('drafted');
    expect((await store.get('in_store_a'))?.wishId).toBe('w_1');
    expect((await store.listOf('c-store')).map((i) => [i.id, i.status])).toEqual([['in_store_b', 'new'], ['in_store_a', 'drafted']]);
    expect(await store.listOf('c-other')).toEqual([]);
  });
});
