import { Language } from '../domain/community';
import { Group } from '../domain/groups';
import { InlineKeyboard, RenderedMessage } from '../domain/outbox';
import { Pledge, WishState } from '../domain/wish/types';
import { livePledges, remainingAmount } from '../domain/wish/views';
import { isRedacted } from '../domain/wish/consent';
import { callbackData } from './callbacks';
import { amountOf, clip, escapeHtml, Locale, money, progressBar, shortDate } from './format';
import { t } from './i18n';

export type CardContext = Locale;

const CATEGORY_ICON = { goods: '🎁', cash: '💰', service: '🤝' } as const;
const NICE = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

/** Telegram refuses a message longer than this (counted in characters after entities are parsed). */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Room the pledgers' names may take on a card, however many there are. */
const NAMES_BUDGET = 240;
const NAME_MAX = 40;

/** Up to two round amounts well under what remains, then the remainder itself: 180 → 50, 100, 180. */
export function presetAmounts(remaining: number): number[] {
  if (remaining <= 0) return [];
  const smaller = NICE.filter((n) => n <= remaining * 0.6 && n < remaining).slice(-2);
  return [...smaller, remaining];
}

function donorLabel(p: Pledge, language: Language): string {
  if (p.anonymous) return t(language, 'card.anonymous');
  return escapeHtml(clip(p.displayName ?? t(language, 'card.someone'), NAME_MAX));
}

/**
 * The pledgers' names within a fixed budget: "Harbour Bakery, a Party member and 74 others". A card
 * with eighty pledgers is as short as one with eight, so it never outgrows Telegram's limit.
 */
export function summarizeNames(labels: string[], lang: Language, budget = NAMES_BUDGET): string {
  const sep = lang === 'zh' ? '、' : ', ';
  const shown: string[] = [];
  let used = 0;
  for (const label of labels) {
    const cost = [...label].length + sep.length;
    if (shown.length > 0 && used + cost > budget) break;
    shown.push(label);
    used += cost;
  }
  const others = labels.length - shown.length;
  return others === 0 ? shown.join(sep) : t(lang, 'card.namesAndOthers', { names: shown.join(sep), others });
}

function progressLine(state: WishState, ctx: CardContext): string {
  const { language: lang, currency } = ctx;
  const bar = progressBar(state.pledged, state.target);
  if (state.category === 'cash') {
    const remaining = remainingAmount(state);
    const figures = { pledged: money(state.pledged, currency), target: money(state.target, currency), remaining: money(remaining, currency) };
    return `${bar}  ${t(lang, remaining > 0 ? 'card.progressCash' : 'card.progressCashFull', figures)}`;
  }
  const needed = escapeHtml(amountOf(state, state.target, lang, currency));
  const taker = livePledges(state)[0];
  const service = state.category === 'service';
  if (!taker) return `${bar}  ${t(lang, service ? 'card.progressServiceOpen' : 'card.progressGoodsOpen', { needed })}`;
  return `${bar}  ${t(lang, service ? 'card.progressServiceTaken' : 'card.progressGoodsTaken', { needed, donor: donorLabel(taker, lang) })}`;
}

function statusLine(state: WishState, lang: Language): string | undefined {
  if (state.lifecycle === 'fulfilled') return t(lang, 'card.status.fulfilled');
  if (state.lifecycle === 'cancelled') return t(lang, 'card.status.cancelled');
  if (state.lifecycle === 'expired') return t(lang, 'card.status.expired');
  const live = livePledges(state);
  if (live.length > 0 && live.every((p) => p.status !== 'active') && remainingAmount(state) === 0) {
    return t(lang, state.category === 'service' ? 'card.status.visited' : 'card.status.delivered');
  }
  return undefined;
}

/**
 * A wish's card as groups see it (`invited`: as a donor the worker asked directly sees it): what is needed, for whom (the public alias only), how far it has
 * come, until when, and the buttons that still apply. Always within Telegram's length limit.
 */
export function renderCard(state: WishState, ctx: CardContext, opts: { invited?: boolean } = {}): RenderedMessage {
  const { language: lang } = ctx;
  const head = `${CATEGORY_ICON[state.category]} <b>${escapeHtml(state.code)} · ${escapeHtml(clip(state.title, 80))}</b>${state.urgency === 'urgent' ? `   ${t(lang, 'card.urgent')}` : ''}`;
  const footer = [t(lang, 'card.until', { date: shortDate(state.deadline, lang, ctx.timeZone) })];
  const live = livePledges(state);
  if (state.category === 'cash' && live.length > 0) {
    footer.push(t(lang, 'card.pledgeCount', { count: live.length, names: summarizeNames(live.map((p) => donorLabel(p, lang)), lang) }));
  }
  const after = [progressLine(state, ctx), footer.join(' · ')];
  const status = statusLine(state, lang);
  if (status) after.push(status);
  // The resident took back their yes (or never gave it to the groups): no alias, no description.
  // (A donor the worker invited directly sees it whole: that is what "keep it private" allows.)
  if (isRedacted(state) && !opts.invited) return { text: [head, t(lang, 'card.redacted'), ...after].join('\n'), parseMode: 'HTML', keyboard: cardKeyboard(state, ctx) };
  const before = [head, t(lang, 'card.for', { alias: escapeHtml(clip(state.beneficiary.alias, 80)) })];
  // The description gives way if anything else ever grows: the card as a whole always fits.
  const fixed = [...before, ...after].join('\n').length + 2;
  const description = escapeHtml(clip(state.description, Math.max(0, Math.min(600, TELEGRAM_TEXT_LIMIT - 96 - fixed))));
  return { text: [...before, description, ...after].join('\n'), parseMode: 'HTML', keyboard: cardKeyboard(state, ctx) };
}

export function cardKeyboard(state: WishState, ctx: Pick<CardContext, 'language' | 'currency'>): InlineKeyboard {
  const { language: lang } = ctx;
  const details = { text: t(lang, 'card.button.details'), callback_data: callbackData.details(state.id) };
  if (state.lifecycle !== 'published') return [];
  const remaining = remainingAmount(state);
  if (remaining <= 0) return [[details]];
  if (state.category === 'cash') {
    const presets = presetAmounts(remaining).map((amount) => ({
      text: t(lang, 'card.button.pledge', { amount: money(amount, ctx.currency) }),
      callback_data: callbackData.pledge(state.id, amount),
    }));
    return [presets, [{ text: t(lang, 'card.button.other'), callback_data: callbackData.other(state.id) }, details]];
  }
  return [[{ text: t(lang, 'card.button.claim'), callback_data: callbackData.claim(state.id) }, details]];
}

/**
 * The card a resident is asked about: exactly what the community's groups would post, in the
 * language of its first active group (else the service's).
 */
export function previewCardText(state: WishState, groups: ReadonlyArray<Pick<Group, 'active' | 'language'>>, defaults: CardContext): string {
  const group = groups.find((g) => g.active);
  return renderCard(state, { ...defaults, language: group?.language ?? defaults.language }).text;
}
