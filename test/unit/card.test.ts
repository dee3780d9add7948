import { WishState } from '../../src/domain/wish/types';
import { renderCard, summarizeNames, TELEGRAM_TEXT_LIMIT } from '../../src/ui/card';
import { Locale, money, quantity } from '../../src/ui/format';

const en: Locale = { language: 'en', timeZone: 'Asia/Shanghai', currency: 'CNY' };
const zh: Locale = { ...en, language: 'zh' };

function wish(over: Partial<WishState> = {}): WishState {
  return {
    id: 'W-1042',
    code: 'W-1042',
    codeNumber: 1042,
    communityId: 'c1',
    title: 'Winter heating bill',
    description: 'Her heating was cut off in November; 300 covers the arrears.',
    category: 'cash',
    target: 300,
    deadline: new Date('2026-12-12T15:59:59.999Z'),
    urgency: 'urgent',
    beneficiary: { alias: 'elderly resident, Building 3', notes: 'Room 402', contact: '138 0000 0000' },
    createdBy: { kind: 'worker', id: 'tg:1' },
    createdAt: new Date('2026-11-20T00:00:00Z'),
    lifecycle: 'published',
    status: 'partially_pledged',
    pledged: 120,
    pledges: [
      { id: 'W-1042:3', donorId: 'tg:5', displayName: 'Harbour Bakery', anonymous: false, amount: 100, status: 'active', pledgedAt: new Date() },
      { id: 'W-1042:4', donorId: 'tg:6', displayName: 'Li', anonymous: true, amount: 20, status: 'active', pledgedAt: new Date() },
    ],
    version: 4,
    updatedAt: new Date(),
    ...over,
  };
}

const buttons = (w: WishState, ctx = en) => (renderCard(w, ctx).keyboard ?? []).flat().map((b) => b.text);

describe('wish cards', () => {
  it('shows money with its currency in both languages, and on the buttons', () => {
    const card = renderCard(wish(), en);
    expect(card.text).toContain('¥120 / ¥300 pledged · ¥180 to go');
    expect(card.text).toContain('2 pledges: Harbour Bakery, anonymous');
    expect(card.text).not.toContain('Room 402');
    expect(buttons(wish())).toEqual(['Pledge ¥50', 'Pledge ¥100', 'Pledge ¥180', 'Other amount', 'Details']);
    expect(renderCard(wish(), zh).text).toContain('已认捐 ¥120 / ¥300 · 还差 ¥180');
    expect(buttons(wish(), zh).slice(0, 3)).toEqual(['认捐 ¥50', '认捐 ¥100', '认捐 ¥180']);
    expect(money(12345, 'USD')).toBe('$12,345');
  });

  it('shows how many of what a goods wish needs, and who claimed it', () => {
    const goods = wish({ category: 'goods', target: 2, unit: 'bags', pledged: 0, pledges: [], status: 'open' });
    expect(renderCard(goods, en).text).toContain('2 bags needed · waiting for someone to claim it');
    expect(renderCard({ ...goods, unit: '袋' }, zh).text).toContain('需要 2袋');
    const taken = { ...goods, pledged: 2, status: 'fully_pledged' as const, pledges: [{ ...wish().pledges[0]!, amount: 2 }] };
    expect(renderCard(taken, en).text).toContain('2 bags · claimed by Harbour Bakery');
    expect(buttons(taken)).toEqual(['Details']);
    expect(quantity(1, 'goods', undefined, 'en')).toBe('1 item');
  });

  it('speaks of a visit for a service wish', () => {
    const service = wish({ category: 'service', target: 1, pledged: 1, status: 'fully_pledged', pledges: [{ ...wish().pledges[0]!, amount: 1, status: 'delivered' }] });
    const text = renderCard(service, en).text;
    expect(text).toContain('1 visit · taken on by Harbour Bakery');
    expect(text).toContain('Done, waiting for confirmation');
    expect(text).not.toMatch(/deliver/i);
  });

  it('sums up many pledgers within a fixed room', () => {
    const names = Array.from({ length: 80 }, (_, i) => `Harbour Street Bakery and Noodle Hous ${i}`);
    const line = summarizeNames(names, 'en');
    expect(line).toMatch(/^Harbour Street Bakery and Noodle Hous 0, .* and \d+ others$/);
    expect(line.length).toBeLessThan(320);
    expect(summarizeNames(['A', 'B'], 'en')).toBe('A, B');
    expect(summarizeNames(names, 'zh')).toMatch(/等另外 \d+ 人$/);
  });

  it('stays within Telegram’s limit however many pledges and however long the text', () => {
    const pledges = Array.from({ length: 500 }, (_, i) => ({ ...wish().pledges[0]!, id: `W-1042:${i + 3}`, donorId: `tg:${i}`, displayName: 'N'.repeat(300), amount: 1 }));
    const huge = wish({ target: 100_000, pledged: 500, pledges, title: 'T'.repeat(500), description: '<&>'.repeat(3000), beneficiary: { alias: 'A'.repeat(500) } });
    for (const ctx of [en, zh]) {
      const text = renderCard(huge, ctx).text;
      // What Telegram counts: the text once HTML entities are read.
      const shown = text.replace(/<\/?b>/g, '').replace(/&lt;|&gt;|&amp;/g, 'x');
      expect([...shown].length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    }
  });
});
