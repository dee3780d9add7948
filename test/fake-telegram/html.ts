// Telegram's HTML parse mode, after tdlib's parse_html: the plain text and its entities (UTF-16
// offsets), or the Bot API's "can't parse entities" error with the same wording and UTF-8 byte offsets.
import { ApiError } from './errors';
import type { MessageEntity } from './types';

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

const ENTITY_OF: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
};

export const ALLOWED_TAGS = new Set(Object.keys(ENTITY_OF));

const cantParse = (what: string) => new ApiError(400, `Bad Request: can't parse entities: ${what}`);
const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\r';

/** `&lt;` `&gt;` `&amp;` `&quot;` `&#123;` `&#x1F600;` at `at`; anything else is a literal '&'. */
function decodeEntity(s: string, at: number): { text: string; end: number } | undefined {
  const m = /^&(?:(lt|gt|amp|quot)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));/.exec(s.slice(at, at + 12));
  if (!m) return undefined;
  if (m[1]) return { text: { lt: '<', gt: '>', amp: '&', quot: '"' }[m[1] as 'lt']!, end: at + m[0].length };
  const code = m[2] !== undefined ? Number(m[2]) : parseInt(m[3]!, 16);
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return { text: String.fromCodePoint(code), end: at + m[0].length };
}

function decodeAll(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; ) {
    const d = s[i] === '&' ? decodeEntity(s, i) : undefined;
    if (d) {
      out += d.text;
      i = d.end;
    } else out += s[i++];
  }
  return out;
}

/** Parses Telegram HTML; throws ApiError 400 "can't parse entities: …" where Telegram would. */
export function parseHtml(html: string): FormattedText {
  const byteOffset = (i: number) => Buffer.byteLength(html.slice(0, i));
  const stack: Array<{ name: string; start: number; attrs: Map<string, string> }> = [];
  const entities: MessageEntity[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '&') {
      const d = decodeEntity(html, i);
      text += d ? d.text : '&';
      i = d ? d.end : i + 1;
      continue;
    }
    if (ch !== '<') {
      text += ch;
      i++;
      continue;
    }
    const begin = i++;
    if (html[i] !== '/') {
      let j = i;
      while (j < html.length && !isSpace(html[j]) && html[j] !== '>') j++;
      if (j >= html.length) throw cantParse(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
      const name = html.slice(i, j).toLowerCase();
      if (!ALLOWED_TAGS.has(name)) throw cantParse(`Unsupported start tag "${name}" at byte offset ${byteOffset(begin)}`);
      i = j;
      const attrs = new Map<string, string>();
      for (;;) {
        while (i < html.length && isSpace(html[i])) i++;
        if (i >= html.length) throw cantParse(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
        if (html[i] === '>') break;
        let k = i;
        while (k < html.length && !isSpace(html[k]) && html[k] !== '=' && html[k] !== '>') k++;
        const attr = html.slice(i, k).toLowerCase();
        if (attr === '') throw cantParse(`Empty attribute name in the tag "${name}" at byte offset ${byteOffset(begin)}`);
        i = k;
        while (i < html.length && isSpace(html[i])) i++;
        if (html[i] !== '=') {
          attrs.set(attr, '');
          continue;
        }
        i++;
        while (i < html.length && isSpace(html[i])) i++;
        let value: string;
        const quote = html[i];
        if (quote === '"' || quote === "'") {
          const close = html.indexOf(quote, i + 1);
          if (close < 0) throw cantParse(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
          value = html.slice(i + 1, close);
          i = close + 1;
        } else {
          k = i;
          while (k < html.length && !isSpace(html[k]) && html[k] !== '>') k++;
          value = html.slice(i, k);
          i = k;
        }
        attrs.set(attr, decodeAll(value));
      }
      i++; // '>'
      if (name === 'span' && attrs.get('class') !== 'tg-spoiler') throw cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(begin)}`);
      stack.push({ name, start: text.length, attrs });
      continue;
    }
    const close = html.indexOf('>', i);
    if (close < 0) throw cantParse(`Unclosed end tag at byte offset ${byteOffset(begin)}`);
    const name = html.slice(i + 1, close).trim().toLowerCase();
    const open = stack.pop();
    if (!open) throw cantParse(`Unexpected end tag at byte offset ${byteOffset(begin)}`);
    if (open.name !== name) throw cantParse(`Unmatched end tag at byte offset ${byteOffset(begin)}, expected "</${open.name}>", found "</${name}>"`);
    i = close + 1;
    const length = text.length - open.start;
    if (length === 0) continue;
    const entity: MessageEntity = { type: ENTITY_OF[open.name]!, offset: open.start, length };
    if (open.name === 'a') {
      const href = open.attrs.get('href');
      if (!href) continue;
      entity.url = href;
    }
    if (open.name === 'blockquote' && open.attrs.has('expandable')) entity.type = 'expandable_blockquote';
    if (open.name === 'code') {
      // <pre><code class="language-x">…</code></pre> is one pre entity with a language.
      const language = /^language-(.+)$/.exec(open.attrs.get('class') ?? '')?.[1];
      const parent = stack.at(-1);
      if (language && parent?.name === 'pre' && parent.start === open.start) {
        parent.attrs.set('language', language);
        continue;
      }
    }
    if (open.name === 'pre' && open.attrs.get('language')) entity.language = open.attrs.get('language');
    entities.push(entity);
  }
  const open = stack.at(-1);
  if (open) throw cantParse(`Can't find end tag corresponding to start tag "${open.name}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

/** As Telegram stores text: without leading and trailing whitespace, entities clipped to what is left. */
export function trimFormatted({ text, entities }: FormattedText): FormattedText {
  const lead = /^[ \t\n\r]*/.exec(text)![0].length;
  if (lead === text.length) return { text: '', entities: [] };
  const trail = /[ \t\n\r]*$/.exec(text)![0].length;
  const out = text.slice(lead, text.length - trail);
  const clipped: MessageEntity[] = [];
  for (const e of entities) {
    const start = Math.max(0, e.offset - lead);
    const end = Math.min(out.length, e.offset + e.length - lead);
    if (end > start) clipped.push({ ...e, offset: start, length: end - start });
  }
  return { text: out, entities: clipped };
}
