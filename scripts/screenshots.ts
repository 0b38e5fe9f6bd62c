// `npm run screenshots`: the demo page logged out and logged in, as README.md shows them, taken in the headless
// Debian Chromium the browser suites use. The demo runs on a throwaway data directory, so `.data/` and any
// running `npm run dev` are left alone, and every run starts from the same demo users.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startDemo } from '../src/dev/demo.ts';
import { freePort } from '../src/dev/free-port.ts';
import { launchChromium, newContext } from '../test/e2e/lib/browser.ts';

const IMAGES = resolve(dirname(fileURLToPath(import.meta.url)), '../docs/images');

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(IMAGES, `${name}.png`), fullPage: true });
  console.log(`docs/images/${name}.png`);
}

const dataDir = mkdtempSync(join(tmpdir(), 'bridge-screenshots-'));
const demo = await startDemo({ ...process.env, DATABASE_URL: undefined, DEMO_DATA_DIR: dataDir, PORT: String(await freePort()), LOG_LEVEL: 'silent', NODE_ENV: 'development' });
const browser = await launchChromium();
try {
  mkdirSync(IMAGES, { recursive: true });
  const page = await (await newContext(browser)).newPage();
  await page.goto(demo.pageUrl);
  await page.waitForSelector('#status[data-logged-in="false"]');
  await shoot(page, 'demo-logged-out');
  await page.click('#login');
  await Promise.all([page.waitForURL(demo.pageUrl), page.click('#login-alice')]);
  await page.waitForSelector('#status[data-logged-in="true"]');
  await shoot(page, 'demo-logged-in');
} finally {
  await browser.close();
  await demo.close();
  rmSync(dataDir, { recursive: true, force: true });
}
