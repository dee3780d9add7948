import { createHash } from 'node:crypto';
import { InvalidError, FieldIssue, ForbiddenError } from './errors';
import { charCount, takeGraphemes, tidyText } from './input';
import { isStaffFor } from './roles';
import { checkDescription, checkTitle, DraftInput, issue, WISH_LIMITS } from './wish/rules';
import { WishService } from './wish/service';
import { Actor, WishState } from './wish/types';

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
  /** A community's intakes, new and drafted, newest first. */
  listOf(communityId: string): Promise<Intake[]>;
  /** Claims the right to make its draft (once per intake, a unique insert); false if claimed before. */
  claimDraft(id: string): Promise<boolean>;
  /** Gives our claim back (making the wish failed), so the intake can be drafted again. */
  releaseDraft(id: string): Promise<void>;
  /** Records the draft wish made from it. */
  markDrafted(id: string, wishId: string): Promise<void>;
}

/**
 * An intake's id from what recorded it (e.g. the button press that finished it): the same press
 * handled again after a crash makes the same intake, and asks for the same workers' messages.
 */
export function intakeIdOf(source: string): string {
  return `in_${createHash('sha256').update(`intake:${source}`).digest('hex').slice(0, 16)}`;
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

/** The words a draft needs in the worker's language: titles for a voice message and for words kept private, the resident's alias. */
export interface DraftWording {
  voiceTitle: string;
  /** The title and description when the words cannot be shown publicly (a phone number, too short): they go in the private notes. */
  privateTitle: string;
  alias: string;
}

const cut = (text: string, max: number) => (charCount(text) > max ? takeGraphemes(text, max - 1) + '…' : text);

/**
 * The draft wish an intake becomes, for the worker to edit before publishing: its words as title and
 * description, or, when the wish rules would refuse them in public (a phone number, an ID, too short),
 * a plain title with the words in the private notes, so every intake can become a draft.
 */
export function intakeDraftInput(intake: Intake, wording: DraftWording, now: Date): DraftInput {
  const common = {
    communityId: intake.communityId,
    category: 'service' as const,
    target: 1,
    deadline: deadlineFor(intake.byWhen, now),
    urgency: intake.urgency,
  };
  const alias = cut(wording.alias, WISH_LIMITS.alias.max);
  if (!intake.words) return { ...common, intakeId: intake.id, title: wording.voiceTitle, description: wording.voiceTitle, beneficiary: { alias } };
  const title = titleFromWords(intake.words, wording.voiceTitle);
  const description = cut(intake.words, WISH_LIMITS.description.max);
  if (checkTitle(title).ok && checkDescription(description).ok) return { ...common, intakeId: intake.id, title, description, beneficiary: { alias } };
  return { ...common, intakeId: intake.id, title: wording.privateTitle, description: wording.privateTitle, beneficiary: { alias, notes: cut(intake.words, WISH_LIMITS.notes.max) } };
}

export interface IntakeDraftDeps {
  intakes: Pick<IntakeStore, 'get' | 'claimDraft' | 'releaseDraft' | 'markDrafted'>;
  wishes: Pick<WishService, 'create'>;
  /** Links the resident who asked to their draft (and shows it to them to decide on). */
  linkResident(wishId: string, telegramId: number, actor: Actor): Promise<unknown>;
  clock: () => Date;
}

export type IntakeDraftOutcome = { kind: 'drafted'; wish: WishState; intake: Intake } | { kind: 'already'; intake: Intake };

/**
 * "Make a draft wish" from an intake, for the bot and the console alike: once per intake (a unique
 * claim). When the wish cannot be made (refused, or the database failed) the claim is given back, so
 * the intake can be drafted again. Once made, the intake records it and the resident follows the wish.
 */
export async function draftFromIntake(deps: IntakeDraftDeps, intakeId: string, actor: Actor, wording: (intake: Intake) => Promise<DraftWording> | DraftWording): Promise<IntakeDraftOutcome> {
  const intake = await deps.intakes.get(intakeId);
  // An unknown intake is refused as one of another community is: nothing says which ids exist.
  if (!intake || !isStaffFor(actor, intake.communityId)) throw new ForbiddenError('forbidden', 'Only a worker of this community or an admin may draft from its intakes');
  if (intake.status === 'drafted' || !(await deps.intakes.claimDraft(intake.id))) return { kind: 'already', intake };
  let wish: WishState;
  try {
    ({ state: wish } = await deps.wishes.create(intakeDraftInput(intake, await wording(intake), deps.clock()), actor));
  } catch (err) {
    await deps.intakes.releaseDraft(intake.id);
    throw err;
  }
  // The wish exists now: the claim stays taken whatever follows, so no second draft is made.
  await deps.intakes.markDrafted(intake.id, wish.id);
  if (intake.residentTelegramId !== undefined) await deps.linkResident(wish.id, intake.residentTelegramId, actor);
  return { kind: 'drafted', wish, intake: { ...intake, status: 'drafted', wishId: wish.id } };
}
