import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDjangoAuth, type DjangoAuth } from '../../src/index.ts';
import type { CsrfOptions } from '../../src/web/csrf.ts';
import { loadCsrfVectors, replayRandom } from '../../../../test/helpers/csrf-vectors.ts';
import { encodeSession, insertSession, insertUser, loginSession, userPassword } from '../../../../test/helpers/django.ts';
import { insertPermissionRows, loadPermissionVectors, PERMISSION_VECTOR_FILES, vectorUser } from '../../../../test/helpers/permission-vectors.ts';
import { loadVectors, replaceUsers, VECTOR_FILES } from '../../../../test/helpers/vectors.ts';
import { send, type Answer } from './client.ts';
import { databaseSwitch } from './database-switch.ts';
import { csrfAuthOptions, csrfRequest, hostIsMalformed, unescapeHtml } from './csrf-requests.ts';
import { PERMISSION } from './routes.ts';
import { SECRET, World } from './world.ts';

/** A real app of one framework, listening on a loopback port, serving routes.ts's routes around `auth`. */
export interface RunningApp {
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

/** Builds and starts the app; `csrf` goes to its csrfProtection(). */
export type StartApp = (auth: DjangoAuth, csrf: CsrfOptions) => Promise<RunningApp>;

/** What an adapter's framework does before any middleware runs, where that differs from Django. */
export interface FrameworkTraits {
  /**
   * Its server answers 400 to a Host header that is no host name, before any middleware (@hono/node-server
   * cannot build the request's URL from it). Django refuses such a Host too (DisallowedHost), though its CSRF
   * check runs first; the contract expects the 400 for those requests.
   */
  refusesMalformedHost?: boolean;
  /**
   * The app's own parser reads every body before the CSRF hook runs (Fastify's content-type parsers, before
   * any preHandler), so csrfProtection's formLimit does not apply: the parser's bodyLimit does.
   */
  parsesBodyFirst?: boolean;
}

const PASSWORD = 'pbkdf2_sha256$260000$contract$vectors=';
const NOW = 1_700_000_000_000;
// What the loops must at least run, so that an empty fixture or a filter gone wrong fails rather than passes.
const MIN_SESSION_CASES = 90;
const MIN_CSRF_VERDICTS = 55;
const MIN_CSRF_MINTS = 9;
const MIN_PERMISSION_CASES = 40;
const MIN_PERMISSION_ANSWERS = 1000;

function json(answer: Answer): { loggedIn: boolean; user: { id: number; username: string } | null } {
  assert.equal(answer.status, 200, answer.text);
  return JSON.parse(answer.text);
}

/**
 * The adapter contract: every adapter, in a real app of its framework, against PostgreSQL with Django's
 * schema, gives Django's verdicts, guards, CSRF and permissions, and a 503 while the database is down.
 */
export function adapterContract(framework: string, start: StartApp, traits: FrameworkTraits = {}): void {
  describe(`the ${framework} adapter: Django's session verdicts`, () => {
    const world = new World(start);
    before(() => world.open());
    after(() => world.close());

    for (const file of VECTOR_FILES) {
      const vectors = loadVectors(file);
      it(`gives Django ${vectors.django_version}'s verdict on each golden session (${vectors.session_cases.length})`, async () => {
        assert.ok(vectors.session_cases.length >= MIN_SESSION_CASES, `only ${vectors.session_cases.length} session cases`);
        let checked = 0;
        for (const c of vectors.session_cases) {
          await replaceUsers(world.django, c.users);
          const key = await insertSession(world.django, c.session_data);
          const app = await world.app({
            djangoVersion: vectors.django_version,
            secretKey: c.settings.secret_key,
            secretKeyFallbacks: c.settings.secret_key_fallbacks,
            authenticationBackends: c.settings.authentication_backends,
          });
          const body = json(await send(app.url, '/me', { headers: { cookie: `sessionid=${key}` } }));
          assert.equal(body.loggedIn, c.expected.authenticated, c.name);
          assert.equal(body.user?.id ?? null, c.expected.authenticated ? c.expected.user_id : null, c.name);
          checked += 1;
        }
        assert.equal(checked, vectors.session_cases.length);
      });
    }

    it('is anonymous without a cookie, and without the session cookie among others', async () => {
      const app = await world.app();
      assert.deepEqual(json(await send(app.url, '/me')), { loggedIn: false, user: null });
      assert.deepEqual(json(await send(app.url, '/me', { headers: { cookie: 'csrftoken=abc; other=1' } })), { loggedIn: false, user: null });
    });
  });

  describe(`the ${framework} adapter: guards, CSRF and outages`, () => {
    const world = new World(start);
    let staff: string;
    let plain: string;
    before(async () => {
      await world.open();
      const { django } = world;
      const one = async (sql: string, params: unknown[]) => ((await django.query(sql, params)).rows[0] as { id: number }).id;
      const alice = await insertUser(django, { username: 'alice', isStaff: true });
      const bob = await insertUser(django, { username: 'bob' });
      const [app, codename] = PERMISSION.split('.') as [string, string];
      const type = await one('INSERT INTO django_content_type (app_label, model) VALUES ($1, $2) RETURNING id', [app, 'choice']);
      const perm = await one('INSERT INTO auth_permission (name, content_type_id, codename) VALUES ($1, $2, $3) RETURNING id', ['Can add choice', type, codename]);
      await django.query('INSERT INTO auth_user_user_permissions (user_id, permission_id) VALUES ($1, $2)', [alice, perm]);
      const key = async (id: number) => insertSession(django, encodeSession(loginSession(id, await userPassword(django, id), SECRET), SECRET));
      staff = `sessionid=${await key(alice)}`;
      plain = `sessionid=${await key(bob)}`;
    });
    after(() => world.close());

    it('login_required, staff_member_required and permission_required: Django\'s redirect with next, or its 403', async () => {
      const { url } = await world.app();
      const get = (path: string, cookie?: string) => send(url, path, { headers: cookie ? { cookie } : {} });
      const redirect = async (path: string, location: string, cookie?: string) => {
        const answer = await get(path, cookie);
        assert.equal(answer.status, 302, `${path}: ${answer.text}`);
        assert.equal(answer.headers.location, location, path);
      };
      const status = async (path: string, wanted: number, cookie?: string) => assert.equal((await get(path, cookie)).status, wanted, `${path} ${cookie ?? 'anonymous'}`);

      await redirect('/login-required?x=1&y=a%20b/c', '/accounts/login/?next=/login-required%3Fx%3D1%26y%3Da%2520b/c');
      await status('/login-required', 200, plain);
      await redirect('/staff', '/admin/login/?next=/staff', plain);
      await redirect('/staff', '/admin/login/?next=/staff');
      await status('/staff', 200, staff);
      await redirect('/perm', '/accounts/login/?next=/perm', plain);
      await status('/perm', 200, staff);
      await status('/perm-raise', 403, plain);
      await status('/perm-raise', 403);
      await status('/perm-raise', 200, staff);
      await status('/api/staff', 401);
      await status('/api/staff', 403, plain);
      await status('/api/staff', 200, staff);
      const elsewhere = await world.app({ loginUrl: '/login/?lang=fr', adminLoginUrl: '/staff-login/' });
      assert.equal((await send(elsewhere.url, '/login-required')).headers.location, '/login/?lang=fr&next=/login-required');
      assert.equal((await send(elsewhere.url, '/staff')).headers.location, '/staff-login/?next=/staff');
    });

    for (const file of VECTOR_FILES) {
      const vectors = loadCsrfVectors(file);
      // This app is reached over plain HTTP: the TLS cases are the pure rules' (HTTPS through a proxy is here).
      const verdicts = vectors.verdicts.filter((v) => !v.connection_secure);

      it(`accepts and refuses as Django ${vectors.django_version}'s CsrfViewMiddleware (${verdicts.length} requests)`, async () => {
        assert.ok(verdicts.length >= MIN_CSRF_VERDICTS, `only ${verdicts.length} CSRF verdicts`);
        assert.ok(verdicts.some((v) => v.expected.ok) && verdicts.some((v) => !v.expected.ok));
        for (const c of verdicts) {
          const answer = await csrfRequest(world, vectors, c);
          if (traits.refusesMalformedHost && hostIsMalformed(c)) {
            assert.equal(answer.status, 400, `${c.name}: the server refuses the Host header`);
            continue;
          }
          if (c.expected.ok) {
            assert.equal(answer.status, 200, `${c.name}: ${answer.text}`);
            continue;
          }
          assert.equal(answer.status, 403, `${c.name}: ${answer.text}`);
          if (c.expected.reason) assert.ok(unescapeHtml(answer.text).includes(c.expected.reason), `${c.name}: ${answer.text}`);
        }
      });

      it(`mints tokens and writes the cookie as Django ${vectors.django_version}'s get_token() (${vectors.mints.length} cases)`, async () => {
        assert.ok(vectors.mints.length >= MIN_CSRF_MINTS, `only ${vectors.mints.length} mint cases`);
        for (const m of vectors.mints) {
          const app = await world.app(csrfAuthOptions(vectors, m.settings), { random: replayRandom(m.random), now: () => NOW }, true);
          const headers: Record<string, string> = { host: 'testserver' };
          if (m.cookie !== null) headers.cookie = `${m.settings.cookie_name ?? 'csrftoken'}=${m.cookie}`;
          const answer = await send(app.url, `/csrf?calls=${m.calls}`, { headers });
          assert.equal(answer.status, 200, `${m.name}: ${answer.text}`);
          if (m.calls > 0) assert.equal(answer.text, m.tokens.join(','), m.name);
          assert.equal(answer.setCookies.length, m.set_cookie ? 1 : 0, `${m.name}: ${answer.setCookies.join(' | ')}`);
          if (!m.set_cookie) continue;
          const [pair, ...attributes] = answer.setCookies[0]!.split(';').map((part) => part.trim());
          const attribute = (name: string) => attributes.find((a) => a.toLowerCase().split('=')[0] === name.toLowerCase());
          const want = m.set_cookie;
          assert.equal(pair, `${m.settings.cookie_name ?? 'csrftoken'}=${want.value}`, m.name);
          assert.equal(attribute('Max-Age')?.split('=')[1] ?? null, want.max_age === null ? null : String(want.max_age), m.name);
          assert.equal(attribute('Expires') !== undefined, want.has_expires, m.name);
          if (want.has_expires) assert.equal(Date.parse(attribute('Expires')!.split('=')[1]!), Math.floor(NOW / 1000 + want.max_age!) * 1000, m.name);
          assert.equal(attribute('Domain')?.split('=')[1] ?? null, want.domain, m.name);
          assert.equal(attribute('Path')?.split('=')[1], want.path, m.name);
          assert.equal(attribute('Secure') !== undefined, want.secure, m.name);
          assert.equal(attribute('HttpOnly') !== undefined, want.httponly, m.name);
          assert.equal(attribute('SameSite')?.split('=')[1]?.toLowerCase() ?? null, want.samesite?.toLowerCase() ?? null, m.name);
          assert.match(String(answer.headers.vary), /Cookie/, m.name);
        }
      });
    }

    it('a token minted on a page is accepted on the next POST; the refusal shows its reason only under DEBUG', async () => {
      const app = await world.app({ debug: false });
      const page = await send(app.url, '/csrf?calls=1');
      const cookie = page.setCookies[0]!.split(';')[0]!;
      const form = (token: string) => ({ method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `a=1&csrfmiddlewaretoken=${token}` });
      assert.equal((await send(app.url, '/csrf', form(page.text))).status, 200);
      const refused = await send(app.url, '/csrf', form('x'.repeat(64)));
      assert.equal(refused.status, 403);
      assert.ok(!unescapeHtml(refused.text).includes('incorrect'), refused.text);
    });

    it('reads no body before a check that needs none refuses, and no form past formLimit (RequestDataTooBig, a 400)', async () => {
      const app = await world.app({ debug: true }, { formLimit: 1000 }, true);
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const body = `a=${'x'.repeat(5000)}`;
      const noCookie = await send(app.url, '/csrf', { method: 'POST', headers: form, body });
      assert.equal(noCookie.status, 403, noCookie.text);
      assert.ok(noCookie.text.includes('CSRF cookie not set.'), noCookie.text);
      const withCookie = await send(app.url, '/csrf', { method: 'POST', headers: { ...form, cookie: `csrftoken=${'a'.repeat(32)}` }, body });
      assert.equal(withCookie.status, traits.parsesBodyFirst ? 403 : 400, withCookie.text);
    });

    it('answers 503 while the database is down, never a verdict, and verdicts again once it is back', async () => {
      const relay = await databaseSwitch(world.database.url);
      const auth = createDjangoAuth({ databaseUrl: relay.url, secretKey: SECRET, timeoutMs: 2000 });
      const app = await start(auth, {});
      try {
        assert.equal(json(await send(app.url, '/me', { headers: { cookie: staff } })).user?.username, 'alice');
        await relay.off();
        for (const cookie of [staff, plain]) {
          const answer = await send(app.url, '/me', { headers: { cookie } });
          assert.equal(answer.status, 503, answer.text);
        }
        assert.equal(json(await send(app.url, '/me')).loggedIn, false, 'no cookie needs no database');
        await relay.on();
        assert.equal(json(await send(app.url, '/me', { headers: { cookie: staff } })).user?.username, 'alice');
        assert.equal(json(await send(app.url, '/me', { headers: { cookie: plain } })).user?.username, 'bob');
      } finally {
        await app.close();
        await auth.close();
        await relay.close();
      }
    });
  });

  for (const file of PERMISSION_VECTOR_FILES) {
    const vectors = loadPermissionVectors(file);
    // Django's BaseBackend.get_user() returns None: no session naming it is a log-in (the pure rules cover it).
    const cases = vectors.cases.filter((c) => !c.session_backend.endsWith('.BaseBackend'));

    describe(`the ${framework} adapter: Django ${vectors.django_version}'s permissions`, () => {
      const world = new World(start);
      before(async () => {
        await world.open();
        await insertPermissionRows(world.django, vectors, PASSWORD);
      });
      after(() => world.close());

      it(`user.hasPerm() answers as Django for each of ${cases.length} users and backends`, async () => {
        assert.ok(cases.length >= MIN_PERMISSION_CASES, `only ${cases.length} permission cases`);
        let answers = 0;
        for (const c of cases) {
          const where = `${c.username} with ${c.authentication_backends.join(', ')}`;
          const app = await world.app({ djangoVersion: vectors.django_version, authenticationBackends: c.authentication_backends });
          const session = loginSession(vectorUser(vectors, c.username).id, PASSWORD, SECRET, c.session_backend);
          const cookie = `sessionid=${await insertSession(world.django, encodeSession(session, SECRET))}`;
          const perms = Object.keys(c.answers.has_perm);
          const answer = await send(app.url, `/has-perm?perms=${encodeURIComponent(JSON.stringify(perms))}`, { headers: { cookie } });
          assert.equal(answer.status, 200, answer.text);
          const body = JSON.parse(answer.text) as { loggedIn: boolean; answers: Record<string, boolean> };
          assert.equal(body.loggedIn, c.logged_in, where);
          if (!c.logged_in) continue;
          assert.deepEqual(body.answers, c.answers.has_perm, where);
          answers += perms.length;
        }
        assert.ok(answers >= MIN_PERMISSION_ANSWERS, `only ${answers} hasPerm answers checked`);
      });
    });
  }
}
