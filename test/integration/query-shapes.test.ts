import { randomBytes } from 'node:crypto';
import { testLogger } from '../support/privacy-record';
import request from 'supertest';
import { Connection } from 'mongoose';
import { connectDatabase } from '../../src/db/connection';
import { createModels, ensureIndexes } from '../../src/db/models';
import { createNotifyModels } from '../../src/db/notify-models';
import { createOutboxStore } from '../../src/db/outbox-store';
import { QUERY_SHAPES } from '../../src/db/query-shapes';
import { hashToken } from '../../src/domain/access';
import { createApp } from '../../src/http/create-app';
import { expireWishes } from '../../src/jobs/jobs';
import type { RecordedCall, TgUser } from '../fake-telegram';
import { donorUser, groupChat, Harness, privateChatOf, startHarness, users } from '../support/bot-harness';
import { TestDatabase, testDatabaseUri } from '../support/db';
import { DAY, testJobsConfig } from '../support/fixtures';
import {
  asTableEntry,
  captureQueries,
  declaredIndexes,
  describeIndex,
  explainQueryPlanner,
  ferretDbPlanUsesIdIndex,
  indexMisfits,
  isFerretDb,
  ObservedShape,
  planHasCollscan,
  shapeKey,
  sortServed,
  undeclaredIndex,
} from '../support/query-capture';

// Issue 11: every query MongoDB serves has a declared index. A workload through the real bot, HTTP API,
// sender and jobs is recorded command by command; each query it sends must be in src/db/query-shapes.ts,
// each index there must be one the schemas declare, and on a real MongoDB explain() must find no COLLSCAN
// (on FerretDB, which uses an index only for a string _id lookup, every find by _id must use it).

type Button = { text: string; callback_data?: string; url?: string };
const buttonsOf = (c: RecordedCall): Button[] => ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const resultMessage = (c: RecordedCall) => c.result as { chat: { id: number }; message_id: number; text: string };
const dataOf = (c: RecordedCall, prefix: string) => buttonsOf(c).find((b) => b.callback_data?.startsWith(prefix))?.callback_data;

const API_TOKEN = 'query-shapes-admin-token-0123456789';
const WAIT_MS = 60_000;

describe('every query the service sends has a declared index', () => {
  const db = {} as TestDatabase;
  /** A second, unrecorded connection: what the test itself asks (is the outbox drained?) is not the service's query. */
  let observer: Connection;
  let h: Harness;
  let observed: ObservedShape[] = [];
  /** Shapes sent while the runtime was built (migrations and all), and shapes sent while it served. */
  let sentAtStartup = new Set<string>();
  let sentWhileServing = new Set<string>();

  beforeAll(async () => {
    db.uri = testDatabaseUri();
    db.dbName = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
    db.conn = await connectDatabase({ uri: db.uri, dbName: db.dbName, monitorCommands: true });
    db.models = createModels(db.conn);
    await ensureIndexes(db.models);
    observer = await connectDatabase({ uri: db.uri, dbName: db.dbName });
    const capture = captureQueries(db.conn.getClient(), db.dbName);
    h = await startHarness(db);
    const countsAtStartup = new Map(capture.shapes().map((s) => [shapeKey(s), s.count]));
    sentAtStartup = new Set(countsAtStartup.keys());
    try {
      await workload(h, observer);
    } finally {
      await h.stop();
      capture.stop();
      observed = capture.shapes();
      sentWhileServing = new Set(observed.filter((s) => s.count > (countsAtStartup.get(shapeKey(s)) ?? 0)).map(shapeKey));
    }
  }, 600_000);

  afterAll(async () => {
    await db.conn?.dropDatabase().catch(() => undefined);
    await db.conn?.close();
    await observer?.close();
  });

  const declared = new Map(QUERY_SHAPES.map((s) => [shapeKey(s), s]));

  it('every query the workload sent is declared in src/db/query-shapes.ts', () => {
    expect(observed.length).toBeGreaterThan(10);
    const indexes = declaredIndexes([db.models, h.runtime.botModels, h.runtime.notifyModels]);
    const missing = observed.filter((s) => !declared.has(shapeKey(s)));
    const message =
      `${missing.length} query shape(s) sent but not declared. Add to QUERY_SHAPES in src/db/query-shapes.ts ` +
      `(the index is the first declared one that fits; check it, fill in from and why):\n${missing.map((s) => asTableEntry(s, indexes)).join('\n')}`;
    expect(missing.length === 0 ? 'all declared' : message).toBe('all declared');

    const unseen = QUERY_SHAPES.filter((s) => !observed.some((o) => shapeKey(o) === shapeKey(s)));
    if (unseen.length > 0) console.log(`Declared but not sent by this workload (rare paths):\n${unseen.map((s) => `  ${shapeKey(s)}  (${s.from})`).join('\n')}`);
  });

  it('each declared index is one the schemas declare, leading with the equality fields it serves', () => {
    const indexes = declaredIndexes([db.models, h.runtime.botModels, h.runtime.notifyModels]);
    const problems = QUERY_SHAPES.flatMap((s) => {
      const key = shapeKey(s);
      const undeclared = undeclaredIndex(s, indexes);
      if (undeclared) return [`${key}: ${undeclared}`];
      if (s.index === null) return s.gap || s.startup ? [] : [`${key}: no index, and no \`gap\` saying why none is needed`];
      const misfits = indexMisfits(s);
      if (s.gap) return misfits.length > 0 ? [] : [`${key}: declares a gap, but its index ${describeIndex(s.index)} fits; remove \`gap\``];
      return misfits.map((p) => `${key}: index ${describeIndex(s.index)}: ${p}. Declare one that fits in the schema, or say in \`gap\` why this one is enough`);
    });
    expect(problems).toEqual([]);
    expect(QUERY_SHAPES.map(shapeKey).filter((k, i, all) => all.indexOf(k) !== i)).toEqual([]); // declared twice

    const gaps = QUERY_SHAPES.filter((s) => s.gap).map((s) => `  ${shapeKey(s)}: ${s.gap}`);
    const unsorted = QUERY_SHAPES.filter((s) => !sortServed(s)).map((s) => `  ${shapeKey(s)} (index ${describeIndex(s.index)})`);
    const scansAtStartup = QUERY_SHAPES.filter((s) => s.startup && s.index === null).map((s) => `  ${shapeKey(s)} (${s.startup === 'once' ? 'once' : 'every start'}: ${s.from})`);
    console.log(
      `Known gaps:\n${gaps.join('\n') || '  none'}\nSorted in memory (the index does not give the sort's order):\n${unsorted.join('\n') || '  none'}\n` +
        `Scans on purpose, only while the service starts:\n${scansAtStartup.join('\n') || '  none'}`,
    );
  });

  it('a query marked `startup` is sent only while the service starts, never while it serves', () => {
    const marked = QUERY_SHAPES.filter((s) => s.startup).map(shapeKey);
    expect(marked.filter((k) => sentWhileServing.has(k))).toEqual([]);
    expect(marked.filter((k) => sentAtStartup.has(k)).length).toBeGreaterThan(0); // the migrations ran under capture
  });

  it('on MongoDB, explain() picks an index for every query sent; on FerretDB, every find by _id uses the _id index', async () => {
    const dbHandle = observer.db!;
    if (await isFerretDb(dbHandle)) {
      // The project's FerretDB build (src/db/ferretdb.ts, ID_LOOKUP_PATCH) serves a find by a string _id
      // from the _id index; any other filter scans, whatever is declared. A find by _id that scans (a
      // numeric _id, as people and groups had before string_ids_v1) is a hot path gone slow.
      const pointReads = observed.filter((s) => s.op === 'find' && s.filter === '_id');
      const scanned: string[] = [];
      for (const s of pointReads) {
        if (!ferretDbPlanUsesIdIndex(await explainQueryPlanner(dbHandle, s.sample))) scanned.push(`  ${shapeKey(s)} (_id ${typeof s.sample.filter._id})`);
      }
      console.log(
        'The database is FerretDB: explain() is checked against a real MongoDB only (MONGODB_URI). On FerretDB a find by a ' +
          `string _id uses the _id index and every other filter scans. Finds by _id that scan:\n${scanned.join('\n') || '  none'}`,
      );
      expect(pointReads.length).toBeGreaterThan(0);
      expect(scanned).toEqual([]);
      return;
    }
    const scans: string[] = [];
    for (const s of observed) {
      if (declared.get(shapeKey(s))?.index === null) continue; // a declared gap: no index to find
      const plan = await explainQueryPlanner(dbHandle, s.sample);
      if (planHasCollscan(plan)) scans.push(`${shapeKey(s)}: ${JSON.stringify(s.sample).slice(0, 300)}`);
    }
    expect(scans).toEqual([]);
  });
});

/** Waits until the outbox has nothing pending, nudging the sender; the test's own timeout bounds it. */
async function drain(h: Harness, observer: Connection): Promise<void> {
  const outbox = createOutboxStore(createNotifyModels(observer));
  for (;;) {
    if ((await outbox.pendingCount()) === 0) return;
    h.runtime.sender.wake();
    await h.fake.waitForCall(() => true, 1500).catch(() => undefined);
  }
}

/**
 * The service's paths once each: an admin invites a worker, who links a group and posts a wish in the
 * bot; another comes over the API; donors claim, pledge (a button, another amount, before ever opening
 * the bot), deliver, withdraw, confirm; a resident follows and thanks; the group is left and rejoined;
 * the API lists and reads; then every job, the relay sweep and housekeeping run once, paging one wish at a time.
 */
async function workload(h: Harness, observer: Connection): Promise<void> {
  const { fake, runtime } = h;
  const admin = users.admin;
  const worker = { ...users.worker, id: 7101 };
  const resident: TgUser = { id: 7102, first_name: 'Rosa', language_code: 'en' };
  const [donorA, donorB, donorC, donorD] = [711, 712, 713, 714].map((n) => donorUser(n));
  const group = groupChat(-100_711, 'Query Lane');
  for (const u of [admin, worker, resident, donorA!, donorB!, donorC!]) fake.startUser(u.id);
  const sent = (chatId: number, test: (c: RecordedCall) => boolean, after = 0) =>
    fake.waitForCall((c) => c.seq > after && c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === chatId && test(c), WAIT_MS);
  const say = (u: TgUser, text: string) => h.say(u, privateChatOf(u), text);

  const app = createApp({
    logger: testLogger(),
    wishes: runtime.services.wishes,
    consent: runtime.consent,
    directory: runtime.directory,
    teams: runtime.appDeps().teams,
    stock: runtime.stock,
    reports: runtime.reports,
    communities: runtime.services.communities,
    tokens: runtime.services.tokens,
    invites: runtime.invites,
    resolveToken: (token) => (token === API_TOKEN ? Promise.resolve({ kind: 'admin', id: 'api:test' }) : runtime.services.resolveToken(token)),
    isDatabaseReady: async () => true,
    timezone: 'Asia/Shanghai',
    clock: () => new Date(),
    botUsername: () => runtime.bot.telegraf.botInfo?.username,
  });
  const api = { Authorization: `Bearer ${API_TOKEN}` };

  // An admin makes a community and invites a worker, who links the group.
  const community = await runtime.services.communities.create({ name: 'Query Lane' }, { kind: 'admin', id: 'test' });
  const invite = await say(admin, `/invite ${community.linkCode}`);
  await say(worker, `/start worker_${/start=worker_([0-9A-Z]+)/.exec(String(invite.params.text))![1]}`);
  await say(admin, '/communities');
  fake.pushUpdate(fake.myChatMemberUpdate(group, worker, 'member'));
  fake.setMemberStatus(group.id, worker.id, 'administrator');
  await h.say(worker, group, `/link ${community.linkCode}`, (t) => t.includes(community.name));
  const chooser = await h.say(worker, group, '/language');
  await h.press(worker, resultMessage(chooser), 'lang:en');

  // The worker posts a goods wish step by step; its resident follows the link.
  await say(worker, '/newwish');
  await say(worker, 'Reading glasses +2.5');
  const category = await say(worker, 'Her old pair broke; she cannot read her letters.');
  await h.press(worker, resultMessage(category), 'nw:cat_goods');
  await sent(worker.id, () => true, category.seq);
  await say(worker, '1');
  const urgency = await say(worker, '14');
  await h.press(worker, resultMessage(urgency), 'nw:urg_normal');
  await sent(worker.id, () => true, urgency.seq);
  await say(worker, 'elderly resident, Building 3');
  const preview = await say(worker, 'Room 402');
  await h.press(worker, resultMessage(preview), 'nw:publish');
  const residentLink = await sent(worker.id, (c) => /start=resident_/.test(String(c.params.text)), preview.seq);
  const goods = /W-\d+/.exec(String(residentLink.params.text))![0];
  await h.say(resident, privateChatOf(resident), `/start resident_${/start=resident_([0-9A-Z]+)/.exec(String(residentLink.params.text))![1]}`, (t) => t.includes(goods));

  // A cash wish and a draft over the API.
  const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
  const body = { communityId: community.id, description: 'Needed before the cold snap.', deadline: inDays(20), beneficiary: { alias: 'resident, Building 7' } };
  const cashRes = await request(app).post('/api/v1/wishes').set(api).send({ ...body, title: 'Heating bill', category: 'cash', target: 300, publish: true, workerTelegramId: worker.id });
  expect(cashRes.status).toBe(201);
  const cash = cashRes.body.id as string;
  const draftRes = await request(app).post('/api/v1/wishes').set(api).send({ ...body, title: 'Haircut visit', category: 'service', target: 1 });
  const draft = draftRes.body.id as string;
  expect((await request(app).patch(`/api/v1/wishes/${draft}`).set(api).send({ title: 'Haircut at home' })).status).toBe(200);
  expect((await request(app).post(`/api/v1/wishes/${draft}/publish`).set(api).send({})).status).toBe(200);
  expect((await request(app).post(`/api/v1/wishes/${draft}/resident-link`).set(api).send({})).status).toBe(201);

  // Donors press the cards in the group.
  const goodsCard = await sent(group.id, (c) => String(c.params.text).includes(goods));
  const cashCard = await sent(group.id, (c) => String(c.params.text).includes(cash));
  for (const d of [donorA!, donorB!, donorC!]) await say(d, '/start');
  await h.press(donorA!, resultMessage(goodsCard), `c:${goods}`);
  await h.press(donorB!, resultMessage(cashCard), `p:${cash}:100`);
  await h.press(donorB!, resultMessage(cashCard), `i:${cash}`);
  const other = await h.press(donorC!, resultMessage(cashCard), `o:${cash}`);
  await sent(donorC!.id, () => true, other.seq);
  await say(donorC!, '30');
  await h.press(donorD!, resultMessage(cashCard), `p:${cash}:50`);
  await drain(h, observer); // donorD's next steps fail: they never opened the bot
  fake.startUser(donorD!.id);
  await h.say(donorD!, privateChatOf(donorD!), '/start pledges', (t) => t.includes(cash));

  // Deliver and confirm the goods wish; the resident thanks.
  const stepsA = await sent(donorA!.id, (c) => dataOf(c, 'dl:') !== undefined);
  await h.press(donorA!, resultMessage(stepsA), dataOf(stepsA, 'dl:')!);
  const ask = await sent(worker.id, (c) => dataOf(c, 'cf:') !== undefined);
  await h.press(worker, resultMessage(ask), dataOf(ask, 'cf:')!);
  const thanksAsk = await sent(resident.id, (c) => dataOf(c, 'ty:') !== undefined);
  const asked = await h.press(resident, resultMessage(thanksAsk), `ty:${goods}`);
  await sent(resident.id, () => true, asked.seq);
  await say(resident, 'Thank you, I can read again!');
  await request(app).post(`/api/v1/wishes/${goods}/confirm`).set(api).send({ pledgeId: dataOf(ask, 'cf:')!.slice(3) });

  // Donors look at their pledges, say they are still on it, withdraw.
  await say(donorB!, '/mypledges');
  const stepsC = await sent(donorC!.id, (c) => dataOf(c, 'dl:') !== undefined);
  await h.press(donorC!, resultMessage(stepsC), `so:${dataOf(stepsC, 'dl:')!.slice(3)}`);
  const stepsB = await sent(donorB!.id, (c) => dataOf(c, 'wd:') !== undefined);
  await h.press(donorB!, resultMessage(stepsB), dataOf(stepsB, 'wd:')!);

  // The worker's own views; a group command; the bot leaves the group and comes back.
  await say(worker, '/mywishes');
  await say(resident, '/mywishes');
  // A resident's own /help looks up whether they ever pledged (to show the donor commands).
  await say(resident, '/help');
  await h.say(worker, group, '/wishes');
  const spare = await runtime.services.wishes.create({ ...body, title: 'Spare wish', category: 'goods', target: 1, urgency: 'normal', deadline: new Date(Date.now() + 20 * DAY) }, { kind: 'admin', id: 'test' });
  await say(worker, `/cancelwish ${spare.state.code}`);
  await drain(h, observer);
  fake.pushUpdate(fake.myChatMemberUpdate(group, worker, 'left'));
  const back = fake.pushUpdate(fake.myChatMemberUpdate(group, worker, 'member'));
  await drain(h, observer);
  expect(back.update_id).toBeGreaterThan(0);

  // The API reads, as an admin and as a worker's token.
  const workerToken = 'mw_query_shapes_worker_token';
  await runtime.services.stores.apiTokens.insert({ id: 'tok_queryshapes01', hash: hashToken(workerToken), role: 'worker', communityIds: [community.id], label: 'worker', createdAt: new Date(), createdBy: 'test' });
  for (const [path, auth] of [
    ['/api/v1/wishes', api],
    ['/api/v1/wishes?status=open', api],
    [`/api/v1/wishes?communityId=${community.id}`, api],
    [`/api/v1/wishes?status=open,partially_pledged&communityId=${community.id}`, api],
    ['/api/v1/wishes', { Authorization: `Bearer ${workerToken}` }],
    [`/api/v1/wishes/${cash}`, api],
    [`/api/v1/wishes/${cash}/events`, api],
    ['/api/v1/communities', api],
    [`/api/v1/communities/${community.id}`, api],
    ['/api/v1/tokens', api],
  ] as const) {
    expect([path, (await request(app).get(path).set(auth)).status]).toEqual([path, 200]);
  }
  expect((await request(app).delete('/api/v1/tokens/tok_queryshapes01').set(api)).status).toBe(204);

  // Every job once, a wish a page (so the pages' cursor is used), then expiry of what is left.
  const { deps, list } = runtime.jobs(testJobsConfig({ reminderAfterDays: 0, releaseAfterDays: 0, staleAfterDays: 0, deadlineWarningDays: 365 }));
  deps.pageSize = 1;
  for (const job of list) await job.run(new Date());
  expect((await request(app).post(`/api/v1/wishes/${draft}/cancel`).set(api).send({})).status).toBe(200);
  await expireWishes(deps, new Date(Date.now() + 400 * DAY));
  await drain(h, observer);
}
