import { Language } from '../domain/community';
import { remainingAmount } from '../domain/wish/evolve';
import { Pledge, WishState } from '../domain/wish/types';
import { InlineKeyboard, RenderedMessage } from '../domain/outbox';
import { callbackData } from './callbacks';
import { clip, escapeHtml, progressBar, shortDate } from './format';
import { t } from './i18n';

export interface CardContext {
  language: Language;
  timeZone: string;
}

const CATEGORY_ICON = { goods: '🎁', cash: '💰', service: '🤝' } as const;
const NICE = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

/** Up to two round amounts well under what remains, then the remainder itself: 180 → 50, 100, 180. */
export function presetAmounts(remaining: number): number[] {
  if (remaining <= 0) return [];
  const smaller = NICE.filter((n) => n <= remaining * 0.6 && n < remaining).slice(-2);
  return [...smaller, remaining];
}

function donorLabel(p: Pledge, language: Language): string {
  if (p.anonymous) return t(language, 'card.anonymous');
  return escapeHtml(p.displayName ?? t(language, 'card.someone'));
}

function livePledges(state: WishState): Pledge[] {
  return state.pledges.filter((p) => p.status === 'active' || p.status === 'delivered' || p.status === 'confirmed');
}

/** The progress lines and the buttons a card shows; shared by cards and previews. */
export function renderCard(state: WishState, ctx: CardContext): RenderedMessage {
  const { language: lang } = ctx;
  const live = livePledges(state);
  const remaining = remainingAmount(state);
  const head = `${CATEGORY_ICON[state.category]} <b>${escapeHtml(state.code)} · ${escapeHtml(clip(state.title, 80))}</b>${state.urgency === 'urgent' ? `   ${t(lang, 'card.urgent')}` : ''}`;
  const lines = [head, t(lang, 'card.for', { alias: escapeHtml(clip(state.beneficiary.alias, 80)) }), escapeHtml(clip(state.description, 600))];

  const bar = progressBar(state.pledged, state.target);
  if (state.category === 'cash') {
    const progress =
      remaining > 0
        ? t(lang, 'card.progressCash', { pledged: state.pledged, target: state.target, remaining })
        : t(lang, 'card.progressCashFull', { pledged: state.pledged, target: state.target });
    lines.push(`${bar}  ${progress}`);
  } else if (live[0]) {
    lines.push(`${bar}  ${t(lang, 'card.progressGoodsTaken', { donor: donorLabel(live[0], lang) })}`);
  } else {
    lines.push(`${bar}  ${t(lang, 'card.progressGoodsOpen')}`);
  }

  const footer = [t(lang, 'card.until', { date: shortDate(state.deadline, lang, ctx.timeZone) })];
  if (state.category === 'cash' && live.length > 0) {
    footer.push(t(lang, 'card.pledgeCount', { count: live.length, names: live.map((p) => donorLabel(p, lang)).join(', ') }));
  }
  lines.push(footer.join(' · '));

  if (state.lifecycle === 'fulfilled') lines.push(t(lang, 'card.status.fulfilled'));
  else if (state.lifecycle === 'cancelled') lines.push(t(lang, 'card.status.cancelled'));
  else if (state.lifecycle === 'expired') lines.push(t(lang, 'card.status.expired'));
  else if (live.length > 0 && live.every((p) => p.status !== 'active') && remaining === 0) lines.push(t(lang, 'card.status.delivered'));

  return { text: lines.join('\n'), parseMode: 'HTML', keyboard: cardKeyboard(state, lang) };
}

export function cardKeyboard(state: WishState, lang: Language): InlineKeyboard {
  const details = { text: t(lang, 'card.button.details'), callback_data: callbackData.details(state.id) };
  if (state.lifecycle !== 'published') return [];
  const remaining = remainingAmount(state);
  if (remaining <= 0) return [[details]];
  if (state.category === 'cash') {
    const presets = presetAmounts(remaining).map((amount) => ({
      text: t(lang, 'card.button.pledge', { amount }),
      callback_data: callbackData.pledge(state.id, amount),
    }));
    return [presets, [{ text: t(lang, 'card.button.other'), callback_data: callbackData.other(state.id) }, details]];
  }
  return [[{ text: t(lang, 'card.button.claim'), callback_data: callbackData.claim(state.id) }, details]];
}
