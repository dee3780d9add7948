import { Language } from '../domain/community';
import { takeGraphemes } from '../domain/input';
import { Category, Pledge, WishState } from '../domain/wish/types';
import { t } from './i18n';

// Small pure helpers for Telegram HTML messages.

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Ten cells, at least one filled once anything is pledged, full only when the target is met. */
export function progressBar(pledged: number, target: number, cells = 10): string {
  const ratio = target > 0 ? Math.min(1, pledged / target) : 0;
  let filled = Math.floor(ratio * cells);
  if (pledged > 0 && filled === 0) filled = 1;
  if (ratio < 1 && filled === cells) filled = cells - 1;
  return '▰'.repeat(filled) + '▱'.repeat(cells - filled);
}

/** A short date in the given zone: 12 Dec / 12月12日. */
export function shortDate(d: Date, language: Language, timeZone: string): string {
  if (language === 'zh') {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, month: 'numeric', day: 'numeric' }).formatToParts(d);
    const month = parts.find((p) => p.type === 'month')?.value;
    const day = parts.find((p) => p.type === 'day')?.value;
    return `${month}月${day}日`;
  }
  return new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short' }).format(d);
}

export { takeGraphemes };

/** Cuts text to a length Telegram and small screens are happy with (at most `max` characters with the "…"), on whole graphemes. */
export function clip(s: string, max: number): string {
  if ([...s].length <= max) return s;
  if (max < 1) return '';
  return `${takeGraphemes(s, max - 1).trimEnd()}…`;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** An amount of money with its sign, the same in both languages: ¥120, ¥1,000 (whole currency units). */
export function money(amount: number, currency: string): string {
  let f = moneyFormats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'narrowSymbol', minimumFractionDigits: 0, maximumFractionDigits: 0 });
    moneyFormats.set(currency, f);
  }
  return f.format(amount);
}

/** A count with what it counts: "2 bags", "2袋", "1 visit", "3 件". */
export function quantity(n: number, category: Exclude<Category, 'cash'>, unit: string | undefined, lang: Language): string {
  if (!unit) return t(lang, category === 'service' ? 'quantity.visits' : 'quantity.items', { n });
  return /^[\u3400-\u9fff]/u.test(unit) ? `${n}${unit}` : `${n} ${unit}`;
}

/** How much of a wish: money for cash, a quantity for goods and services. */
export function amountOf(wish: Pick<WishState, 'category' | 'unit'>, n: number, lang: Language, currency: string): string {
  return wish.category === 'cash' ? money(n, currency) : quantity(n, wish.category, wish.unit, lang);
}

/** What the reader needs to know of a place and its money: their language, the community's zone and currency. */
export interface Locale {
  language: Language;
  timeZone: string;
  currency: string;
}

/** A wish's progress in a list: "¥120 / ¥300" for cash, what is needed ("2 bags") otherwise. */
export function progressText(wish: Pick<WishState, 'category' | 'unit' | 'pledged' | 'target'>, locale: Pick<Locale, 'language' | 'currency'>): string {
  if (wish.category === 'cash') return `${money(wish.pledged, locale.currency)} / ${money(wish.target, locale.currency)}`;
  return amountOf(wish, wish.target, locale.language, locale.currency);
}

/** Who a pledge is from, as anyone but staff's private views may say it: an anonymous donor is never named. */
export function donorLabel(p: Pick<Pledge, 'anonymous' | 'displayName'>, lang: Language, as: 'html' | 'plain' = 'html'): string {
  if (p.anonymous) return t(lang, 'resident.anonymousDonor');
  if (!p.displayName) return t(lang, 'card.someone');
  return as === 'html' ? escapeHtml(p.displayName) : p.displayName;
}

/** A catalog phrase at the start of a sentence ("an anonymous donor" → "An anonymous donor"); Chinese is unchanged. */
export function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "A, B and C" / "A、B和C". */
export function listOf(names: string[], lang: Language): string {
  if (names.length <= 1) return names.join('');
  const head = names.slice(0, -1).join(lang === 'zh' ? '、' : ', ');
  return lang === 'zh' ? `${head}和${names.at(-1)}` : `${head} and ${names.at(-1)}`;
}
