import { Connection } from 'mongoose';
import { createKeyring, FieldKeyring, isSealed, useFieldKeyring } from '../../src/db/field-crypto';
import { createSessionStore } from '../../src/db/bot-stores';
import { runOnce } from '../../src/db/migrations';
import { sealStoredPrivateFields } from '../../src/db/private-fields';
import { createWishStore } from '../../src/db/wish-store';
import { Actor, WishState } from '../../src/domain/wish/types';
import type { RecordedCall } from '../fake-telegram';
import { donorUser, groupChat, Harness, privateChatOf, startHarness, users } from '../support/bot-harness';
import { useTestDatabase } from '../support/db';
import { draftFor } from '../support/fixtures';

// Issue 13, item 7: a beneficiary's notes, contact and name are stored encrypted. Whatever the
// service writes (events, snapshots, open wishes, wizard sessions, outbox and its history, relay
// markers...), a raw read of every collection finds none of them in plain text; the service reads
// them back; plain text from before is still read, and sealed once at start-up; keys rotate.

const resultMessage = (c: RecordedCall) => c.result as { chat: { id: number }; message_id: number; text: string };

const PRIVATE = {
  wizardNotes: 'Key under the blue flowerpot, flat 402',
  notes: 'Diabetic; insulin in the fridge',
  contact: '138-0013-8899',
  name: 'Wang Guifang',
};
const admin: Actor = { kind: 'admin', id: 'admin:test', name: 'Test admin' };

/** Every document of every collection, as stored (no decoding). */
async function everything(conn: Connection): Promise<Array<{ collection: string; text: string }>> {
  const db = conn.db!;
  const out: Array<{ collection: string; text: string }> = [];
  for (const info of await db.listCollections().toArray()) {
    for (const doc of await db.collection(info.name).find({}).toArray()) out.push({ collection: info.name, text: JSON.stringify(doc) });
  }
  return out;
}

/** The private strings found in plain text, with where. */
async function plainLeaks(conn: Connection, secrets: string[]): Promise<string[]> {
  const leaks: string[] = [];
  for (const { collection, text } of await everything(conn)) for (const s of secrets) if (text.includes(s)) leaks.push(`${collection}: ${s}`);
  return leaks;
}

/** `read()` once it gives a value, polling; fails after a generous deadline. */
async function eventually<T>(read: () => Promise<T | null | undefined>, deadlineMs = 30_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('private fields at rest', () => {
  const db = useTestDatabase();
  let h: Harness;
  const keyA = { id: 'key-a', key: Buffer.alloc(32, 0xa1) };
  const keyB = { id: 'key-b', key: Buffer.alloc(32, 0xb2) };

  beforeAll(async () => {
    useFieldKeyring(createKeyring(keyA));
    h = await startHarness(db);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('never stores notes, contact or name in plain text, anywhere, and reads them back', async () => {
    const worker = users.worker;
    const dm = privateChatOf(worker);
    const group = groupChat(-7001, 'Harbour Street');
    h.fake.startUser(users.admin.id);
    h.fake.startUser(worker.id);
    const community = await h.runtime.services.communities.create({ name: 'Harbour Street' }, admin);
    const invite = await h.say(users.admin, privateChatOf(users.admin), `/invite ${community.linkCode}`);
    const token = /start=worker_([0-9A-Z]+)/.exec(String(invite.params.text))![1];
    await h.say(worker, dm, `/start worker_${token}`);
    h.fake.pushUpdate(h.fake.myChatMemberUpdate(group, worker, 'member'));
    h.fake.setMemberStatus(group.id, worker.id, 'administrator');
    await h.say(worker, group, `/link ${community.linkCode}`, (t) => t.includes(community.name));

    // A wish through the bot's wizard: its notes sit in the wizard's session until it is published.
    await h.say(worker, dm, '/newwish');
    await h.say(worker, dm, 'Rice and cooking oil');
    await h.say(worker, dm, 'Her pension comes late this month.');
    const categoryQuestion = h.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === worker.id).at(-1)!;
    await h.press(worker, resultMessage(categoryQuestion), 'nw:cat_goods');
    await h.fake.waitForCall((c) => c.seq > categoryQuestion.seq && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id);
    await h.say(worker, dm, '2');
    const urgencyQuestion = await h.say(worker, dm, '14');
    await h.press(worker, resultMessage(urgencyQuestion), 'nw:urg_normal');
    await h.fake.waitForCall((c) => c.seq > urgencyQuestion.seq && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id);
    await h.say(worker, dm, 'elderly resident, Building 5');
    const preview = await h.say(worker, dm, PRIVATE.wizardNotes);
    expect(String(preview.params.text)).toContain(PRIVATE.wizardNotes); // the worker sees them
    // The session is written once the answer has gone: wait for the draft with its notes.
    const session = await eventually(() => h.runtime.botModels.BotSession.collection.findOne({ 'data.draft.notes': { $exists: true } }));
    expect(JSON.stringify(session)).not.toContain(PRIVATE.wizardNotes);
    expect(isSealed((session!.data as { draft: { notes: unknown } }).draft.notes)).toBe(true);
    const before = h.fake.calls.length;
    await h.press(worker, resultMessage(preview), 'nw:publish');
    const published = await h.fake.waitForCall((c) => c.seq > before && c.method === 'sendMessage' && /W-\d+/.test(String(c.params.text)));
    const wizardCode = /W-\d+/.exec(String(published.params.text))![0];

    // A wish through the service with all three private fields, followed by the worker; a donor claims it.
    const { state } = await h.runtime.services.wishes.create(
      draftFor(community.id, { beneficiary: { alias: 'elderly resident, Building 3', notes: PRIVATE.notes, contact: PRIVATE.contact, name: PRIVATE.name }, workerTelegramId: worker.id }),
      admin,
      { publish: true },
    );
    const donor = donorUser(77);
    await h.runtime.services.wishes.execute(state.id, { type: 'pledge', donor: { donorId: `tg:${donor.id}`, displayName: donor.first_name }, amount: 100 }, { kind: 'donor', id: `tg:${donor.id}` });
    await h.runtime.services.wishes.edit(state.id, { title: 'Winter heating bill (arrears)' }, admin);
    await h.settle();

    // Raw documents: no private string in plain text in any collection.
    const secrets = Object.values(PRIVATE);
    expect(await plainLeaks(db.conn, secrets)).toEqual([]);
    // ...while the sealed values are there: the test would see plain text if it were stored.
    const event = await db.models.WishEvent.collection.findOne({ _id: `${state.id}:1` as never });
    const stored = (event!.wish as { beneficiary: Record<string, unknown> }).beneficiary;
    expect(stored.alias).toBe('elderly resident, Building 3');
    for (const f of ['notes', 'contact', 'name']) expect(stored[f]).toEqual(expect.objectContaining({ v: 1, k: 'key-a' }));
    const snapshot = await db.models.OpenWish.collection.findOne({ _id: state.id as never });
    expect(isSealed((snapshot!.beneficiary as Record<string, unknown>).notes)).toBe(true);

    // The service reads them back, from the snapshot and from the events.
    const read = await h.runtime.services.wishes.get(state.id);
    expect(read?.beneficiary).toEqual({ alias: 'elderly resident, Building 3', notes: PRIVATE.notes, contact: PRIVATE.contact, name: PRIVATE.name });
    expect(read?.pledged).toBe(100);
    expect((await h.runtime.services.wishes.get(wizardCode))?.beneficiary.notes).toBe(PRIVATE.wizardNotes);
    const fromEvents = await createWishStore(db.models).eventsAfter(state.id, 0);
    expect(fromEvents[0]).toMatchObject({ type: 'created', wish: { beneficiary: { notes: PRIVATE.notes, name: PRIVATE.name } } });
  });

  it('still reads plain text stored before encryption, and seals it once at start-up', async () => {
    const community = await h.runtime.services.communities.create({ name: 'Old Town' }, admin);
    const { state } = await h.runtime.services.wishes.create(draftFor(community.id, { beneficiary: { alias: 'a neighbour', notes: 'old plain notes', contact: '555-0000' } }), admin, { publish: true });
    // As a database from before encryption has it.
    const plain = { 'beneficiary.notes': 'old plain notes', 'beneficiary.contact': '555-0000' };
    await db.models.Wish.collection.updateOne({ _id: state.id as never }, { $set: plain });
    await db.models.OpenWish.collection.updateOne({ _id: state.id as never }, { $set: plain });
    await db.models.WishEvent.collection.updateOne({ _id: `${state.id}:1` as never }, { $set: { 'wish.beneficiary.notes': 'old plain notes', 'wish.beneficiary.contact': '555-0000' } });
    expect(await plainLeaks(db.conn, ['old plain notes'])).toHaveLength(3);

    const store = createWishStore(db.models);
    expect((await store.loadSnapshot(state.id))?.beneficiary).toMatchObject({ notes: 'old plain notes', contact: '555-0000' });
    expect((await store.eventsAfter(state.id, 0))[0]).toMatchObject({ wish: { beneficiary: { notes: 'old plain notes' } } });

    // The start-up pass (once per key id, as runtime.ts runs it) seals them in place.
    const keyring = createKeyring(keyA);
    const run = () => runOnce(db.conn, 'private_fields_test_migration', () => sealAll(keyring));
    expect(await run()).toBe(true);
    expect(await plainLeaks(db.conn, ['old plain notes', '555-0000'])).toEqual([]);
    expect(await run()).toBe(false);
    expect((await h.runtime.services.wishes.get(state.id))?.beneficiary).toMatchObject({ notes: 'old plain notes', contact: '555-0000' });
  });

  it("a wizard draft sealed under a key the service no longer has starts afresh instead of failing the person's every message", async () => {
    const sessions = createSessionStore(h.runtime.botModels);
    await sessions.write('test:lost-key', { flow: 'newwish', step: 'preview', draft: { title: 'Rice', notes: 'private' } }, [1], new Date());
    expect((await sessions.load('test:lost-key')).data).toEqual({ flow: 'newwish', step: 'preview', draft: { title: 'Rice', notes: 'private' } });
    const elsewhere = createSessionStore(h.runtime.botModels, createKeyring(keyB));
    expect(await elsewhere.load('test:lost-key')).toEqual({ data: undefined, writtenBy: [1] });
  });

  function sealAll(keyring: FieldKeyring) {
    return sealStoredPrivateFields({ events: db.models.WishEvent.collection, wishes: db.models.Wish.collection, openWishes: db.models.OpenWish.collection, sessions: h.runtime.botModels.BotSession.collection }, keyring);
  }

  it('rotates keys: old values read under DATA_KEYS_OLD, new writes and the re-seal pass use the new key', async () => {
    const community = await h.runtime.services.communities.create({ name: 'River Road' }, admin);
    const { state } = await h.runtime.services.wishes.create(draftFor(community.id, { beneficiary: { alias: 'a family', notes: 'sealed under A', name: 'Li Ming' } }), admin, { publish: true });
    const kOf = async (): Promise<string[]> => {
      const ev = await db.models.WishEvent.collection.findOne({ _id: `${state.id}:1` as never });
      const snap = await db.models.Wish.collection.findOne({ _id: state.id as never });
      return [(ev!.wish as { beneficiary: { notes: { k: string } } }).beneficiary.notes.k, (snap!.beneficiary as { notes: { k: string } }).notes.k];
    };
    expect(await kOf()).toEqual(['key-a', 'key-a']);

    // Rotated: B is current, A is only read.
    const rotated = createKeyring(keyB, [keyA]);
    useFieldKeyring(rotated);
    try {
      expect((await h.runtime.services.wishes.get(state.id))?.beneficiary).toMatchObject({ notes: 'sealed under A', name: 'Li Ming' });
      // The next write of the snapshot seals under B; the event (never rewritten) waits for the pass.
      await h.runtime.services.wishes.edit(state.id, { title: 'Rice, oil and a blanket' }, admin);
      await h.runtime.later.idle();
      expect(await kOf()).toEqual(['key-a', 'key-b']);
      expect(await sealAll(rotated)).toBeGreaterThan(0);
      expect(await kOf()).toEqual(['key-b', 'key-b']);
      // Without A, everything still reads: nothing is left under it.
      useFieldKeyring(createKeyring(keyB));
      const w = (await h.runtime.services.wishes.get(state.id)) as WishState;
      expect(w.beneficiary).toMatchObject({ notes: 'sealed under A', name: 'Li Ming' });
      expect((await createWishStore(db.models).eventsAfter(state.id, 0))[0]).toMatchObject({ wish: { beneficiary: { name: 'Li Ming' } } });
      // And a key that never sealed anything here cannot read it: a clear error, not garbage.
      await expect(createWishStore(db.models, createKeyring(keyA)).loadSnapshot(state.id)).rejects.toThrow(/sealed with data key "key-b"/);
    } finally {
      useFieldKeyring(createKeyring(keyA));
    }
  });
});
