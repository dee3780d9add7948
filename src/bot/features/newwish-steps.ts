import { FieldIssue } from '../../domain/errors';
import { checkAlias, checkDescription, checkPrivate, checkTitle, Checked, issue, readDeadline, readTarget } from '../../domain/wish/rules';
import { CATEGORIES, Category, URGENCIES, WishDraft } from '../../domain/wish/types';

// The /newwish conversation as data: each step reads one answer with the domain's rules (the same
// the HTTP API uses) and says what is next. Pure, so the steps are tested without Telegram.

export type StepName = 'community' | 'title' | 'description' | 'category' | 'target' | 'deadline' | 'urgency' | 'alias' | 'notes' | 'preview';

/** The wish so far, as kept in the session between messages (dates as ISO strings). */
export interface Draft {
  communityId?: string;
  title?: string;
  description?: string;
  category?: Category;
  target?: number;
  unit?: string;
  deadline?: string;
  urgency?: 'normal' | 'urgent';
  alias?: string;
  notes?: string;
}

export type StepResult = { ok: true; draft: Draft } | { ok: false; issue: FieldIssue };

const DONE_WORDS = /^(?:-|–|—|none|no|n\/a|无|没有|不用)$/i;

function from<T>(checked: Checked<T>, apply: (value: T) => Draft): StepResult {
  return checked.ok ? { ok: true, draft: apply(checked.value) } : { ok: false, issue: checked.issue };
}

/** Reads the answer to a step that takes text. */
export function readAnswer(step: StepName, input: string, draft: Draft, ctx: { now: Date; timeZone: string }): StepResult {
  switch (step) {
    case 'title':
      return from(checkTitle(input), (title) => ({ ...draft, title }));
    case 'description':
      return from(checkDescription(input), (description) => ({ ...draft, description }));
    case 'target':
      return from(readTarget(input, draft.category ?? 'goods'), ({ target, unit }) => ({ ...draft, target, unit }));
    case 'deadline':
      return from(readDeadline(input, ctx.now, ctx.timeZone), (d) => ({ ...draft, deadline: d.toISOString() }));
    case 'alias':
      return from(checkAlias(input), (alias) => ({ ...draft, alias }));
    case 'notes':
      return from(checkPrivate('beneficiary.notes', DONE_WORDS.test(input.trim()) ? '' : input), (notes) => ({ ...draft, notes }));
    default:
      return { ok: false, issue: issue(step, 'not_a_choice') };
  }
}

export function readChoice(step: 'category' | 'urgency', value: string, draft: Draft): StepResult {
  const options: readonly string[] = step === 'category' ? CATEGORIES : URGENCIES;
  if (!options.includes(value)) return { ok: false, issue: issue(step, 'not_a_choice') };
  return { ok: true, draft: { ...draft, [step]: value } };
}

export const STEP_ORDER: StepName[] = ['community', 'title', 'description', 'category', 'target', 'deadline', 'urgency', 'alias', 'notes', 'preview'];

export function nextStep(step: StepName): StepName {
  return STEP_ORDER[Math.min(STEP_ORDER.indexOf(step) + 1, STEP_ORDER.length - 1)]!;
}

/** The finished draft as the wish service takes it (it checks everything again). */
export function toWishDraft(d: Draft): WishDraft {
  return {
    communityId: d.communityId!,
    title: d.title!,
    description: d.description!,
    category: d.category!,
    target: d.target!,
    ...(d.unit ? { unit: d.unit } : {}),
    deadline: new Date(d.deadline!),
    urgency: d.urgency ?? 'normal',
    beneficiary: { alias: d.alias!, ...(d.notes ? { notes: d.notes } : {}) },
  };
}
