import { assessmentIssues, LIFE_DOMAINS, needsOutsideHelp, readAssessment } from '../../src/domain/assessment';
import { InvalidError } from '../../src/domain/errors';

const blank = { domains: [] as string[], strengths: '', goals: '', referrals: [] as string[] };
const by = { id: 'tg:2002', name: 'Wang' };
const at = new Date('2026-11-23T10:00:00Z');

describe('needs assessment', () => {
  it('prompts for outside help from two affected parts of life, not one', () => {
    expect(needsOutsideHelp({ domains: [] })).toBe(false);
    expect(needsOutsideHelp({ domains: ['housing'] })).toBe(false);
    expect(needsOutsideHelp({ domains: ['housing', 'income'] })).toBe(true);
  });

  it('keeps the resident\'s words, tidied, domains in the catalogue\'s order, blank referral lines dropped', () => {
    const a = readAssessment({ domains: ['safety', 'housing'], strengths: '  Her daughter visits on Sundays \n', goals: 'Stay in her own flat', referrals: ['', ' Street office housing desk ', ''] }, 'W-1001', by, at);
    expect(a).toEqual({ wishId: 'W-1001', domains: ['housing', 'safety'], strengths: 'Her daughter visits on Sundays', goals: 'Stay in her own flat', referrals: ['Street office housing desk'], recordedBy: by, updatedAt: at });
  });

  it('names every bad field at once: an unknown domain, texts and referrals too long, too many referrals', () => {
    const issues = assessmentIssues({ domains: ['housing', 'luck'], strengths: 'x'.repeat(2001), goals: 'fine', referrals: [...Array(21).keys()].map((i) => `desk ${i}`).concat('y'.repeat(201)) });
    expect(issues.map((i) => [i.field, i.code])).toEqual([
      ['domains', 'not_a_choice'],
      ['strengths', 'too_long'],
      ['referrals', 'too_large'],
      ['referrals.21', 'too_long'],
    ]);
    expect(() => readAssessment({ ...blank, domains: ['luck'] }, 'W-1001', by, at)).toThrow(InvalidError);
  });

  it('counts characters, not bytes, so Chinese text has the same room', () => {
    expect(assessmentIssues({ ...blank, goals: '住'.repeat(2000) })).toEqual([]);
    expect(LIFE_DOMAINS).toHaveLength(9);
  });
});
