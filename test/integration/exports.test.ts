import ExcelJS from 'exceljs';
import request from 'supertest';
import { createBotModels } from '../../src/db/bot-models';
import { createGroupStore, createPersonStore } from '../../src/db/bot-stores';
import { donorActor, donorRefOf, Person, publicDonorId } from '../../src/domain/people';
import { Actor } from '../../src/domain/wish/types';
import { parseCsv } from '../support/csv';
import { createResourceStore } from '../../src/db/resource-store';
import { createResourceService } from '../../src/domain/resources/service';
import { createStockStore } from '../../src/db/stock-store';
import { createStockService } from '../../src/domain/stock/service';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, DAY, draftFor, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';

// A seeded community (Chinese titles and names, an anonymous donor, cash and goods, confirmed and
// withdrawn pledges) read back through the API: donors, groups, workers and the exported files.

/** Reads the answer's bytes as they were sent: the BOM checked byte by byte, and xlsx is binary. */
function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

const SECRET_IDS = ['700000001', '700000002', '700000003', '700000009', '-1001234567890'];
const SECRET_USERNAMES = ['wang_xm', 'lilei_secret', 'zhangsan_tg', 'chen_worker'];

describe('donors, community lists and exports', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-22T09:00:00Z')); // 17:00 in Asia/Shanghai
  let app: ReturnType<typeof buildApp>;
  let cid: string;
  let otherCid: string;
  const cash = { id: '', confirmed: '', withdrawn: '' };
  const goods = { id: '' };
  const tokens: Record<string, Actor> = {};
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const get = (path: string, token = ADMIN_TOKEN) => request(app).get(path).set(as(token)).buffer(true).parse(binary);

  beforeAll(async () => {
    const services = buildServices(db, clock, ADMIN_TOKEN);
    const models = createBotModels(db.conn);
    const people = createPersonStore(models);
    const groups = createGroupStore(models);
    const community = await services.communities.create({ name: '幸福里社区' }, admin);
    const other = await services.communities.create({ name: 'Riverside' }, admin);
    cid = community.id;
    otherCid = other.id;

    const seen = async (telegramId: number, name: string, username: string, donor?: Person['donor']) => {
      await people.seen({ telegramId, name, username }, clock(), { started: true });
      if (donor) await people.setDonorProfile(telegramId, donor, clock());
      return (await people.get(telegramId))!;
    };
    const shop = await seen(700000001, '王小明', 'wang_xm', { type: 'business', displayName: '幸福超市', anonymous: false });
    const shy = await seen(700000002, 'Li Lei', 'lilei_secret', { type: 'individual', displayName: '李雷', anonymous: true });
    const plain = await seen(700000003, 'Zhang San', 'zhangsan_tg');
    await seen(700000009, '社工小陈', 'chen_worker');
    await people.addWorkerCommunities(700000009, [cid], clock());
    await groups.link(-1001234567890, '幸福里爱心群', cid, 700000009, clock());
    const worker: Actor = { kind: 'worker', id: 'tg:700000009', name: '社工小陈', telegramId: 700000009, communityIds: [cid] };

    tokens['auditor-token'] = { kind: 'auditor', id: 'api:auditor', name: 'Committee', communityIds: [cid] };
    tokens['worker-token'] = { kind: 'worker', id: 'api:worker', name: '社工小陈', communityIds: [cid] };
    tokens['other-worker-token'] = { kind: 'worker', id: 'api:other', name: 'Other', communityIds: [otherCid] };
    app = buildApp(db, services, {
      clock,
      timezone: 'Asia/Shanghai',
      app: { resolveToken: async (token) => tokens[token ?? ''] ?? services.resolveToken(token), currency: 'CNY', defaultLanguage: 'zh' },
    });

    // Day 1 (22 Nov): two wishes created and published by the worker.
    const cashWish = (await services.wishes.create(draftFor(cid, { title: '冬季取暖费', description: '帮助独居老人缴纳取暖费', target: 500 }, clock()), worker, { publish: true })).state;
    const goodsWish = (await services.wishes.create(draftFor(cid, { title: '大米两袋, "新米"', description: '给困难家庭送两袋大米', category: 'goods', target: 2, unit: '袋' }, clock()), worker, { publish: true })).state;
    cash.id = cashWish.id;
    goods.id = goodsWish.id;
    // Day 2 (23 Nov): pledges and a claim.
    clock.advance(DAY);
    cash.confirmed = (await services.wishes.execute(cash.id, { type: 'pledge', donor: donorRefOf(shop), amount: 200 }, donorActor(shop))).event!.id;
    cash.withdrawn = (await services.wishes.execute(cash.id, { type: 'pledge', donor: donorRefOf(shy), amount: 100 }, donorActor(shy))).event!.id;
    const claim = (await services.wishes.execute(goods.id, { type: 'claim', donor: donorRefOf(plain) }, donorActor(plain))).event!.id;
    // Day 3 (24 Nov): delivered, confirmed, withdrawn.
    clock.advance(DAY);
    await services.wishes.execute(cash.id, { type: 'deliver', pledgeId: cash.confirmed }, donorActor(shop));
    await services.wishes.confirm(cash.id, cash.confirmed, worker);
    await services.wishes.execute(cash.id, { type: 'withdraw', pledgeId: cash.withdrawn }, donorActor(shy));
    await services.wishes.execute(goods.id, { type: 'deliver', pledgeId: claim }, donorActor(plain));
    // The directory: a caring business with a contact (staff only: never in a file) and a team.
    const resources = createResourceService({ store: createResourceStore(db.models), clock });
    const lane = await resources.addArea(cid, { name: '幸福里3号楼', level: 'building' }, admin);
    await resources.create(
      { communityId: cid, kind: 'business', name: '幸福超市', offer: { categories: ['goods'], note: '每周五送面包' }, areaIds: [lane.id], availability: { weekdays: ['fri'] }, capacity: { requestsPerMonth: 4 }, contact: '13800001111 王经理' },
      admin,
    );
    await resources.create({ communityId: cid, kind: 'team', name: '理发服务队', offer: { skills: ['haircut'] }, areaIds: [lane.id] }, admin);
    // Goods: masks from the property company, some handed out to a household (named privately).
    const stock = createStockService({ store: createStockStore(db.models), clock });
    const masks = (await stock.receive({ communityId: cid, name: '口罩', unit: '只', quantity: 200, from: { name: '幸福里物业' } }, admin)).state.itemId;
    const set = (await stock.allocate(masks, 20, { kind: 'resident', label: '3号楼王阿姨家' }, admin)).event as { allocationId: string };
    await stock.change(masks, { type: 'distribute', allocationId: set.allocationId, recipients: 1 }, admin);
    // A wish in the other community, which nobody here may see.
    await services.wishes.create(draftFor(otherCid, { title: 'Elsewhere' }, clock()), admin, { publish: true });
  });

  const csvOf = (body: Buffer) => {
    const text = body.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    return parseCsv(text.slice(1));
  };

  it('exports the ledger as CSV: BOM, the columns, one row per event in time order, Chinese intact, anonymity kept', async () => {
    // As the committee's auditor: the file they take away carries no Telegram id or username.
    const res = await get(`/api/v1/exports/ledger.csv?communityId=${cid}&lang=en`, 'auditor-token');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename=ledger-${cid}-start-end.csv`);
    const [header, ...rows] = csvOf(res.body);
    expect(header).toEqual(['Time', 'Wish code', 'Wish title', 'Action', 'Donor', 'Donor type', 'Amount or quantity', 'Worker']);
    // created+published ×2, 3 pledges, 2 deliveries, 1 confirmation, 1 withdrawal
    expect(rows).toHaveLength(11);
    expect(rows.every((r) => r.length === 8)).toBe(true);
    expect(rows.map((r) => r[0])).toEqual([...rows.map((r) => r[0])].sort());
    expect(rows[0]).toEqual(['2026-11-22 17:00', cash.id, '冬季取暖费', 'created', '', '', '¥500', '社工小陈']);
    expect(rows).toContainEqual(['2026-11-23 17:00', goods.id, '大米两袋, "新米"', 'claimed', 'Zhang San', '', '2袋', '']);
    expect(rows).toContainEqual(['2026-11-23 17:00', cash.id, '冬季取暖费', 'pledged', '幸福超市', 'caring business', '¥200', '']);
    expect(rows).toContainEqual(['2026-11-24 17:00', cash.id, '冬季取暖费', 'confirmed', '幸福超市', 'caring business', '¥200', '社工小陈']);
    const shyRows = rows.filter((r) => r[5] === 'individual');
    expect(shyRows.map((r) => [r[3], r[4]])).toEqual([
      ['pledged', 'Anonymous'],
      ['withdrawn', 'Anonymous'],
    ]);
    const text = res.body.toString('utf8');
    expect(text).not.toContain('李雷');
    expect(text).not.toContain('Elsewhere');
    for (const secret of [...SECRET_IDS, ...SECRET_USERNAMES]) expect(text).not.toContain(secret);
  });

  it('keeps to the days asked, both included, in the service\'s time zone; headers in Chinese by default', async () => {
    const res = await get(`/api/v1/exports/ledger.csv?communityId=${cid}&from=2026-11-23&to=2026-11-23`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain(`ledger-${cid}-2026-11-23-2026-11-23.csv`);
    const [header, ...rows] = csvOf(res.body);
    expect(header).toEqual(['时间', '心愿编号', '心愿标题', '操作', '爱心人士', '捐赠者类型', '金额或数量', '社工']);
    expect(rows.map((r) => r[3]).sort()).toEqual(['认捐', '认捐', '认领']);
    expect(rows.every((r) => r[0]!.startsWith('2026-11-23 '))).toBe(true);
    expect(rows.map((r) => r[4])).toContain('匿名');

    const later = csvOf((await get(`/api/v1/exports/ledger.csv?communityId=${cid}&from=2026-11-24`)).body);
    expect(later.slice(1).map((r) => r[3]).sort()).toEqual(['送达', '送达', '撤回', '确认收到'].sort());
  });

  it('refuses a range that ends before it starts, naming `to`, and dates that are not dates', async () => {
    const backwards = await get(`/api/v1/exports/ledger.csv?communityId=${cid}&from=2026-11-24&to=2026-11-23`);
    expect(backwards.status).toBe(400);
    expect(JSON.parse(backwards.body.toString()).error.details.fields.map((f: { field: string }) => f.field)).toEqual(['to']);
    const bad = await get(`/api/v1/exports/ledger.csv?communityId=${cid}&from=2026-02-30&to=yesterday`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body.toString()).error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['from', 'to']);
    const missing = await get('/api/v1/exports/ledger.csv');
    expect(missing.status).toBe(400);
  });

  it('exports the same ledger as xlsx: its sheet with a bold header and the same cells, and the directory beside it', async () => {
    const csv = csvOf((await get(`/api/v1/exports/ledger.csv?communityId=${cid}&lang=zh`)).body);
    const res = await get(`/api/v1/exports/ledger.xlsx?communityId=${cid}&lang=zh`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toContain('.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ArrayBuffer);
    // The ledger, and the directory as its second sheet.
    expect(book.worksheets.map((w) => w.name)).toEqual(['台账', '资源库']);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('台账');
    expect(sheet.getRow(1).font?.bold).toBe(true);
    const cells: string[][] = [];
    sheet.eachRow((row) => cells.push((row.values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? '' : String(v)))));
    expect(cells.map((r) => [...r, ...Array<string>(8 - r.length).fill('')])).toEqual(csv);
    expect(sheet.getColumn(3).width).toBeGreaterThan(10);
  });

  it('exports the directory as CSV and as the ledger workbook\'s second sheet: Chinese intact, no contact', async () => {
    const csv = csvOf((await get(`/api/v1/exports/directory.csv?communityId=${cid}&lang=zh`)).body);
    expect(csv[0]).toEqual(['名称', '类型', '状态', '可提供', '服务区域', '可服务时间', '每月能力', '登记日期']);
    expect(csv.slice(1)).toEqual([
      ['幸福超市', '爱心商家', '已确认', '物品、每周五送面包', '幸福里3号楼', '周五', '每月 4 次', '2026-11-24'],
      ['理发服务队', '志愿服务队', '已确认', '理发', '幸福里3号楼', '', '', '2026-11-24'],
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await get(`/api/v1/exports/ledger.xlsx?communityId=${cid}&lang=zh`)).body as unknown as ArrayBuffer);
    const rows: string[][] = [];
    book.getWorksheet('资源库')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? '' : String(v)))));
    expect(rows.map((r) => [...r, ...Array<string>(8 - r.length).fill('')])).toEqual(csv);
    const xlsx = await get(`/api/v1/exports/directory.xlsx?communityId=${cid}`);
    for (const body of [xlsx.body, (await get(`/api/v1/exports/directory.csv?communityId=${cid}`)).body, (await get(`/api/v1/exports/ledger.xlsx?communityId=${cid}`)).body]) {
      const text = body.toString('utf8');
      expect([text.includes('13800001111'), text.includes('王经理')]).toEqual([false, false]);
    }
    // An xlsx is zipped: the contact is looked for in what the workbook reads back as, too.
    const dir = new ExcelJS.Workbook();
    await dir.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const all: string[] = [];
    dir.worksheets[0]!.eachRow((row) => all.push(JSON.stringify(row.values)));
    expect(all.join('')).not.toContain('13800001111');
    expect((await get(`/api/v1/exports/directory.csv?communityId=${cid}`, 'other-worker-token')).status).toBe(404);
  });

  it('exports the committee bundle: six sheets with Chinese intact, the same as its CSV sheets, and nothing private', async () => {
    const res = await get(`/api/v1/exports/bundle.xlsx?communityId=${cid}&period=2026-11&lang=zh`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain(`committee-${cid}-2026-11.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['心愿', '认领认捐', '已实现', '物资台账', '志愿服务时长', '居民同意记录']);
    const rowsOf = (name: string) => {
      const rows: string[][] = [];
      book.getWorksheet(name)!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? '' : String(v)))));
      return rows;
    };
    expect(rowsOf('心愿').map((r) => r[1])).toEqual(expect.arrayContaining(['标题', '冬季取暖费', '大米两袋, "新米"']));
    const pledges = rowsOf('认领认捐');
    expect(pledges.map((r) => r[1])).toEqual(expect.arrayContaining(['幸福超市', '匿名']));
    expect(rowsOf('已实现').map((r) => [r[0], r[2], r[3]])).toEqual([['心愿编号', '爱心人士', '金额或数量'], [cash.id, '幸福超市', '¥200']]);
    expect(rowsOf('物资台账').slice(1).map((r) => [r[1], r[2], r[3], r[4]])).toEqual([
      ['口罩 (只)', '入库', '200', '幸福里物业'],
      ['口罩 (只)', '分配', '20', '居民'],
      ['口罩 (只)', '发放', '20', '1'],
    ]);
    // Each sheet as CSV says the same.
    const csv = csvOf((await get(`/api/v1/exports/bundle.csv?communityId=${cid}&period=2026-11&lang=zh&sheet=pledges`)).body);
    expect(csv).toEqual(pledges.map((r) => [...r, ...Array<string>(6 - r.length).fill('')]));
    // Nothing private in any sheet: no Telegram id or username, no beneficiary contact or notes, no household.
    const all = book.worksheets.flatMap((w) => rowsOf(w.name).flat()).join('|');
    for (const secret of [...SECRET_IDS, ...SECRET_USERNAMES, 'Lives alone', '555-0100', '3号楼王阿姨家', '李雷']) expect([secret, all.includes(secret)]).toEqual([secret, false]);
    const bad = await get(`/api/v1/exports/bundle.xlsx?communityId=${cid}&period=2026-13`);
    expect(bad.status).toBe(400);
    expect((await get(`/api/v1/exports/bundle.xlsx?communityId=${cid}&period=2026`, 'other-worker-token')).status).toBe(404);
  });

  it('exports one wish\'s history and the donors list, as CSV and xlsx', async () => {
    const history = await get(`/api/v1/exports/wishes/${cash.id}/history.csv?lang=en`);
    expect(history.status).toBe(200);
    expect(history.headers['content-disposition']).toContain(`history-${cash.id}.csv`);
    const [, ...events] = csvOf(history.body);
    expect(events.map((r) => r[3])).toEqual(['created', 'published', 'pledged', 'pledged', 'delivered', 'confirmed', 'withdrawn']);
    expect((await get(`/api/v1/exports/wishes/${cash.id}/history.xlsx`)).status).toBe(200);

    const donors = await get(`/api/v1/exports/donors.csv?communityId=${cid}&lang=en`, 'auditor-token');
    expect(donors.status).toBe(200);
    const [header = [], ...rows] = csvOf(donors.body);
    expect(header.slice(0, 4)).toEqual(['Donor id', 'Donor', 'Donor type', 'Pledges']);
    expect(header).toContain('Cash fulfilled (CNY)');
    const byName = Object.fromEntries(rows.map((r) => [r[1], Object.fromEntries(header.map((h, i) => [h, r[i]]))]));
    expect(Object.keys(byName).sort()).toEqual(['Anonymous', 'Zhang San', '幸福超市'].sort());
    expect(byName['幸福超市']).toMatchObject({ 'Donor id': publicDonorId('tg:700000001'), 'Fulfilled (confirmed)': '1', 'Cash fulfilled (CNY)': '200' });
    expect(byName['Zhang San']).toMatchObject({ Delivered: '1', 'Fulfilled (confirmed)': '0', 'Goods fulfilled (items)': '0' });
    expect(byName.Anonymous).toMatchObject({ Withdrawn: '1', 'Fulfilled (confirmed)': '0' });
    const text = donors.body.toString('utf8');
    for (const secret of [...SECRET_IDS, ...SECRET_USERNAMES, '李雷']) expect(text).not.toContain(secret);
    expect((await get(`/api/v1/exports/donors.xlsx?communityId=${cid}`)).status).toBe(200);
  });

  it('lists donors with their counts: fulfilled means confirmed; staff see Telegram ids, auditors never', async () => {
    const staff = await request(app).get(`/api/v1/donors?communityId=${cid}`).set(as('worker-token'));
    expect(staff.status).toBe(200);
    const shop = staff.body.items.find((d: { id: string }) => d.id === 'tg:700000001');
    expect(shop).toMatchObject({ displayName: '幸福超市', type: 'business', telegramId: 700000001, username: 'wang_xm', fulfilled: { count: 1, cash: 200, goods: 0, service: 0 } });
    expect(shop.pledges).toMatchObject({ confirmed: 1, total: 1 });
    const plain = staff.body.items.find((d: { id: string }) => d.id === 'tg:700000003');
    expect(plain).toMatchObject({ pledges: { delivered: 1, total: 1 }, fulfilled: { count: 0 } });
    expect(staff.body.items.find((d: { id: string }) => d.id === 'tg:700000002')).toMatchObject({ anonymous: true, displayName: '李雷' });

    const auditor = await request(app).get(`/api/v1/donors?communityId=${cid}`).set(as('auditor-token'));
    expect(auditor.status).toBe(200);
    expect(auditor.body.items).toHaveLength(3);
    const shy = auditor.body.items.find((d: { id: string }) => d.id === publicDonorId('tg:700000002'));
    expect(shy).toMatchObject({ anonymous: true, type: 'individual', pledges: { withdrawn: 1 } });
    expect(shy.displayName).toBeUndefined();
    const json = JSON.stringify(auditor.body);
    for (const secret of [...SECRET_IDS, ...SECRET_USERNAMES, 'tg:', '李雷']) expect(json).not.toContain(secret);
  });

  it('pages donors with a cursor', async () => {
    const first = await request(app).get(`/api/v1/donors?communityId=${cid}&limit=2`).set(as(ADMIN_TOKEN));
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await request(app).get(`/api/v1/donors?communityId=${cid}&limit=2&cursor=${first.body.nextCursor}`).set(as(ADMIN_TOKEN));
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeUndefined();
    const ids = [...first.body.items, ...second.body.items].map((d: { publicId: string }) => d.publicId);
    expect(new Set(ids).size).toBe(3);
    expect((await request(app).get(`/api/v1/donors?cursor=nonsense`).set(as(ADMIN_TOKEN))).status).toBe(400);
  });

  it('lists a donor\'s pledges by donor id (staff) or public id (anyone who reads)', async () => {
    const staff = await request(app).get('/api/v1/donors/tg:700000001/pledges').set(as('worker-token'));
    expect(staff.status).toBe(200);
    expect(staff.body.items).toEqual([expect.objectContaining({ id: cash.confirmed, wishId: cash.id, wishCode: cash.id, wishTitle: '冬季取暖费', status: 'confirmed', amount: 200, category: 'cash' })]);
    const pub = await request(app).get(`/api/v1/donors/${publicDonorId('tg:700000002')}/pledges`).set(as('auditor-token'));
    expect(pub.status).toBe(200);
    expect(pub.body.items.map((p: { status: string }) => p.status)).toEqual(['withdrawn']);
    // An auditor may not use a Telegram-based id, nor learn it exists.
    expect((await request(app).get('/api/v1/donors/tg:700000001/pledges').set(as('auditor-token'))).status).toBe(404);
    // Another community's worker sees none of these pledges.
    expect((await request(app).get('/api/v1/donors/tg:700000001/pledges').set(as('other-worker-token'))).status).toBe(404);
  });

  it('lists a community\'s linked groups and workers, without chat or Telegram ids for auditors', async () => {
    const groups = await request(app).get(`/api/v1/communities/${cid}/groups`).set(as('worker-token'));
    expect(groups.status).toBe(200);
    expect(groups.body.items).toEqual([{ id: '-1001234567890', title: '幸福里爱心群', linkedAt: '2026-11-22T09:00:00.000Z' }]);
    const workers = await request(app).get(`/api/v1/communities/${cid}/workers`).set(as('worker-token'));
    expect(workers.body.items).toEqual([{ name: '社工小陈', telegramId: 700000009, username: 'chen_worker' }]);

    const auditorGroups = await request(app).get(`/api/v1/communities/${cid}/groups`).set(as('auditor-token'));
    const auditorWorkers = await request(app).get(`/api/v1/communities/${cid}/workers`).set(as('auditor-token'));
    expect(auditorGroups.body.items).toEqual([{ title: '幸福里爱心群', linkedAt: '2026-11-22T09:00:00.000Z' }]);
    expect(auditorWorkers.body.items).toEqual([{ name: '社工小陈' }]);
    for (const secret of [...SECRET_IDS, ...SECRET_USERNAMES]) expect(JSON.stringify([auditorGroups.body, auditorWorkers.body])).not.toContain(secret);
  });

  it('answers 404 to a worker of another community, for every list and export', async () => {
    const paths = [
      `/api/v1/donors?communityId=${cid}`,
      `/api/v1/communities/${cid}/groups`,
      `/api/v1/communities/${cid}/workers`,
      `/api/v1/exports/ledger.csv?communityId=${cid}`,
      `/api/v1/exports/ledger.xlsx?communityId=${cid}`,
      `/api/v1/exports/donors.csv?communityId=${cid}`,
      `/api/v1/exports/wishes/${cash.id}/history.csv`,
      `/api/v1/exports/ledger.csv?communityId=no-such-community`,
    ];
    for (const path of paths) {
      const res = await get(path, 'other-worker-token');
      expect([path, res.status]).toEqual([path, 404]);
    }
    // Their own community's donors list is theirs alone: nobody pledged there.
    const own = await request(app).get('/api/v1/donors').set(as('other-worker-token'));
    expect(own.body.items).toEqual([]);
  });
});
