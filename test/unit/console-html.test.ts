import { safeNext } from '../../src/http/console/miniapp';
import { boardOrder } from '../../src/http/console/board';
import { telegramHtml } from '../../src/http/console/card-preview';
import { csrfMatches, csrfToken, newSecret } from '../../src/http/console/context';
import { escapeText, html, trusted } from '../../src/http/console/html';
import { WishEvent, WishState } from '../../src/domain/wish/types';
import { eventText, timeline } from '../../src/http/console/timeline';
import { PageContext } from '../../src/http/console/context';
import { MessageKey, Params, t } from '../../src/ui/i18n';

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

describe('a wish history in words', () => {
  const wish = {
    id: 'W-1001', code: 'W-1001', category: 'cash', unit: undefined,
    pledges: [
      { id: 'W-1001:3', donorId: 'tg:1', displayName: 'Harbour Bakery', anonymous: false, amount: 50, status: 'confirmed' },
      { id: 'W-1001:4', donorId: 'tg:2', displayName: 'Li', anonymous: true, amount: 20, status: 'withdrawn' },
    ],
  } as unknown as WishState;
  const at = new Date('2026-11-20T02:00:00Z');
  const worker = { kind: 'worker' as const, id: 'api:1', name: 'Wang' };
  const events = [
    { type: 'created', actor: worker },
    { type: 'published', actor: worker },
    { type: 'pledged', donorId: 'tg:1', displayName: 'Harbour Bakery', anonymous: false, amount: 50, actor: worker },
    { type: 'pledged', donorId: 'tg:2', displayName: 'Li', anonymous: true, amount: 20, actor: worker },
    { type: 'withdrawn', pledgeId: 'W-1001:4', actor: worker },
    { type: 'delivered', pledgeId: 'W-1001:3', actor: worker },
    { type: 'confirmed', pledgeId: 'W-1001:3', fulfils: true, actor: worker },
    { type: 'edited', changes: { title: 'x', deadline: at }, actor: worker },
    { type: 'released', pledgeId: 'W-1001:9', reason: 'no delivery', actor: { kind: 'system', id: 'system' } },
    { type: 'cancelled', reason: 'moved away', actor: worker },
    { type: 'expired', actor: { kind: 'system', id: 'system' } },
  ].map((e, i) => ({ ...e, id: `W-1001:${i + 1}`, wishId: 'W-1001', seq: i + 1, at })) as unknown as WishEvent[];
  const ctxFor = (lang: 'en' | 'zh') => ({ lang, t: (key: MessageKey, p?: Params) => t(lang, key, p), csrf: '', url: '/console/', timezone: 'Asia/Shanghai', currency: 'CNY', hasExports: false }) as PageContext;

  it('tells every kind of event in English, keeping anonymous donors anonymous', () => {
    const lines = events.map((e) => eventText(e, wish, ctxFor('en')));
    expect(lines).toEqual([
      'Wang created the wish',
      'Wang published it to the groups',
      'Harbour Bakery pledged ¥50',
      'anonymous pledged ¥20',
      'anonymous withdrew their pledge',
      'Harbour Bakery marked it delivered',
      'Wang confirmed receipt from Harbour Bakery. The wish is fulfilled',
      'Wang changed title, deadline',
      "a kind neighbour's pledge was released (no delivery)",
      'Wang cancelled it: moved away',
      'It reached its deadline and closed',
    ]);
    expect(lines.join(' ')).not.toContain('Li ');
  });

  it('tells them in Chinese too', () => {
    const lines = events.map((e) => eventText(e, wish, ctxFor('zh')));
    expect(lines[0]).toBe('Wang 创建了心愿');
    expect(lines[6]).toBe('Wang 确认收到了 Harbour Bakery 的捐赠。心愿已实现');
    expect(lines[7]).toBe('Wang 修改了标题、截止日期');
    expect(String(timeline(events, wish, ctxFor('zh')))).toContain('<time datetime="2026-11-20T02:00:00.000Z">');
  });
});
