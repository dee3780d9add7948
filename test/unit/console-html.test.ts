import { safeNext } from '../../src/http/console/miniapp';
import { boardOrder } from '../../src/http/console/board';
import { telegramHtml } from '../../src/http/console/card-preview';
import { csrfMatches, csrfToken, newSecret } from '../../src/http/console/context';
import { escapeText, html, trusted } from '../../src/http/console/html';
import { WishState } from '../../src/domain/wish/types';

describe('the html template', () => {
  it('escapes every interpolated text, in content and in attributes', () => {
    const evil = `"><script>alert('x')</script>&`;
    const out = String(html`<p title="${evil}">${evil}</p>`);
    expect(out).toBe('<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>');
    expect(out).not.toContain('<script>');
  });

  it('keeps nested templates and lists of them as markup, and escapes the text inside them', () => {
    const items = ['a<b', 'c&d'].map((s) => html`<li>${s}</li>`);
    expect(String(html`<ul>${items}</ul>`)).toBe('<ul><li>a&lt;b</li><li>c&amp;d</li></ul>');
  });

  it('renders nothing for null, undefined and false, and numbers as text', () => {
    expect(String(html`${null}${undefined}${false}${0}${42}`)).toBe('042');
  });

  it('lets only trusted() through unescaped', () => {
    expect(String(html`${trusted('<svg></svg>')}`)).toBe('<svg></svg>');
    expect(escapeText('<svg>')).toBe('&lt;svg&gt;');
  });
});

describe('a card in a page', () => {
  it("keeps Telegram's formatting tags and escapes anything else", () => {
    const out = String(telegramHtml('<b>W-1001 · Rice &amp; oil</b>\n<a href="javascript:x">x</a> <img src=x onerror=alert(1)> "q"'));
    expect(out).toContain('<b>W-1001 · Rice &amp; oil</b>');
    expect(out).not.toMatch(/<a|<img/);
    expect(out).toContain('&lt;a href=&quot;javascript:x&quot;&gt;');
    expect(out).toContain('&quot;q&quot;');
  });
});

describe('CSRF tokens', () => {
  it('match only the token derived from the same session secret', () => {
    const secret = newSecret();
    const token = csrfToken(secret);
    expect(csrfMatches(secret, token)).toBe(true);
    expect(csrfMatches(newSecret(), token)).toBe(false);
    expect(csrfMatches(secret, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(csrfMatches(secret, token.slice(1))).toBe(false);
    expect(csrfMatches(secret, '')).toBe(false);
    expect(csrfMatches(secret, undefined)).toBe(false);
    expect(csrfMatches(secret, [token])).toBe(false);
  });

  it('differ between sessions and do not reveal the secret', () => {
    const a = newSecret();
    const b = newSecret();
    expect(csrfToken(a)).not.toBe(csrfToken(b));
    expect(csrfToken(a)).not.toContain(a);
  });
});

describe('the board order', () => {
  const now = new Date('2026-11-23T00:00:00Z');
  const DAY = 86_400_000;
  const wish = (code: number, over: Partial<WishState>): WishState =>
    ({ id: `W-${code}`, code: `W-${code}`, codeNumber: code, status: 'open', deadline: new Date(now.getTime() + 30 * DAY), updatedAt: now, ...over }) as WishState;

  it('puts overdue first, then stale, then near a deadline, then the rest by deadline', () => {
    const order = boardOrder(
      [
        wish(1, { deadline: new Date(now.getTime() + 20 * DAY) }),
        wish(2, { deadline: new Date(now.getTime() + 2 * DAY) }),
        wish(3, { updatedAt: new Date(now.getTime() - 6 * DAY) }),
        wish(4, { deadline: new Date(now.getTime() - DAY) }),
        wish(5, { status: 'draft', deadline: new Date(now.getTime() - DAY) }),
        wish(6, { deadline: new Date(now.getTime() + 10 * DAY) }),
      ],
      now,
      { staleAfterDays: 5, deadlineWarningDays: 3 },
    );
    expect(order.map((o) => `${o.wish.code}:${o.attention}`)).toEqual(['W-4:overdue', 'W-3:stale', 'W-2:near', 'W-5:none', 'W-6:none', 'W-1:none']);
  });
});

describe('where the Mini App goes after signing in', () => {
  it('follows only console paths', () => {
    expect(safeNext('/console/wishes/W-1001')).toBe('/console/wishes/W-1001');
    expect(safeNext('/console/')).toBe('/console/');
    for (const bad of ['https://evil.example/', '//evil.example/console/', '/console//evil.example', '/console/../api', '/api/v1/wishes', 'javascript:alert(1)', undefined, 42]) {
      expect(safeNext(bad)).toBeUndefined();
    }
  });
});
