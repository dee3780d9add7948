import { impactStories, previousMonth } from '../../src/domain/reports/monthly';
import { WishState } from '../../src/domain/wish/types';

// The month a summary on the 1st is about (in the service's zone), and which fulfilled wishes an
// impact page may tell of: only those the groups may still be shown, by title and month.

describe('previousMonth', () => {
  it.each([
    ['2026-12-01T01:00:00Z', 'Asia/Shanghai', '2026-11'],
    ['2026-01-01T01:00:00Z', 'Asia/Shanghai', '2025-12'],
    // Still 31 December in New York: the month before is November.
    ['2027-01-01T02:00:00Z', 'America/New_York', '2026-11'],
  ])('%s in %s: %s', (now, zone, expected) => {
    expect(previousMonth(new Date(now), zone)).toBe(expected);
  });
});

describe('impactStories', () => {
  const wish = (code: string, over: Partial<WishState>): WishState => ({ id: code, code, title: `Title ${code}`, category: 'goods', status: 'fulfilled', lifecycle: 'closed', closedAt: new Date('2026-11-20T02:00:00Z'), ...over }) as unknown as WishState;
  it('tells fulfilled wishes the groups may see, newest first, by title, category and month only', () => {
    const stories = impactStories(
      [wish('W-1', {}), wish('W-2', { status: 'expired' }), wish('W-3', { closedAt: new Date('2026-10-02T02:00:00Z') }), wish('W-4', { title: 'Kept private' })],
      'Asia/Shanghai',
      (w) => w.title !== 'Kept private',
    );
    expect(stories).toEqual([
      { title: 'Title W-1', category: 'goods', month: '2026-11' },
      { title: 'Title W-3', category: 'goods', month: '2026-10' },
    ]);
  });
});
