import { mkdirSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { testLogger } from '../support/privacy-record';
import type { Browser, Page } from 'playwright-core';
import { hashToken } from '../../src/domain/access';
import { createApp } from '../../src/http/create-app';
import { launchBrowser } from '../support/browser';
import { donorUser, groupChat, Harness, privateChatOf, startHarness, users } from '../support/bot-harness';
import { useTestDatabase } from '../support/db';
import type { RecordedCall } from '../fake-telegram';

// The console in real Chromium, over the real bot and runtime against the fake Bot API: what a worker
// does in a browser reaches the group as Telegram would show it.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sign } = require('@telegram-apps/init-data-node') as { sign(data: Record<string, unknown>, key: string, authDate: Date): string };

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');
const WORKER_TOKEN = 'mw_browser-test-worker-token';
const WAIT = 45_000;
type Button = { text: string; callback_data?: string };
const buttonsOf = (c: { params: Record<string, unknown> }): Button[] => ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();

describe('the console in a browser', () => {
  const db = useTestDatabase();
  let h: Harness;
  let server: Server;
  let browser: Browser;
  let base: string;
  const group = groupChat(-100777, 'Harbour Street neighbours');

  beforeAll(async () => {
    h = await startHarness(db);
    const { runtime } = h;
    // The app as main.ts builds it over this runtime, console included.
    const app = createApp({
      ...runtime.appDeps(),
      logger: testLogger(),
      clock: () => new Date(),
      isDatabaseReady: async () => true,
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await h?.stop();
  });

  /** Waits for the page to have settled on a new document whose <h1> matches. */
  async function heading(page: Page, text: string | RegExp) {
    await page.getByRole('heading', { level: 1, name: text }).waitFor({ timeout: WAIT });
  }

  it('takes a worker from sign-in to a published, edited and confirmed wish, in English and Chinese', async () => {
    const { runtime, fake } = h;
    const admin = { kind: 'admin', id: 'test' } as const;
    const community = await runtime.services.communities.create({ name: 'Harbour Street' }, admin);
    const elsewhere = await runtime.services.communities.create({ name: 'Hill Road' }, admin);
    await runtime.services.stores.apiTokens.insert({ id: 'tok_worker', createdBy: 'test', hash: hashToken(WORKER_TOKEN), role: 'worker', communityIds: [community.id], label: 'Wang Worker', createdAt: new Date() });
    const deadline = new Date(Date.now() + 20 * 86_400_000);
    const draft = (communityId: string, title: string) => ({
      communityId, title, description: 'Needed before the winter comes.', category: 'goods' as const, target: 1, deadline, urgency: 'normal' as const,
      beneficiary: { alias: 'a resident of the street' },
    });
    await runtime.services.wishes.create(draft(community.id, 'Thermos flask'), admin, { publish: true });
    await runtime.services.wishes.create(draft(elsewhere.id, 'Hill Road kettle'), admin, { publish: true });
    // A cash wish due in two days, half pledged by a named donor: the board puts it first.
    const heating = await runtime.services.wishes.create(
      { ...draft(community.id, 'Heating bill arrears'), category: 'cash', target: 300, deadline: new Date(Date.now() + 2 * 86_400_000) },
      admin,
      { publish: true },
    );
    await runtime.services.wishes.execute(
      heating.state.id,
      { type: 'pledge', donor: { donorId: 'tg:60001', displayName: 'Harbour Bakery', anonymous: false }, amount: 150 },
      { kind: 'donor', id: 'tg:60001', name: 'Harbour Bakery' },
    );

    // The admin adds the bot to the group and links it to the community.
    fake.startUser(users.admin.id);
    fake.pushUpdate(fake.myChatMemberUpdate(group, users.admin, 'member'));
    await h.say(users.admin, group, `/link ${community.linkCode}`, (t) => t.includes(community.name));

    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    // Sign in with the worker's token.
    await page.goto(`${base}/console/`);
    await heading(page, 'Sign in');
    await page.getByLabel('Access token').fill(WORKER_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading(page, 'Wishes');

    // The board lists this community's wishes, not another's.
    // The keyboard's first stop is the skip link, which leads to the main content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Skip to the main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('main');
    const board = page.locator('main');
    await board.getByText('Thermos flask').waitFor({ timeout: WAIT });
    expect(await board.getByText('Hill Road kettle').count()).toBe(0);
    // Near its deadline, so first; with who pledged.
    const first = board.locator('.wish-row').first();
    expect(await first.innerText()).toMatch(/Heating bill arrears[\s\S]*deadline soon[\s\S]*Pledged by: Harbour Bakery/);

    // A new wish with a bad target: the message names the field, focus goes to the summary.
    await page.getByRole('link', { name: 'New wish' }).click();
    await heading(page, 'New wish');
    await page.getByLabel('Title', { exact: true }).fill('Warm winter blanket');
    await page.getByLabel('Public description').fill('Her room is cold at night; a thick blanket would help.');
    await page.getByLabel('Target').fill('a few');
    await page.getByLabel('Public alias of the resident').fill('elderly resident, Building 7');
    // The live preview follows the form, as the group will see it.
    await page.locator('#card-preview .tg-bubble', { hasText: 'Warm winter blanket' }).waitFor({ timeout: WAIT });
    await page.getByRole('button', { name: 'Save and publish' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor({ timeout: WAIT });
    expect(await summary.innerText()).toContain('Target: please send a number');
    expect(await page.evaluate<boolean>("document.activeElement.classList.contains('error-summary')")).toBe(true);
    expect(await page.getByLabel('Target').getAttribute('aria-invalid')).toBe('true');
    await page.setViewportSize({ width: 360, height: 780 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-new-wish-errors-360-en.png'), fullPage: true });
    await page.setViewportSize({ width: 1024, height: 900 });

    // Fixed, and published.
    await page.getByLabel('Target').fill('1');
    await page.getByRole('button', { name: 'Save and publish' }).click();
    await page.getByRole('status').filter({ hasText: /Published W-\d+/ }).waitFor({ timeout: WAIT });
    const code = /W-\d+/.exec(await page.locator('h1').innerText())![0];
    const wishUrl = page.url().replace(/\?.*$/, '');

    // A one-time link for the resident, with its QR code, shown once and focused.
    await page.getByRole('button', { name: 'Make a resident link' }).click();
    const linkBlock = page.locator('.resident-link');
    await linkBlock.waitFor({ timeout: WAIT });
    expect(await linkBlock.locator('a.link-url').innerText()).toMatch(new RegExp(`^https://t\\.me/${fake.botInfo.username}\\?start=resident_[0-9A-Z]+$`));
    expect(await linkBlock.locator('.qr svg').isVisible()).toBe(true);
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('link-h');

    // Its card appears in the group.
    const card = await fake.waitForCall((c) => c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === group.id && String(c.params.text).includes(code), WAIT);
    expect(String(card.params.text)).toContain('Warm winter blanket');
    const cardMessage = card.result as { chat: { id: number }; message_id: number };

    // The title edited in the console changes the card in the group.
    await page.getByRole('link', { name: 'Edit' }).click();
    await heading(page, `Edit ${code}`);
    await page.getByLabel('Title', { exact: true }).fill('Thick winter blanket');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: `Saved the changes to ${code}` }).waitFor({ timeout: WAIT });
    await fake.waitForCall(
      (c: RecordedCall) => c.ok && c.method === 'editMessageText' && Number(c.params.chat_id) === group.id && Number(c.params.message_id) === cardMessage.message_id && String(c.params.text).includes('Thick winter blanket'),
      WAIT,
    );
    expect(fake.message(group.id, cardMessage.message_id)?.text).toContain('Thick winter blanket');

    // A donor claims it in the group and marks it delivered in their private chat.
    const donor = donorUser(31);
    fake.startUser(donor.id);
    const claimed = await h.press(donor, { ...cardMessage, chat: { id: group.id } }, `c:${code}`);
    expect(claimed.ok).toBe(true);
    const pledges = await h.say(donor, privateChatOf(donor), '/start pledges', (t) => t.includes(code));
    const delivered = buttonsOf(pledges).find((b) => b.callback_data?.startsWith('dl:'));
    expect(delivered).toBeDefined();
    await h.press(donor, pledges.result as { chat: { id: number }; message_id: number }, delivered!.callback_data!);
    // The press is answered once its event is committed; what it owes is relayed by the time settle() returns.
    await h.settle();
    expect((await runtime.services.wishes.get(code)).pledges[0]?.status).toBe('delivered');

    // From here on, a phone's width: one column, nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(`${base}/console/`);
    await heading(page, 'Wishes');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-board-360-en.png'), fullPage: true });

    // The worker confirms the delivery from the wish page.
    await page.goto(wishUrl);
    await heading(page, new RegExp(code));
    await page.getByRole('button', { name: 'Confirm delivery' }).click();
    await page.getByRole('status').filter({ hasText: `Confirmed the delivery on ${code}` }).waitFor({ timeout: WAIT });
    expect((await runtime.services.wishes.get(code)).status).toBe('fulfilled');
    expect(await page.locator('.timeline').innerText()).toMatch(/confirmed receipt from Donor31/);

    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-wish-360-en.png'), fullPage: true });

    // Switch to Chinese from the header: the page, its catalog texts and its html lang follow.
    await page.getByRole('link', { name: '中文' }).click();
    await page.getByRole('heading', { level: 2, name: '历史记录' }).waitFor({ timeout: WAIT });
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.locator('main').innerText()).toContain('已实现');
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-wish-360-zh.png'), fullPage: true });
    await page.getByRole('link', { name: '心愿看板' }).click();
    await heading(page, '心愿');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-board-360-zh.png'), fullPage: true });

    // The donors: Donor31 with one fulfilled pledge, their table fitting a phone without scrolling.
    await page.getByRole('link', { name: '爱心人士' }).click();
    await heading(page, '爱心人士');
    const donorRow = page.getByRole('row').filter({ hasText: 'Donor31' });
    expect(await donorRow.locator('td').nth(2).innerText()).toBe('1');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    expect(await page.locator('.table-wrap').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-donors-360-zh.png'), fullPage: true });
    await donorRow.getByRole('link', { name: 'Donor31' }).click();
    await heading(page, 'Donor31');
    expect(page.url()).toMatch(/\/console\/donors\/d-[A-Za-z0-9_-]+$/);
    expect(await page.getByRole('row').filter({ hasText: code }).innerText()).toContain('已确认');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-donor-360-zh.png'), fullPage: true });
    await page.close();
  });

  it('signs an admin in from the Telegram Mini App, reading initData from the URL fragment', async () => {
    // What Telegram does: opens the page with the signed initData in #tgWebAppData.
    const initData = sign({ user: { id: users.admin.id, first_name: users.admin.first_name } }, h.fake.token, new Date());
    const page = await browser.newPage({ viewport: { width: 360, height: 780 } });
    await page.goto(`${base}/console/miniapp#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=7.10&tgWebAppPlatform=android`);
    await heading(page, 'Wishes');
    expect(page.url()).toBe(`${base}/console/`);
    // A "Manage" button names the page to land on; only the console's own pages are followed.
    const wish = (await h.runtime.services.wishes.list({ limit: 1 }))[0]!;
    await page.goto(`${base}/console/miniapp?next=/console/wishes/${wish.id}#tgWebAppData=${encodeURIComponent(initData)}`);
    await heading(page, new RegExp(wish.code));
    await page.goto(`${base}/console/miniapp?next=https://evil.example/#tgWebAppData=${encodeURIComponent(initData)}`);
    await heading(page, 'Wishes');
    expect(await page.locator('header').innerText()).toContain('(admin)');
    // Another bot's signature signs no one in.
    const forged = sign({ user: { id: users.admin.id, first_name: 'Ada' } }, '999999:another-bot', new Date());
    const other = await browser.newPage();
    await other.goto(`${base}/console/miniapp#tgWebAppData=${encodeURIComponent(forged)}`);
    await other.getByText('Telegram could not sign you in').waitFor({ timeout: WAIT });
    await Promise.all([page.close(), other.close()]);
  });
});
