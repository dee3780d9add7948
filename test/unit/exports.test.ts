import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { byFulfilled, donorNameFor, summariseDonors, pledgesOfDonor, namesDonor } from '../../src/domain/donors';
import { Person, publicDonorId } from '../../src/domain/people';
import { WishService } from '../../src/domain/wish/service';
import { Pledge, WishEvent, WishState } from '../../src/domain/wish/types';
import { renderTable } from '../../src/http/exports/files';
import { allWishes, mapLimited } from '../../src/http/exports/source';
import { csvField, csvText, defuseFormula, UTF8_BOM } from '../../src/ui/csv';
import { exportTime, ledgerHeader, ledgerRows } from '../../src/ui/ledger';
import { parseCsv } from '../support/csv';

const at = (iso: string) => new Date(iso);

function wish(over: Partial<WishState> = {}): WishState {
  return {
    id: 'W-1001',
    code: 'W-1001',
    codeNumber: 1001,
    communityId: 'c1',
    title: '冬季取暖费',
    description: '',
    category: 'cash',
    target: 500,
    deadline: at('2026-12-31T15:59:59.999Z'),
    urgency: 'normal',
    beneficiary: { alias: 'elderly resident' },
    createdBy: { kind: 'worker', id: 'tg:9', name: '社工小陈' },
    createdAt: at('2026-11-22T09:00:00Z'),
    lifecycle: 'published',
    status: 'partially_pledged',
    pledged: 0,
    pledges: [],
    version: 1,
    updatedAt: at('2026-11-22T09:00:00Z'),
    ...over,
  };
}

function pledge(id: string, donorId: string, over: Partial<Pledge> = {}): Pledge {
  return { id, donorId, displayName: `name of ${donorId}`, anonymous: false, amount: 100, status: 'active', pledgedAt: at('2026-11-23T01:00:00Z'), ...over };
}

function person(telegramId: number, over: Partial<Person> = {}): Person {
  return { telegramId, name: `tg ${telegramId}`, workerOf: [], residentOf: [], createdAt: at('2026-11-01T00:00:00Z'), updatedAt: at('2026-11-01T00:00:00Z'), ...over };
}

describe('CSV writing', () => {
  it('quotes commas, quotes and line breaks as RFC 4180 asks, and parses back to the same cells', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 5 }), { maxLength: 5 }), (rows) => {
        const width = Math.max(1, ...rows.map((r) => r.length));
        const header = Array.from({ length: width }, (_, i) => `h${i}`);
        const padded = rows.map((r) => [...r, ...Array<string>(width - r.length).fill('')]);
        const text = csvText(header, padded);
        expect(text.startsWith(UTF8_BOM)).toBe(true);
        expect(text.endsWith('\r\n')).toBe(true);
        const parsed = parseCsv(text.slice(1));
        expect(parsed).toEqual([header, ...padded.map((r) => r.map(defuseFormula))]);
      }),
    );
  });

  it('defuses cells a spreadsheet would run as formulas, and only those', () => {
    for (const cell of ['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(csvField(cell).replace(/^"|"$/g, '').startsWith("'")).toBe(true);
    expect(csvField('冬季取暖费')).toBe('冬季取暖费');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(-5)).toBe('-5');
  });
});

describe('ledger rows', () => {
  const people = new Map([
    ['tg:1', person(1, { donor: { type: 'business', displayName: '幸福超市', anonymous: false } })],
    ['tg:2', person(2, { donor: { type: 'individual', displayName: '李雷', anonymous: true } })],
  ]);
  const locale = { language: 'en' as const, timeZone: 'Asia/Shanghai', currency: 'CNY' };
  const base = { wishId: 'W-1001' };
  const events: WishEvent[] = [
    { ...base, id: 'W-1001:1', seq: 1, at: at('2026-11-22T09:05:00Z'), actor: { kind: 'worker', id: 'tg:9', name: '社工小陈' }, type: 'created', wish: { ...wish(), code: 'W-1001' } },
    { ...base, id: 'W-1001:2', seq: 2, at: at('2026-11-23T01:00:00Z'), actor: { kind: 'donor', id: 'tg:1', name: 'tg 1' }, type: 'pledged', donorId: 'tg:1', displayName: '幸福超市', anonymous: false, amount: 200 },
    { ...base, id: 'W-1001:3', seq: 3, at: at('2026-11-23T02:00:00Z'), actor: { kind: 'donor', id: 'tg:2', name: 'tg 2' }, type: 'pledged', donorId: 'tg:2', displayName: '李雷', anonymous: true, amount: 100 },
    { ...base, id: 'W-1001:4', seq: 4, at: at('2026-11-24T02:00:00Z'), actor: { kind: 'worker', id: 'tg:9', name: '社工小陈' }, type: 'confirmed', pledgeId: 'W-1001:2', handedOver: true },
    { ...base, id: 'W-1001:5', seq: 5, at: at('2026-11-25T02:00:00Z'), actor: { kind: 'system', id: 'system' }, type: 'released', pledgeId: 'W-1001:3', reason: 'late' },
  ];
  const state = wish({ pledges: [pledge('W-1001:2', 'tg:1', { amount: 200, displayName: '幸福超市', status: 'confirmed' }), pledge('W-1001:3', 'tg:2', { displayName: '李雷', anonymous: true, status: 'released' })] });

  it('writes time in the zone, the action, the donor or Anonymous, the type, the amount with its currency and the worker', () => {
    expect(ledgerHeader('en')).toEqual(['Time', 'Wish code', 'Wish title', 'Action', 'Donor', 'Donor type', 'Amount or quantity', 'Worker']);
    expect(ledgerRows(state, events, people, locale)).toEqual([
      ['2026-11-22 17:05', 'W-1001', '冬季取暖费', 'created', '', '', '¥500', '社工小陈'],
      ['2026-11-23 09:00', 'W-1001', '冬季取暖费', 'pledged', '幸福超市', 'caring business', '¥200', ''],
      ['2026-11-23 10:00', 'W-1001', '冬季取暖费', 'pledged', 'Anonymous', 'individual', '¥100', ''],
      ['2026-11-24 10:00', 'W-1001', '冬季取暖费', 'confirmed', '幸福超市', 'caring business', '¥200', '社工小陈'],
      ['2026-11-25 10:00', 'W-1001', '冬季取暖费', 'released', 'Anonymous', 'individual', '¥100', '(automatic)'],
    ]);
  });

  it('says claimed and counts in the unit for goods, in Chinese', () => {
    const goods = wish({ category: 'goods', target: 2, unit: '袋', pledges: [pledge('W-1001:2', 'tg:1', { amount: 2, displayName: '幸福超市' })] });
    const rows = ledgerRows(goods, [events[1]!], people, { ...locale, language: 'zh' });
    expect(rows).toEqual([['2026-11-23 09:00', 'W-1001', '冬季取暖费', '认领', '幸福超市', '爱心企业', '2袋', '']]);
    expect(ledgerHeader('zh')[0]).toBe('时间');
  });

  it('formats times on the wall clock of the zone, midnight included', () => {
    expect(exportTime(at('2026-11-22T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-23 00:00');
    expect(exportTime(at('2026-07-01T12:34:00Z'), 'America/New_York')).toBe('2026-07-01 08:34');
  });
});

describe('donor summaries', () => {
  it('counts pledges by state, fulfilled = confirmed only, amounts per category', () => {
    const wishes = [
      wish({ pledges: [pledge('W-1001:2', 'tg:1', { amount: 200, status: 'confirmed' }), pledge('W-1001:3', 'tg:2', { status: 'withdrawn' })] }),
      wish({ id: 'W-1002', code: 'W-1002', category: 'goods', target: 3, pledges: [pledge('W-1002:2', 'tg:1', { amount: 3, status: 'delivered' })] }),
      wish({ id: 'W-1003', code: 'W-1003', category: 'service', target: 1, pledges: [pledge('W-1003:2', 'tg:1', { amount: 1, status: 'confirmed' })] }),
    ];
    const people = new Map([['tg:1', person(1, { username: 'u1', donor: { type: 'business', displayName: '幸福超市', anonymous: false } })]]);
    const [a, b] = [...summariseDonors(wishes, people)].sort((x, y) => x.donorId.localeCompare(y.donorId));
    expect(a).toMatchObject({ donorId: 'tg:1', publicId: publicDonorId('tg:1'), displayName: '幸福超市', type: 'business', telegramId: 1, username: 'u1', anonymous: false });
    expect(a!.pledges).toEqual({ active: 0, delivered: 1, confirmed: 2, withdrawn: 0, released: 0, total: 3 });
    expect(a!.fulfilled).toEqual({ count: 2, cash: 200, goods: 0, service: 1 });
    expect(b).toMatchObject({ donorId: 'tg:2', displayName: 'name of tg:2', anonymous: false, fulfilled: { count: 0, cash: 0, goods: 0, service: 0 } });
    expect(b!.telegramId).toBeUndefined();
  });

  it('keeps a donor without a profile anonymous once any pledge of theirs was', () => {
    const wishes = [wish({ pledges: [pledge('W-1001:2', 'tg:3', { anonymous: true }), pledge('W-1001:4', 'tg:3', { status: 'withdrawn', pledgedAt: at('2026-11-20T00:00:00Z') })] })];
    expect(summariseDonors(wishes, new Map())[0]!.anonymous).toBe(true);
  });

  it('finds a donor\'s pledges by donor id, or only by public id when asked so', () => {
    const wishes = [wish({ pledges: [pledge('W-1001:2', 'tg:1'), pledge('W-1001:3', 'tg:2')] })];
    expect(pledgesOfDonor(wishes, (d) => namesDonor('tg:1', d, { publicOnly: false })).map((p) => p.id)).toEqual(['W-1001:2']);
    expect(pledgesOfDonor(wishes, (d) => namesDonor('tg:1', d, { publicOnly: true }))).toEqual([]);
    expect(pledgesOfDonor(wishes, (d) => namesDonor(publicDonorId('tg:2'), d, { publicOnly: true })).map((p) => p.id)).toEqual(['W-1001:3']);
  });

  it('names an anonymous donor only to readers who see private details', () => {
    expect(donorNameFor({ anonymous: true, displayName: '李雷' }, true)).toBe('李雷');
    expect(donorNameFor({ anonymous: true, displayName: '李雷' }, false)).toBeUndefined();
    expect(donorNameFor({ anonymous: false, displayName: '幸福超市' }, false)).toBe('幸福超市');
  });

  it('orders donors by fulfilled count, then by the name shown, then by public id', () => {
    const d = (publicId: string, count: number, name: string) => ({ publicId, name, fulfilled: { count, cash: 0, goods: 0, service: 0 } });
    const donors = [d('d-a', 0, 'Zoe'), d('d-b', 2, 'Bob'), d('d-c', 2, 'Amy'), d('d-e', 1, 'Amy'), d('d-d', 1, 'Amy')];
    expect(byFulfilled(donors, (x) => x.name, 'en').map((x) => x.publicId)).toEqual(['d-c', 'd-b', 'd-d', 'd-e', 'd-a']);
    expect(donors[0]!.publicId).toBe('d-a');
  });
});

describe('reading a community a page at a time', () => {
  it('goes through every wish however many pages, and reads histories at most N at once, in order', async () => {
    const all = Array.from({ length: 450 }, (_, i) => wish({ id: `W-${1001 + i}`, code: `W-${1001 + i}`, codeNumber: 1001 + i }));
    const asked: Array<number | undefined> = [];
    const fake = {
      async listPage(filter: { limit: number; codeBelow?: number }) {
        asked.push(filter.codeBelow);
        const items = all.filter((w) => filter.codeBelow === undefined || w.codeNumber < filter.codeBelow).sort((a, b) => b.codeNumber - a.codeNumber).slice(0, filter.limit);
        return { items, full: items.length >= filter.limit, lowestCodeNumber: items.length ? Math.min(...items.map((w) => w.codeNumber)) : undefined };
      },
    } as unknown as WishService;
    const seen = (await allWishes(fake, ['c1'])).map((w) => w.codeNumber);
    expect(seen).toHaveLength(450);
    expect(new Set(seen).size).toBe(450);
    expect(asked).toEqual([undefined, 1251, 1051]);

    let running = 0;
    let most = 0;
    const out = await mapLimited(all.slice(0, 40), 4, async (w) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return w.codeNumber;
    });
    expect(out).toEqual(all.slice(0, 40).map((w) => w.codeNumber));
    expect(most).toBe(4);
  });
});

describe('the file formats', () => {
  const table = { name: 'ledger-c1-start-end', sheet: 'Ledger: 11/2026', header: ['Title', 'Amount'], rows: [['=HYPERLINK("http://x","y")', 3], ['大米两袋', '¥200']] };

  it('writes CSV with the BOM and the formula defused', async () => {
    const file = await renderTable(table, 'csv');
    expect(file).toMatchObject({ filename: 'ledger-c1-start-end.csv', contentType: 'text/csv; charset=utf-8' });
    expect(parseCsv(file.body.toString('utf8').slice(1))).toEqual([['Title', 'Amount'], ['\'=HYPERLINK("http://x","y")', '3'], ['大米两袋', '¥200']]);
  });

  it('writes xlsx whose cells are text and numbers, never formulas, on one sheet with a legal name', async () => {
    const file = await renderTable(table, 'xlsx');
    expect(file.filename).toBe('ledger-c1-start-end.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.body as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('Ledger  11 2026');
    expect(sheet.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('A2').value).toBe('=HYPERLINK("http://x","y")');
    expect(sheet.getCell('B2').value).toBe(3);
    expect(sheet.getCell('A3').value).toBe('大米两袋');
    expect(sheet.getRow(1).font?.bold).toBe(true);
  });
});
