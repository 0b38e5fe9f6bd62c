// The documentation's references hold: every relative link and #anchor resolves, every repository path
// named in backticks exists, every `npm run` script named exists, and the verdict page lists every reason.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { REASONS } from 'django-session-bridge';
import { anchorsOf, codeSpansOf, linksOf, npmRunsOf, repositoryPath } from '../../scripts/docs/markdown.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGE_README = 'packages/django-session-bridge/README.md';

function markdownUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return markdownUnder(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

/** The documents checked: the root's, every page under docs/, and the package's README (links and scripts). */
const DOCUMENTS = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', ...markdownUnder('docs'), PACKAGE_README];
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const anchorCache = new Map<string, Set<string>>();
const anchors = (path: string) => anchorCache.get(path) ?? anchorCache.set(path, anchorsOf(read(path))).get(path) as Set<string>;

/** The repository's top-level entries, from git: a path in backticks starting with one of them is checked. */
const TOP_LEVEL = new Set(execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean).map((file) => file.split('/')[0] as string));

function scriptsOf(packageJson: string): Set<string> {
  return new Set(Object.keys((JSON.parse(read(packageJson)) as { scripts?: Record<string, string> }).scripts ?? {}));
}

describe('documentation', () => {
  it('checks the documents it is meant to', () => {
    for (const path of DOCUMENTS) assert.ok(existsSync(join(ROOT, path)), `${path} is missing`);
    assert.ok(DOCUMENTS.includes('docs/configuration.md'));
  });

  for (const document of DOCUMENTS) {
    describe(document, () => {
      const text = read(document);

      it('links only to files and anchors that exist', () => {
        const broken: string[] = [];
        for (const link of linksOf(text)) {
          if (/^[a-z][a-z0-9+.-]*:/i.test(link.value)) continue;
          const [target = '', anchor] = link.value.split('#') as [string, string | undefined];
          const file = target === '' ? document : relative(ROOT, resolve(ROOT, dirname(document), decodeURIComponent(target)));
          if (!existsSync(join(ROOT, file))) {
            broken.push(`line ${link.line}: ${link.value} (no ${file})`);
          } else if (anchor !== undefined && !(file.endsWith('.md') && anchors(file).has(anchor))) {
            broken.push(`line ${link.line}: ${link.value} (no heading with anchor #${anchor} in ${file})`);
          }
        }
        assert.deepEqual(broken, []);
      });

      it('names only npm scripts that exist', () => {
        const missing = npmRunsOf(text)
          .filter(({ script, workspace }) => !scriptsOf(workspace === undefined ? 'package.json' : `packages/${workspace}/package.json`).has(script))
          .map(({ line, script, workspace }) => `line ${line}: npm run ${script}${workspace ? ` -w ${workspace}` : ''}`);
        assert.deepEqual(missing, []);
      });

      // The package's README names paths inside the package as its readers see them, not from this root.
      if (document !== PACKAGE_README) {
        it('names only repository paths that exist', () => {
          const missing = codeSpansOf(text)
            .map((span) => ({ ...span, path: repositoryPath(span.value, TOP_LEVEL) }))
            .filter((span) => span.path !== undefined && !existsSync(join(ROOT, span.path)))
            .map((span) => `line ${span.line}: ${span.value}`);
          assert.deepEqual(missing, []);
        });
      }
    });
  }

  it('keeps the README short: the reference lives in docs/', () => {
    const lines = read('README.md').split('\n').length;
    assert.ok(lines <= 250, `README.md has ${lines} lines; move the detail into a page under docs/`);
  });

  it('lists every reason code in the verdict page, and no other', () => {
    const listed = [...read('docs/verdict.md').matchAll(/^\| `([a-z0-9_]+)`(?:, `([a-z0-9_]+)`)?(?:, `([a-z0-9_]+)`)? \|/gm)]
      .flatMap((match) => match.slice(1).filter((code): code is string => code !== undefined));
    assert.deepEqual([...listed].sort(), [...REASONS].sort());
  });
});
