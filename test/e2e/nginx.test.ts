import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { renderSite, SHIPPED_CONFIGS, startNginx, type Variant } from './lib/nginx.ts';
import { e2eSuite } from './lib/prerequisites.ts';
import { Supervisor } from './lib/processes.ts';

const LOGS = fileURLToPath(new URL('../../test-artifacts/e2e/logs/nginx-config', import.meta.url));
const SET_COOKIES = ['sessionid=abc123; expires=Thu, 01 Jan 2037 00:00:00 GMT; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax', 'csrftoken=t0k"en; Path=/'];

interface Seen {
  upstream: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** Stands in for Django or the service: answers with what nginx sent it, and sets two cookies. */
async function echoUpstream(name: string): Promise<Server> {
  const server = createServer((req, res) => {
    const seen: Seen = { upstream: name, url: req.url ?? '', headers: req.headers };
    res.setHeader('Set-Cookie', SET_COOKIES);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(seen));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function address(server: Server): string {
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  seen: Seen | undefined;
}

/** A raw request: the path goes out exactly as written (fetch would normalise it). */
function get(site: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { hostname, port } = new URL(site);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const json = res.headers['content-type'] === 'application/json';
        resolve({ status: res.statusCode ?? 0, headers: res.headers, seen: json ? (JSON.parse(body) as Seen) : undefined });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the nginx config the tests run', () => {
  for (const variant of ['prefixed', 'stripped'] as const) {
    it(`is the shipped ${variant} file with only the listen and upstream addresses changed`, () => {
      const shipped = readFileSync(SHIPPED_CONFIGS[variant], 'utf8').split('\n');
      const rendered = renderSite(shipped.join('\n'), { listen: '127.0.0.1:1', django: '127.0.0.1:2', elixir: '127.0.0.1:3' }).split('\n');
      assert.equal(rendered.length, shipped.length);
      const changed = rendered.filter((line, i) => line !== shipped[i]).map((line) => line.trim());
      assert.deepEqual(changed, ['server 127.0.0.1:2;', 'server 127.0.0.1:3;', 'listen 127.0.0.1:1;']);
    });
  }
});

e2eSuite('deploy/nginx in front of two upstreams', ['nginx'], () => {
  let supervisor: Supervisor;
  let django: Server;
  let elixir: Server;
  const sites = {} as Record<Variant, string>;

  before(async () => {
    supervisor = new Supervisor(LOGS);
    django = await echoUpstream('django');
    elixir = await echoUpstream('elixir');
    const upstreams = { django: address(django), elixir: address(elixir) };
    for (const variant of ['prefixed', 'stripped'] as const) {
      sites[variant] = await startNginx(supervisor, `nginx-${variant}`, variant, upstreams);
    }
  });

  after(async () => {
    await supervisor?.stopAll();
    django?.close();
    elixir?.close();
  });

  const routes: Record<Variant, [path: string, upstream: string, upstreamPath: string][]> = {
    prefixed: [
      ['/elixir', 'elixir', '/elixir'],
      ['/elixir/', 'elixir', '/elixir/'],
      ['/elixir/api/me?x=1', 'elixir', '/elixir/api/me?x=1'],
      ['/elixir/healthz', 'elixir', '/elixir/healthz'],
      ['/', 'django', '/'],
      ['/elixirfoo', 'django', '/elixirfoo'],
      ['/accounts/login/?next=%2Felixir%2F', 'django', '/accounts/login/?next=%2Felixir%2F'],
    ],
    stripped: [
      ['/elixir', 'elixir', '/'],
      ['/elixir/', 'elixir', '/'],
      ['/elixir/api/me?x=1', 'elixir', '/api/me?x=1'],
      ['/elixir/healthz', 'elixir', '/healthz'],
      ['/', 'django', '/'],
      ['/elixirfoo', 'django', '/elixirfoo'],
      ['/accounts/login/?next=%2Felixir%2F', 'django', '/accounts/login/?next=%2Felixir%2F'],
    ],
  };

  for (const variant of ['prefixed', 'stripped'] as const) {
    describe(variant === 'prefixed' ? 'elixir.conf (prefix kept)' : 'elixir-strip-prefix.conf (BASE_PATH=/)', () => {
      it('sends /elixir and /elixir/... to the service and everything else to Django', async () => {
        for (const [path, upstream, upstreamPath] of routes[variant]) {
          const { status, seen } = await get(sites[variant], path);
          assert.equal(status, 200, path);
          assert.deepEqual([seen?.upstream, seen?.url], [upstream, upstreamPath], path);
        }
      });

      it('keeps /elixir/metrics internal, however it is spelled', async () => {
        for (const path of ['/elixir/metrics', '/elixir/metrics/', '/elixir/METRICS', '/elixir//metrics', '/elixir/./metrics', '/elixir/%6Detrics', '/elixir/metrics?x=1']) {
          const { status, seen } = await get(sites[variant], path);
          assert.equal(status, 404, path);
          assert.equal(seen, undefined, `${path} reached ${seen?.upstream}`);
        }
      });

      it('sets Host and X-Forwarded-*, replacing whatever the visitor sent', async () => {
        const forged = {
          'X-Forwarded-For': '203.0.113.7',
          'X-Forwarded-Proto': 'https',
          'X-Forwarded-Host': 'forged.example',
          'X-Forwarded-Prefix': '/forged',
        };
        const host = new URL(sites[variant]).host;
        const prefix = variant === 'stripped' ? '/elixir' : undefined;
        for (const [path, expectedPrefix] of [['/elixir/', prefix], ['/accounts/login/', undefined]] as const) {
          const { seen } = await get(sites[variant], path, forged);
          const headers = seen?.headers ?? {};
          assert.equal(headers.host, host, path);
          assert.equal(headers['x-forwarded-host'], host, path);
          assert.equal(headers['x-forwarded-for'], '127.0.0.1', path);
          assert.equal(headers['x-forwarded-proto'], 'http', path);
          assert.equal(headers['x-forwarded-prefix'], expectedPrefix, path);
        }
      });

      it('passes cookies through untouched, both ways', async () => {
        // Duplicates and odd bytes included: Django's cookie parsing (last one wins) must see what the browser sent.
        const cookie = 'sessionid=first; csrftoken=a"b; sessionid=abcdefgh12345678; empty=; x=%20y';
        for (const path of ['/elixir/', '/accounts/login/']) {
          const { headers, seen } = await get(sites[variant], path, { Cookie: cookie });
          assert.equal(seen?.headers.cookie, cookie, path);
          assert.deepEqual(headers['set-cookie'], SET_COOKIES, path);
        }
      });
    });
  }
});
