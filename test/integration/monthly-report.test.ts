import request from 'supertest';
import { createBotModels } from '../../src/db/bot-models';
import { createGroupStore, createPersonStore } from '../../src/db/bot-stores';
import { createReportSources } from '../../src/db/report-sources';
import { createStockStore } from '../../src/db/stock-store';
import { createTeamStore } from '../../src/db/team-store';
import { donorActor, donorRefOf, Person } from '../../src/domain/people';
import { createReportService } from '../../src/domain/reports/service';
import { createStockService } from '../../src/domain/stock/service';
import { createTeamService } from '../../src/domain/teams/service';
import { createResourceService } from '../../src/domain/resources/service';
import { createResourceStore } from '../../src/db/resource-store';
import { NewOutboxItem } from '../../src/domain/outbox';
import { Actor } from '../../src/domain/wish/types';
import { postMonthlySummaries } from '../../src/jobs/monthly';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, draftFor, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';

// A seeded November: the monthly summary the groups get (English and Chinese) says what the report
// API says; it names only donors who agreed in /profile (never an anonymous one), counts only what
// was fulfilled (a claim then withdrawn, a pledge delivered but not confirmed and a December
// confirmation do not count), and thanks the team for the hours its lead confirmed.

describe('the monthly summary and report', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-03T02:00:00Z'));
  let app: ReturnType<typeof buildApp>;
  let cid: string;
  const posted: NewOutboxItem[] = [];
  let reports: ReturnType<typeof createReportService>;
  let groups: ReturnType<typeof createGroupStore>;

  beforeAll(async () => {
    const services = buildServices(db, clock, ADMIN_TOKEN);
    app = buildApp(db, services, { clock, timezone: 'Asia/Shanghai', app: { currency: 'CNY' }, console: {} });
    const models = createBotModels(db.conn);
    const people = createPersonStore(models);
    groups = createGroupStore(models);
    const community = await services.communities.create({ name: 'Harbour Street' }, admin);
    cid = community.id;
    await groups.link(-100_930_001, 'Harbour (en)', cid, 1, clock());
    await groups.link(-100_930_002, '港湾（中文）', cid, 1, clock());
    await groups.setLanguage(-100_930_002, 'zh', clock());
    const worker: Actor = { kind: 'admin', id: 'tg:9', name: 'Wang' };
    const donor = async (id: number, name: string, profile: Partial<NonNullable<Person['donor']>>) => {
      await people.seen({ telegramId: id, name }, clock(), { started: true });
      await people.setDonorProfile(id, { type: 'individual', displayName: name, anonymous: false, ...profile }, clock());
      return (await people.get(id))!;
    };
    const agreed = await donor(701, 'Harbour Bakery', { thanked: true });
    const anonymous = await donor(702, 'Quiet Li', { thanked: true, anonymous: true });
    const notAsked = await donor(703, 'Zhang San', {});
    const withdrew = await donor(704, 'Withdrew Wu', { thanked: true });
    const late = await donor(705, 'December Chen', { thanked: true });

    const cash = (await services.wishes.create(draftFor(cid, { title: 'Heating bill', target: 1000 }, clock()), worker, { publish: true })).state;
    const goods = (await services.wishes.create(draftFor(cid, { title: 'Rice, 2 bags', category: 'goods', target: 2, unit: 'bags' }, clock()), worker, { publish: true })).state;
    const coat = (await services.wishes.create(draftFor(cid, { title: 'Winter coat', category: 'goods', target: 1 }, clock()), worker, { publish: true })).state;
    const pledge = async (wishId: string, p: Person, amount: number) => (await services.wishes.execute(wishId, { type: 'pledge', donor: donorRefOf(p), amount }, donorActor(p))).event!.id;
    const fulfil = async (wishId: string, pledgeId: string, p: Person) => {
      await services.wishes.execute(wishId, { type: 'deliver', pledgeId }, donorActor(p));
      await services.wishes.confirm(wishId, pledgeId, worker);
    };
    await fulfil(cash.id, await pledge(cash.id, agreed, 200), agreed);
    await fulfil(cash.id, await pledge(cash.id, anonymous, 100), anonymous);
    await fulfil(cash.id, await pledge(cash.id, notAsked, 50), notAsked);
    const delivered = await pledge(cash.id, late, 80);
    await services.wishes.execute(cash.id, { type: 'deliver', pledgeId: delivered }, donorActor(late)); // not confirmed in November
    // A claim then withdrawn, and the goods wish fulfilled by the bakery.
    const claimed = (await services.wishes.execute(coat.id, { type: 'claim', donor: donorRefOf(withdrew) }, donorActor(withdrew))).event!.id;
    await services.wishes.execute(coat.id, { type: 'withdraw', pledgeId: claimed }, donorActor(withdrew));
    const rice = (await services.wishes.execute(goods.id, { type: 'claim', donor: donorRefOf(agreed) }, donorActor(agreed))).event!.id;
    await fulfil(goods.id, rice, agreed);
    // Goods from stock: 30 masks handed over in November.
    const stockStore = createStockStore(db.models);
    const stock = createStockService({ store: stockStore, clock });
    const masks = (await stock.receive({ communityId: cid, name: 'Masks', quantity: 100, from: { name: 'Harbour Realty' } }, admin)).state.itemId;
    const allocation = (await stock.allocate(masks, 30, { kind: 'resident', label: 'Building 3' }, admin)).event as { allocationId: string };
    await stock.change(masks, { type: 'distribute', allocationId: allocation.allocationId, recipients: 12 }, admin);
    // A team's slot confirmed: 90 minutes.
    const teamStore = createTeamStore(db.models);
    const resources = createResourceService({ store: createResourceStore(db.models), clock });
    const area = await resources.addArea(cid, { name: 'Harbour', level: 'community' }, admin);
    const teams = createTeamService({ store: teamStore, clock, areasOf: resources.areasOf });
    const team = await teams.createTeam({ communityId: cid, name: 'Haircut team', skill: 'haircut', leadTelegramId: 706, leadName: 'Lena', areaIds: [area.id] }, admin);
    await teams.join(team.joinCode, { telegramId: 707, name: 'Member' });
    const { slots } = await teams.createRequest(team.id, { title: 'Haircuts', slots: [{ startsAt: new Date('2026-11-10T02:00:00Z'), minutes: 90, place: 'home', places: 2 }] }, admin);
    await teams.signUp(slots[0]!.id, { telegramId: 707, name: 'Member' });
    clock.set(new Date('2026-11-10T02:05:00Z'));
    await teams.checkIn(slots[0]!.id, { telegramId: 707, name: 'Member' });
    await teams.confirm(slots[0]!.id, 707, admin);
    // December: the late donor's pledge confirmed; not November's.
    clock.set(new Date('2026-12-01T00:30:00Z'));
    await services.wishes.confirm(cash.id, delivered, worker);
    reports = createReportService({ ...createReportSources({ wishes: services.wishes, people, stock: stockStore, teams: teamStore }), timeZone: 'Asia/Shanghai' });
  });

  it('the report API counts only what was fulfilled in the month, and names only donors who agreed', async () => {
    const res = await request(app).get(`/api/v1/reports/monthly?communityId=${cid}&month=2026-11`).set({ Authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      communityId: cid,
      month: '2026-11',
      currency: 'CNY',
      wishesFulfilled: 1,
      amountRaised: 350,
      goodsDistributed: 32,
      volunteerHours: 1.5,
      donors: { named: ['Harbour Bakery'], others: 2 },
      teams: [{ name: 'Haircut team', hours: 1.5 }],
    });
    // December has the late confirmation.
    const december = await request(app).get(`/api/v1/reports/monthly?communityId=${cid}&month=2026-12`).set({ Authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(december.body).toMatchObject({ amountRaised: 80, donors: { named: ['December Chen'], others: 0 } });
    const bad = await request(app).get(`/api/v1/reports/monthly?communityId=${cid}&month=2026-13`).set({ Authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].field).toBe('month');
  });

  it('the groups get the same figures on the 1st, in their own language, once', async () => {
    const deps = { communities: { list: async () => [{ id: cid, name: 'Harbour Street' }] as never }, groups, reports, enqueue: async (items: NewOutboxItem[]) => void posted.push(...items), currency: 'CNY', timeZone: 'Asia/Shanghai', defaultLanguage: 'en' as const };
    const result = await postMonthlySummaries(deps, new Date('2026-12-01T01:00:00Z'));
    expect(result).toEqual({ month: '2026-11', posted: 2 });
    const text = (chatId: number) => (posted.find((i) => i.chatId === chatId)!.payload as { message: { text: string } }).message.text;
    const en = text(-100_930_001);
    for (const part of ['November 2026 in Harbour Street', 'Wishes fulfilled: 1', 'Money raised: ¥350', 'Items handed out: 32', 'Volunteer hours: 1.5', 'Thank you to Harbour Bakery and 2 neighbours who gave quietly!', 'Haircut team (1.5 h)']) expect(en).toContain(part);
    for (const never of ['Quiet Li', 'Zhang San', 'Withdrew Wu', 'December Chen']) expect(en).not.toContain(never);
    const zh = text(-100_930_002);
    for (const part of ['Harbour Street 2026年11月小结', '实现心愿：1 个', '募得善款：¥350', '发放物资：32 件', '志愿服务：1.5 小时', '感谢Harbour Bakery和2 位默默奉献的邻居！', 'Haircut team（1.5 小时）']) expect(zh).toContain(part);
    // Keyed by community, month and group: a second tick makes the same items (the outbox keeps one).
    const again: NewOutboxItem[] = [];
    await postMonthlySummaries({ ...deps, enqueue: async (items) => void again.push(...items) }, new Date('2026-12-01T01:05:00Z'));
    expect(again.map((i) => i.id).sort()).toEqual(posted.map((i) => i.id).sort());
  });

  it("the console's Reports page shows the same month in a table and a chart per figure", async () => {
    const agent = request.agent(app);
    expect((await agent.post('/console/sign-in').type('form').send({ token: ADMIN_TOKEN })).status).toBe(303);
    const page = await agent.get('/console/reports');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/console/reports"');
    const november = /<tr><td>November 2026<\/td>(.*?)<\/tr>/.exec(page.text)![1]!;
    expect(november).toBe('<td>1</td><td>¥350</td><td>32</td><td>1.5</td><td>Harbour Bakery, 2 neighbours who gave quietly</td>');
    expect(page.text.match(/<svg role="img"/g)).toHaveLength(3);
    const zh = await agent.get('/console/reports?lang=zh');
    expect(zh.text).toContain('<td>2026年11月</td><td>1</td><td>¥350</td>');
  });
});

