import { z } from 'zod';
import { dayIn, endOfDay } from '../../domain/time';
import { CATEGORIES, Category, URGENCIES } from '../../domain/wish/types';
import { MessageKey } from '../../ui/i18n';

// The /newwish conversation as data: each step parses one answer with zod and says what is next.
// Pure, so the rules are tested without Telegram.

export type StepName = 'community' | 'title' | 'description' | 'category' | 'target' | 'deadline' | 'urgency' | 'alias' | 'notes' | 'preview';

export interface Draft {
  communityId?: string;
  title?: string;
  description?: string;
  category?: Category;
  target?: number;
  deadline?: string; // ISO
  urgency?: 'normal' | 'urgent';
  alias?: string;
  notes?: string;
}

export type Refusal = { key: MessageKey; params?: Record<string, string | number> };
export type StepResult = { ok: true; draft: Draft } | { ok: false; reason: Refusal };

const DAY = 86_400_000;
const MAX_DAYS = 366;

const text = (min: number, max: number) =>
  z
    .string()
    .transform((s) => s.trim().replace(/[ \t]+/g, ' '))
    .pipe(z.string().min(min).max(max));

function textReason(min: number, max: number): Refusal {
  return { key: 'newwish.reason.text', params: { min, max } };
}

export function parseText(step: 'title' | 'description' | 'alias' | 'notes', input: string, draft: Draft): StepResult {
  const limits = { title: [3, 80], description: [10, 1000], alias: [3, 80], notes: [0, 1000] } as const;
  const [min, max] = limits[step];
  const value = step === 'notes' && input.trim() === '-' ? '' : input;
  const parsed = text(min, max).safeParse(value);
  if (!parsed.success) return { ok: false, reason: textReason(Math.max(min, 1), max) };
  return { ok: true, draft: { ...draft, [step]: parsed.data || undefined } };
}

export function parseTarget(input: string, draft: Draft): StepResult {
  const max = draft.category === 'cash' ? 1_000_000 : 1000;
  const parsed = z.coerce.number().int().min(1).max(max).safeParse(input.trim().replace(/[,\s]/g, ''));
  if (!parsed.success || input.trim() === '') return { ok: false, reason: { key: 'newwish.reason.number', params: { max } } };
  return { ok: true, draft: { ...draft, target: parsed.data } };
}

/** A date (2026-12-24) or a number of days from today; the deadline is the end of that day locally. */
export function parseDeadline(input: string, draft: Draft, now: Date, timeZone: string): StepResult {
  const raw = input.trim();
  let deadline: Date | undefined;
  if (/^\d{1,3}$/.test(raw)) {
    const days = Number(raw);
    if (days >= 1 && days <= MAX_DAYS) deadline = endOfDay(dayIn(new Date(now.getTime() + days * DAY), timeZone), timeZone);
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(`${raw}T00:00:00Z`)) && new Date(`${raw}T00:00:00Z`).toISOString().startsWith(raw)) {
    deadline = endOfDay(raw, timeZone);
  }
  if (!deadline || deadline.getTime() <= now.getTime() || deadline.getTime() > now.getTime() + MAX_DAYS * DAY) {
    return { ok: false, reason: { key: 'newwish.reason.date' } };
  }
  return { ok: true, draft: { ...draft, deadline: deadline.toISOString() } };
}

export function parseChoice(step: 'category' | 'urgency', value: string, draft: Draft): StepResult {
  const options: readonly string[] = step === 'category' ? CATEGORIES : URGENCIES;
  if (!options.includes(value)) return { ok: false, reason: { key: 'newwish.reason.choice' } };
  return { ok: true, draft: { ...draft, [step]: value } };
}

export const STEP_ORDER: StepName[] = ['community', 'title', 'description', 'category', 'target', 'deadline', 'urgency', 'alias', 'notes', 'preview'];

export function nextStep(step: StepName): StepName {
  return STEP_ORDER[Math.min(STEP_ORDER.indexOf(step) + 1, STEP_ORDER.length - 1)]!;
}
