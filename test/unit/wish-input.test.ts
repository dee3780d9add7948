import { ISSUE_CODES, REFUSAL_CODES } from '../../src/domain/errors';
import { charCount, readDay, readNumber } from '../../src/domain/input';
import { checkAlias, checkDescription, checkTitle, readDeadline, readTarget, validateDraft } from '../../src/domain/wish/rules';
import { en } from '../../src/ui/catalog/en';
import { zh } from '../../src/ui/catalog/zh';

// What people naturally type, in English and Chinese, read by the domain; and the rules that
// refuse what must not be published. The bot and the API both use these (see the e2e table test).

const NOW = new Date('2026-11-23T04:00:00Z'); // 12:00 in Shanghai
const TZ = 'Asia/Shanghai';

describe('reading what people type', () => {
  it.each([
    ['200', 200, ''],
    ['２００', 200, ''],
    ['1,000', 1000, ''],
    ['1，000 元', 1000, '元'],
    ['¥300', 300, ''],
    ['2 bags', 2, 'bags'],
    ['2袋', 2, '袋'],
    ['两袋', 2, '袋'],
    ['300.00', 300, ''],
  ])('reads %s as %d with %j after it', (input, value, rest) => {
    expect(readNumber(input)).toEqual({ ok: true, value, rest });
  });

  it('says why a number cannot be read', () => {
    expect(readNumber('lots')).toEqual({ ok: false, reason: 'not_a_number' });
    expect(readNumber('2.5')).toEqual({ ok: false, reason: 'not_whole' });
  });

  it.each([
    ['2026-12-31', '2026-12-31'],
    ['2026/12/31', '2026-12-31'],
    ['2026.12.31', '2026-12-31'],
    ['2026年12月31日', '2026-12-31'],
    ['12月31日', '2026-12-31'],
    ['１２月３１日', '2026-12-31'],
    ['12/31', '2026-12-31'],
    ['31 Dec', '2026-12-31'],
    ['Dec 31', '2026-12-31'],
    ['December 31, 2026', '2026-12-31'],
    ['3月1日', '2027-03-01'], // already past this year: next year's
    ['tomorrow', '2026-11-24'],
    ['明天', '2026-11-24'],
    ['后天', '2026-11-25'],
    ['14', '2026-12-07'],
    ['in 3 days', '2026-11-26'],
    ['3天后', '2026-11-26'],
    ['两周', '2026-12-07'],
    ['next week', '2026-11-30'],
  ])('reads the day %s as %s', (input, day) => {
    expect(readDay(input, NOW, TZ)).toBe(day);
  });

  it('does not invent days that do not exist', () => {
    for (const input of ['2026-02-30', '13/45', 'someday', '31 Foo']) expect(readDay(input, NOW, TZ)).toBeUndefined();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(charCount('眼镜')).toBe(2);
    expect(charCount('🎁a')).toBe(2);
  });
});

describe('wish rules', () => {
  it('accepts what a Chinese or English speaker naturally writes', () => {
    expect(checkTitle('眼镜')).toEqual({ ok: true, value: '眼镜' });
    expect(checkTitle('  Reading   glasses ')).toEqual({ ok: true, value: 'Reading glasses' });
    expect(checkDescription('需要老花镜')).toMatchObject({ ok: true });
    expect(readTarget('２００', 'cash')).toEqual({ ok: true, value: { target: 200 } });
    expect(readTarget('2 bags', 'goods')).toEqual({ ok: true, value: { target: 2, unit: 'bags' } });
    expect(readDeadline('12月31日', NOW, TZ)).toEqual({ ok: true, value: new Date('2026-12-31T15:59:59.999Z') });
    expect(checkAlias('3号楼的一位老人')).toMatchObject({ ok: true });
    expect(checkAlias('elderly resident, Building 3, Room 402')).toMatchObject({ ok: true });
    expect(checkAlias('aunt in Building 3')).toMatchObject({ ok: true });
  });

  it.each([
    ['Mr Chen, 555 0199 123', 'has_phone'],
    ['call 13800138000', 'has_phone'],
    ['resident 138-0013-8000', 'has_phone'],
    ['li@example.com', 'has_email'],
    ['ID 11010519491231002X', 'has_id_number'],
    ['Mr Chen, Building 3', 'has_name'],
    ['陈阿姨', 'has_name'],
    ['3号楼老王', 'has_name'],
    ['x', 'too_short'],
  ])('refuses the alias %j: %s', (alias, code) => {
    expect(checkAlias(alias)).toMatchObject({ ok: false, issue: { field: 'beneficiary.alias', code } });
  });

  it('refuses an alias that repeats the private name or contact', () => {
    expect(checkAlias('Building 3, Li Mei', { name: 'Li Mei' })).toMatchObject({ ok: false, issue: { code: 'has_name' } });
    expect(checkAlias('3号楼 美华', { name: '王美华' })).toMatchObject({ ok: false, issue: { code: 'has_name' } });
    expect(checkAlias('Room 55501', { contact: '555-01' })).toMatchObject({ ok: false, issue: { code: 'has_phone' } });
  });

  it('keeps phone numbers and e-mail out of titles and descriptions, but not years and amounts', () => {
    expect(checkTitle('Call 13800138000')).toMatchObject({ ok: false, issue: { code: 'has_phone' } });
    expect(checkDescription('Write to li@example.com')).toMatchObject({ ok: false, issue: { code: 'has_email' } });
    expect(checkDescription('Arrears from 2024 2025 come to 1,000 yuan')).toMatchObject({ ok: true });
  });

  it('refuses targets out of range, naming the limit', () => {
    expect(readTarget('0', 'cash')).toMatchObject({ ok: false, issue: { code: 'too_small', params: { min: 1 } } });
    expect(readTarget('2000000', 'cash')).toMatchObject({ ok: false, issue: { code: 'too_large', params: { max: 1_000_000 } } });
    expect(readTarget('1001', 'goods')).toMatchObject({ ok: false, issue: { code: 'too_large', params: { max: 1000 } } });
    expect(readTarget('1.5', 'goods')).toMatchObject({ ok: false, issue: { code: 'not_whole' } });
    expect(readTarget('300 apples', 'cash')).toMatchObject({ ok: false, issue: { code: 'not_a_number' } });
  });

  it('refuses deadlines in the past or too far ahead', () => {
    expect(readDeadline('2020-01-01', NOW, TZ)).toMatchObject({ ok: false, issue: { code: 'date_past' } });
    expect(readDeadline('2028-01-01', NOW, TZ)).toMatchObject({ ok: false, issue: { code: 'date_too_far' } });
    expect(readDeadline('whenever', NOW, TZ)).toMatchObject({ ok: false, issue: { code: 'not_a_date' } });
  });

  it('names every bad field of a whole draft at once', () => {
    const draft = {
      communityId: 'c1',
      title: 'x',
      description: 'ok ok ok',
      category: 'cash' as const,
      target: 0,
      deadline: new Date('2020-01-01'),
      urgency: 'normal' as const,
      beneficiary: { alias: 'Mr Chen, 555 0199 123' },
    };
    try {
      validateDraft(draft, NOW);
      throw new Error('accepted');
    } catch (err) {
      const issues = (err as { details: { fields: Array<{ field: string; code: string }> } }).details.fields;
      expect(issues.map((i) => [i.field, i.code]).sort()).toEqual([
        ['beneficiary.alias', 'has_phone'],
        ['deadline', 'date_past'],
        ['target', 'too_small'],
        ['title', 'too_short'],
      ]);
    }
  });

  it('tidies what it accepts and leaves out what was not given', () => {
    const draft = validateDraft(
      { communityId: 'c1', title: ' 眼镜 ', description: '需要一副老花镜', category: 'goods', target: 1, unit: ' 副 ', deadline: new Date('2026-12-31T15:59:59.999Z'), urgency: 'normal', beneficiary: { alias: '3号楼的一位老人', notes: '' } },
      NOW,
    );
    expect(draft).toEqual({ communityId: 'c1', title: '眼镜', description: '需要一副老花镜', category: 'goods', target: 1, unit: '副', deadline: new Date('2026-12-31T15:59:59.999Z'), urgency: 'normal', beneficiary: { alias: '3号楼的一位老人' } });
  });
});

describe('words for every refusal', () => {
  it.each(REFUSAL_CODES)('refusal %s has English and Chinese words that fit a button answer', (code) => {
    for (const catalog of [en, zh]) {
      const text = (catalog as Record<string, (p: Record<string, string | number>) => string>)[`refusal.${code}`]?.({ remaining: '¥100', amount: '¥50' });
      expect(text).toBeTruthy();
      expect([...text!].length).toBeLessThanOrEqual(200);
    }
  });

  it.each(ISSUE_CODES)('field issue %s has English and Chinese words', (code) => {
    for (const catalog of [en, zh]) {
      expect((catalog as Record<string, (p: Record<string, string | number>) => string>)[`issue.${code}`]?.({ min: 2, max: 80, days: 366 })).toBeTruthy();
    }
  });
});
