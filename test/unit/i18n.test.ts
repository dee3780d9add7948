import { en } from '../../src/ui/catalog/en';
import { zh } from '../../src/ui/catalog/zh';

type Entry = (p: Record<string, string | number>) => string;
const paramsOf = (fn: unknown) => [...new Set([...String(fn).matchAll(/p\.(\w+)/g)].map((m) => m[1]!))];
const sample = (fn: unknown) => Object.fromEntries(paramsOf(fn).map((name) => [name, `«${name}»`]));
const tags = (s: string) => [...s.matchAll(/<\/?([a-z]+)[^>]*>/g)].map((m) => m[0].startsWith('</') ? `/${m[1]}` : m[1]!);

describe('message catalogs', () => {
  it('have exactly the same keys in English and Chinese', () => {
    const missing = Object.keys(en).filter((k) => !(k in zh));
    const extra = Object.keys(zh).filter((k) => !(k in en));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(Object.keys(en))('%s renders in both languages with the same parameters and balanced HTML', (key) => {
    const e = en[key as keyof typeof en] as Entry;
    const z = zh[key as keyof typeof zh] as Entry;
    expect(paramsOf(z).sort()).toEqual(paramsOf(e).sort());
    const params = { ...sample(e), staff: 1, admin: 1, resident: 1, anonymous: 1, fulfilled: 1 };
    for (const text of [e(params), z(params)]) {
      expect(text.trim()).not.toBe('');
      const open = tags(text).filter((t) => !t.startsWith('/'));
      const close = tags(text).filter((t) => t.startsWith('/')).map((t) => t.slice(1));
      expect(close.sort()).toEqual(open.sort());
    }
    if (/[A-Za-z]{3}/.test(e(params).replace(/«\w+»|\/\w+|W-\d+|&lt;|&gt;|English|https?:\S+/g, ''))) expect(z(params)).toMatch(/[\u4e00-\u9fff]/);
  });

  it('labels the card buttons as the contract says', () => {
    expect(en['card.button.claim']()).toBe('Claim');
    expect(en['card.button.pledge']({ amount: 50 })).toBe('Pledge 50');
    expect(zh['card.button.claim']()).toContain('认领');
    expect(zh['card.button.pledge']({ amount: 50 })).toBe('认捐 50');
  });
});
