import { en } from '../../src/ui/catalog/en';
import { zh } from '../../src/ui/catalog/zh';

// The two catalogs must stay interchangeable: same keys, same parameters, balanced HTML,
// the same commands, emojis and escapes, and Chinese that is actually Chinese.

type Params = Record<string, string | number>;
type Entry = (p: Params) => string;

const entry = (catalog: object, key: string) => (catalog as Record<string, Entry>)[key]!;

/** Every `p.name` a message function reads (in `${p.name}` or in a condition). */
const paramsOf = (fn: unknown): string[] => [...new Set([...String(fn).matchAll(/p\.(\w+)/g)].map((m) => m[1]!))].sort();

/** Distinct sample values, so each one can be found again in the rendered text. */
const sampleParams = (key: string): Params =>
  Object.fromEntries([...new Set([...paramsOf(entry(en, key)), ...paramsOf(entry(zh, key))])].map((name) => [name, `«${name}»`]));

/** Realistic values, for checking lengths. */
const realisticParams = (key: string): Params =>
  Object.fromEntries(
    [...new Set([...paramsOf(entry(en, key)), ...paramsOf(entry(zh, key))])].map((name) => [
      name,
      ({ code: 'W-1001', amount: 300, remaining: 300, target: 300, pledged: 0 } as Params)[name] ?? 'Harbour Street Community',
    ]),
  );

/** Tags are balanced and properly nested; returns the problem, or null. */
function htmlProblem(text: string): string | null {
  const stack: string[] = [];
  for (const m of text.matchAll(/<(\/?)([a-zA-Z]+)[^>]*>/g)) {
    const [, closing, name] = m;
    if (!closing) stack.push(name!);
    else if (stack.pop() !== name) return `unexpected </${name}> in ${JSON.stringify(text)}`;
  }
  if (stack.length > 0) return `unclosed <${stack.join('>, <')}> in ${JSON.stringify(text)}`;
  const bare = text.replace(/<\/?[a-zA-Z]+[^>]*>/g, '');
  if (/[<>]/.test(bare)) return `unescaped < or > in ${JSON.stringify(text)}`;
  return null;
}

const commandsOf = (text: string) => [...text.matchAll(/(?<![\w/])\/[a-z_]+/g)].map((m) => m[0]).sort();
const emojisOf = (text: string) => [...text.matchAll(/\p{Extended_Pictographic}/gu)].map((m) => m[0]).sort();
const escapesOf = (text: string) => [...text.matchAll(/&(?:lt|gt|amp|quot);/g)].map((m) => m[0]).sort();
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff]/;
/** Letters left in an English text once parameters, commands, tags, escapes and codes are taken out. */
const hasWords = (text: string) =>
  /[A-Za-z]/.test(text.replace(/«\w+»|<\/?[a-zA-Z]+[^>]*>|&\w+;|(?<![\w/])\/[a-z_]+|W-\d+/g, ''));

const CALLBACK_ANSWER = /^(claim\.|pledge\.ok$|other\.openPrivate$|callback\.expired$)/;

const keys = Object.keys(en);

describe('message catalogs', () => {
  it('have exactly the same keys in English and Chinese', () => {
    const missing = keys.filter((k) => !(k in zh));
    const extra = Object.keys(zh).filter((k) => !(k in en));
    // Named in the failure message: { missing: [...keys zh lacks], extra: [...keys en lacks] }.
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  describe.each(keys.filter((k) => k in zh))('%s', (key) => {
    const e = entry(en, key);
    const z = entry(zh, key);
    const params = sampleParams(key);
    const falsy = Object.fromEntries(Object.keys(params).map((name) => [name, ''])) as Params;

    it('renders to a non-empty string in both languages, with or without optional parameters', () => {
      for (const p of [params, falsy]) {
        for (const fn of [e, z]) {
          const text = fn(p);
          expect(typeof text).toBe('string');
          expect(text.trim()).not.toBe('');
        }
      }
    });

    it('uses every parameter the English uses, and shows every value the English shows', () => {
      const lost = paramsOf(e).filter((name) => !paramsOf(z).includes(name));
      expect(lost).toEqual([]);
      const shownInEn = Object.values(params).map(String).filter((v) => e(params).includes(v));
      expect(shownInEn.filter((v) => !z(params).includes(v))).toEqual([]);
    });

    it('has balanced HTML in both languages', () => {
      for (const p of [params, falsy]) {
        expect(htmlProblem(e(p))).toBeNull();
        expect(htmlProblem(z(p))).toBeNull();
      }
    });

    it('keeps the same commands, emojis and HTML escapes', () => {
      expect(commandsOf(z(params))).toEqual(commandsOf(e(params)));
      expect(emojisOf(z(params))).toEqual(emojisOf(e(params)));
      expect(escapesOf(z(params))).toEqual(escapesOf(e(params)));
    });

    it('is written in Chinese whenever the English has words', () => {
      if (hasWords(e(params))) expect(z(params)).toMatch(CJK);
    });

    if (CALLBACK_ANSWER.test(key)) {
      it('fits in a callback answer (at most 200 characters)', () => {
        for (const fn of [e, z]) {
          const text = fn(realisticParams(key));
          expect(text.length).toBeLessThanOrEqual(200);
        }
      });
    }
  });

  it('labels the card buttons as the contract says', () => {
    expect(en['card.button.claim']()).toBe('Claim');
    expect(en['card.button.pledge']({ amount: '¥50' })).toBe('Pledge ¥50');
    expect(zh['card.button.claim']()).toContain('认领');
    expect(zh['card.button.pledge']({ amount: 50 })).toContain('50');
    expect(zh['card.button.pledge']({ amount: '¥50' })).toBe('认捐 ¥50');
  });

  it('shows the Chinese card lines as designed', () => {
    expect(zh['card.progressCash']({ pledged: 120, target: 300, remaining: 180 })).toBe('已认捐 120 / 300 · 还差 180');
    expect(zh['card.for']({ alias: '3号楼的一位老人' })).toBe('对象：3号楼的一位老人');
    expect(zh['card.until']({ date: '12月12日' })).toBe('⏳ 截止 12月12日');
  });
});
