import assert from 'node:assert/strict';
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

export interface ElixirState {
  heading: string;
  username: string | null;
  loginHref: string | null;
}

/** What /elixir/ shows: "Logged In!" with a username, or "Not Logged In" with a log-in link. */
export async function elixirState(page: Page, site: string): Promise<ElixirState> {
  const response = await page.goto(`${site}/elixir/`);
  assert.equal(response?.status(), 200);
  return shownOnElixir(page);
}

/** elixirState of the /elixir/ page the browser is on (where a log-in or log-out sent it). */
export async function shownOnElixir(page: Page): Promise<ElixirState> {
  const username = page.locator('#username');
  const login = page.locator('#login');
  return {
    heading: (await page.locator('#status h1').textContent()) ?? '',
    username: (await username.count()) > 0 ? await username.textContent() : null,
    loginHref: (await login.count()) > 0 ? await login.getAttribute('href') : null,
  };
}

/** What Django's own home page says about the same browser: request.user, as Django sees it. */
export async function djangoSays(page: Page, site: string): Promise<string> {
  await page.goto(`${site}/`);
  return (await page.locator('#django-status').textContent()) ?? '';
}
