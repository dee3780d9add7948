import { InvalidError } from '../../src/domain/errors';
import { deadlineFor, IntakeInput, intakeIssues, INTAKE_WORDS_MAX, readIntake, titleFromWords } from '../../src/domain/intake';

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
});
