import { useTestDatabase } from '../support/db';
import { donorUser, Harness, privateChatOf, startHarness, users } from '../support/bot-harness';

const CONSOLE_URL = 'https://wishes.example.org';
const MINI_APP = `${CONSOLE_URL}/console/miniapp`;

type Keyboard = Array<Array<{ text: string; web_app?: { url: string } }>> | undefined;
const keyboardOf = (call: { params: Record<string, unknown> }): Keyboard => {
  const markup = call.params.reply_markup;
  return (typeof markup === 'string' ? JSON.parse(markup) : (markup as { inline_keyboard?: Keyboard } | undefined))?.inline_keyboard;
};

// With CONSOLE_URL set, a worker finds the console in Telegram: a Manage button and the chat's menu button.
describe('the console as a Mini App in the bot', () => {
  const db = useTestDatabase();
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(db, { consoleUrl: CONSOLE_URL });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a new worker gets a Manage button and the menu button, both opening the Mini App; /mywishes carries it too', async () => {
    const admin = users.admin;
    const worker = users.worker;
    h.fake.startUser(admin.id);
    h.fake.startUser(worker.id);
    const community = await h.runtime.services.communities.create({ name: 'Harbour Street' }, { kind: 'admin', id: 'test' });
    const invite = await h.say(admin, privateChatOf(admin), `/invite ${community.linkCode}`);
    const token = /start=worker_([0-9A-Z]+)/.exec(String(invite.params.text))?.[1];
    const welcome = await h.say(worker, privateChatOf(worker), `/start worker_${token}`);
    expect(keyboardOf(welcome)).toEqual([[{ text: '🗂 Manage', web_app: { url: MINI_APP } }]]);
    const menu = h.fake.calls.find((c) => c.method === 'setChatMenuButton' && Number(c.params.chat_id) === worker.id);
    expect(menu?.result).toBe(true);
    const list = await h.say(worker, privateChatOf(worker), '/mywishes');
    expect(keyboardOf(list)?.[0]?.[0]?.web_app?.url).toBe(MINI_APP);
  });

  it('a donor gets neither', async () => {
    const donor = donorUser(7);
    h.fake.startUser(donor.id);
    const welcome = await h.say(donor, privateChatOf(donor), '/start');
    expect(keyboardOf(welcome)).toBeUndefined();
    expect(h.fake.calls.filter((c) => c.method === 'setChatMenuButton' && Number(c.params.chat_id) === donor.id)).toEqual([]);
  });
});
