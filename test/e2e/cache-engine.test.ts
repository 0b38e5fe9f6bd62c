import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CacheServer } from '../helpers/cache-server.ts';
import { packagedSuite } from '../helpers/packaged-suite.ts';
import { REDIS_MISSING, startRedis } from '../helpers/redis-server.ts';
import { startStack, USERS, type Stack } from './harness.ts';
import { launchChromium, logInFromElixir, newContext, screenshot } from './lib/browser.ts';
import { missingPackages, PYTHON } from './lib/prerequisites.ts';

const [, , CAROL] = USERS.active;
const DJANGO_REDIS_MISSING = spawnSync(PYTHON, ['-c', 'import django_redis'], { encoding: 'utf8' }).status === 0 ? [] : ['python3-django-redis'];
const MISSING = [...missingPackages(['django', 'nginx', 'chromium']), ...REDIS_MISSING, ...DJANGO_REDIS_MISSING];

// The reference site on SESSION_ENGINE = cache with django-redis: the session exists only in Redis.
packagedSuite('the service next to real Django on the cache engine (django-redis over a real Redis), driven by Chromium', MISSING, () => {
  let redis: CacheServer;
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    redis = await startRedis();
    stack = await startStack('cache-engine', { DJANGO_SESSION_ENGINE: 'django.contrib.sessions.backends.cache', DJANGO_CACHE_URL: redis.url });
    browser = await launchChromium();
    context = await newContext(browser);
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await stack?.stop();
    await redis?.stop();
  });

  it('logs in on Django, /elixir/ says "Logged In!", and logging out on Django logs out here', async () => {
    const site = stack.sites.prefixed;
    const page: Page = await context.newPage();
    await logInFromElixir(page, site, CAROL as string, stack.password);
    assert.equal(await page.locator('#status h1').textContent(), 'Logged In!');
    assert.equal(await page.locator('#username').textContent(), CAROL);
    await screenshot(page, '11-cache-engine-logged-in');
    const rows = await stack.db.query('SELECT count(*)::int AS n FROM django_session');
    assert.equal(rows.rows[0]?.n, 0, 'the cache engine writes no django_session row: the session came from Redis');

    await Promise.all([page.waitForURL(`${site}/elixir/`), page.click('#logout')]);
    assert.equal(await page.locator('#status h1').textContent(), 'Not Logged In');
    await screenshot(page, '12-cache-engine-logged-out');
  });
});
