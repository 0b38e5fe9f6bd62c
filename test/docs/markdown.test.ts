// The docs check's reading of Markdown: GitHub's anchors, links outside code, paths and npm scripts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anchorsOf, codeSpansOf, githubSlug, linksOf, npmRunsOf, repositoryPath } from '../../scripts/docs/markdown.ts';

describe('githubSlug', () => {
  it('makes the anchors GitHub makes', () => {
    assert.equal(githubSlug('Read replicas (`DATABASE_REPLICA_URL`)'), 'read-replicas-database_replica_url');
    assert.equal(githubSlug('What "logged in" means here'), 'what-logged-in-means-here');
    assert.equal(githubSlug('`npm run session:inspect -- <session key>`'), 'npm-run-sessioninspect----session-key');
    assert.equal(githubSlug('Pickled sessions (`DJANGO_SESSION_SERIALIZER=pickle`)'), 'pickled-sessions-django_session_serializerpickle');
    assert.equal(githubSlug('Connections: `WEB_CONCURRENCY` × `DB_POOL_MAX` × instances'), 'connections-web_concurrency--db_pool_max--instances');
    assert.equal(githubSlug('See [the page](x.md) — **now**'), 'see-the-page--now');
  });
});

describe('anchorsOf', () => {
  it('numbers repeated headings and ignores headings inside code fences', () => {
    const markdown = ['# Title', '## Usage', '```sh', '# not a heading', '```', '## Usage', '### Usage'].join('\n');
    assert.deepEqual([...anchorsOf(markdown)], ['title', 'usage', 'usage-1', 'usage-2']);
  });
});

describe('linksOf', () => {
  it('finds links and images, not those inside code spans or fences', () => {
    const markdown = ['See [a](docs/a.md#x) and ![b](img.png "title"), not `[c](c.md)`.', '```', '[d](d.md)', '```', '<http://example.com>'].join('\n');
    assert.deepEqual(linksOf(markdown).map((link) => link.value), ['docs/a.md#x', 'img.png']);
  });
});

describe('codeSpansOf', () => {
  it('reads spans outside fences, with their line', () => {
    assert.deepEqual(codeSpansOf('a `src/x.ts` b ``c``\n```\n`no`\n```'), [{ line: 1, value: 'src/x.ts' }, { line: 1, value: 'c' }]);
  });
});

describe('npmRunsOf', () => {
  it('names the script and the workspace it runs in', () => {
    assert.deepEqual(
      npmRunsOf('npm run bench -- --quick\n`npm run build -w django-session-bridge`\nnpm run session:inspect -- --json <key>').map(({ script, workspace }) => [script, workspace]),
      [['bench', undefined], ['build', 'django-session-bridge'], ['session:inspect', undefined]],
    );
  });
});

describe('repositoryPath', () => {
  const top = new Set(['src', 'docs', 'package.json']);

  it('takes spans that start with a top-level entry, and bare file names of the repository\'s kinds', () => {
    assert.equal(repositoryPath('src/config.ts', top), 'src/config.ts');
    assert.equal(repositoryPath('docs/', top), 'docs/');
    assert.equal(repositoryPath('package.json', top), 'package.json');
    assert.equal(repositoryPath('reachable-binaries.ts', top), 'reachable-binaries.ts');
  });

  it('leaves out placeholders, commands, other roots and identifiers', () => {
    for (const span of ['bench/results/<time>.json', 'src/*.ts', 'npm run dev', 'dist/server.js', '/etc/nginx/conf.d/elixir.conf', 'file:/srv/db.sqlite3', 'Prisma.sql', 'ctx.state.user', 'src/…']) {
      assert.equal(repositoryPath(span, top), undefined, span);
    }
  });
});
