import fc from 'fast-check';
import { WishState } from '../../src/domain/wish/types';
import { renderCard, summarizeNames } from '../../src/ui/card';
import { clip, Locale, takeGraphemes } from '../../src/ui/format';

// Issue 10: text was cut in the middle of an emoji. Every cut ends between whole graphemes: no
// half of a surrogate pair, no broken ZWJ family, no flag split into two letters, no accent torn
// from its letter. Lengths stay counted in characters (code points), as Telegram counts them.

const FAMILY = '👨‍👩‍👧‍👦'; // 7 code points, one grapheme
const FLAG = '🇨🇳'; // 2 regional indicators
const E_ACUTE = 'e\u0301'; // e and a combining accent
const THUMBS = '👍🏽'; // emoji and skin tone

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const graphemesOf = (s: string) => [...segmenter.segment(s)].map((x) => x.segment);
const codePoints = (s: string) => [...s].length;
const hasLoneSurrogate = (s: string) => /\p{Cs}/u.test(s);

/** The cut is made of the original's first whole graphemes (and then "…"). */
function expectWholePrefix(original: string, cut: string) {
  const body = cut.endsWith('…') && !original.startsWith(cut) ? cut.slice(0, -1) : cut;
  const parts = graphemesOf(original);
  const taken = graphemesOf(body);
  expect(hasLoneSurrogate(cut)).toBe(false);
  expect(taken).toEqual(parts.slice(0, taken.length).map((p, i) => (i === taken.length - 1 ? p.trimEnd() || p : p)));
}

describe('clip and takeGraphemes cut on whole graphemes', () => {
  it.each([
    [`ab${FAMILY}cd`, 4, 'ab…'],
    [`ab${FAMILY}cd`, 10, `ab${FAMILY}…`],
    [`${FLAG}${FLAG}${FLAG}`, 4, `${FLAG}…`],
    [`${FLAG}${FLAG}${FLAG}`, 2, '…'],
    [`caf${E_ACUTE} au lait`, 5, 'caf…'],
    [`caf${E_ACUTE} au lait`, 6, `caf${E_ACUTE}…`],
    [`${THUMBS}${THUMBS}`, 3, `${THUMBS}…`],
    ['眼镜眼镜眼镜', 4, '眼镜眼…'],
    ['Winter heating bill', 8, 'Winter…'],
    ['short', 5, 'short'],
    ['short', 0, ''],
  ])('clip(%j, %d) is %j', (input, max, expected) => {
    expect(clip(input, max)).toBe(expected);
    expect(codePoints(clip(input, max))).toBeLessThanOrEqual(max);
  });

  it('takeGraphemes cuts without an ellipsis, never past the limit', () => {
    expect(takeGraphemes(`Ann ${FAMILY}`, 6)).toBe('Ann ');
    expect(takeGraphemes(`Ann ${FAMILY}`, 11)).toBe(`Ann ${FAMILY}`);
    expect(takeGraphemes(`${'x'.repeat(39)}😀`, 40)).toBe(`${'x'.repeat(39)}😀`);
    expect(takeGraphemes(`${'x'.repeat(39)}${FLAG}`, 40)).toBe('x'.repeat(39));
  });

  it('for any text and any limit: whole graphemes, at most the limit, no lone surrogate', () => {
    const piece = fc.constantFrom('a', ' ', '眼', '😀', FAMILY, FLAG, E_ACUTE, THUMBS, 'ก้', '각', '\u0301');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }).map((xs) => xs.join('')), fc.integer({ min: 0, max: 60 }), (text, max) => {
        const cut = clip(text, max);
        expect(codePoints(cut)).toBeLessThanOrEqual(Math.max(max, 0));
        if (codePoints(text) <= max) expect(cut).toBe(text);
        else expectWholePrefix(text, cut);
        const taken = takeGraphemes(text, max);
        expect(codePoints(taken)).toBeLessThanOrEqual(max);
        expect(graphemesOf(text).slice(0, graphemesOf(taken).length).join('')).toBe(taken);
      }),
      { numRuns: 500, seed: 10 },
    );
  });
});

describe('cards and name lists never show half a character', () => {
  const en: Locale = { language: 'en', timeZone: 'Asia/Shanghai', currency: 'CNY' };
  const base: WishState = {
    id: 'W-1042',
    code: 'W-1042',
    codeNumber: 1042,
    communityId: 'c1',
    title: 'x',
    description: 'y',
    category: 'cash',
    target: 300,
    deadline: new Date('2026-12-12T15:59:59.999Z'),
    urgency: 'normal',
    beneficiary: { alias: 'elderly resident' },
    createdBy: { kind: 'worker', id: 'tg:1' },
    createdAt: new Date('2026-11-20T00:00:00Z'),
    lifecycle: 'published',
    status: 'partially_pledged',
    pledged: 10,
    pledges: [],
    version: 3,
    updatedAt: new Date('2026-11-21T00:00:00Z'),
  };

  it('a card cuts an emoji-laden title, alias, description and donor names on whole graphemes', () => {
    for (let shift = 0; shift < 8; shift++) {
      const pad = 'x'.repeat(shift);
      const pledges = Array.from({ length: 30 }, (_, i) => ({
        id: `W-1042:${i + 3}`,
        donorId: `tg:${i}`,
        displayName: `${pad}${FAMILY.repeat(8)}`,
        anonymous: false,
        amount: 1,
        status: 'active' as const,
        pledgedAt: new Date('2026-11-21T00:00:00Z'),
      }));
      const card = renderCard(
        { ...base, pledges, pledged: 30, title: `${pad}${FAMILY.repeat(20)}`, description: `${pad}${FLAG.repeat(400)}`, beneficiary: { alias: `${pad}${E_ACUTE.repeat(60)}` } },
        en,
      );
      expect(hasLoneSurrogate(card.text)).toBe(false);
      for (const line of card.text.split('\n')) {
        // Every family is whole: as many men as children; every flag is a pair; every e keeps its accent.
        expect((line.match(/👨/gu) ?? []).length).toBe((line.match(/👦/gu) ?? []).length);
        expect((line.match(/\p{Regional_Indicator}/gu) ?? []).length % 2).toBe(0);
        if (line.includes('\u0301')) expect(line).not.toMatch(/e(?!\u0301)[^a-z]*…/u);
      }
    }
  });

  it('summarizeNames keeps whole names only', () => {
    const names = Array.from({ length: 40 }, (_, i) => `${FAMILY} Team ${i}`);
    const line = summarizeNames(names, 'en');
    expect(hasLoneSurrogate(line)).toBe(false);
    expect((line.match(/👨/gu) ?? []).length).toBe((line.match(/👦/gu) ?? []).length);
    expect(line).toMatch(/and \d+ others$/);
  });
});
