import { TELEGRAM_TEXT_LIMIT } from './card';

// Long HTML messages as several messages Telegram accepts: each piece at most `limit` UTF-16 units
// (which is never fewer than Telegram's count of what it shows), cut at a line break where one fits,
// never inside a tag, an entity or a grapheme; a tag open across a cut is closed before it and opened
// again after it, so every piece parses on its own.

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

interface Token {
  text: string;
  /** An opening tag's name, or a closing tag's (`/b`). */
  tag?: string;
}

function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  const markup = /<\/?([a-zA-Z-]+)[^>]*>|&#?\w+;/g;
  let at = 0;
  const text = (s: string) => {
    for (const g of segmenter.segment(s)) tokens.push({ text: g.segment });
  };
  for (let m = markup.exec(html); m !== null; m = markup.exec(html)) {
    text(html.slice(at, m.index));
    const raw = m[0];
    tokens.push(m[1] ? { text: raw, tag: raw.startsWith('</') ? `/${m[1].toLowerCase()}` : m[1].toLowerCase() } : { text: raw });
    at = m.index + raw.length;
  }
  text(html.slice(at));
  return tokens;
}

type Open = Array<{ name: string; raw: string }>;
const closers = (open: Open) => open.map((o) => `</${o.name}>`).reverse().join('');
const openers = (open: Open) => open.map((o) => o.raw).join('');

/** `html` as pieces of at most `limit` characters each (UTF-16 units), in order; one piece when it fits. */
export function splitMessage(html: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  if (html.length <= limit) return [html];
  const pieces: string[] = [];
  let chunk = '';
  let open: Open = [];
  /** Where the last line break in `chunk` is, and which tags were open there. */
  let lineBreak: { at: number; open: Open } | undefined;

  const cut = (at: number, openThere: Open, skip: number) => {
    pieces.push(chunk.slice(0, at) + closers(openThere));
    chunk = openers(openThere) + chunk.slice(at + skip);
    lineBreak = undefined;
  };

  for (const token of tokenize(html)) {
    const after = token.tag === undefined ? open : token.tag.startsWith('/') ? open.slice(0, -1) : [...open, { name: token.tag, raw: token.text }];
    if (chunk.length + token.text.length + closers(after).length > limit && chunk.length > openers(open).length) {
      // Back to the last line break when there is one (the newline itself is dropped); else here.
      if (lineBreak) cut(lineBreak.at, lineBreak.open, 1);
      if (chunk.length + token.text.length + closers(after).length > limit && chunk.length > openers(open).length) cut(chunk.length, open, 0);
    }
    if (token.text === '\n') lineBreak = { at: chunk.length, open };
    chunk += token.text;
    open = after;
  }
  if (chunk.length > 0) pieces.push(chunk);
  return pieces.filter((p) => p.trim().length > 0);
}
