import { SKILLS } from '../resources/types';
import { FieldIssue, InvalidError, IssueCode } from '../errors';
import { charCount, foldForChecks, readDay, readNumber, tidyText } from '../input';
import { endOfDay } from '../time';
import { CATEGORIES, Category, WishDraft } from './types';

// The rules for what a wish may say, written once: the bot's /newwish steps, the HTTP API and any
// later page call these, and the wish service checks every draft with them again before creating
// it. Lengths are counted in characters, so a two-character Chinese title (眼镜) is as good as an
// English word.

export const WISH_LIMITS = {
  title: { min: 2, max: 80 },
  description: { min: 4, max: 1000 },
  alias: { min: 2, max: 60 },
  notes: { max: 1000 },
  contact: { max: 200 },
  name: { max: 60 },
  unit: { max: 20 },
  /** Currency units for cash; items or visits otherwise. */
  target: { cash: 1_000_000, goods: 1000, service: 1000 } satisfies Record<Category, number>,
  /** How far ahead a deadline may be. */
  deadlineDays: 366,
} as const;

export type Checked<T> = { ok: true; value: T } | { ok: false; issue: FieldIssue };

const MESSAGES: Record<IssueCode, (p: Record<string, string | number>) => string> = {
  required: () => 'is required',
  wrong_type: (p) => `must be ${p.expected}`,
  unknown_field: () => 'is not a known field',
  too_short: (p) => `must be at least ${p.min} characters`,
  too_long: (p) => `must be at most ${p.max} characters`,
  not_a_number: () => 'must be a number',
  not_whole: () => 'must be a whole number',
  too_small: (p) => `must be at least ${p.min}`,
  too_large: (p) => `must be at most ${p.max}`,
  not_a_date: () => 'must be a date such as 2026-12-24',
  date_past: () => 'must be in the future',
  date_too_far: (p) => `must be within ${p.days} days`,
  has_phone: () => 'is shown in public groups and must not contain a phone number',
  has_email: () => 'is shown in public groups and must not contain an e-mail address',
  has_id_number: () => 'is shown in public groups and must not contain an ID-card number',
  has_name: () => "is shown in public groups and must not contain the resident's name",
  not_a_choice: (p) => `must be one of ${p.choices}`,
  unknown_community: () => 'is not a community',
  not_a_worker: () => 'is not a worker of this community',
  unknown_area: () => "is not an area of this community's tree",
  ends_before_start: (p) => `must end after it starts (${p.start})`,
};

/** A field issue with its English wording (what the API returns); the bot translates `code`. */
export function issue(field: string, code: IssueCode, params?: Record<string, string | number>): FieldIssue {
  return { field, code, message: MESSAGES[code](params ?? {}), ...(params ? { params } : {}) };
}

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = <T>(field: string, code: IssueCode, params?: Record<string, string | number>): Checked<T> => ({ ok: false, issue: issue(field, code, params) });

// --- what must never appear in public text

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]{2,}/;
/** Mainland resident ID: 18 characters (the last may be X), or the older 15 digits. */
const ID_NUMBER = /(?<!\d)(\d{17}[\dX]|\d{15})(?![\dX])/i;
/** Seven or more digits with at most three spaces or punctuation marks between any two: any phone number. */
const PHONE_7 = /\+?\d(?:[\s\p{P}\p{S}]{0,3}\d){6,}/u;
/** In longer text, where years and amounts are common: a mainland mobile, or ten digits or more. */
const PHONE_LONG = /(?<!\d)1[3-9]\d(?:[\s\-.()/_·\u2010-\u2015]{0,3}\d){8}(?!\d)|\+?\d(?:[\s\-.()]?\d){9,}/;

/** An English title before a capitalised word ("Mr Chen", "auntie May"), but not "aunt in Building 3". */
const HONORIFIC_EN = new RegExp(
  `\\b(?:${['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'madam', 'mme', 'auntie', 'aunt', 'uncle', 'grandma', 'grandpa', 'granny'].map((w) => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1)}`).join('|')})\\.?\\s+[A-Z][a-z'-]+`,
);
// The hundred commonest surnames cover most people; an alias built on one ("陈阿姨", "老王") names someone.
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const HONORIFIC_ZH = new RegExp(`[${SURNAMES}](?:先生|女士|小姐|阿姨|大爷|大妈|大娘|奶奶|爷爷|婆婆|伯伯|大伯|叔叔|阿婆|阿公|老师|师傅|同志)|[老小][${SURNAMES}](?![\\u4e00-\\u9fff])`);

/** Why this public text would expose someone, if it would. Read folded: full-width and other scripts' digits as 0-9, nothing invisible. */
function exposure(text: string, strict: boolean): IssueCode | undefined {
  const s = foldForChecks(text);
  if (EMAIL.test(s)) return 'has_email';
  if (ID_NUMBER.test(s)) return 'has_id_number';
  if ((strict ? PHONE_7 : PHONE_LONG).test(s)) return 'has_phone';
  return undefined;
}

/** The resident's private details, which their public alias must not repeat. */
export interface PrivateDetails {
  name?: string;
  contact?: string;
}

function namesSomeone(alias: string, details: PrivateDetails): boolean {
  const s = foldForChecks(alias);
  if (HONORIFIC_EN.test(s) || HONORIFIC_ZH.test(s)) return true;
  const lower = s.toLowerCase();
  const name = details.name ? foldForChecks(details.name).trim().toLowerCase() : '';
  if (!name) return false;
  // The whole name, or any part of it long enough to identify (a Chinese given name, an English surname).
  const parts = [name, ...name.split(/[\s,.·]+/).filter((p) => charCount(p) >= (/[\u4e00-\u9fff]/.test(p) ? 2 : 3))];
  if (/^[\u4e00-\u9fff]{2,4}$/.test(name)) parts.push(name.slice(1));
  return parts.some((p) => lower.includes(p));
}

// --- one field at a time (the wizard asks them one by one)

function text(field: string, input: string, min: number, max: number, opts: { multiline?: boolean } = {}): Checked<string> {
  const value = tidyText(input, opts);
  const n = charCount(value);
  if (n === 0 && min > 0) return bad(field, 'required');
  if (n < min) return bad(field, 'too_short', { min });
  if (n > max) return bad(field, 'too_long', { max });
  return ok(value);
}

function publicText(field: string, input: string, min: number, max: number, multiline: boolean): Checked<string> {
  const checked = text(field, input, min, max, { multiline });
  if (!checked.ok) return checked;
  const exposed = exposure(checked.value, false);
  return exposed ? bad(field, exposed) : checked;
}

export function checkTitle(input: string): Checked<string> {
  return publicText('title', input, WISH_LIMITS.title.min, WISH_LIMITS.title.max, false);
}

export function checkDescription(input: string): Checked<string> {
  return publicText('description', input, WISH_LIMITS.description.min, WISH_LIMITS.description.max, true);
}

/** The only thing a group ever learns about the resident: no phone, e-mail, ID number or name. */
export function checkAlias(input: string, details: PrivateDetails = {}, field = 'beneficiary.alias'): Checked<string> {
  const checked = text(field, input, WISH_LIMITS.alias.min, WISH_LIMITS.alias.max);
  if (!checked.ok) return checked;
  const exposed = exposure(checked.value, true);
  if (exposed) return bad(field, exposed);
  const contact = details.contact ? foldForChecks(details.contact).replace(/\D/g, '') : '';
  if (contact.length >= 5 && foldForChecks(checked.value).replace(/\D/g, '').includes(contact)) return bad(field, 'has_phone');
  return namesSomeone(checked.value, details) ? bad(field, 'has_name') : checked;
}

/** Private text (notes, contact, name): only its length matters. Empty means none. */
export function checkPrivate(field: 'beneficiary.notes' | 'beneficiary.contact' | 'beneficiary.name', input: string | undefined): Checked<string | undefined> {
  if (input === undefined) return ok(undefined);
  const max = { 'beneficiary.notes': WISH_LIMITS.notes.max, 'beneficiary.contact': WISH_LIMITS.contact.max, 'beneficiary.name': WISH_LIMITS.name.max }[field];
  const checked = text(field, input, 0, max, { multiline: field === 'beneficiary.notes' });
  if (!checked.ok) return checked;
  return ok(checked.value === '' ? undefined : checked.value);
}

export function checkTarget(value: number, category: Category, field = 'target'): Checked<number> {
  if (!Number.isFinite(value)) return bad(field, 'not_a_number');
  if (!Number.isInteger(value)) return bad(field, 'not_whole');
  if (value < 1) return bad(field, 'too_small', { min: 1 });
  const max = WISH_LIMITS.target[category];
  if (value > max) return bad(field, 'too_large', { max });
  return ok(value);
}

export function checkUnit(input: string | undefined): Checked<string | undefined> {
  if (input === undefined) return ok(undefined);
  const checked = text('unit', input, 0, WISH_LIMITS.unit.max);
  if (!checked.ok) return checked;
  return ok(checked.value === '' ? undefined : checked.value);
}

const CURRENCY_WORDS = /^(?:元|块|块钱|圆|rmb|cny|yuan|usd|dollars?|eur|euros?|gbp|pounds?|hkd)$/i;

/**
 * A target as typed: "300", "２００", "1,000 元", "¥300" for cash; "2", "2 bags", "两袋" for goods
 * and services, where the words after the number become the unit ("bags", "袋").
 */
export function readTarget(input: string, category: Category): Checked<{ target: number; unit?: string }> {
  const n = readNumber(input);
  if (!n.ok) return bad('target', n.reason);
  const target = checkTarget(n.value, category);
  if (!target.ok) return target;
  if (category === 'cash') {
    return n.rest === '' || CURRENCY_WORDS.test(n.rest) ? ok({ target: target.value }) : bad('target', 'not_a_number');
  }
  const unit = checkUnit(n.rest);
  if (!unit.ok) return unit;
  return ok(unit.value ? { target: target.value, unit: unit.value } : { target: target.value });
}

export function checkDeadline(deadline: Date, now: Date, field = 'deadline'): Checked<Date> {
  if (Number.isNaN(deadline.getTime())) return bad(field, 'not_a_date');
  if (deadline.getTime() <= now.getTime()) return bad(field, 'date_past');
  if (deadline.getTime() > now.getTime() + WISH_LIMITS.deadlineDays * 86_400_000) return bad(field, 'date_too_far', { days: WISH_LIMITS.deadlineDays });
  return ok(deadline);
}

/** A deadline as typed (12月31日, 2026/12/31, 14, tomorrow, ...): the end of that day, where the community lives. */
export function readDeadline(input: string, now: Date, timeZone: string): Checked<Date> {
  const day = readDay(input, now, timeZone);
  if (!day) return bad('deadline', 'not_a_date');
  return checkDeadline(endOfDay(day, timeZone), now);
}

// --- a whole draft (the API sends it at once; the service checks every draft again)

/** What a caller proposes; the rules tidy it into a WishDraft or refuse it, naming every bad field. */
export type DraftInput = Omit<WishDraft, 'title' | 'description' | 'beneficiary' | 'unit'> & {
  title: string;
  description: string;
  unit?: string;
  beneficiary: { alias: string; notes?: string; contact?: string; name?: string };
};

/**
 * Checks a draft that may be incomplete or mistyped (an API body whose shape is partly wrong), so
 * that one answer names every bad field: each field of the right type is checked by its rule, a
 * missing one is `required`, one of the wrong type `wrong_type`. `tidy` receives the tidied values.
 */
export function draftIssues(input: Record<string, unknown>, now: Date, tidy: Record<string, unknown> = {}): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const run = <T>(field: string, value: unknown, kind: 'string' | 'number' | 'date', required: boolean, check: (v: never) => Checked<T>) => {
    if (value === undefined || value === null) {
      if (required) issues.push(issue(field, 'required'));
      return;
    }
    const typed = kind === 'date' ? value instanceof Date : typeof value === kind;
    if (!typed) {
      issues.push(issue(field, 'wrong_type', { expected: kind === 'date' ? 'a date' : `a ${kind}` }));
      return;
    }
    const checked = check(value as never);
    if (checked.ok) tidy[field] = checked.value;
    else issues.push(checked.issue);
  };
  const b = (input.beneficiary ?? {}) as Record<string, unknown>;
  const category = CATEGORY_NAMES.includes(input.category as Category) ? (input.category as Category) : undefined;
  run('title', input.title, 'string', true, checkTitle);
  run('description', input.description, 'string', true, checkDescription);
  // With the category unknown, the target is still checked to be a whole number of at least 1.
  run('target', input.target, 'number', true, (v: number) => checkTarget(v, category ?? 'cash'));
  if (category && category !== 'cash') run('unit', input.unit, 'string', false, checkUnit);
  run('deadline', input.deadline, 'date', true, (d: Date) => checkDeadline(d, now));
  run('beneficiary.name', b.name, 'string', false, (v: string) => checkPrivate('beneficiary.name', v));
  run('beneficiary.contact', b.contact, 'string', false, (v: string) => checkPrivate('beneficiary.contact', v));
  run('beneficiary.notes', b.notes, 'string', false, (v: string) => checkPrivate('beneficiary.notes', v));
  run('beneficiary.alias', b.alias, 'string', true, (v: string) => checkAlias(v, { name: str(b.name), contact: str(b.contact) }));
  run('skill', input.skill, 'string', false, (v: string) =>
    (SKILLS as readonly string[]).includes(v) ? ok(v) : bad('skill', 'not_a_choice', { choices: SKILLS.join(', ') }),
  );
  run('areaId', input.areaId, 'string', false, (v: string) => (/^[A-Za-z0-9_-]{1,64}$/.test(v) ? ok(v) : bad('areaId', 'not_a_choice', { choices: "an area id of the community's tree" })));
  return issues;
}

const CATEGORY_NAMES: readonly string[] = CATEGORIES;

/** The draft tidied by the rules, or an InvalidError naming every bad field. */
export function validateDraft(input: DraftInput, now: Date): WishDraft {
  const tidy: Record<string, unknown> = {};
  const issues = draftIssues(input as unknown as Record<string, unknown>, now, tidy);
  if (!CATEGORY_NAMES.includes(input.category)) issues.push(issue('category', 'not_a_choice', { choices: CATEGORY_NAMES.join(', ') }));
  if (issues.length > 0) throw InvalidError.fields(issues);
  const beneficiary = {
    alias: tidy['beneficiary.alias'] as string,
    notes: tidy['beneficiary.notes'] as string | undefined,
    contact: tidy['beneficiary.contact'] as string | undefined,
    name: tidy['beneficiary.name'] as string | undefined,
  };
  return withoutUndefined({
    ...input,
    title: tidy.title as string,
    description: tidy.description as string,
    target: tidy.target as number,
    unit: input.category === 'cash' ? undefined : (tidy.unit as string | undefined),
    deadline: tidy.deadline as Date,
    beneficiary,
  });
}

/** Optional fields left out rather than stored as undefined, so snapshots and events stay tidy. */
function withoutUndefined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    out[k] = v !== null && typeof v === 'object' && !(v instanceof Date) && !Array.isArray(v) ? withoutUndefined(v) : v;
  }
  return out as T;
}
