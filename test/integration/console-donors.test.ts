import request from 'supertest';
import { createBotModels } from '../../src/db/bot-models';
import { createPersonStore } from '../../src/db/bot-stores';
import { donorActor, donorRefOf, Person, publicDonorId } from '../../src/domain/people';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, DAY, draftFor, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';

// The console's Donors page over HTTP against a real database: who pledged on the reader's
// communities' wishes and what was fulfilled; anonymous donors; what auditors may never see.

const SECRET_IDS = ['700000101', '700000102', '700000103', '700000105'];
const SECRET_USERNAMES = ['shop_owner_tg', 'shy_lilei_tg', 'plain_zhang_tg', 'elsewhere_tg'];

describe('console donors', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-22T09:00:00Z'));
  let app: ReturnType<typeof buildApp>;
  let ours: string;
  let theirs: string;
  let cashWishId: string;
  let workerToken: string;
  let auditorToken: string;
  let adminToken: string;
  const ids = { shop: '', shy: '', plain: '', elsewhere: '' };

  beforeAll(async () => {
    const services = buildServices(db, clock, ADMIN_TOKEN);
    const people = createPersonStore(createBotModels(db.conn));
    ours = (await services.communities.create({ name: '幸福里社区' }, admin)).id;
    theirs = (await services.communities.create({ name: 'Riverside' }, admin)).id;
    const seen = async (telegramId: number, name: string, username: string, donor?: Person['donor']) => {
      await people.seen({ telegramId, name, username }, clock(), { started: true });
      if (donor) await people.setDonorProfile(telegramId, donor, clock());
      return (await people.get(telegramId))!;
    };
    const shop = await seen(700000101, '王小明', 'shop_owner_tg', { type: 'business', displayName: '幸福超市', anonymous: false });
    const shy = await seen(700000102, 'Li Lei', 'shy_lilei_tg', { type: 'individual', displayName: '李雷', anonymous: true });
    const plain = await seen(700000103, 'Zhang San', 'plain_zhang_tg');
    const elsewhere = await seen(700000105, 'Far Away', 'elsewhere_tg', { type: 'volunteer_team', displayName: 'River Volunteers', anonymous: false });
    ids.shop = publicDonorId(donorRefOf(shop).donorId);
    ids.shy = publicDonorId(donorRefOf(shy).donorId);
    ids.plain = publicDonorId(donorRefOf(plain).donorId);
    ids.elsewhere = publicDonorId(donorRefOf(elsewhere).donorId);

    const cash = (await services.wishes.create(draftFor(ours, { title: '冬季取暖费', target: 500 }, clock()), admin, { publish: true })).state;
    const rent = (await services.wishes.create(draftFor(ours, { title: 'Help with the phone bill', target: 100 }, clock()), admin, { publish: true })).state;
    const goods = (await services.wishes.create(draftFor(ours, { title: '大米两袋', category: 'goods', target: 2, unit: '袋' }, clock()), admin, { publish: true })).state;
    const river = (await services.wishes.create(draftFor(theirs, { title: 'Riverside wheelchair' }, clock()), admin, { publish: true })).state;
    cashWishId = cash.id;
    clock.advance(DAY);
    // The shop: one cash pledge confirmed (¥200), one withdrawn (not fulfilled).
    const shopCash = (await services.wishes.execute(cash.id, { type: 'pledge', donor: donorRefOf(shop), amount: 200 }, donorActor(shop))).event!.id;
    const shopRent = (await services.wishes.execute(rent.id, { type: 'pledge', donor: donorRefOf(shop), amount: 50 }, donorActor(shop))).event!.id;
    // The anonymous donor: one cash pledge confirmed (¥100).
    const shyCash = (await services.wishes.execute(cash.id, { type: 'pledge', donor: donorRefOf(shy), amount: 100 }, donorActor(shy))).event!.id;
    // Plain: claims the goods, delivers, not yet confirmed.
    const claim = (await services.wishes.execute(goods.id, { type: 'claim', donor: donorRefOf(plain) }, donorActor(plain))).event!.id;
    await services.wishes.execute(river.id, { type: 'pledge', donor: donorRefOf(elsewhere), amount: 10 }, donorActor(elsewhere));
    clock.advance(DAY);
    await services.wishes.execute(cash.id, { type: 'deliver', pledgeId: shopCash }, donorActor(shop));
    await services.wishes.confirm(cash.id, shopCash, admin);
    await services.wishes.execute(cash.id, { type: 'deliver', pledgeId: shyCash }, donorActor(shy));
    await services.wishes.confirm(cash.id, shyCash, admin);
    await services.wishes.execute(rent.id, { type: 'withdraw', pledgeId: shopRent }, donorActor(shop));
    await services.wishes.execute(goods.id, { type: 'deliver', pledgeId: claim }, donorActor(plain));

    workerToken = (await services.tokens.issue({ role: 'worker', communityIds: [ours], label: 'Wang' }, admin)).token;
    auditorToken = (await services.tokens.issue({ role: 'auditor', communityIds: [ours], label: 'Committee' }, admin)).token;
    adminToken = ADMIN_TOKEN;
    app = buildApp(db, services, { clock, console: {} });
  });

  async function signIn(token: string, lang: 'en' | 'zh' = 'en') {
    const agent = request.agent(app);
    expect((await agent.post('/console/sign-in').type('form').send({ token })).status).toBe(303);
    await agent.get(`/console/?lang=${lang}`);
    return agent;
  }

  /** The table's rows, in order, as their text without tags. */
  const rowsOf = (text: string) =>
    [...text.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1).map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());

  it('shows a worker their community\'s donors, most fulfilled first, a withdrawn pledge not counted', async () => {
    const agent = await signIn(workerToken);
    const res = await agent.get('/console/donors');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/console/donors" aria-current="page"');
    expect(res.text).toMatch(/<caption id="donors-caption">/);
    const rows = rowsOf(res.text);
    expect(rows).toHaveLength(3);
    // One fulfilled each for the shop and the anonymous donor (by name: "Anonymous" before "幸福超市"), none for Zhang.
    expect(rows[0]).toMatch(/^Anonymous .*Individual .*confirmed: 1 1 ¥100$/);
    expect(rows[1]).toMatch(/^幸福超市 Caring business confirmed: 1 withdrawn: 1 1 ¥200$/);
    expect(rows[2]).toMatch(/^Zhang San none delivered, awaiting confirmation: 1 0 none$/);
    expect(res.text).not.toContain('River Volunteers');
    // Staff see the anonymous donor's name in a note; URLs use public ids only.
    expect(res.text).toContain('(李雷: chose to stay anonymous; shown to staff only)');
    expect(res.text).toContain(`href="/console/donors/${ids.shop}"`);
    expect(res.text).not.toMatch(/\/console\/donors\/tg:/);
    // One community: the donors files are linked.
    expect(res.text).toContain(`href="/console/exports/donors.csv?communityId=${ours}"`);
  });

  it('lists one donor\'s pledges with links to the wishes, and 404s for another community\'s donor or an unknown one', async () => {
    const agent = await signIn(workerToken);
    const res = await agent.get(`/console/donors/${ids.shop}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>幸福超市</h1>');
    expect(res.text).toContain(`href="/console/wishes/${cashWishId}"`);
    expect(res.text).toContain('冬季取暖费');
    expect(res.text).toContain('Help with the phone bill');
    expect(res.text).toContain('withdrawn');
    expect(res.text).toContain('@shop_owner_tg');
    for (const path of [`/console/donors/${ids.elsewhere}`, '/console/donors/d-nosuchdonor', '/console/donors/tg:700000101']) {
      const r = await agent.get(path);
      expect(r.status).toBe(404);
      expect(r.text).not.toContain('River Volunteers');
    }
  });

  it('never shows an auditor a Telegram id, a username or an anonymous donor\'s name', async () => {
    const agent = await signIn(auditorToken);
    const bodies = [(await agent.get('/console/donors')).text];
    for (const id of [ids.shop, ids.shy, ids.plain]) {
      const r = await agent.get(`/console/donors/${id}`);
      expect(r.status).toBe(200);
      bodies.push(r.text);
    }
    expect(bodies[0]).toContain('幸福超市');
    expect(bodies[0]).toContain('Anonymous');
    for (const body of bodies) {
      for (const secret of [...SECRET_IDS, ...SECRET_USERNAMES, '李雷', 'Li Lei']) expect(body).not.toContain(secret);
    }
  });

  it('lets an admin filter by community and reads in Chinese after ?lang=zh', async () => {
    const agent = await signIn(adminToken, 'zh');
    const all = await agent.get('/console/donors');
    expect(all.text).toContain('<h1>爱心人士</h1>');
    expect(all.text).toContain('共 4 位爱心人士');
    expect(all.text).toContain('>爱心人士</a>');
    expect(all.text).toContain('匿名');
    expect(all.text).toContain('爱心企业');
    expect(all.text).toContain('已撤回：1');
    expect(all.text).toContain('（李雷：本人选择匿名，仅社工可见）');
    expect(all.text).toContain('name="community"');
    const filtered = await agent.get(`/console/donors?community=${theirs}`);
    expect(rowsOf(filtered.text)).toEqual([expect.stringMatching(/^River Volunteers 志愿服务队 已认捐：1 0 无$/)]);
    expect(filtered.text).toContain(`href="/console/exports/donors.xlsx?communityId=${theirs}"`);
    const detail = await agent.get(`/console/donors/${ids.elsewhere}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('认领记录');
  });
});
