import { useTestDatabase } from '../support/db';
import { draftFor } from '../support/fixtures';
import { groupChat, Harness, privateChatOf, startHarness, users } from '../support/bot-harness';
import type { RecordedCall, TgUser } from '../fake-telegram';
import { decryptField, isSealed } from '../../src/db/field-crypto';
import { donorIdOf } from '../../src/domain/people';

// Issue 13, item 6: "their data". /mydata shows a resident what is stored about them; /erase asks for
// erasure (Yes / No); a worker of their community confirms it with the button they are sent, and the
// resident is told. Someone linked to nothing is erased at once.

type Button = { text: string; callback_data?: string };
const buttonsOf = (c: RecordedCall): Button[] => ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const resultMessage = (c: RecordedCall) => c.result as { chat: { id: number }; message_id: number; text: string };
const WAIT_MS = 30_000;

describe('their data: /mydata and /erase through the real bot and a fake Bot API', () => {
  const db = useTestDatabase();
  let h: Harness;
  const group = groupChat(-100_913, 'Erasure Lane');
  const worker: TgUser = { id: 9_131, first_name: 'Wang', last_name: 'Worker', language_code: 'en' };
  const otherWorker: TgUser = { id: 9_132, first_name: 'Other', language_code: 'en' };
  const resident: TgUser = { id: 913_377_121, first_name: 'Rosa', last_name: 'Erasable', username: 'rosa_erasable', language_code: 'en' };
  const loner: TgUser = { id: 9_134, first_name: 'Lonely', language_code: 'zh' };

  beforeAll(async () => {
    h = await startHarness(db);
    for (const u of [worker, otherWorker, resident, loner]) {
      h.fake.startUser(u.id);
      await h.say(u, privateChatOf(u), '/start');
    }
  });
  afterAll(async () => {
    await h?.stop();
  });

  const after = () => h.fake.calls.length;
  /** Every collection's documents as text, each sealed value opened and added. */
  async function everything(): Promise<Map<string, string>> {
    const texts = new Map<string, string>();
    for (const { name } of await db.conn.db!.listCollections().toArray()) {
      const opened: string[] = [];
      const walk = (v: unknown): void => {
        if (isSealed(v)) opened.push(decryptField(v));
        else if (Array.isArray(v)) v.forEach(walk);
        else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
      };
      const docs = await db.conn.db!.collection(name).find({}).toArray();
      docs.forEach(walk);
      texts.set(name, `${JSON.stringify(docs)}\n${opened.join('\n')}`);
    }
    return texts;
  }
  /** Resolves once the update is marked done: its handling, and what follows its answer, has finished. */
  async function handled(updateId: number) {
    const until = Date.now() + WAIT_MS;
    while (!(await h.runtime.botModels.ProcessedUpdate.findById(String(updateId)).lean())) {
      if (Date.now() > until) throw new Error(`update ${updateId} was never marked done`);
      await new Promise<void>((resolve) => setTimeout(resolve, 20));
    }
  }
  const replyTo = (user: TgUser, since: number, match: (text: string) => boolean = () => true) =>
    h.fake.waitForCall((c) => c.seq > since && c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === user.id && match(String(c.params.text)), WAIT_MS);

  it('a linked resident sees what is stored, asks for erasure, a worker of their community confirms, they are told', async () => {
    const { services, people, invites, groups } = h.runtime;
    const community = await services.communities.create({ name: 'Erasure Lane' }, { kind: 'admin', id: 'test' });
    const elsewhere = await services.communities.create({ name: 'Elsewhere' }, { kind: 'admin', id: 'test' });
    await people.addWorkerCommunities(worker.id, [community.id], new Date());
    await people.addWorkerCommunities(otherWorker.id, [elsewhere.id], new Date());
    await groups.link(group.id, group.title!, community.id, worker.id, new Date());
    const workerActor = { kind: 'worker' as const, id: donorIdOf(worker.id), telegramId: worker.id, communityIds: [community.id] };
    const beneficiary = { alias: 'resident, Building 9', name: 'Rosa Erasable-Name', contact: '555-0199-erasable', notes: 'Uses a wheelchair since spring' };
    const { state: wish } = await services.wishes.create(draftFor(community.id, { title: 'Warm blanket', category: 'goods', target: 1, beneficiary, workerTelegramId: worker.id }), workerActor, { publish: true });
    const card = await h.fake.waitForCall((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === group.id && String(c.params.text).includes(wish.code), WAIT_MS);
    expect(String(card.params.text)).toContain('resident, Building 9');
    const invite = await invites.linkResident(wish.id, workerActor);
    await h.say(resident, privateChatOf(resident), `/start resident_${invite.token}`, (t) => t.includes(wish.code));
    await h.say(resident, privateChatOf(resident), 'Please call before noon', (t) => t.includes('passed your message'));
    // Their /help lists what they can do about their data.
    const help = String((await h.say(resident, privateChatOf(resident), '/help', (t) => t.includes('/mywishes'))).params.text);
    expect(help).toContain('/mydata');
    expect(help).toContain('/erase');

    // /mydata: their profile, the wish with what the worker keeps private, the message they sent.
    const since = after();
    h.fake.pushUpdate(h.fake.textUpdate(resident, privateChatOf(resident), '/mydata'));
    const mydata = String((await replyTo(resident, since, (t) => t.includes('What I keep about you'))).params.text);
    for (const part of ['Rosa Erasable', '@rosa_erasable', wish.code, 'Warm blanket', 'resident, Building 9', 'Rosa Erasable-Name', '555-0199-erasable', 'Uses a wheelchair since spring', 'Messages you sent through me</b>: 1', '/erase']) {
      expect(mydata).toContain(part);
    }

    // /erase explains and asks; No keeps everything.
    const ask = await h.say(resident, privateChatOf(resident), '/erase');
    expect(String(ask.params.text)).toMatch(/anonymous records/);
    expect(buttonsOf(ask).map((b) => b.callback_data)).toEqual(['er:yes', 'er:no']);
    let from = after();
    await h.press(resident, resultMessage(ask), 'er:no');
    expect(String((await replyTo(resident, from)).params.text)).toBe('Nothing was erased.');
    expect(await people.get(resident.id)).not.toBeNull();

    // Yes: the request is recorded and the worker is asked to confirm.
    const ask2 = await h.say(resident, privateChatOf(resident), '/erase');
    from = after();
    await h.press(resident, resultMessage(ask2), 'er:yes');
    expect(String((await replyTo(resident, from)).params.text)).toMatch(/request is recorded/);
    const toWorker = await h.fake.waitForCall((c) => c.seq > from && c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === worker.id && buttonsOf(c).some((b) => b.callback_data?.startsWith('erc:')), WAIT_MS);
    expect(String(toWorker.params.text)).toContain(wish.code);
    const confirm = buttonsOf(toWorker).find((b) => b.callback_data?.startsWith('erc:'))!;
    expect(confirm.text).toBe('Confirm erasure');
    expect(confirm.callback_data).not.toContain(String(resident.id));

    // Asking twice is one request.
    const ask3 = await h.say(resident, privateChatOf(resident), '/erase');
    from = after();
    await h.press(resident, resultMessage(ask3), 'er:yes');
    expect(String((await replyTo(resident, from)).params.text)).toMatch(/asked already/);

    // A worker of another community may not confirm it.
    const refused = await h.press(otherWorker, { chat: { id: otherWorker.id }, message_id: resultMessage(toWorker).message_id }, confirm.callback_data!);
    expect(String(refused.params.text)).toMatch(/may not/);

    // The worker confirms: erased, the worker and the resident are told.
    from = after();
    await h.press(worker, resultMessage(toWorker), confirm.callback_data!);
    expect(String((await replyTo(worker, from, (t) => t.startsWith('Erased'))).params.text)).toContain(wish.code);
    expect(String((await replyTo(resident, from)).params.text)).toMatch(/Your data is erased/);
    expect(await people.get(resident.id)).toBeNull();
    const erased = await services.wishes.get(wish.id);
    expect(erased.beneficiary).toEqual({ alias: 'resident, Building 9' });
    expect(erased.residentErased).toBe(true);
    // The live card in the group is edited to the redacted text: no alias, no description.
    const edited = await h.fake.waitForCall(
      (c) => c.seq > from && c.method === 'editMessageText' && c.ok && Number(c.params.chat_id) === group.id && c.params.message_id === resultMessage(card).message_id,
      WAIT_MS,
    );
    expect(String(edited.params.text)).toContain('Details kept private at the resident\'s request');
    expect(String(edited.params.text)).not.toContain('resident, Building 9');

    // Nothing of theirs is left in any collection (sealed values opened too).
    await h.settle();
    for (const secret of ['Rosa Erasable', 'rosa_erasable', '555-0199-erasable', 'Uses a wheelchair since spring', 'Please call before noon', String(resident.id)]) {
      for (const [collection, text] of await everything()) if (text.includes(secret)) throw new Error(`${collection} still holds "${secret}"`);
    }

    // A second press: already erased.
    const again = await h.press(worker, resultMessage(toWorker), confirm.callback_data!);
    expect(String(again.params.text)).toBe('Already erased.');
  });

  it('someone linked to no wish and with no intake is erased at once, without a worker (in Chinese)', async () => {
    const ask = await h.say(loner, privateChatOf(loner), '/erase');
    expect(String(ask.params.text)).toMatch(/立即删除/);
    const from = after();
    const press = h.fake.callbackUpdate(loner, resultMessage(ask), 'er:yes');
    h.fake.pushUpdate(press);
    expect(String((await replyTo(loner, from)).params.text)).toMatch(/已删除/);
    // Once the press is handled to the end, it has not recorded them again.
    await handled(press.update_id);
    expect(await h.runtime.people.get(loner.id)).toBeNull();
  });

  it('a community with no worker: the admins are asked to confirm, and an admin may', async () => {
    const { services, invites } = h.runtime;
    const orphan: TgUser = { id: 9_135, first_name: 'Orla', language_code: 'en' };
    h.fake.startUser(orphan.id);
    h.fake.startUser(users.admin.id);
    const community = await services.communities.create({ name: 'No Worker Lane' }, { kind: 'admin', id: 'test' });
    const { state: wish } = await services.wishes.create(draftFor(community.id, { title: 'Kettle', category: 'goods', target: 1 }), { kind: 'admin', id: 'admin:test' }, { publish: true });
    const invite = await invites.linkResident(wish.id, { kind: 'admin', id: 'admin:test' });
    await h.say(orphan, privateChatOf(orphan), `/start resident_${invite.token}`, (t) => t.includes(wish.code));
    const ask = await h.say(orphan, privateChatOf(orphan), '/erase');
    const from = after();
    await h.press(orphan, resultMessage(ask), 'er:yes');
    const toAdmin = await h.fake.waitForCall((c) => c.seq > from && c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === users.admin.id && buttonsOf(c).some((b) => b.callback_data?.startsWith('erc:')), WAIT_MS);
    expect(String(toAdmin.params.text)).toContain(wish.code);
    const since = after();
    await h.press(users.admin, resultMessage(toAdmin), buttonsOf(toAdmin).find((b) => b.callback_data?.startsWith('erc:'))!.callback_data!);
    expect(String((await replyTo(orphan, since)).params.text)).toMatch(/Your data is erased/);
  });
});
