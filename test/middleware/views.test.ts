import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import Koa from 'koa';
import request from 'supertest';
import { views } from '../../src/middleware/views.ts';

const VIEWS = fileURLToPath(new URL('../../views', import.meta.url));

function appRendering(dir: string, cache: boolean, view: string, locals: Record<string, unknown>, state: Record<string, unknown> = {}): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(views(dir, { cache }));
  app.use(async (ctx) => {
    Object.assign(ctx.state, state);
    await ctx.render(view, locals);
  });
  return app;
}

describe('views: koa-views with EJS views compiled once', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'bridge-views-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  const pages: [string, Record<string, unknown>][] = [
    ['logged in', { loggedIn: true, user: { username: 'alice', firstName: 'Alice', lastName: 'Liddell' }, title: 'Logged In!', loginHref: '/l?next=%2F', logoutAction: '/o', here: '/', csrfToken: 'a'.repeat(64) }],
    ['not logged in', { loggedIn: false, user: null, title: 'Not Logged In', loginHref: '/l?next=%2F', logoutAction: '/o', here: '/', csrfToken: 'a'.repeat(64) }],
  ];
  for (const [name, locals] of pages) {
    it(`renders the ${name} page exactly as EJS's own renderFile does`, async () => {
      const expected = await ejs.renderFile(join(VIEWS, 'layout.ejs'), { ...locals, view: 'index' });
      for (const cache of [true, false]) {
        const res = await request(appRendering(VIEWS, cache, 'layout', { view: 'index' }, locals).callback()).get('/').expect(200);
        assert.equal(res.text, expected);
        assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
      }
    });
  }

  it('renders ctx.state and locals, locals winning, with HTML escaped', async () => {
    const dir = join(scratch, 'escape');
    cpSync(VIEWS, dir, { recursive: true });
    writeFileSync(join(dir, 'probe.ejs'), '<p><%= a %> <%= b %></p><%- include("part", { c: "<i>" }) %>');
    writeFileSync(join(dir, 'part.ejs'), '<%= a %><%= c %>');
    const app = appRendering(dir, true, 'probe', { b: '<script>' }, { a: 'state&', b: 'overridden' });
    const res = await request(app.callback()).get('/').expect(200);
    assert.equal(res.text, '<p>state&amp; &lt;script&gt;</p>state&amp;&lt;i&gt;');
  });

  it('in production, compiles each template once: later edits go unseen', async () => {
    const dir = join(scratch, 'cached');
    cpSync(VIEWS, dir, { recursive: true });
    const app = appRendering(dir, true, 'layout', { view: 'index' }, pages[1]?.[1]);
    const first = await request(app.callback()).get('/').expect(200);
    writeFileSync(join(dir, 'index.ejs'), 'edited');
    writeFileSync(join(dir, 'layout.ejs'), 'edited');
    const second = await request(app.callback()).get('/').expect(200);
    assert.equal(second.text, first.text);
  });

  it('in development, picks up an edited template on the next render', async () => {
    const dir = join(scratch, 'live');
    cpSync(VIEWS, dir, { recursive: true });
    const app = appRendering(dir, false, 'index', {}, { loggedIn: false, loginHref: '/l' });
    assert.match((await request(app.callback()).get('/')).text, /Not Logged In/);
    writeFileSync(join(dir, 'index.ejs'), 'edited');
    assert.equal((await request(app.callback()).get('/')).text, 'edited');
  });

  it('refuses view names that are not plain names, and lets template errors through', async () => {
    for (const view of ['../package', 'a/b']) {
      await request(appRendering(VIEWS, true, view, {}).callback()).get('/').expect(500);
    }
    const dir = join(scratch, 'broken');
    cpSync(VIEWS, dir, { recursive: true });
    writeFileSync(join(dir, 'broken.ejs'), '<%= missing.property %>');
    await request(appRendering(dir, true, 'broken', {}).callback()).get('/').expect(500);
  });
});
