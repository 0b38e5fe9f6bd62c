import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { createDjangoAuth, type DjangoAuth } from 'django-session-bridge';
import { makePassword, passwordHashers } from 'django-session-bridge/django';
import type { CacheServer } from './helpers/cache-server.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { insertUser } from './helpers/django.ts';
import { createPostgresWriteRole, type WriteRole } from './helpers/write-role.ts';
import { executable, packagedSuite } from './helpers/packaged-suite.ts';
import { MEMCACHED_MISSING, startMemcached } from './helpers/memcached-server.ts';
import { REDIS_MISSING, startRedis } from './helpers/redis-server.ts';

const PYTHON = process.env.E2E_DJANGO_PYTHON ?? '/usr/bin/python3';
const PROBE = new URL('./helpers/django_auth_probe.py', import.meta.url).pathname;
const SECRET = 'django-writes-cache-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const run = promisify(execFile);
function readable(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}

const missing = [...REDIS_MISSING, ...MEMCACHED_MISSING, ...(readable('/usr/lib/python3/dist-packages/pymemcache/__init__.py') ? [] : ['python3-pymemcache']), ...(executable(PYTHON) ? [] : ['python3-django']), ...(readable('/usr/lib/python3/dist-packages/django_redis/__init__.py') ? [] : ['python3-django-redis'])];

packagedSuite('log-ins written by Node to Redis and memcached (cache and cached_db engines) are Django\'s, and the reverse (real Django: django-redis or RedisCache, PyMemcacheCache)', missing, () => {
  let database: TestDatabase;
  let admin: pg.Pool;
  let redis: CacheServer;
  let memcached: CacheServer;
  let writeUrl: string;
  const auths: DjangoAuth[] = [];
  let role: WriteRole;
  let version: string;

  /** redis with django-redis's JSONSerializer and ZlibCompressor: the values are zlib-compressed json.dumps. */
  type Kind = 'redis' | 'redis+json+zlib' | 'memcached';
  const JSON_ZLIB = { DJANGO_CACHE_SERIALIZER: 'json', DJANGO_CACHE_COMPRESSOR: 'zlib' };

  /** How Django names the cache: django-redis (or DJANGO_CACHE_BACKEND's RedisCache) by URL, PyMemcacheCache by host:port. */
  function djangoCache(kind: Kind): Record<string, string> {
    if (kind === 'memcached') return { DJANGO_CACHE_URL: `127.0.0.1:${memcached.port}`, DJANGO_CACHE_BACKEND: 'django.core.cache.backends.memcached.PyMemcacheCache' };
    return { DJANGO_CACHE_URL: redis.url, ...(kind === 'redis' ? {} : JSON_ZLIB) };
  }

  async function django<T>(kind: Kind, engine: string, ...args: string[]): Promise<T> {
    const env = { ...process.env, DATABASE_URL: database.url, DJANGO_SECRET_KEY: SECRET, DJANGO_SESSION_ENGINE: `django.contrib.sessions.backends.${engine}`, ...djangoCache(kind) };
    return JSON.parse((await run(PYTHON, [PROBE, ...args], { env })).stdout) as T;
  }

  function nodeAuth(kind: Kind, engine: string): DjangoAuth {
    const cacheUrl = kind === 'memcached' ? `memcached://127.0.0.1:${memcached.port}` : redis.url;
    const format = kind === 'redis+json+zlib' ? { cacheSerializer: 'json', cacheCompressor: 'zlib' } as const : {};
    const auth = createDjangoAuth({ databaseUrl: database.url, databaseWriteUrl: writeUrl, secretKey: SECRET, djangoVersion: version, sessionEngine: engine, cacheUrl, ...format });
    auths.push(auth);
    return auth;
  }

  before(async () => {
    database = await createTestDatabase();
    redis = await startRedis();
    memcached = await startMemcached();
    admin = new pg.Pool({ connectionString: database.url, max: 2 });
    role = await createPostgresWriteRole(database);
    version = (await run(PYTHON, ['-c', 'import django; print("%d.%d" % django.VERSION[:2])'])).stdout.trim();
    await insertUser(admin, { username: 'alice', password: await makePassword('alice-pw', passwordHashers({ djangoVersion: version })) });
    writeUrl = role.url;
  });
  after(async () => {
    await Promise.all(auths.map((auth) => auth.close()));
    await admin.end();
    await redis.stop();
    await memcached.stop();
    await database.drop();
    await role?.drop();
  });

  for (const [kind, engine] of [['redis', 'cache'], ['redis', 'cached_db'], ['redis+json+zlib', 'cache'], ['memcached', 'cache'], ['memcached', 'cached_db']] as const) {
    it(`${kind}, ${engine}: a Node log-in is Django's; a Django log-in is Node's; a Node log-out ends both for Django`, async () => {
      const auth = nodeAuth(kind, engine);
      const alice = await auth.checkCredentials('alice', 'alice-pw');
      const anonymous = await django<{ session_key: string | null }>(kind, engine, 'login', 'alice', 'wrong');
      assert.equal(anonymous.session_key, null);
      const { sessionKey } = await auth.login(undefined, alice!);
      assert.deepEqual(await django(kind, engine, 'user', sessionKey), { authenticated: true, username: 'alice' });
      if (engine === 'cached_db') assert.deepEqual(await django(kind, engine, 'exists', sessionKey), { exists: true });

      const { session_key: theirs } = await django<{ session_key: string }>(kind, engine, 'login', 'alice', 'alice-pw');
      assert.equal((await auth.authenticate(`sessionid=${theirs}`)).user?.username, 'alice');
      // Logging in on Node over Django's session keeps the visitor logged in, under a cycled or kept key.
      const again = await auth.login(`sessionid=${theirs}`, alice!);
      assert.deepEqual(await django(kind, engine, 'user', again.sessionKey), { authenticated: true, username: 'alice' });

      for (const key of [sessionKey, again.sessionKey]) {
        await auth.logout(`sessionid=${key}`);
        assert.deepEqual(await django(kind, engine, 'user', key), { authenticated: false, username: null });
        assert.equal((await auth.authenticate(`sessionid=${key}`)).loggedIn, false);
      }
    });
  }
});
