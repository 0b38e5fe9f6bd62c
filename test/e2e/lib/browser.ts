import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from './prerequisites.ts';

/** Screenshots of each state the suite checks (gitignored; CI keeps them as artifacts). */
export const SCREENSHOTS = fileURLToPath(new URL('../../../test-artifacts/e2e/', import.meta.url));

/** Debian's Chromium, headless; playwright-core downloads no browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** A fresh browser profile (its own cookies), with the suites' window size and timeout. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 900, height: 480 } });
  context.setDefaultTimeout(10_000);
  return context;
}

/** Django's real log-in form, reached from the Node page's log-in link; lands back on /elixir/. */
export async function logInFromElixir(page: Page, site: string, username: string, password: string, shot?: string): Promise<void> {
  await page.goto(`${site}/elixir/`);
  await page.click('#login');
  await page.waitForURL(`${site}/accounts/login/?next=%2Felixir%2F`);
  await page.fill('#id_username', username);
  await page.fill('#id_password', password);
  if (shot) await screenshot(page, shot);
  await Promise.all([page.waitForURL(`${site}/elixir/`), page.click('#login-submit')]);
}
