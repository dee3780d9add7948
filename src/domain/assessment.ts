import { FieldIssue, InvalidError } from './errors';
import { charCount, tidyText } from './input';
import { issue } from './wish/rules';

// A needs assessment, recorded with the resident as a conversation: which parts of their life the need
// touches, their strengths and their own goals in their words, and where the worker referred them.
// Private to staff (never in a group, an export or an auditor's view).

export const LIFE_DOMAINS = ['housing', 'health', 'income', 'food', 'education', 'work', 'family', 'social_support', 'safety'] as const;
export type LifeDomain = (typeof LIFE_DOMAINS)[number];

/** Two or more affected domains: one worker and one wish are rarely enough; bring in outside help. */
export const OUTSIDE_HELP_FROM = 2;

export const ASSESSMENT_TEXT_MAX = 2000;
export const REFERRALS_MAX = 20;
export const REFERRAL_MAX = 200;

export interface Assessment {
  wishId: string;
  domains: LifeDomain[];
  /** The resident's strengths, in their words. */
  strengths: string;
  /** What the resident wants, in their words. */
  goals: string;
  /** Where the worker referred them (an organisation, a service), one line each. */
  referrals: string[];
  recordedBy: { id: string; name?: string };
  updatedAt: Date;
}

export interface AssessmentInput {
  domains: string[];
  strengths: string;
  goals: string;
  referrals: string[];
}

export interface AssessmentStore {
  get(wishId: string): Promise<Assessment | null>;
  /** Saves it whole: staff edit one assessment per wish, the latest save stands. */
  save(assessment: Assessment): Promise<void>;
}

/** Whether the worker should be prompted to bring in outside help and record referrals. */
export function needsOutsideHelp(a: Pick<Assessment, 'domains'>): boolean {
  return a.domains.length >= OUTSIDE_HELP_FROM;
}

/** The issues with an assessment as entered (every bad field at once), or none. */
export function assessmentIssues(input: AssessmentInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (input.domains.some((d) => !(LIFE_DOMAINS as readonly string[]).includes(d))) issues.push(issue('domains', 'not_a_choice', { choices: LIFE_DOMAINS.join(', ') }));
  for (const field of ['strengths', 'goals'] as const) {
    if (charCount(tidyText(input[field], { multiline: true })) > ASSESSMENT_TEXT_MAX) issues.push(issue(field, 'too_long', { max: ASSESSMENT_TEXT_MAX }));
  }
  const referrals = input.referrals.map((r) => tidyText(r)).filter(Boolean);
  if (referrals.length > REFERRALS_MAX) issues.push(issue('referrals', 'too_large', { max: REFERRALS_MAX }));
  referrals.forEach((r, i) => {
    if (charCount(r) > REFERRAL_MAX) issues.push(issue(`referrals.${i}`, 'too_long', { max: REFERRAL_MAX }));
  });
  return issues;
}

/** The assessment to store, or an InvalidError naming each bad field. Domains keep the catalogue's order. */
export function readAssessment(input: AssessmentInput, wishId: string, by: { id: string; name?: string }, at: Date): Assessment {
  const issues = assessmentIssues(input);
  if (issues.length > 0) throw InvalidError.fields(issues);
  return {
    wishId,
    domains: LIFE_DOMAINS.filter((d) => input.domains.includes(d)),
    strengths: tidyText(input.strengths, { multiline: true }),
    goals: tidyText(input.goals, { multiline: true }),
    referrals: input.referrals.map((r) => tidyText(r)).filter(Boolean),
    recordedBy: by,
    updatedAt: at,
  };
}
