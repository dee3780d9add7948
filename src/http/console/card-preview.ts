import { WishState } from '../../domain/wish/types';
import { renderCard } from '../../ui/card';
import { PageContext } from './context';
import { escapeText, Html, html, trusted } from './html';

const TELEGRAM_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'code', 'pre']);

/**
 * A card's Telegram HTML as page markup: the formatting tags Telegram knows are kept (without
 * attributes), any other `<`, `>` or quote is escaped. Text in it is already escaped for Telegram.
 */
export function telegramHtml(text: string): Html {
  return trusted(text.replace(/<(\/?)([a-z]+)>|[<>"']/g, (m, slash: string | undefined, tag: string | undefined) => (tag !== undefined && TELEGRAM_TAGS.has(tag) ? `<${slash ?? ''}${tag}>` : escapeText(m))));
}

/** The group card as Telegram would show it: a message bubble and its inline buttons. */
export function cardBubble(state: WishState, ctx: PageContext): Html {
  const card = renderCard(state, { language: ctx.lang, timeZone: ctx.timezone, currency: ctx.currency });
  const keyboard = card.keyboard ?? [];
  return html`<div class="tg-chat">
    <div class="tg-bubble">${telegramHtml(card.text)}</div>
    ${keyboard.length > 0
      ? html`<div class="tg-keyboard">${keyboard.map((row) => html`<div class="tg-row">${row.map((b) => html`<span class="tg-button">${b.text}</span>`)}</div>`)}</div>`
      : ''}
  </div>`;
}
