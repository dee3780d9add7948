// A message as a Telegram client shows it: the text with its entities (bold, links, code...) as HTML,
// who sent it, whether it was edited, and its inline keyboard. Pure, for the demo page.
import { createHash } from 'node:crypto';
import type { Message, MessageEntity } from '../../test/fake-telegram';

export interface ShownButton {
  text: string;
  data?: string;
  url?: string;
}

export interface ShownMessage {
  id: number;
  /** Changes whenever what is shown changes (an edit, a new keyboard): the page redraws only then. */
  key: string;
  from: { id: number; name: string; isBot: boolean };
  html: string;
  date: number;
  edited: boolean;
  buttons: ShownButton[][];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Only links a page may follow safely. */
const safeHref = (href: string): string | undefined => (/^(https?:\/\/|tg:\/\/|mailto:)/i.test(href) ? href : /^[\w.-]+\.[a-z]{2,}(\/\S*)?$/i.test(href) ? `https://${href}` : undefined);

function open(e: MessageEntity, text: string): [string, string] {
  switch (e.type) {
    case 'bold':
      return ['<b>', '</b>'];
    case 'italic':
      return ['<i>', '</i>'];
    case 'underline':
      return ['<u>', '</u>'];
    case 'strikethrough':
      return ['<s>', '</s>'];
    case 'spoiler':
      return ['<span class="spoiler">', '</span>'];
    case 'code':
      return ['<code>', '</code>'];
    case 'pre':
      return ['<pre>', '</pre>'];
    case 'blockquote':
    case 'expandable_blockquote':
      return ['<blockquote>', '</blockquote>'];
    case 'bot_command':
      return ['<span class="cmd">', '</span>'];
    case 'text_link':
    case 'url': {
      const href = safeHref(e.type === 'url' ? text.slice(e.offset, e.offset + e.length) : (e.url ?? ''));
      return href ? [`<a href="${escapeHtml(href)}" target="_blank" rel="noopener">`, '</a>'] : ['', ''];
    }
    default:
      return ['', ''];
  }
}

/** Links and /commands in plain text, as Telegram marks them itself: only where no other entity is. */
export function autoEntities(text: string, entities: readonly MessageEntity[]): MessageEntity[] {
  const found: MessageEntity[] = [];
  const free = (offset: number, length: number) => entities.every((e) => offset + length <= e.offset || offset >= e.offset + e.length);
  for (const m of text.matchAll(/\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g)) if (free(m.index, m[0].length)) found.push({ type: 'url', offset: m.index, length: m[0].length });
  for (const m of text.matchAll(/(?<![\w/.:])\/[A-Za-z][A-Za-z0-9_]{0,31}(?:@\w+)?(?![\w/])/g)) {
    if (free(m.index, m[0].length) && found.every((f) => m.index >= f.offset + f.length || m.index + m[0].length <= f.offset)) found.push({ type: 'bot_command', offset: m.index, length: m[0].length });
  }
  return [...entities, ...found];
}

/** The text with its entities as HTML. Offsets are UTF-16 code units, as JavaScript strings count them. */
export function entitiesToHtml(text: string, given: readonly MessageEntity[] = []): string {
  const entities = autoEntities(text, given);
  const sorted = entities.filter((e) => e.length > 0 && e.offset >= 0 && e.offset < text.length).sort((a, b) => a.offset - b.offset || b.length - a.length);
  const render = (from: number, to: number, list: MessageEntity[]): string => {
    let out = '';
    let pos = from;
    let i = 0;
    while (i < list.length) {
      const e = list[i]!;
      const start = Math.max(e.offset, pos);
      const end = Math.min(e.offset + e.length, to);
      let j = i + 1;
      while (j < list.length && list[j]!.offset < end) j++;
      if (end > start) {
        const [before, after] = open(e, text);
        out += escapeHtml(text.slice(pos, start)) + before + render(start, end, list.slice(i + 1, j)) + after;
        pos = end;
      }
      i = j;
    }
    return out + escapeHtml(text.slice(pos, to));
  };
  return render(0, text.length, sorted);
}

export const nameOf = (u: { first_name?: string; last_name?: string } | undefined): string => [u?.first_name, u?.last_name].filter(Boolean).join(' ') || 'Someone';

export function showMessage(m: Message): ShownMessage {
  const html = entitiesToHtml(m.text ?? '', m.entities);
  const buttons = (m.reply_markup?.inline_keyboard ?? []).map((row) =>
    row.map((b) => ({ text: b.text, ...(typeof b.callback_data === 'string' ? { data: b.callback_data } : {}), ...(typeof b.url === 'string' ? { url: b.url } : {}) })),
  );
  const from = { id: m.from?.id ?? 0, name: nameOf(m.from), isBot: m.from?.is_bot === true };
  const edited = m.edit_date !== undefined;
  const key = createHash('sha1').update(JSON.stringify([html, buttons, m.edit_date ?? 0])).digest('base64url').slice(0, 16);
  return { id: m.message_id, key, from, html, date: m.date, edited, buttons };
}
