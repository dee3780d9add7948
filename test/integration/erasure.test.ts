import request from 'supertest';
import { createBotModels } from '../../src/db/bot-models';
import { createPersonStore, createSessionStore } from '../../src/db/bot-stores';
import { createAssessmentStore } from '../../src/db/assessment-store';
import { createTheirData } from '../../src/db/erasure';
import { decryptField, isSealed } from '../../src/db/field-crypto';
import { createIntakeStore } from '../../src/db/intake-store';
import { ensureIndexes } from '../../src/db/models';
import { createRelayLog } from '../../src/db/wish-store';
import { createNotifyModels } from '../../src/db/notify-models';
import { ERASED_ID } from '../../src/domain/erasure';
import { donorActor, donorRefOf } from '../../src/domain/people';
import { Actor } from '../../src/domain/wish/types';
import { parseCsv } from '../support/csv';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, DAY, draftFor, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';

// Issue 13, item 6: after an erasure no collection holds the resident's name, contact, notes, words or
// Telegram id (every document of every collection read raw, sealed values opened too), and the ledger
// export still adds up to what it did before.

const RESIDENT = 731_904_275;
const WORKER = 731_900_001;
const SECRETS = {
  telegramId: String(RESIDENT),
  name: 'Wang Fangfang-Erasable',
  username: 'wangfang_erasable',
  beneficiaryName: '王芳芳居民甲',
  contact: '13800138000-erasable',
  notes: 'Lives alone on the 6th floor, knee surgery in 2019',
  intakeWords: 'I cannot pay the heating bill this winter, please help',
  intakeFirstName: 'Fangfang-First',
  message: 'Please come after five, my knee hurts in the morning',
  thanks: 'Thank you so much, the flat is warm again',
  strengths: 'Grows tomatoes on her balcony',
  donorName: 'Fangfang Helps Too',
  consentNote: 'She agreed at her door on Tuesday, with her daughter present',
};

/** Every collection's every document, as text, with each sealed value opened and added. */
async function everything(db: ReturnType<typeof useTestDatabase>): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const opened: string[] = [];
  const walk = (v: unknown) => {
    if (isSealed(v)) opened.push(decryptField(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
  };
  for (const { name } of await db.conn.db!.listCollections().toArray()) {
    const docs = await db.conn.db!.collection(name).find({}).toArray();
    opened.length = 0;
    docs.forEach(walk);
    texts.set(name, JSON.stringify(docs) + '\n' + opened.join('\n'));
  }
  return texts;
}

/** The ledger's totals by action: how many rows, and the amounts they add up to. */
function totals(csv: string): Record<string, { rows: number; amount: number }> {
  const [, ...rows] = parseCsv(csv.replace(/^\uFEFF/, ''));
  const out: Record<string, { rows: number; amount: number }> = {};
  for (const r of rows) {
    const t = (out[r[3]!] ??= { rows: 0, amount: 0 });
    t.rows++;
    t.amount += Number((r[6] ?? '').replace(/[^\d.]/g, '') || 0);
  }
  return out;
}

describe('erasure of a resident', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-22T09:00:00Z'));
  const worker: Actor = { kind: 'worker', id: `tg:${WORKER}`, name: 'Worker Chen', telegramId: WORKER, communityIds: [] };
  let data: ReturnType<typeof createTheirData>;
  let app: ReturnType<typeof buildApp>;
  let cid = '';
  let wishId = '';
  let otherWishId = '';
  let ledgerBefore = '';

  const ledger = async () => (await request(app).get(`/api/v1/exports/ledger.csv?communityId=${cid}&lang=en`).set('Authorization', `Bearer ${ADMIN_TOKEN}`)).text;

  beforeAll(async () => {
    const services = buildServices(db, clock, ADMIN_TOKEN);
    const botModels = createBotModels(db.conn);
    const notifyModels = createNotifyModels(db.conn);
    await ensureIndexes(botModels);
    await ensureIndexes(notifyModels);
    data = createTheirData({ models: db.models, botModels, notifyModels, wishes: services.wishes });
    app = buildApp(db, services, { clock, app: { currency: 'CNY', defaultLanguage: 'en' } });
    const people = createPersonStore(botModels);

    cid = (await services.communities.create({ name: 'Harbour Street' }, admin)).id;
    worker.communityIds = [cid];
    await people.seen({ telegramId: WORKER, name: 'Worker Chen' }, clock(), { started: true });
    await people.addWorkerCommunities(WORKER, [cid], clock());
    const resident = await people.seen({ telegramId: RESIDENT, name: SECRETS.name, username: SECRETS.username }, clock(), { started: true });
    await people.setDonorProfile(RESIDENT, { type: 'individual', displayName: SECRETS.donorName, anonymous: false }, clock());
    const shop = await people.seen({ telegramId: 731_900_002, name: 'Harbour Bakery' }, clock(), { started: true });

    // Their wish: cash, with the beneficiary's private details, pledged and confirmed by the resident.
    const beneficiary = { alias: 'elderly resident, Building 3', name: SECRETS.beneficiaryName, contact: SECRETS.contact, notes: SECRETS.notes };
    wishId = (await services.wishes.create(draftFor(cid, { title: 'Winter heating bill', category: 'cash', target: 300, beneficiary }, clock()), worker, { publish: true })).state.id;
    await people.addResidentWish(RESIDENT, wishId, clock());
    await services.wishes.execute(wishId, { type: 'link_resident', residentId: `tg:${RESIDENT}` }, worker);
    await services.wishes.execute(wishId, { type: 'consent', purpose: 'contact', answer: 'given', via: 'in_person', note: SECRETS.consentNote }, worker);
    const asResident: Actor = { kind: 'resident', id: `tg:${RESIDENT}`, name: SECRETS.name, telegramId: RESIDENT, wishIds: [wishId] };
    clock.advance(DAY);
    const pledge = (await services.wishes.execute(wishId, { type: 'pledge', donor: donorRefOf(shop), amount: 200 }, donorActor(shop))).event!.id;
    await services.wishes.execute(wishId, { type: 'deliver', pledgeId: pledge }, donorActor(shop));
    await services.wishes.execute(wishId, { type: 'confirm', pledgeId: pledge }, asResident);
    const said = (await services.wishes.execute(wishId, { type: 'message', from: 'resident', text: SECRETS.message, key: 'tg:1' }, asResident)).event!;
    await services.wishes.execute(wishId, { type: 'message', from: 'worker', text: 'Of course, see you at six', key: 'tg:2', to: { kind: 'resident', id: `tg:${RESIDENT}` }, fromName: 'Chen' }, worker);

    // Another wish, which the resident helps as a donor.
    otherWishId = (await services.wishes.create(draftFor(cid, { title: 'School bags', category: 'cash', target: 100 }, clock()), worker, { publish: true })).state.id;
    const own = (await services.wishes.execute(otherWishId, { type: 'pledge', donor: donorRefOf({ ...resident, donor: { type: 'individual', displayName: SECRETS.donorName, anonymous: false } }), amount: 20 }, donorActor(resident))).event!.id;
    await services.wishes.execute(otherWishId, { type: 'deliver', pledgeId: own }, donorActor(resident));
    await services.wishes.execute(otherWishId, { type: 'confirm', pledgeId: own }, worker);

    // Their intake, an assessment, a wizard session, a used link, a chat turn.
    await createIntakeStore(db.models).insert({
      id: 'in_erasure01',
      communityId: cid,
      residentTelegramId: RESIDENT,
      residentFirstName: SECRETS.intakeFirstName,
      words: SECRETS.intakeWords,
      byWhen: 'this_month',
      urgency: 'urgent',
      mayContact: true,
      contactHow: 'telegram',
      recordedBy: 'resident',
      status: 'new',
      createdAt: clock(),
    });
    await createAssessmentStore(db.models).save({ wishId, domains: [], strengths: SECRETS.strengths, goals: 'Stay warm', referrals: ['Senior centre'], recordedBy: { id: worker.id, name: 'Worker Chen' }, updatedAt: clock() } as never);
    await createSessionStore(botModels).write(`u:${RESIDENT}`, { flow: 'thanks', wishId }, [1], clock());
    await botModels.InviteRedemption.collection.insertOne({ _id: 'RESIDENTLINK01' as never, telegramId: RESIDENT, at: clock() });
    await botModels.ChatTurn.collection.insertOne({ _id: `p:${RESIDENT}#1` as never, key: `p:${RESIDENT}`, n: 1, holder: 'i1', until: clock(), takenAt: clock() });
    await botModels.ChatTurnPointer.collection.insertOne({ _id: `p:${RESIDENT}` as never, n: 1, at: clock() });

    // The outbox: news to the resident (pending and sent), their message and thank-you to the worker.
    const item = (id: string, chatId: number, text: string) => ({ _id: id as never, chatId, kind: 'x', payload: { type: 'message', message: { text } }, status: 'pending', notBefore: clock(), attempts: 0, createdAt: clock() });
    await notifyModels.Outbox.collection.insertOne(item(`${wishId}:3|${RESIDENT}|resident_delivered`, RESIDENT, 'Your heating bill is paid'));
    await notifyModels.OutboxHistory.collection.insertOne({ ...item(`${wishId}:2|${RESIDENT}|resident_pledged`, RESIDENT, 'Harbour Bakery pledged'), status: 'sent', sentAt: clock() });
    await notifyModels.SendFence.collection.insertOne({ _id: `${wishId}:2|${RESIDENT}|resident_pledged#0` as never, itemId: `${wishId}:2|${RESIDENT}|resident_pledged`, generation: 0, holder: 'i1', createdAt: clock(), until: clock() });
    await notifyModels.OutboxHistory.collection.insertOne({ ...item(`${said.id}|${WORKER}|conversation`, WORKER, `${wishId}: ${SECRETS.message}`), status: 'sent', sentAt: clock() });
    await notifyModels.OutboxHistory.collection.insertOne({ ...item(`thanks:${wishId}:77|${WORKER}|worker_thanks`, WORKER, `Thanks for ${wishId}: ${SECRETS.thanks}`), status: 'sent', sentAt: clock() });

    const { request: asked } = await data.requests.ask({ telegramId: RESIDENT, communityIds: [cid], wishCodes: [wishId], requestedAt: clock() });
    // The request as the workers got it: it names the resident.
    await notifyModels.OutboxHistory.collection.insertOne({ ...item(`erasure:${asked.token}|${WORKER}|erasure_request`, WORKER, `A resident asks to be erased: ${SECRETS.name}`), status: 'sent', sentAt: clock() });
    // Their intake as the workers got it, and its voice (deleted: the voice is theirs).
    await notifyModels.OutboxHistory.collection.insertOne({ ...item(`intake:in_erasure01|${WORKER}|intake`, WORKER, `New request from ${SECRETS.intakeFirstName}: ${SECRETS.intakeWords}`), status: 'sent', sentAt: clock() });
    await notifyModels.OutboxHistory.collection.insertOne({
      _id: `intake:in_erasure01|${WORKER}|intake_voice` as never,
      chatId: WORKER,
      kind: 'intake_voice',
      payload: { type: 'voice', fileId: 'VOICE-OF-THE-RESIDENT', caption: { text: `New request from ${SECRETS.intakeFirstName}` } },
      status: 'sent',
      sentAt: clock(),
    });
    // A card item has no text of its own: it is left as it is.
    await notifyModels.OutboxHistory.collection.insertOne({ _id: `${wishId}:1|-100777|card` as never, chatId: -100777, kind: 'card', payload: { type: 'card', wishId }, status: 'sent', sentAt: clock() });
    ledgerBefore = await ledger();
    // What /mydata shows, before.
    const about = await data.describe(RESIDENT);
    expect(about.profile?.name).toBe(SECRETS.name);
    expect(about.wishes).toEqual([expect.objectContaining({ code: wishId, name: SECRETS.beneficiaryName, contact: SECRETS.contact, notes: SECRETS.notes })]);
    expect(about.intakes.map((i) => i.words)).toEqual([SECRETS.intakeWords]);
    expect(about.messages).toHaveLength(1);
    expect(about.pledges).toEqual([expect.objectContaining({ code: otherWishId, amount: 20, status: 'confirmed' })]);
    expect(about.assessments).toBe(1);
    expect(about.wishes[0]!.consents).toEqual([{ purpose: 'contact', answer: 'given' }]);

    // Before: every secret is somewhere (so the search below can find them).
    const before = [...(await everything(db)).values()].join('\n');
    for (const secret of Object.values(SECRETS)) expect(before).toContain(secret);

    await data.erase(RESIDENT, worker);
    expect(await data.requests.done(asked, worker.id, clock())).toBe(true);
  });

  it('leaves no collection holding their name, contact, notes, words or Telegram id', async () => {
    for (const [collection, text] of await everything(db)) {
      for (const [what, secret] of Object.entries(SECRETS)) {
        if (text.includes(secret)) throw new Error(`${collection} still holds the resident's ${what}`);
      }
    }
  });

  it('blanks the messages that quoted them and leaves card items alone', async () => {
    const notifyModels = createNotifyModels(db.conn);
    const card = await notifyModels.OutboxHistory.collection.findOne({ _id: `${wishId}:1|-100777|card` as never });
    expect(card?.payload).toEqual({ type: 'card', wishId });
    const texts = (await notifyModels.OutboxHistory.collection.find({ chatId: WORKER }).toArray()).map((d) => (d.payload as { message: { text: string } }).message.text);
    expect(texts).toEqual(['(erased)', '(erased)', '(erased)', '(erased)']);
    expect(await notifyModels.OutboxHistory.collection.findOne({ _id: `intake:in_erasure01|${WORKER}|intake_voice` as never })).toBeNull();
  });

  it('keeps their wishes as anonymous records: the history balances, the ledger adds up as before', async () => {
    expect(totals(await ledger())).toEqual(totals(ledgerBefore));
    expect(totals(ledgerBefore).pledged).toEqual({ rows: 2, amount: 220 });
    expect(totals(ledgerBefore).confirmed).toEqual({ rows: 2, amount: 220 });
    const events = await createRelayLog(db.models).eventsUpTo(wishId, 100);
    const confirmed = events.find((e) => e.type === 'confirmed')!;
    expect(confirmed.actor).toEqual({ kind: 'resident', id: ERASED_ID });
    expect(events.filter((e) => e.type === 'message').map((e) => (e as { text: string }).text)).toEqual(['(erased)', '(erased)']);
  });

  it('a second erasure changes nothing and /mydata finds nothing stored', async () => {
    const again = await data.erase(RESIDENT, worker);
    expect(again.events).toBe(0);
    const about = await data.describe(RESIDENT);
    expect(about).toEqual({ telegramId: RESIDENT, wishes: [], intakes: [], messages: [], pledges: [], assessments: 0 });
  });
});

describe('POST /api/v1/residents/:telegramId/erase', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-22T09:00:00Z'));
  const tokens: Record<string, Actor> = {};
  let app: ReturnType<typeof buildApp>;
  let wishId = '';
  let elsewhereId = '';
  const erase = (id: number | string, token: string) => request(app).post(`/api/v1/residents/${id}/erase`).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    const services = buildServices(db, clock, ADMIN_TOKEN);
    const people = createPersonStore(createBotModels(db.conn));
    const own = (await services.communities.create({ name: 'Harbour Street' }, admin)).id;
    const other = (await services.communities.create({ name: 'Hill Road' }, admin)).id;
    tokens.own = { kind: 'worker', id: 'api:own', name: 'Chen', communityIds: [own] };
    tokens.other = { kind: 'worker', id: 'api:other', name: 'Li', communityIds: [other] };
    const third = (await services.communities.create({ name: 'Lake Side' }, admin)).id;
    tokens.third = { kind: 'worker', id: 'api:third', name: 'Zhao', communityIds: [third] };
    app = buildApp(db, services, { clock, app: { resolveToken: async (token) => tokens[token ?? ''] ?? services.resolveToken(token) } });
    const beneficiary = { alias: 'resident, Building 1', name: 'Api Resident-Name', contact: '555-0123-api', notes: 'Second floor' };
    wishId = (await services.wishes.create(draftFor(own, { title: 'Walker', beneficiary }, clock()), admin, { publish: true })).state.id;
    await people.seen({ telegramId: RESIDENT, name: 'Api Resident' }, clock(), { started: true });
    await people.addResidentWish(RESIDENT, wishId, clock());
    // The same resident also has a wish in a community this worker does not serve.
    elsewhereId = (await services.wishes.create(draftFor(other, { title: 'Kettle', beneficiary: { alias: 'resident, Hill Road', contact: '555-0124-api' } }, clock()), admin, { publish: true })).state.id;
    await people.addResidentWish(RESIDENT, elsewhereId, clock());
    getWish = services.wishes.get;
  });
  let getWish: (id: string) => Promise<{ residentErased?: boolean; beneficiary: unknown }>;

  it("answers 404 to a worker of none of their communities and for someone who is nobody's resident; erases for a worker of one of them", async () => {
    expect((await erase(RESIDENT, 'third')).status).toBe(404);
    expect((await erase(731_000_000, 'own')).status).toBe(404);
    expect((await erase('not-a-number', 'own')).status).toBe(400);
    const res = await erase(RESIDENT, 'own');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ wishes: [wishId, elsewhereId], intakes: 0, assessments: 0 });
    expect(res.body.events).toBeGreaterThan(0);
    // Both wishes are erased, the other community's too (by the service, on this worker's confirmation).
    for (const id of [wishId, elsewhereId]) expect(await getWish(id)).toMatchObject({ residentErased: true, beneficiary: { alias: expect.any(String) } });
    expect((await getWish(elsewhereId)).beneficiary).toEqual({ alias: 'resident, Hill Road' });
    // Done: nothing of theirs is left to erase.
    expect((await erase(RESIDENT, 'own')).status).toBe(404);
  });
});
