import fc from 'fast-check';
import { TELEGRAM_TEXT_LIMIT } from '../../src/ui/card';
import { splitMessage } from '../../src/ui/split';

// /mydata can be longer than one Telegram message: it is split into pieces Telegram accepts.

/** Whether every tag opened in `s` is closed in order, and no tag or entity is cut. */
function wellFormed(s: string): boolean {
  const stack: string[] = [];
  const rest = s.replace(/<(\/?)([a-z]+)[^>]*>/g, (_, slash: string, name: string) => {
    if (slash) {
      if (stack.pop() !== name) stack.push('!');
    } else stack.push(name);
    return '';
  });
  return stack.length === 0 && !/[<>]/.test(rest) && !/&(?!(amp|lt|gt|quot|#\d+);)/.test(rest);
}

describe('splitMessage', () => {
  it('leaves a message that fits as one piece', () => {
    expect(splitMessage('<b>hello</b>\nworld')).toEqual(['<b>hello</b>\nworld']);
  });

  it('cuts at line breaks, each piece under the limit, nothing lost', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i}: <b>W-${1000 + i}</b> &amp; more text here`);
    const pieces = splitMessage(lines.join('\n'));
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(pieces.join('\n')).toBe(lines.join('\n'));
  });

  it('a tag open across a cut is closed before it and opened again after it', () => {
    const text = `<blockquote>${Array.from({ length: 40 }, (_, i) => `quoted line ${i}`).join('\n')}</blockquote>`;
    const pieces = splitMessage(text, 120);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(120);
      expect(wellFormed(p)).toBe(true);
      expect(p.startsWith('<blockquote>')).toBe(true);
    }
  });

  it('a single line longer than the limit is cut between graphemes, never inside a tag or entity', () => {
    const line = `<i>${'家&amp;👨‍👩‍👧 '.repeat(200)}</i>`;
    const pieces = splitMessage(line, 100);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(100);
      expect(wellFormed(p)).toBe(true);
      expect(/\p{Cs}/u.test(p.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))).toBe(false);
    }
  });

  it('any text of escaped lines with simple tags: pieces fit and are well formed', () => {
    const line = fc.tuple(fc.constantFrom('', 'b', 'i', 'code'), fc.string({ maxLength: 80 })).map(([tag, s]) => {
      const escaped = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      return tag ? `<${tag}>${escaped}</${tag}>` : escaped;
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.integer({ min: 64, max: 400 }), (lines, limit) => {
        const pieces = splitMessage(lines.join('\n'), limit);
        for (const p of pieces) {
          expect(p.length).toBeLessThanOrEqual(limit);
          expect(wellFormed(p)).toBe(true);
        }
      }),
    );
  });
});
