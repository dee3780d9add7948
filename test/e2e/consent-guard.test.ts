import { testLogger } from '../support/privacy-record';
import request from 'supertest';
import type { Express } from 'express';
import { useTestDatabase } from '../support/db';
import { testJobsConfig } from '../support/fixtures';
import { groupChat, Harness, privateChatOf, startHarness, users } from '../support/bot-harness';
import type { RecordedCall, TgUser } from '../fake-telegram';
import { createApp } from '../../src/http/create-app';
import { postDigests } from '../../src/jobs/jobs';

// Issue 13: no wish linked to a resident reaches a group without a consent event, whichever way a worker
// tries (the API, the console, the bot, publishing after an edit); and a resident who takes back their
// yes sees every live card of theirs redacted and their wishes left out of the next digest.

type Button = { text: string; callback_data?: string };
const buttonsOf = (c: RecordedCall): Button[] => ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const resultMessage = (c: RecordedCall) => c.result as { chat: { id: number }; message_id: number; text: string };
const WAIT = 30_000;
const TOKEN = 'consent-guard-admin-token-0123456789';
const DESCRIPTION = 'Her heating was cut off in November; this covers the arrears';
const ALIAS = 'elderly resident, Building 3';

describe('consent guards what the groups see', () => {
  const db = useTestDatabase();
  let h: Harness;
  let app: Express;
  let communityId: string;
  const worker: TgUser = { ...users.worker, id: 72_001 };
  const groupEn = groupChat(-100_720_001, 'Guard Lane');
  const groupZh = groupChat(-100_720_002, '守护里');
  const auth = { Authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    h = await startHarness(db, { adminApiToken: TOKEN });
    app = createApp({ ...h.runtime.appDeps(), logger: testLogger(), clock: () => new Date(), isDatabaseReady: async () => true });
    h.fake.startUser(worker.id);
    communityId = (await h.runtime.services.communities.create({ name: 'Guard Lane' }, { kind: 'admin', id: 'test' })).id;
    await h.runtime.people.seen({ telegramId: worker.id, name: 'Wang' }, new Date(), { started: true });
    await h.runtime.people.addWorkerCommunities(worker.id, [communityId], new Date());
    for (const g of [groupEn, groupZh]) await h.runtime.groups.link(g.id, g.title!, communityId, worker.id, new Date());
    await h.runtime.groups.setLanguage(groupZh.id, 'zh', new Date());
  });
  afterAll(async () => {
    await h?.stop();
  });

  const sentTo = (chatId: number, after: number, match: (text: string, c: RecordedCall) => boolean = () => true) =>
    h.fake.waitForCall((c) => c.seq > after && c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === chatId && match(String(c.params.text ?? ''), c), WAIT);
  const groupCalls = (code: string) => h.fake.calls.filter((c) => c.ok && [groupEn.id, groupZh.id].includes(Number(c.params.chat_id)) && String(c.params.text ?? '').includes(code));

  /** A draft over the API, and a resident who follows their one-time link to it: they are shown its card. */
  async function linkedDraft(n: number, title = 'Winter heating bill') {
    const resident: TgUser = { id: 82_000 + n, first_name: 'Mei', language_code: 'en' };
    h.fake.startUser(resident.id);
    const created = await request(app).post('/api/v1/wishes').set(auth).send({
      communityId,
      title,
      description: DESCRIPTION,
      category: 'cash',
      target: 300,
      deadline: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10),
      beneficiary: { alias: ALIAS, name: 'Mei Lin', contact: '555-0142' },
    });
    expect(created.status).toBe(201);
    const code = created.body.code as string;
    const link = await request(app).post(`/api/v1/wishes/${code}/resident-link`).set(auth);
    const before = h.fake.calls.length;
    await h.say(resident, privateChatOf(resident), `/start ${/start=(resident_[0-9A-Z]+)/.exec(link.body.url)![1]}`);
    const preview = await sentTo(resident.id, before, (_t, c) => buttonsOf(c).some((b) => b.callback_data?.startsWith('cs:')));
    return { resident, code, preview };
  }

  async function approve(resident: TgUser, preview: RecordedCall, code: string) {
    const before = h.fake.calls.length;
    await h.press(resident, resultMessage(preview), buttonsOf(preview)[0]!.callback_data!);
    for (const g of [groupEn, groupZh]) await sentTo(g.id, before, (t) => t.includes(code));
  }

  it('the API, the console, the bot and publishing after an edit all refuse to post without the resident; in person needs a note', async () => {
    const { resident, code, preview } = await linkedDraft(1);

    // API.
    const api = await request(app).post(`/api/v1/wishes/${code}/publish`).set(auth);
    expect([api.status, api.body.error.code]).toEqual([409, 'consent_needed']);

    // Console: the Publish button answers with the reason.
    const agent = request.agent(app);
    await agent.post('/console/sign-in').type('form').send({ token: TOKEN });
    const page = await agent.get(`/console/wishes/${code}`);
    expect(page.text).toContain('has been shown the card and has not answered yet');
    expect(page.text).toContain('Show them the card again');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const consolePublish = await agent.post(`/console/wishes/${code}/publish`).type('form').send({ _csrf: csrf });
    expect(consolePublish.status).toBe(409);
    expect(consolePublish.text).toContain('has not agreed');
    // In person, without a note: refused, naming the note.
    const noNote = await agent.post(`/console/wishes/${code}/consent`).type('form').send({ _csrf: csrf, answer: 'given', note: ' ', publish: '1' });
    expect(noNote.status).toBe(400);
    const apiNoNote = await request(app).post(`/api/v1/wishes/${code}/consent`).set(auth).send({ answer: 'given', note: '' });
    expect([apiNoNote.status, apiNoNote.body.error.details?.fields?.[0]?.field]).toEqual([400, 'note']);

    // The bot: the worker's wizard makes new wishes only; a card button forged for the draft shows nothing.
    const forged = await h.press(worker, { chat: { id: worker.id }, message_id: 1 }, `c:${code}`);
    expect(String(forged.params.text ?? '')).not.toContain(DESCRIPTION);

    // Publishing after an edit: a yes was to the card before the edit.
    const before = h.fake.calls.length;
    await h.press(resident, resultMessage(preview), buttonsOf(preview)[1]!.callback_data!); // ask for changes
    await sentTo(resident.id, before, (t) => /What would you like changed/.test(t));
    await h.say(resident, privateChatOf(resident), 'Please say Building 5, not 3');
    const edited = await request(app).patch(`/api/v1/wishes/${code}`).set(auth).send({ beneficiary: { alias: 'elderly resident, Building 5' } });
    expect(edited.status).toBe(200);
    const stale = await h.press(resident, resultMessage(preview), buttonsOf(preview)[0]!.callback_data!);
    expect(String(stale.params.text)).toMatch(/changed/);
    expect((await request(app).post(`/api/v1/wishes/${code}/publish`).set(auth)).status).toBe(409);

    await h.settle();
    expect(groupCalls(code)).toEqual([]);
    expect((await h.runtime.services.wishes.history(code)).some((e) => e.type === 'published')).toBe(false);

    // With a note, in person, it is published, and the note is in the history (for staff).
    const inPerson = await request(app).post(`/api/v1/wishes/${code}/consent`).set(auth).send({ answer: 'given', note: 'Home visit: read her the new card', publish: true });
    expect([inPerson.status, inPerson.body.status, inPerson.body.consent]).toEqual([200, 'open', { required: true, publish: 'given', via: 'in_person', asked: false, redacted: false }]);
    const history = await h.runtime.services.wishes.history(code);
    expect(history.find((e) => e.type === 'consent' && e.via === 'in_person')).toMatchObject({ note: 'Home visit: read her the new card' });
  });

  it('the bot wizard: "let the resident decide first" saves a draft and a link; the resident sees it and only their yes posts it', async () => {
    const dm = privateChatOf(worker);
    const resident: TgUser = { id: 82_300, first_name: 'Wen', language_code: 'en' };
    h.fake.startUser(resident.id);
    await h.say(worker, dm, '/newwish');
    await h.say(worker, dm, 'Folding walker');
    const category = await h.say(worker, dm, 'For getting to the market again.');
    await h.press(worker, resultMessage(category), 'nw:cat_goods');
    await h.fake.waitForCall((c) => c.seq > category.seq && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id);
    await h.say(worker, dm, '1');
    const urgency = await h.say(worker, dm, '14');
    await h.press(worker, resultMessage(urgency), 'nw:urg_normal');
    await h.fake.waitForCall((c) => c.seq > urgency.seq && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id);
    await h.say(worker, dm, 'resident, Building 7');
    const preview = await h.say(worker, dm, '-');
    expect(buttonsOf(preview).map((b) => b.callback_data)).toContain('nw:askfirst');
    let before = h.fake.calls.length;
    await h.press(worker, resultMessage(preview), 'nw:askfirst');
    const saved = await sentTo(worker.id, before, (t) => /start=resident_/.test(t));
    const code = /W-\d+/.exec(String(saved.params.text))![0];
    expect((await h.runtime.services.wishes.get(code)).status).toBe('draft');

    before = h.fake.calls.length;
    await h.say(resident, privateChatOf(resident), `/start ${/start=(resident_[0-9A-Z]+)/.exec(String(saved.params.text))![1]}`);
    const shown = await sentTo(resident.id, before, (_t, c) => buttonsOf(c).some((b) => b.callback_data?.startsWith('cs:')));
    expect((await request(app).post(`/api/v1/wishes/${code}/publish`).set(auth)).status).toBe(409);
    await h.settle();
    expect(groupCalls(code)).toEqual([]);
    await approve(resident, shown, code);
  });

  it('every published event of a wish a resident follows comes after their yes (or "keep it private")', async () => {
    const wishes = await h.runtime.services.wishes.list({ communityIds: [communityId], limit: 100 });
    let checked = 0;
    for (const w of wishes.filter((x) => x.consentRequired)) {
      const events = await h.runtime.services.wishes.history(w.id);
      const published = events.findIndex((e) => e.type === 'published');
      if (published < 0) continue;
      const yes = events.findIndex((e) => e.type === 'consent' && e.purpose === 'publish' && (e.answer === 'given' || e.answer === 'private'));
      expect(yes).toBeGreaterThanOrEqual(0);
      expect(yes).toBeLessThan(published);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('taking back the yes redacts every live card of the resident in every group, and the next digest leaves them out', async () => {
    const resident: TgUser = { id: 82_100, first_name: 'Rosa', language_code: 'en' };
    h.fake.startUser(resident.id);
    const first = await linkedDraft(100, 'Reading glasses');
    // The same resident follows a second wish.
    const second = await linkedDraft(101, 'Warm winter coat');
    for (const w of [first, second]) await approve(w.resident, w.preview, w.code);
    // (The two drafts were linked to two Telegram accounts; the second account takes back both of its own.)
    const someoneElse = await linkedDraft(102, 'Rice and oil');
    await approve(someoneElse.resident, someoneElse.preview, someoneElse.code);

    for (const w of [first, second]) {
      const privacy = await h.say(w.resident, privateChatOf(w.resident), '/privacy');
      const stop = buttonsOf(privacy).find((b) => b.callback_data === `pv:${w.code}:publish:w`)!;
      const before = h.fake.calls.length;
      await h.press(w.resident, resultMessage(privacy), stop.callback_data!);
      for (const g of [groupEn, groupZh]) {
        const edit = await h.fake.waitForCall((c) => c.seq > before && c.ok && c.method === 'editMessageText' && Number(c.params.chat_id) === g.id && String(c.params.text).includes(w.code), WAIT);
        const text = String(edit.params.text);
        expect(text).not.toContain(ALIAS);
        expect(text).not.toContain(DESCRIPTION);
        expect(text).toMatch(g.id === groupEn.id ? /kept private at the resident's request/ : /详情不公开/);
      }
    }

    const { deps } = h.runtime.jobs(testJobsConfig());
    const before = h.fake.calls.length;
    await postDigests(deps, new Date(), 'guard-week');
    const digest = await h.fake.waitForCall((c) => c.seq > before && c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === groupEn.id, WAIT);
    expect(String(digest.params.text)).toContain(someoneElse.code);
    expect(String(digest.params.text)).not.toContain(first.code);
    expect(String(digest.params.text)).not.toContain(second.code);
    // The group's own /wishes list leaves them out too.
    const list = await h.say(worker, groupEn, '/wishes');
    expect(String(list.params.text)).not.toContain(first.code);
  });

  it('a resident with several wishes stops showing all of them with one button', async () => {
    const resident: TgUser = { id: 82_200, first_name: 'Ann', language_code: 'en' };
    h.fake.startUser(resident.id);
    const codes: string[] = [];
    for (const title of ['Walking frame', 'Bus pass top-up']) {
      const created = await request(app).post('/api/v1/wishes').set(auth).send({
        communityId, title, description: DESCRIPTION, category: 'goods', target: 1,
        deadline: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10), beneficiary: { alias: ALIAS },
      });
      const link = await request(app).post(`/api/v1/wishes/${created.body.code}/resident-link`).set(auth);
      const before = h.fake.calls.length;
      await h.say(resident, privateChatOf(resident), `/start ${/start=(resident_[0-9A-Z]+)/.exec(link.body.url)![1]}`);
      const preview = await sentTo(resident.id, before, (_t, c) => buttonsOf(c).some((b) => b.callback_data?.startsWith('cs:')));
      await approve(resident, preview, created.body.code);
      codes.push(created.body.code);
    }
    const privacy = await h.say(resident, privateChatOf(resident), '/privacy');
    expect(buttonsOf(privacy)[0]!.callback_data).toBe('pv:all');
    const before = h.fake.calls.length;
    await h.press(resident, resultMessage(privacy), 'pv:all');
    for (const code of codes) {
      await h.fake.waitForCall((c) => c.seq > before && c.ok && c.method === 'editMessageText' && Number(c.params.chat_id) === groupZh.id && String(c.params.text).includes(code) && /详情不公开/.test(String(c.params.text)), WAIT);
    }
  });
});
