import { InvalidError, FieldIssue } from './errors';
import { charCount, takeGraphemes, tidyText } from './input';
import { issue } from './wish/rules';

// An intake: a resident tells their community what they need in their own words (a text, or a voice
// message kept for the worker by its Telegram file id), and answers a few simple questions. A worker
// turns it into a draft wish. Private to staff: the words are sealed at rest like a beneficiary's notes.

export const INTAKE_WORDS_MAX = 2000;
export const BY_WHEN = ['this_week', 'this_month', 'no_rush'] as const;
export type ByWhen = (typeof BY_WHEN)[number];
export const INTAKE_URGENCY = ['normal', 'urgent'] as const;
export type IntakeUrgency = (typeof INTAKE_URGENCY)[number];
export const CONTACT_HOW = ['telegram', 'phone', 'visit'] as const;
export type ContactHow = (typeof CONTACT_HOW)[number];
export type IntakeStatus = 'new' | 'drafted';

/** Who recorded it: the resident themself, or a worker on the resident's behalf (and says so). */
export type RecordedBy = 'resident' | { workerId: string; name?: string };

export interface Intake {
  id: string;
  communityId: string;
  residentTelegramId?: number;
  /** The resident's first name only, to greet them; never a username or phone. */
  residentFirstName?: string;
  /** What they need, in their own words; absent when they sent a voice message instead. */
  words?: string;
  voiceFileId?: string;
  byWhen: ByWhen;
  urgency: IntakeUrgency;
  mayContact: boolean;
  contactHow?: ContactHow;
  recordedBy: RecordedBy;
  status: IntakeStatus;
  /** The draft wish made from it, once drafted. */
  wishId?: string;
  createdAt: Date;
}

export interface IntakeInput {
  communityId: string;
  residentTelegramId?: number;
  residentFirstName?: string;
  words?: string;
  voiceFileId?: string;
  byWhen: string;
  urgency: string;
  mayContact: boolean;
  contactHow?: string;
  recordedBy: RecordedBy;
}

export interface IntakeStore {
  insert(intake: Intake): Promise<void>;
  get(id: string): Promise<Intake | null>;
  /** A community's intakes not yet turned into a draft, newest first. */
  listNew(communityId: string): Promise<Intake[]>;
  /** Claims the right to make its draft (once per intake, a unique insert); false if claimed before. */
  claimDraft(id: string): Promise<boolean>;
  /** Records the draft wish made from it. */
  markDrafted(id: string, wishId: string): Promise<void>;
}

const isOneOf = <T extends string>(choices: readonly T[], v: unknown): v is T => typeof v === 'string' && (choices as readonly string[]).includes(v);

/** The issues with an intake as given (every bad field at once), or none. */
export function intakeIssues(input: IntakeInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const words = input.words === undefined ? '' : tidyText(input.words, { multiline: true });
  const voice = (input.voiceFileId ?? '').trim();
  if (!words && !voice) issues.push(issue('words', 'required'));
  if (charCount(words) > INTAKE_WORDS_MAX) issues.push(issue('words', 'too_long', { max: INTAKE_WORDS_MAX }));
  if (!isOneOf(BY_WHEN, input.byWhen)) issues.push(issue('byWhen', 'not_a_choice', { choices: BY_WHEN.join(', ') }));
  if (!isOneOf(INTAKE_URGENCY, input.urgency)) issues.push(issue('urgency', 'not_a_choice', { choices: INTAKE_URGENCY.join(', ') }));
  if (input.mayContact && !isOneOf(CONTACT_HOW, input.contactHow)) issues.push(issue('contactHow', 'not_a_choice', { choices: CONTACT_HOW.join(', ') }));
  if (!input.communityId) issues.push(issue('communityId', 'required'));
  return issues;
}

/** The intake to store, or an InvalidError naming each bad field. */
export function readIntake(input: IntakeInput, id: string, at: Date): Intake {
  const issues = intakeIssues(input);
  if (issues.length > 0) throw InvalidError.fields(issues);
  const words = input.words === undefined ? '' : tidyText(input.words, { multiline: true });
  const voice = (input.voiceFileId ?? '').trim();
  return {
    id,
    communityId: input.communityId,
    ...(input.residentTelegramId !== undefined ? { residentTelegramId: input.residentTelegramId } : {}),
    ...(input.residentFirstName ? { residentFirstName: takeGraphemes(tidyText(input.residentFirstName), 64) } : {}),
    ...(words ? { words } : {}),
    ...(voice ? { voiceFileId: voice } : {}),
    byWhen: input.byWhen as ByWhen,
    urgency: input.urgency as IntakeUrgency,
    mayContact: input.mayContact,
    ...(input.mayContact ? { contactHow: input.contactHow as ContactHow } : {}),
    recordedBy: input.recordedBy,
    status: 'new',
    createdAt: at,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The draft's deadline from "by when": a week, a month, or three months for "no rush". */
export function deadlineFor(byWhen: ByWhen, now: Date): Date {
  const days = byWhen === 'this_week' ? 7 : byWhen === 'this_month' ? 30 : 90;
  return new Date(now.getTime() + days * DAY_MS);
}

/** A short title from the first words (at most `max` characters, cut at a word where it can be). */
export function titleFromWords(words: string | undefined, fallback: string, max = 40): string {
  const line = tidyText(words ?? '').split(/(?<=[.!?。！？])\s*/)[0] ?? '';
  if (!line) return fallback;
  if (charCount(line) <= max) return line;
  const cut = takeGraphemes(line, max);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut).trim() + '…';
}
