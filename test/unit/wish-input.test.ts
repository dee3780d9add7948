import { ISSUE_CODES, REFUSAL_CODES } from '../../src/domain/errors';
import { charCount, readDay, readIsoDeadline, readNumber, tidyText } from '../../src/domain/input';
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

describe('hostile and odd input (issue 10)', () => {
  it.each([
    ['elder １３８００１３８０００', 'full-width digits'],
    ['elder １３８－００１３－８０００', 'full-width digits and dashes'],
    ['elder ١٣٨٠٠١٣٨٠٠٠', 'Arabic-Indic digits'],
    ['elder ۱۳۸۰۰۱۳۸۰۰۰', 'Persian digits'],
    ['elder १३८००१३८०००', 'Devanagari digits'],
    ['elder ①③⑧⓪⓪①③⑧⓪⓪⓪', 'circled digits'],
    ['elder 138\u200b0013\u200b8000', 'zero-width spaces between the digits'],
    ['elder 1\u00ad38\u20600013\u200d8000', 'soft hyphen, word joiner and zero-width joiner'],
    ['elder 1\u03013\u03018 0013 8000', 'combining marks on the digits'],
    ['elder 138 - 0013 - 8000', 'spaced dashes'],
    ['elder 138 / 0013 / 8000', 'slashes'],
    ['elder 138—0013—8000', 'em dashes'],
  ])('refuses a phone number in the alias written as %j (%s)', (alias) => {
    expect(checkAlias(alias)).toMatchObject({ ok: false, issue: { field: 'beneficiary.alias', code: 'has_phone' } });
  });

  it('sees the private contact and name in the alias whatever digits or forms they are written in', () => {
    expect(checkAlias('Room ٥٥٥٠١', { contact: '555-01' })).toMatchObject({ ok: false, issue: { code: 'has_phone' } });
    expect(checkAlias('Building 3, Ｌｉ Ｍｅｉ', { name: 'Li Mei' })).toMatchObject({ ok: false, issue: { code: 'has_name' } });
    expect(checkAlias('Building 3, Li\u200bMei', { name: 'LiMei' })).toMatchObject({ ok: false, issue: { code: 'has_name' } });
  });

  it('keeps a phone number in other digits out of titles too, and reads other digits as numbers', () => {
    expect(checkTitle('Call ١٣٨٠٠١٣٨٠٠٠')).toMatchObject({ ok: false, issue: { code: 'has_phone' } });
    expect(checkDescription('Please call 138 - 0013 - 8000 first')).toMatchObject({ ok: false, issue: { code: 'has_phone' } });
    expect(checkDescription('Call 138\u200b0013\u200b8000')).toMatchObject({ ok: false, issue: { code: 'has_phone' } });
    expect(checkDescription('Arrears for 2024 - 2025, 13 - 14 bags, sizes 13, 14, 15, 16, 17, 18')).toMatchObject({ ok: true });
    expect(readNumber('١٠٠')).toEqual({ ok: true, value: 100, rest: '' });
    expect(checkAlias('elderly resident, Building 3, Room 402')).toMatchObject({ ok: true });
  });

  it('strips control characters, bidi overrides and unpaired surrogates, keeping emoji, joiners and line breaks', () => {
    expect(tidyText('a\u0000b\u001b[31mc\u007f\u0090d')).toBe('ab[31mcd');
    expect(tidyText('pay \u202eevil\u202c now')).toBe('pay evil now');
    expect(tidyText('half \ud83d emoji \udc4d and 👍')).toBe('half emoji and 👍');
    expect(tidyText('family 👨‍👩‍👧‍👦 flag 🇨🇳 é')).toBe('family 👨‍👩‍👧‍👦 flag 🇨🇳 é');
    expect(tidyText('line one\u2028line\ttwo\v3', { multiline: true })).toBe('line one\nline two 3');
    expect(tidyText('one\ntwo')).toBe('one two');
  });

  it('a field of nothing but control characters is empty, and required fields say so', () => {
    expect(checkTitle('\u0000\u0001\u001b')).toMatchObject({ ok: false, issue: { field: 'title', code: 'required' } });
    expect(checkTitle('Coat\u0000 for\ud800 winter')).toEqual({ ok: true, value: 'Coat for winter' });
    const draft = validateDraft(
      { communityId: 'c1', title: 'Coat\u0000', description: 'Warm\u001b coat', category: 'goods', target: 1, deadline: new Date('2026-12-31T15:59:59.999Z'), urgency: 'normal', beneficiary: { alias: 'elder\u0007, Building 3', name: 'Li\udc00', notes: 'line\u0000\nnext' } },
      NOW,
    );
    expect([draft.title, draft.description, draft.beneficiary]).toEqual(['Coat', 'Warm coat', { alias: 'elder, Building 3', name: 'Li', notes: 'line\nnext' }]);
  });

  it.each([
    ['2026-11-31', undefined],
    ['2026-02-29', undefined],
    ['2026-13-01', undefined],
    ['2026-11-31T10:00:00Z', undefined],
    ['2026-12-01T24:00:00Z', undefined],
    ['2026-12-01T10:60:00+08:00', undefined],
    ['2026-12-1', undefined],
    ['2028-02-29', '2028-02-29T15:59:59.999Z'],
    ['2026-12-24', '2026-12-24T15:59:59.999Z'],
    ['2026-12-24T10:00:00+08:00', '2026-12-24T02:00:00.000Z'],
    ['2026-12-24T10:00Z', '2026-12-24T10:00:00.000Z'],
  ])('reads the API deadline %s only on a real calendar day: %s', (input, expected) => {
    expect(readIsoDeadline(input, TZ)?.toISOString()).toBe(expected);
  });

  it('refuses a deadline more than a year ahead, however it is written', () => {
    expect(readDeadline('9999-12-31', NOW, TZ)).toMatchObject({ ok: false, issue: { code: 'date_too_far', params: { days: 366 } } });
    expect(() => validateDraft({ communityId: 'c1', title: 'Coat', description: 'Warm coat', category: 'goods', target: 1, deadline: readIsoDeadline('9999-12-31', TZ)!, urgency: 'normal', beneficiary: { alias: 'elder, Building 3' } }, NOW)).toThrow(
      expect.objectContaining({ details: { fields: [expect.objectContaining({ field: 'deadline', code: 'date_too_far' })] } }),
    );
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
