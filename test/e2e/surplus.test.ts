import request from 'supertest';
import type { Express } from 'express';
import { useTestDatabase } from '../support/db';
import { BUSY, buttonsOf, resultMessage, startBotAndApi } from '../support/bot-and-api';
import { groupChat, Harness } from '../support/bot-harness';
import type { TgUser } from '../fake-telegram';

// A surplus card through the real bot, the fake Bot API, the real HTTP app and the outbox: goods
// received over the API, twenty offered in a group, up to two each; fifty people press twice at the
// same moment: every press is answered, exactly twenty are taken, nobody has more than two, the card
// says all taken, and each taker is told privately where and when to collect. In English and Chinese.

const WAIT = 30_000;
const TOKEN = 'surplus-admin-token-0123456789abcdef';

const TEXTS = {
  en: { card: /to give away, up to 2 each/, took: /It's yours/, cap: /the most one person may take/, gone: /all taken/, allTaken: /All taken/, dm: /Collect them at <b>Community centre<\/b>/ },
  zh: { card: /免费领取，每人最多 2/, took: /领到了/, cap: /每人最多能领/, gone: /已经领完了/, allTaken: /已全部领完/, dm: /请到<b>Community centre<\/b>领取/ },
} as const;

describe('surplus offers through the bot', () => {
  const db = useTestDatabase();
  let h: Harness;
  let app: Express;
  const auth = { Authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    ({ h, app } = await startBotAndApi(db, TOKEN));
  });
  afterAll(async () => {
    await h?.stop();
  });

  it.each([
    ['en', 1],
    ['zh', 2],
  ] as const)('in %s: fifty people press twice at once for twenty, up to two each', async (lang, n) => {
    const L = TEXTS[lang];
    const community = await h.runtime.services.communities.create({ name: `Surplus Lane ${lang}` }, { kind: 'admin', id: 'test' });
    const group = groupChat(-100_920_000 - n, 'Volunteers');
    await h.runtime.groups.link(group.id, group.title!, community.id, 1001, new Date());
    await h.runtime.groups.setLanguage(group.id, lang, new Date());
    const people: TgUser[] = Array.from({ length: 50 }, (_, i) => ({ id: 92_000 + n * 100 + i, first_name: `P${i}`, language_code: lang }));
    for (const p of people) h.fake.startUser(p.id);

    // Given by a donor the bot knows: told what their gift became.
    const giver: TgUser = { id: 92_900 + n, first_name: 'Giver', language_code: lang };
    h.fake.startUser(giver.id);
    await h.runtime.people.seen({ telegramId: giver.id, name: 'Giver', telegramLanguage: lang }, new Date(), { started: true });
    const received = await request(app).post('/api/v1/stock/receipts').set(auth).send({ communityId: community.id, name: lang === 'zh' ? '雨衣' : 'raincoats', unit: lang === 'zh' ? '件' : 'pcs', quantity: 30, from: { name: 'Harbour Association', donorTelegramId: giver.id } });
    expect(received.status).toBe(201);
    const bad = await request(app).post(`/api/v1/stock/items/${received.body.itemId}/surplus`).set(auth).send({ quantity: 40, cap: 0, chatId: group.id, where: '', when: 'Saturday' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['cap', 'where']);
    const tooMany = await request(app).post(`/api/v1/stock/items/${received.body.itemId}/surplus`).set(auth).send({ quantity: 40, cap: 2, chatId: group.id, where: 'Community centre', when: 'Saturday 9-12' });
    expect([tooMany.status, tooMany.body.error.code]).toEqual([409, 'not_enough_stock']);
    let before = h.fake.calls.length;
    const offered = await request(app).post(`/api/v1/stock/items/${received.body.itemId}/surplus`).set(auth).send({ quantity: 20, cap: 2, chatId: group.id, where: 'Community centre', when: 'Saturday 9-12' });
    expect(offered.status).toBe(201);
    const card = await h.fake.waitForCall((c) => c.seq > before && c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === group.id && L.card.test(String(c.params.text)), WAIT);
    const take = buttonsOf(card)[0]!.callback_data!;

    before = h.fake.calls.length;
    const pressUntilDone = async (p: TgUser) => {
      for (let tries = 0; ; tries++) {
        const answer = await h.press(p, resultMessage(card), take);
        if (!BUSY.test(String(answer.params.text)) || tries >= 8) return String(answer.params.text);
      }
    };
    const answers = await Promise.all(people.flatMap((p) => [pressUntilDone(p), pressUntilDone(p)]));
    // Every press answered, in the presser's language.
    expect(answers).toHaveLength(100);
    expect(answers.every((a) => L.took.test(a) || L.cap.test(a) || L.gone.test(a))).toBe(true);
    expect(answers.filter((a) => L.took.test(a))).toHaveLength(20);
    const view = await h.runtime.stock.surplus.view(offered.body.id);
    expect([view.taken, view.left]).toEqual([20, 0]);
    expect(Math.max(...view.takers.map((t) => t.count))).toBeLessThanOrEqual(2);
    await h.fake.waitForCall((c) => c.seq > before && c.ok && c.method === 'editMessageText' && Number(c.params.chat_id) === group.id && L.allTaken.test(String(c.params.text)), WAIT);
    await h.settle();
    for (const t of view.takers) {
      const dms = h.fake.calls.filter((c) => c.seq > before && c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === t.telegramId && L.dm.test(String(c.params.text)));
      expect(dms).toHaveLength(t.count);
    }

    // Closed: twenty handed over, ten still on the shelf; the giver hears what their gift became.
    before = h.fake.calls.length;
    const closed = await request(app).post(`/api/v1/surplus/${offered.body.id}/close`).set(auth);
    expect(closed.body).toMatchObject({ taken: 20, left: 0, closed: true });
    const item = await request(app).get(`/api/v1/stock/items/${received.body.itemId}`).set(auth);
    expect(item.body).toMatchObject({ available: 10, distributed: 20, allocated: 0 });
    const households = view.takers.length;
    const told = lang === 'zh' ? new RegExp(`您捐赠的雨衣 30件：已发放 20件，惠及 ${households} 户居民`) : new RegExp(`Your 30 pcs raincoats: 20 handed out so far, reaching ${households} households`);
    await h.fake.waitForCall((c) => c.seq > before && c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === giver.id && told.test(String(c.params.text)), WAIT);
  });

  it('/received records goods in one line, with a photo as its caption, in English and Chinese; a bad line gets the usage', async () => {
    const community = await h.runtime.services.communities.create({ name: 'Received Lane' }, { kind: 'admin', id: 'test' });
    const worker: TgUser = { id: 93_001, first_name: 'Wang', language_code: 'en' };
    const zhWorker: TgUser = { id: 93_002, first_name: '王', language_code: 'zh' };
    for (const w of [worker, zhWorker]) {
      h.fake.startUser(w.id);
      await h.runtime.people.seen({ telegramId: w.id, name: w.first_name, telegramLanguage: w.language_code }, new Date(), { started: true });
      await h.runtime.people.addWorkerCommunities(w.id, [community.id], new Date());
    }
    const chat = (u: TgUser) => ({ id: u.id, type: 'private' as const, first_name: u.first_name });
    await h.say(worker, chat(worker), '/received two hundred masks', (t) => /Write what arrived in one line/.test(t));
    await h.say(worker, chat(worker), '/received 200 masks from Harbour Realty', (t) => /Recorded for Received Lane: <b>200 pcs masks<\/b> from Harbour Realty\. On the shelf now: 200\./.test(t));
    // With a photo: the command as the photo's caption.
    const update = h.fake.textUpdate(worker, chat(worker), '') as unknown as { message: Record<string, unknown> };
    delete update.message.text;
    update.message.caption = '/received 50 masks from A neighbour';
    update.message.photo = [{ file_id: 'PHOTO-SMALL', file_unique_id: 'p1', width: 90, height: 90 }, { file_id: 'PHOTO-LARGE', file_unique_id: 'p2', width: 800, height: 800 }];
    const before = h.fake.calls.length;
    h.fake.pushUpdate(update);
    await h.fake.waitForCall((c) => c.seq > before && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id && /with the photo\. On the shelf now: 250\./.test(String(c.params.text)), WAIT);
    await h.say(zhWorker, chat(zhWorker), '/received 30 口罩 来自 幸福里物业', (t) => /已为Received Lane登记：<b>口罩 30pcs<\/b>，来自幸福里物业。现有库存：30。/.test(t));
    const items = await h.runtime.stock.service.list(community.id, { kind: 'admin', id: 'test' });
    const masks = items.find((i) => i.name === 'masks')!;
    expect(masks.lots.map((l) => [l.quantity, l.from.name])).toEqual([[200, 'Harbour Realty'], [50, 'A neighbour']]);
    const events = await h.runtime.stock.service.history(masks.itemId, { kind: 'admin', id: 'test' });
    expect(events.map((e) => (e.type === 'received' ? e.photoFileId ?? null : undefined))).toEqual([null, 'PHOTO-LARGE']);
  });

  it('a goods wish fulfilled from stock: claimed for the community stock, and handed over in the ledger when its receipt is confirmed', async () => {
    const community = await h.runtime.services.communities.create({ name: 'From Stock Lane' }, { kind: 'admin', id: 'test' });
    const item = (await request(app).post('/api/v1/stock/receipts').set(auth).send({ communityId: community.id, name: 'rice', unit: 'bags', quantity: 5, from: { name: 'Harbour Bakery' } })).body;
    const wish = await request(app).post('/api/v1/wishes').set(auth).send({
      communityId: community.id, title: 'Rice, 2 bags', description: 'For a family of three', category: 'goods', target: 2, unit: 'bags',
      deadline: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10), beneficiary: { alias: 'family of three, Building 3' }, publish: true,
    });
    expect(wish.status).toBe(201);
    const wrong = await request(app).post(`/api/v1/stock/items/${item.itemId}/allocations`).set(auth).send({ quantity: 1, to: { wishId: wish.body.code } });
    expect([wrong.status, wrong.body.error.details.fields[0].field]).toEqual([400, 'quantity']);
    const given = await request(app).post(`/api/v1/stock/items/${item.itemId}/allocations`).set(auth).send({ quantity: 2, to: { wishId: wish.body.code } });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({ available: 3, allocated: 2 });
    const claimed = await h.runtime.services.wishes.get(wish.body.code);
    expect(claimed.pledges.map((p) => [p.donorId, p.displayName, p.amount])).toEqual([[`stock:${item.itemId}`, 'rice', 2]]);
    // Nobody vouches for what they set aside themselves: another worker saw it handed over; the ledger follows.
    const own = await request(app).post(`/api/v1/wishes/${wish.body.code}/confirm`).set(auth).send({ pledgeId: claimed.pledges[0]!.id, handedOver: true });
    expect([own.status, own.body.error.code]).toEqual([403, 'own_pledge']);
    await h.runtime.services.wishes.confirm(wish.body.code, claimed.pledges[0]!.id, { kind: 'worker', id: 'tg:93100', name: 'Li', communityIds: [community.id] }, { handedOver: true });
    await h.runtime.later.idle();
    const after = (await request(app).get(`/api/v1/stock/items/${item.itemId}`).set(auth)).body;
    expect(after).toMatchObject({ available: 3, allocated: 0, distributed: 2 });
    expect(after.allocations).toEqual([expect.objectContaining({ to: wish.body.code, status: 'confirmed', distributed: 2 })]);
  });
});

