// `npm run demo` as a newcomer meets it: a real process on the embedded database prints one URL; in a
// real browser, someone picks a donor, opens the English group, presses Claim on a goods card and sees
// the card change. Then Ctrl-C stops everything cleanly.
import type { Browser } from 'playwright-core';
import { freePort } from '../../src/db/ferretdb';
import { launchBrowser } from '../support/browser';
import { killChildren, spawnTs, watchOutput } from '../support/processes';
import type { RecordedCall } from '../fake-telegram';

const WAIT_MS = 60_000;
const EN_GROUP = -1001000000001;

describe('npm run demo', () => {
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    killChildren();
  });

  it('reaches its URL, a chosen donor claims a goods wish in the group and sees the card change, and Ctrl-C stops it cleanly', async () => {
    const [port, pagePort] = [await freePort(), await freePort()];
    const child = spawnTs('scripts/demo.ts', [], { ...process.env, PORT: String(port), FAKE_TELEGRAM_PORT: String(pagePort), LOG_LEVEL: 'warn' });
    const out = watchOutput(child);
    const ready = await out.waitForLine((l) => l.startsWith('Demo ready: open '));
    const url = /(http:\/\/\S+)/.exec(ready)![1]!;
    expect(url).toBe(`http://127.0.0.1:${pagePort}/`);
    expect(out.output()).toMatch(new RegExp(`Console: http://127\\.0\\.0\\.1:${port}/console/ +\\(worker token: mw_[\\w-]+\\)`));
    // Every state of a wish was seeded.
    const wishes = /^Wishes: (.*)$/m.exec(out.output())![1]!;
    for (const status of ['draft', 'open', 'partially_pledged', 'fully_pledged', 'fulfilled', 'expired', 'cancelled']) expect(wishes).toMatch(new RegExp(`W-\\d+ ${status}\\b`));

    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(url);
    await page.selectOption('#who', { label: 'Emma Clark: Donor (individual)' });
    await page.locator('.chat-item', { hasText: 'Harbour Street Neighbours' }).click();

    const card = page.locator('.msg', { hasText: 'Reading glasses +2.5' });
    await card.waitFor({ timeout: WAIT_MS });
    const before = await card.innerText();
    expect(before).toContain('waiting for someone to claim it');
    const code = /W-\d+/.exec(before)![0];
    const claim = card.locator('button.kb', { hasText: 'Claim' });
    await claim.waitFor({ timeout: WAIT_MS });
    await claim.click();

    // The bot answers the press (a toast), and the card is edited in place: Emma's name, no Claim button.
    await page.locator('#toast:not([hidden])').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#toast').innerText()).toContain(`You claimed ${code}`);
    await page.locator('.msg', { hasText: 'Reading glasses +2.5' }).filter({ hasText: 'claimed by Emma Clark' }).waitFor({ timeout: WAIT_MS });
    await expect(page.locator('.msg', { hasText: 'Reading glasses +2.5' }).locator('button.kb', { hasText: 'Claim' }).count()).resolves.toBe(0);
    await expect(page.locator('.msg', { hasText: 'Reading glasses +2.5' }).locator('.meta').innerText()).resolves.toContain('edited');

    // The fake's filtered call log shows the same edit, made by the real sender.
    const edits = (await (await fetch(`http://127.0.0.1:${pagePort}/_fake/calls?method=editMessageText&chat_id=${EN_GROUP}`)).json()) as RecordedCall[];
    expect(edits.some((c) => String(c.params.text).includes('Reading glasses +2.5') && String(c.params.text).includes('Emma Clark'))).toBe(true);
    expect(edits.every((c) => c.method === 'editMessageText' && Number(c.params.chat_id) === EN_GROUP)).toBe(true);

    child.kill('SIGINT');
    await expect(out.exited).resolves.toBe(0);
    expect(out.output()).not.toMatch(/while stopping|could not start/);
  }, 300_000);
});
