import { BusyError, ForbiddenError, InvalidError } from '../../src/domain/errors';
import { deadlineFor, draftFromIntake, Intake, IntakeDraftDeps, intakeDraftInput, intakeIdOf, IntakeInput, intakeIssues, INTAKE_WORDS_MAX, readIntake, titleFromWords } from '../../src/domain/intake';
import { validateDraft } from '../../src/domain/wish/rules';
import { Actor, WishState } from '../../src/domain/wish/types';

const at = new Date('2026-11-23T10:00:00Z');
const base: IntakeInput = { communityId: 'c1', words: 'I need help with my heating bill', byWhen: 'this_week', urgency: 'urgent', mayContact: true, contactHow: 'phone', recordedBy: 'resident' };

describe('intake in their own words', () => {
  it('keeps the words tidied, the answers, status new', () => {
    const i = readIntake({ ...base, words: '  I need help\r\nwith heating  ', residentFirstName: ' Mei ', residentTelegramId: 42 }, 'in_1', at);
    expect(i).toEqual({ id: 'in_1', communityId: 'c1', residentTelegramId: 42, residentFirstName: 'Mei', words: 'I need help\nwith heating', byWhen: 'this_week', urgency: 'urgent', mayContact: true, contactHow: 'phone', recordedBy: 'resident', status: 'new', createdAt: at });
  });

  it('takes a voice message instead of words', () => {
    const i = readIntake({ ...base, words: undefined, voiceFileId: 'AwACAgQ' }, 'in_2', at);
    expect(i.words).toBeUndefined();
    expect(i.voiceFileId).toBe('AwACAgQ');
  });

  it('needs words or a voice message, 1 to 2000 characters', () => {
    expect(intakeIssues({ ...base, words: '   ' }).map((x) => x.field)).toEqual(['words']);
    expect(intakeIssues({ ...base, words: 'x'.repeat(INTAKE_WORDS_MAX) })).toEqual([]);
    expect(intakeIssues({ ...base, words: 'x'.repeat(INTAKE_WORDS_MAX + 1) }).map((x) => x.code)).toEqual(['too_long']);
    expect(intakeIssues({ ...base, words: '一'.repeat(INTAKE_WORDS_MAX) })).toEqual([]);
  });

  it('names every bad answer at once', () => {
    const issues = intakeIssues({ ...base, byWhen: 'tomorrow', urgency: 'very', contactHow: 'pigeon' });
    expect(issues.map((x) => x.field)).toEqual(['byWhen', 'urgency', 'contactHow']);
    expect(() => readIntake({ ...base, byWhen: 'x' }, 'in_3', at)).toThrow(InvalidError);
  });

  it('asks how to contact only when the resident agrees to be contacted', () => {
    expect(intakeIssues({ ...base, mayContact: false, contactHow: undefined })).toEqual([]);
    expect(readIntake({ ...base, mayContact: false, contactHow: 'phone' }, 'in_4', at).contactHow).toBeUndefined();
  });

  it('says so when a worker recorded it on the resident\'s behalf', () => {
    expect(readIntake({ ...base, recordedBy: { workerId: 'tg:7', name: 'Wang' } }, 'in_5', at).recordedBy).toEqual({ workerId: 'tg:7', name: 'Wang' });
  });

  it('sets the draft deadline from by when', () => {
    expect(deadlineFor('this_week', at).toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(deadlineFor('this_month', at).toISOString()).toBe('2026-12-23T10:00:00.000Z');
    expect(deadlineFor('no_rush', at).getTime()).toBeGreaterThan(deadlineFor('this_month', at).getTime());
  });

  it('makes a short title from the first words, at a word boundary', () => {
    expect(titleFromWords('Heating bill. It is cold.', 'Wish')).toBe('Heating bill.');
    expect(titleFromWords(undefined, 'A resident\'s wish')).toBe('A resident\'s wish');
    const long = titleFromWords('I would really like some help with carrying my shopping up the stairs every week', 'x');
    expect(long.length).toBeLessThanOrEqual(41);
    expect(long.endsWith('…')).toBe(true);
    expect(long).toBe('I would really like some help with…');
    expect(titleFromWords('我需要帮忙交暖气费', 'x')).toBe('我需要帮忙交暖气费');
  });

  const wording = { voiceTitle: "A resident's request (voice message)", privateTitle: "A resident's request (their words are in the private notes)", alias: 'a resident of Harbour Street' };

  it('becomes a draft the wish rules take: the words in public, or in the private notes when they could not be shown', () => {
    const plain = intakeDraftInput(readIntake(base, 'in_6', at), wording, at);
    expect(plain).toMatchObject({ title: 'I need help with my heating bill', description: 'I need help with my heating bill', urgency: 'urgent', beneficiary: { alias: wording.alias } });
    const withPhone = intakeDraftInput(readIntake({ ...base, words: 'Please call me on 13800138000 about the heating' }, 'in_7', at), wording, at);
    expect(withPhone).toMatchObject({ title: wording.privateTitle, description: wording.privateTitle, beneficiary: { notes: 'Please call me on 13800138000 about the heating' } });
    const long = intakeDraftInput(readIntake({ ...base, words: 'word '.repeat(400) }, 'in_8', at), wording, at);
    const voice = intakeDraftInput(readIntake({ ...base, words: undefined, voiceFileId: 'V' }, 'in_9', at), wording, at);
    const longName = intakeDraftInput(readIntake(base, 'in_10', at), { ...wording, alias: `a resident of ${'Very Long Street Name '.repeat(4)}` }, at);
    for (const d of [plain, withPhone, long, voice, longName]) expect(() => validateDraft(d, at)).not.toThrow();
  });

  it('keeps one id for the press that recorded it', () => {
    expect(intakeIdOf('5:q1')).toBe(intakeIdOf('5:q1'));
    expect(intakeIdOf('5:q1')).not.toBe(intakeIdOf('5:q2'));
    expect(intakeIdOf('5:q1')).toMatch(/^in_[a-z0-9]{16}$/);
  });

  describe('making its draft', () => {
    const worker: Actor = { kind: 'worker', id: 'tg:7', communityIds: ['c1'] };
    function fakes(create: IntakeDraftDeps['wishes']['create']) {
      const intakes = new Map<string, Intake>([['in_d', readIntake({ ...base, residentTelegramId: 42 }, 'in_d', at)]]);
      const claims = new Set<string>();
      const linked: Array<[number, string]> = [];
      const deps: IntakeDraftDeps = {
        intakes: {
          get: async (id) => intakes.get(id) ?? null,
          claimDraft: async (id) => (claims.has(id) ? false : (claims.add(id), true)),
          releaseDraft: async (id) => void claims.delete(id),
          markDrafted: async (id, wishId) => void intakes.set(id, { ...intakes.get(id)!, status: 'drafted', wishId }),
        },
        wishes: { create },
        linkResident: async (wishId, telegramId) => void linked.push([telegramId, wishId]),
        clock: () => at,
      };
      return { deps, intakes, claims, linked };
    }

    it('gives the claim back when the wish cannot be made, so a second press drafts it', async () => {
      let calls = 0;
      const { deps, intakes, linked } = fakes(async () => {
        if (++calls === 1) throw new BusyError('busy', 'Many wishes are being created right now; please try again');
        return { state: { id: 'W-1001', code: 'W-1001' } as WishState, event: null };
      });
      await expect(draftFromIntake(deps, 'in_d', worker, () => wording)).rejects.toThrow(BusyError);
      expect(intakes.get('in_d')!.status).toBe('new');
      const made = await draftFromIntake(deps, 'in_d', worker, () => wording);
      expect(made.kind).toBe('drafted');
      expect(intakes.get('in_d')).toMatchObject({ status: 'drafted', wishId: 'W-1001' });
      expect(linked).toEqual([[42, 'W-1001']]);
      expect((await draftFromIntake(deps, 'in_d', worker, () => wording)).kind).toBe('already');
      expect(calls).toBe(2);
    });

    it('refuses another community\'s worker and an unknown intake alike, and makes nothing', async () => {
      const create = jest.fn();
      const { deps } = fakes(create);
      await expect(draftFromIntake(deps, 'in_d', { ...worker, communityIds: ['c2'] }, () => wording)).rejects.toThrow(ForbiddenError);
      await expect(draftFromIntake(deps, 'in_nope', worker, () => wording)).rejects.toThrow(ForbiddenError);
      await expect(draftFromIntake(deps, 'in_d', { kind: 'auditor', id: 'a', communityIds: ['c1'] }, () => wording)).rejects.toThrow(ForbiddenError);
      expect(create).not.toHaveBeenCalled();
    });
  });
});
