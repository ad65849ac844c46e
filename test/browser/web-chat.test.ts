import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceSections } from '../../src/catalog/sections.js';
import type { WebServer } from '../../src/channels/web/server.js';
import { decreeFacts } from '../fixtures/decree-facts.js';
import { BotHarness, repositoryRoot } from '../support/harness.js';

/**
 * Drives the local web chat in Debian's Chromium against the real server and pipeline, the
 * way a citizen clicks through it. Playwright never downloads a browser here: the test uses
 * the system Chromium and skips on a developer machine without it, but fails in CI.
 */

const chromiumPath = '/usr/bin/chromium';
const chromiumFound = existsSync(chromiumPath);
if (!chromiumFound) {
  if (process.env.CI) {
    throw new Error(`Chromium not found at ${chromiumPath}; CI must install Debian's chromium package before npm test`);
  }
  console.warn(`Chromium not found at ${chromiumPath}; install Debian's chromium package to run the browser test`);
}

const screenshotPath = path.join(repositoryRoot, 'test-artifacts', 'web-chat.png');
const service = decreeFacts[3]!;
const hostileText = `<script>window.injected = true</script><img src="/x" onerror="window.injected = true"><b>tebal</b> & 'kutip'`;

/** Numbered lines (`N. text`) of a bubble's text, in order. */
function numberedLines(text: string): string[] {
  return text.split('\n').filter((line) => /^\d+\. /.test(line));
}

describe.skipIf(!chromiumFound)('web chat in Chromium', () => {
  let bot: BotHarness;
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];

  /** Runs `action` and returns the first bot bubble added after it. */
  async function answerTo(action: () => Promise<void>): Promise<Locator> {
    const before = await page.locator('.message.bot').count();
    await action();
    const first = page.locator('.message.bot').nth(before);
    await first.waitFor();
    return first;
  }

  /** Types `text` into the composer and sends it with the Kirim button. */
  function type(text: string): Promise<Locator> {
    return answerTo(async () => {
      await page.locator('#text').fill(text);
      await page.getByRole('button', { name: 'Kirim' }).click();
    });
  }

  /** Clicks the option `key` of the latest options row. */
  function choose(key: string): Promise<Locator> {
    return answerTo(() => page.locator('.options').last().locator(`button[data-key="${key}"]`).click());
  }

  /** Texts of the latest options row's buttons. */
  function latestOptions(): Promise<string[]> {
    return page.locator('.options').last().locator('button[data-key]').allTextContents();
  }

  beforeAll(async () => {
    bot = await BotHarness.create();
    server = await bot.serve();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
        // Even with the flags above, Chromium looks up and connects to Google hosts (form autofill
        // hints, account list, update check). Resolving no name keeps it on loopback.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      ],
    });
    // A phone-sized window: most citizens will open the chat on a phone.
    const context = await browser.newContext({ viewport: { width: 412, height: 915 }, locale: 'id-ID' });
    page = await context.newPage();
    page.on('request', (request) => {
      if (!request.url().startsWith(`${server.url}/`)) foreignRequests.push(request.url());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('greeting names the office', async () => {
    const greeting = await type('halo');
    expect(await greeting.textContent()).toContain(bot.catalog.office.name);
  });

  it('main menu as buttons', async () => {
    expect(await latestOptions()).toEqual([
      '1. Informasi layanan',
      '2. Ajukan pengaduan',
      '3. Cek status pengaduan',
      '4. Kontak dan jam layanan',
    ]);
  });

  it('service list as buttons', async () => {
    await choose('1');
    expect(await latestOptions()).toEqual(decreeFacts.map((facts) => `${facts.number}. ${facts.name}`));
  });

  it('detail menu as buttons', async () => {
    await choose(String(service.number));
    expect(await latestOptions()).toEqual(serviceSections.map((section, index) => `${index + 1}. ${section.label}`));
  });

  it('requirements one per line', async () => {
    const requirements = await choose('1');
    const lines = numberedLines((await requirements.textContent()) ?? '');
    expect(lines).toHaveLength(service.requirementCount);
    expect(lines[0]).toBe(`1. ${service.firstRequirement}`);
  });

  it('bold as strong', async () => {
    const requirements = page.locator('.message.bot').last();
    expect(await requirements.locator('strong').first().textContent()).toBe('Persyaratan');
    expect(await requirements.textContent()).not.toContain('*Persyaratan*');
  });

  it('HTML shown as text', async () => {
    await type(hostileText);
    const sent = page.locator('.message.me').last();
    expect(await sent.textContent()).toBe(hostileText);
    expect(await sent.locator('*').count()).toBe(0);
    expect(await page.evaluate(() => 'injected' in globalThis)).toBe(false);
  });

  it('latest options clear the composer', async () => {
    const options = await page.locator('.options').last().boundingBox();
    const composer = await page.locator('#composer').boundingBox();
    expect(options!.y + options!.height).toBeLessThanOrEqual(composer!.y);
  });

  it('no request leaves the server', () => {
    expect(foreignRequests).toEqual([]);
  });

  it('no script error', () => {
    expect(pageErrors).toEqual([]);
  });

  it('opens as the user in the address', async () => {
    const officer = await page.context().newPage();
    officer.on('pageerror', (error) => pageErrors.push(error.message));
    await officer.goto(`${server.url}/?user=petugas-demo`);
    await officer.locator('#text').fill('bantuan');
    await officer.getByRole('button', { name: 'Kirim' }).click();
    const help = officer.locator('.message.bot').filter({ hasText: 'Perintah petugas untuk' });
    await help.first().waitFor();
    expect(await help.count()).toBe(1);
    await officer.close();
  });

  it('full-page screenshot', async () => {
    await mkdir(path.dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    expect((await stat(screenshotPath)).size).toBeGreaterThan(0);
  });
});
