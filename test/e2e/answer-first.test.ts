import mongoose, { Connection } from 'mongoose';
import { testLogger } from '../support/privacy-record';
import { createModels, ensureIndexes } from '../../src/db/models';
import { createRuntime, Runtime } from '../../src/runtime';
import { FakeTelegram, groupChat, RecordedCall, startFakeTelegram } from '../fake-telegram';
import { users } from '../support/bot-harness';
import { useTestDatabase } from '../support/db';
import { admin, draftFor } from '../support/fixtures';

// Issue 11, "answer first": a press on a group card is answered as soon as its event is committed.
// Every database command the press waits for is a point read or write by _id, or an insert (on
// FerretDB anything else scans a whole collection); the relay to the outbox, the snapshot write, the
// sighting of the person and the update log all come after the answer, and nothing is lost by it.

interface Command {
  name: string;
  collection: string;
  /** The filters (and sorts) the command carries. */
  filters: Array<Record<string, unknown>>;
  sorted: boolean;
}

function describeCommand(e: { commandName: string; command: Record<string, unknown> }): Command {
  const c = e.command;
  const collection = String(c[e.commandName] ?? '');
  const filters: Array<Record<string, unknown>> = [];
  if (c.filter) filters.push(c.filter as Record<string, unknown>);
  if (c.query) filters.push(c.query as Record<string, unknown>);
  for (const u of (c.updates as Array<{ q: Record<string, unknown> }> | undefined) ?? []) filters.push(u.q);
  for (const d of (c.deletes as Array<{ q: Record<string, unknown> }> | undefined) ?? []) filters.push(d.q);
  return { name: e.commandName, collection, filters, sorted: c.sort !== undefined && Object.keys(c.sort as object).length > 0 };
}

/** By _id alone, equal to one string: the only read FerretDB serves from an index (a numeric _id scans too). */
const isPointFilter = (f: Record<string, unknown>) => Object.keys(f).length === 1 && typeof f._id === 'string';
const isPoint = (c: Command) => c.name === 'insert' || (!c.sorted && c.filters.length > 0 && c.filters.every(isPointFilter));
const show = (c: Command) => `${c.name} ${c.collection} ${JSON.stringify(c.filters)}${c.sorted ? ' sorted' : ''}`;

describe('a press is answered first', () => {
  const db = useTestDatabase();
  let conn: Connection;
  let fake: FakeTelegram;
  let rt: Runtime;
  const commands: Command[] = [];
  const group = groupChat(-100_611, 'Answer-first Street');
  let card: { chat: { id: number }; message_id: number };
  let wishId: string;
  let cashCard: { chat: { id: number }; message_id: number };
  let cashId: string;

  beforeAll(async () => {
    // The runtime's own connection, watched: every command it sends is recorded in order.
    conn = await mongoose.createConnection(db.uri, { dbName: db.dbName, monitorCommands: true, autoIndex: false, autoCreate: false }).asPromise();
    conn.getClient().on('commandStarted', (e) => commands.push(describeCommand(e as never)));
    const models = createModels(conn);
    await ensureIndexes(models);
    fake = await startFakeTelegram();
    rt = await createRuntime({
      conn,
      models,
      clock: () => new Date(),
      logger: testLogger(),
      bot: { token: fake.token, apiRoot: fake.apiRoot, adminIds: [users.admin.id], botInfo: fake.botInfo },
      defaultLanguage: 'en',
      timeZone: 'Asia/Shanghai',
      instanceId: 'answer-first',
      sender: { slotMs: 1000 },
    });
    // No polling: each press is handed to the bot directly, and handleUpdate settles when its handling has.
    const community = await rt.services.communities.create({ name: 'Answer-first Street' }, admin);
    await rt.groups.link(group.id, group.title!, community.id, users.admin.id, new Date());
    const posted = async (title: string, category: 'goods' | 'cash') => {
      const { state } = await rt.services.wishes.create(draftFor(community.id, { title, category, target: category === 'cash' ? 500 : 1 }), admin, { publish: true });
      rt.sender.start();
      const call = await fake.waitForCall((c) => c.method === 'sendMessage' && c.ok && String(c.params.text).includes(state.code), 30_000);
      return { id: state.id, card: call.result as { chat: { id: number }; message_id: number } };
    };
    ({ id: wishId, card } = await posted('Folding wheelchair', 'goods'));
    ({ id: cashId, card: cashCard } = await posted('Heating arrears', 'cash'));
    // Quiet from here on: no sender reading the outbox, nothing of the set-up left to relay.
    await rt.sender.stop();
    await rt.later.idle();
  });
  afterAll(async () => {
    await rt?.bot.stop();
    await rt?.sender.stop();
    await fake?.close();
    await conn?.close();
  });

  /** Presses `data` and returns the commands sent before the answer, and those after it until all is done. */
  async function pressAndWatch(user: { id: number; first_name: string; language_code: string }, message: typeof card, data: string) {
    const start = commands.length;
    let atAnswer = -1;
    const update = fake.callbackUpdate(user, message, data) as unknown as { callback_query: { id: string } };
    const answered = new Promise<RecordedCall>((resolve) =>
      fake.onCall((c) => {
        if (c.method !== 'answerCallbackQuery' || c.params.callback_query_id !== update.callback_query.id || atAnswer >= 0) return;
        atAnswer = commands.length;
        resolve(c);
      }),
    );
    fake.pushUpdate(update as never); // the fake now knows the query
    await rt.bot.handleUpdate(update as never);
    const answer = await answered;
    // Everything the press owes: the update log and the sighting (done with handleUpdate), the snapshot and the relay.
    await rt.later.idle();
    return { answer, before: commands.slice(start, atAnswer), after: () => commands.slice(atAnswer) };
  }

  it("a first-time donor's claim waits only for point reads and inserts; the relay, the snapshot and the sighting follow the answer", async () => {
    const donor = { id: 61_001, first_name: 'Mei', language_code: 'en' };
    const { answer, before, after } = await pressAndWatch(donor, card, `c:${wishId}`);
    expect(String(answer.params.text)).toContain('W-');
    const scans = before.filter((c) => !isPoint(c)).map(show);
    expect(scans).toEqual([]);
    // The decision itself is among them: its event's insert.
    expect(before.some((c) => c.name === 'insert' && c.collection === 'wish_events')).toBe(true);
    // And none of what can wait. (The snapshot write starts beside the answer, so it may be under way
    // already; that the press does not wait for it is the service's unit test.)
    const canWait = (c: Command) => c.collection === 'outbox' || (c.collection === 'people' && c.name !== 'find') || (c.collection === 'processed_updates' && c.name === 'insert');
    const waited = before.filter(canWait);
    expect(waited.map(show)).toEqual([]);
    // Those came after: the outbox got the next steps and the card refresh, the person was recorded, the wish's snapshot saved.
    expect(after().some((c) => c.name === 'insert' && c.collection === 'outbox')).toBe(true);
    expect(after().some((c) => c.collection === 'people' && c.name !== 'find')).toBe(true);
    expect((await rt.people.get(donor.id))?.name).toBe('Mei');
    expect((await rt.services.wishes.get(wishId)).pledges.map((p) => p.donorId)).toEqual([`tg:${donor.id}`]);
    const snapshot = await db.models.Wish.collection.findOne({ _id: wishId as never });
    expect(snapshot?.version).toBe((await rt.services.wishes.get(wishId)).version);
  });

  it('a known donor pledging on a cash card: the same, with at most a dozen commands started before its answer', async () => {
    const donor = { id: 61_002, first_name: 'Jun', language_code: 'en' };
    await rt.people.seen({ telegramId: donor.id, name: 'Jun', telegramLanguage: 'en' }, new Date(), { started: true });
    const { answer, before } = await pressAndWatch(donor, cashCard, `p:${cashId}:100`);
    expect(answer.ok).toBe(true);
    expect(before.filter((c) => !isPoint(c)).map(show)).toEqual([]);
    expect(before.some((c) => c.name === 'insert' && c.collection === 'wish_events')).toBe(true);
    process.stderr.write(`[answer-first] a known donor's pledge: ${before.length} commands before the answer:\n  ${before.map(show).join('\n  ')}\n`);
    // Started before the answer, some side by side (the person, the group and the turn pointer are read
    // at once) and some not waited for (the pointer's move, the snapshot write): at most a dozen commands,
    // where the press used to wait for eleven in turn plus the whole relay.
    expect(before.length).toBeLessThanOrEqual(12);
    expect(before.filter((c) => c.collection === 'outbox' || c.collection === 'relay_queue' && c.name === 'delete')).toEqual([]);
    expect((await rt.services.wishes.get(cashId)).pledged).toBe(100);
  });

  it('what the press owes still reaches everyone: the donor gets their next steps once the sender runs', async () => {
    const donor = { id: 61_003, first_name: 'Lan', language_code: 'en' };
    fake.startUser(donor.id);
    await rt.people.seen({ telegramId: donor.id, name: 'Lan', telegramLanguage: 'en' }, new Date(), { started: true });
    await pressAndWatch(donor, cashCard, `p:${cashId}:100`);
    rt.sender.start();
    const steps = await fake.waitForCall((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === donor.id, 30_000);
    expect(String(steps.params.text)).toContain('W-');
    await rt.sender.stop();
  });
});
