import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { boxed, demoBanner, shortPath } from '../../src/dev/banner.ts';

describe('the demo banner', () => {
  it('boxes every line to the same width', () => {
    const lines = boxed(['short', '', 'a longer line']).split('\n');
    assert.equal(lines.length, 5);
    assert.equal(new Set(lines.map((line) => line.length)).size, 1);
    assert.match(lines[0] as string, /^╔═+╗$/);
    assert.equal(lines[1], '║  short          ║');
    assert.match(lines[4] as string, /^╚═+╝$/);
  });

  it('says it is a demo database, where to go and how to log in as each user, the inactive one marked', () => {
    const banner = demoBanner({
      pageUrl: 'http://127.0.0.1:3000/elixir/',
      accounts: [
        { username: 'alice', isActive: true },
        { username: 'carol', isActive: false },
      ],
      dataDir: '.data',
      demoSecretKey: true,
      startedHere: true,
    });
    assert.match(banner, /DEMO DATABASE/);
    assert.match(banner, /Open {7}http:\/\/127\.0\.0\.1:3000\/elixir\/ /);
    assert.match(banner, /Log in {5}http:\/\/127\.0\.0\.1:3000\/elixir\/demo\/ {3}\(each button posts to accounts\/login\/\)/);
    assert.match(banner, /Log in as {2}alice /);
    assert.match(banner, /carol {3}\(inactive: stays "Not Logged In"\)/);
    assert.doesNotMatch(banner, /alice {3}\(inactive/);
    assert.match(banner, /Log out {4}the page's button \(POST http:\/\/127\.0\.0\.1:3000\/elixir\/accounts\/logout\/\)/);
    assert.match(banner, /Data: \.data /);
    assert.match(banner, /DJANGO_SECRET_KEY is unset/);
  });

  it('says so when the secret key comes from the environment or another process runs the database', () => {
    const banner = demoBanner({ pageUrl: 'http://h:1/', accounts: [{ username: 'bob', isActive: true }], dataDir: '/d', demoSecretKey: false, startedHere: false });
    assert.match(banner, /DJANGO_SECRET_KEY from the environment/);
    assert.match(banner, /run by another demo process/);
    assert.match(banner, /Log in as {2}bob/);
  });

  it('shows the data directory relative to where npm runs, when it is below it', () => {
    assert.equal(shortPath(join(process.cwd(), '.data')), '.data');
    assert.equal(shortPath('/somewhere/else/.data'), '/somewhere/else/.data');
  });
});
