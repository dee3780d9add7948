import { dayIn, endOfDay } from './time';

// Reading what people naturally type, in English or Chinese: full-width digits (２００), thousands
// separators, a unit after a number ("2 bags", "2袋"), dates like 12月31日, 2026/12/31, 31 Dec,
// "tomorrow" or 明天. Pure; the rules in wish/rules.ts decide what is acceptable.

/** Length as a person counts it: characters (code points), so 眼镜 is 2 and an emoji is 1. */
export function charCount(s: string): number {
  return [...s].length;
}

/** A decimal digit of any script (Arabic-Indic ٣, Devanagari ३, ...) as 0-9: Unicode keeps digits in whole runs of ten, each from zero. */
function asciiDigit(digit: string): string {
  const cp = digit.codePointAt(0)!;
  let start = cp;
  while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return String((cp - start) % 10);
}

/**
 * Full-width digits, letters and punctuation as their plain forms (NFKC: １３８ → 138, circled and
 * mathematical digits too), and the decimal digits of every script as 0-9: for reading numbers and dates.
 */
export function halfWidth(s: string): string {
  return s.normalize('NFKC').replace(/\P{ASCII}/gu, (ch) => (/\p{Nd}/u.test(ch) ? asciiDigit(ch) : ch));
}

/**
 * Text as the private-data checks read it: plain forms (halfWidth), and nothing invisible left to
 * hide a number or a name behind (zero-width spaces, joiners, bidi marks, combining marks).
 */
export function foldForChecks(s: string): string {
  return halfWidth(s).replace(/[\p{Cf}\p{Mn}\p{Me}]/gu, '');
}

// Characters no one means to store: C0 and C1 controls but tab and line breaks, DEL, the bidi
// embeddings, overrides and isolates that reorder how a line is shown, a byte-order mark, and
// unpaired surrogates (half an emoji, not text). Stripped silently wherever text is tidied.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNWANTED = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u202a-\u202e\u2066-\u2069\ufeff]|\p{Cs}/gu;

/** Removes what no one means to store (see UNWANTED); vertical tab and form feed become spaces, NEL and Unicode line separators line breaks. */
export function withoutControls(s: string): string {
  return s.replace(/[\v\f]/g, ' ').replace(/[\u0085\u2028\u2029]/g, '\n').replace(UNWANTED, '');
}

/**
 * Tidies free text: strips control characters and unpaired surrogates, trims, collapses runs of
 * spaces and tabs, and keeps line breaks only where they are wanted (at most one blank line in a row).
 */
export function tidyText(s: string, opts: { multiline?: boolean } = {}): string {
  const lines = withoutControls(s.replace(/\r\n?/g, '\n')).split('\n').map((l) => l.replace(/[ \t\u00a0\u3000]+/g, ' ').trim());
  if (!opts.multiline) return lines.filter(Boolean).join(' ');
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The longest start of `s` of at most `max` characters (code points, as Telegram counts them) that
 * ends between two whole graphemes: never half an emoji, a flag, a ZWJ family or a letter without
 * its accent.
 */
export function takeGraphemes(s: string, max: number): string {
  if (charCount(s) <= max) return s;
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(s)) {
    const n = charCount(segment);
    if (used + n > max) break;
    out += segment;
    used += n;
  }
  return out;
}

/** A short free-text reason (cancelling, withdrawing): tidied like any text and cut on whole graphemes; none if empty. */
export function tidyReason(s: string | undefined, max = 500): string | undefined {
  if (s === undefined) return undefined;
  return takeGraphemes(tidyText(s), max).trim() || undefined;
}

const CHINESE_DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

export type NumberReading =
  | { ok: true; value: number; rest: string }
  | { ok: false; reason: 'not_a_number' | 'not_whole' };

/**
 * A number at the start of the input and what follows it: "２,０００ 元" → 2000 and "元"; "2 bags"
 * → 2 and "bags"; "两袋" → 2 and "袋"; "¥300" → 300. Fractions are read, so they can be refused
 * by name ("not a whole number") rather than as "not a number".
 */
export function readNumber(input: string): NumberReading {
  let s = halfWidth(input).trim().replace(/^[¥$€£]\s*/, '');
  const chinese = /^([零一二两三四五六七八九十])(.*)$/u.exec(s);
  if (chinese && !/^\d/.test(s)) return { ok: true, value: CHINESE_DIGITS[chinese[1]!]!, rest: chinese[2]!.trim() };
  s = s.replace(/(\d)[,_ ](?=\d{3}(?!\d))/g, '$1');
  const m = /^(-?\d+)(?:\.(\d+))?(.*)$/s.exec(s);
  if (!m) return { ok: false, reason: 'not_a_number' };
  if (m[2] && /[1-9]/.test(m[2])) return { ok: false, reason: 'not_whole' };
  const value = Number(m[1]);
  if (!Number.isSafeInteger(value)) return { ok: false, reason: 'not_a_number' };
  return { ok: true, value, rest: m[3]!.trim() };
}

const DAY = 86_400_000;

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
};

const RELATIVE_DAYS: Record<string, number> = {
  today: 0, 今天: 0, 今日: 0,
  tomorrow: 1, 明天: 1, 明日: 1,
  'day after tomorrow': 2, 'the day after tomorrow': 2, 后天: 2,
  'next week': 7, 下周: 7, 下星期: 7, 下个星期: 7, 下礼拜: 7,
};

const isoDay = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Whether the calendar has this day: 2026-11-31 and 2026-02-29 it has not. */
export function realDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A calendar day given without a year: this year's if that day has not ended yet, else next year's. */
function nearestYear(m: number, d: number, now: Date, timeZone: string): string | undefined {
  const year = Number(dayIn(now, timeZone).slice(0, 4));
  for (const y of [year, year + 1]) {
    if (realDay(y, m, d) && endOfDay(isoDay(y, m, d), timeZone).getTime() > now.getTime()) return isoDay(y, m, d);
  }
  return realDay(year + 1, m, d) ? isoDay(year + 1, m, d) : undefined;
}

/**
 * The calendar day (YYYY-MM-DD, in `timeZone`) a person means: 2026-12-31, 2026/12/31, 2026.12.31,
 * 2026年12月31日, 12月31日, 12/31, 31 Dec, Dec 31 2026, a number of days (14), "in 3 days", 3天后,
 * 2 weeks, 两周, today/tomorrow/明天/后天/next week. Undefined when it cannot be read or the day
 * does not exist (2026-02-30). Whether the day is acceptable is for the rules to say.
 */
export function readDay(input: string, now: Date, timeZone: string): string | undefined {
  const s = halfWidth(input).trim().toLowerCase().replace(/\s+/g, ' ').replace(/[。.!]$/, '');
  const today = dayIn(now, timeZone);
  const plusDays = (n: number) => dayIn(new Date(endOfDay(today, timeZone).getTime() - DAY / 2 + n * DAY), timeZone);
  if (Object.hasOwn(RELATIVE_DAYS, s)) return plusDays(RELATIVE_DAYS[s]!);

  const days = /^(?:in )?(\d{1,3})(?: ?(days?|天|日)(?: ?(?:later|from now|后|以后|之后))?)?$/.exec(s);
  if (days) return plusDays(Number(days[1]));
  const weeks = /^(?:in )?(\d{1,2}|[一二两三四五六七八九十]) ?(weeks?|周|个星期|星期|个礼拜)(?: ?(?:later|from now|后|以后|之后))?$/.exec(s);
  if (weeks) {
    const n = /\d/.test(weeks[1]!) ? Number(weeks[1]) : CHINESE_DIGITS[weeks[1]!]!;
    return plusDays(7 * n);
  }

  const full = /^(\d{4}) ?[-/.年] ?(\d{1,2}) ?[-/.月] ?(\d{1,2}) ?[日号]?$/.exec(s);
  if (full) {
    const [y, m, d] = [Number(full[1]), Number(full[2]), Number(full[3])];
    return realDay(y, m, d) ? isoDay(y, m, d) : undefined;
  }
  const monthDay = /^(\d{1,2}) ?(?:月|\/|-|\.) ?(\d{1,2}) ?[日号]?$/.exec(s);
  if (monthDay) return nearestYear(Number(monthDay[1]), Number(monthDay[2]), now, timeZone);

  const named = /^(?:(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)|([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?),?(?: (\d{4}))?$/.exec(s);
  if (named) {
    const month = MONTHS[(named[2] ?? named[3])!.replace(/\.$/, '')];
    const d = Number(named[1] ?? named[4]);
    if (!month) return undefined;
    if (named[5]) return realDay(Number(named[5]), month, d) ? isoDay(Number(named[5]), month, d) : undefined;
    return nearestYear(month, d, now, timeZone);
  }
  return undefined;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/;

/**
 * A deadline as an API sends it: an ISO date (the end of that day in `timeZone`) or an ISO
 * date-time with its offset. Undefined unless the calendar has that day: JavaScript's Date would
 * quietly turn 2026-11-31 into 1 December. Whether it is acceptable (future, not too far) is the rules'.
 */
export function readIsoDeadline(input: string, timeZone: string): Date | undefined {
  const m = ISO_DATE.exec(input) ?? ISO_DATETIME.exec(input);
  if (!m || !realDay(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  if (ISO_DATE.test(input)) return endOfDay(input, timeZone);
  const at = new Date(input);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
