import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Browser } from 'playwright-core';
import { createBotModels } from '../../src/db/bot-models';
import { createPersonStore } from '../../src/db/bot-stores';
import { donorActor, donorRefOf } from '../../src/domain/people';
import { Actor } from '../../src/domain/wish/types';
import { launchBrowser } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, draftFor, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';

// The public impact page in real Chromium: off until an admin turns it on; then the community's
// totals and its fulfilled wishes' titles, in English or Chinese, and nothing private of any seeded
// resident (name, alias, contact, notes, description) nor any donor's Telegram id.

const PRIVATE = ['Wu Meilan', 'grandmother in Building 7', '13912345678', 'Lives alone, diabetic', 'Her old pair broke last week', 'Chen Jun', '13800000000', '700000042'];

describe('the public impact page in a browser', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-10T02:00:00Z'));
  let server: Server;
  let base: string;
  let browser: Browser;
  let cid: string;
  let app: ReturnType<typeof buildApp>;

  beforeAll(async () => {
    const services = buildServices(db, clock, ADMIN_TOKEN);
    app = buildApp(db, services, { clock, app: { currency: 'CNY' } });
    const community = await services.communities.create({ name: 'Harbour Street' }, admin);
    cid = community.id;
    const people = createPersonStore(createBotModels(db.conn));
    await people.seen({ telegramId: 700000042, name: 'Donor Zhao' }, clock(), { started: true });
    const donor = (await people.get(700000042))!;
    const worker: Actor = { kind: 'admin', id: 'tg:9', name: 'Wang' };
    const fulfilled = async (title: string, description: string, beneficiary: { alias: string; name?: string; contact?: string; notes?: string }) => {
      const wish = (await services.wishes.create(draftFor(cid, { title, description, category: 'goods', target: 1, beneficiary }, clock()), worker, { publish: true })).state;
      const pledgeId = (await services.wishes.execute(wish.id, { type: 'claim', donor: donorRefOf(donor) }, donorActor(donor))).event!.id;
      await services.wishes.execute(wish.id, { type: 'deliver', pledgeId }, donorActor(donor));
      await services.wishes.confirm(wish.id, pledgeId, worker);
    };
    await fulfilled('Reading glasses', 'Her old pair broke last week', { alias: 'grandmother in Building 7', name: 'Wu Meilan', contact: '13912345678', notes: 'Lives alone, diabetic' });
    await fulfilled('A warm winter coat', 'For the cold months', { alias: 'young father, Building 2', name: 'Chen Jun', contact: '13800000000' });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('is off until an admin turns it on, then shows totals and titles and no private field', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 780 } });
    const before = await page.goto(`${base}/impact/${cid}`);
    expect(before!.status()).toBe(404);
    const worker = await request(app).post(`/api/v1/communities/${cid}/impact`).set({ Authorization: 'Bearer mw_not-an-admin' }).send({ public: true });
    expect(worker.status).toBe(401);
    const on = await request(app).post(`/api/v1/communities/${cid}/impact`).set({ Authorization: `Bearer ${ADMIN_TOKEN}` }).send({ public: true });
    expect(on.body).toEqual({ communityId: cid, public: true, path: `/impact/${cid}` });

    for (const [lang, heading, wishes] of [
      ['en', 'What Harbour Street achieved together', 'Wishes fulfilled'],
      ['zh', 'Harbour Street携手成果', '实现心愿'],
    ] as const) {
      const res = await page.goto(`${base}/impact/${cid}?lang=${lang}`);
      expect(res!.status()).toBe(200);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      const text = await page.locator('body').innerText();
      expect(text).toContain(wishes);
      expect(text).toContain('Reading glasses');
      expect(text).toContain('A warm winter coat');
      const markup = await page.content();
      for (const secret of PRIVATE) {
        expect([secret, text.includes(secret), markup.includes(secret)]).toEqual([secret, false, false]);
      }
    }
    const figures = await page.locator('dd').allInnerTexts();
    expect(figures.slice(0, 3)).toEqual(['2', '¥0', '2']);
    await request(app).post(`/api/v1/communities/${cid}/impact`).set({ Authorization: `Bearer ${ADMIN_TOKEN}` }).send({ public: false });
    expect((await page.goto(`${base}/impact/${cid}`))!.status()).toBe(404);
  });
});
