import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { packagedSuite } from '../helpers/packaged-suite.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPTS = join(ROOT, 'scripts/django');
const PYTHON = '/usr/bin/python3';

/** The generators scripts/django/check-fixtures.sh runs, found the way it finds them. */
function generators(): string[] {
  return readdirSync(SCRIPTS).filter((name) => /^make_.*\.py$/.test(name) || /^dump-schema.*\.sh$/.test(name)).sort();
}

describe('scripts/django: every generator can prove its fixture in CI', () => {
  it('each declares the Django versions it writes for, and has --check (fixture_output.py or fixture-output.sh)', () => {
    assert.ok(generators().length >= 8, generators().join(', '));
    for (const name of generators()) {
      const source = readFileSync(join(SCRIPTS, name), 'utf8');
      const declared = source.match(/^# check-fixtures: django ((?:\d+\.\d+ ?)+)$/m);
      assert.ok(declared, `${name} declares its Django versions`);
      assert.match(source, /--check/, `${name} has --check`);
    }
  });
});

const djangoMissing = spawnSync(PYTHON, ['-c', 'import django'], { stdio: 'ignore' }).status === 0 ? [] : ['python3-django'];

packagedSuite('a generator\'s --check against real Django 3.2', djangoMissing, () => {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-check-fixtures-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const committed = join(ROOT, 'test/fixtures/vectors/django-3.2.json');
  const check = (output: string) => spawnSync(PYTHON, [join(SCRIPTS, 'make_vectors.py'), '--check', '--output', output], { encoding: 'utf8' });

  it('passes on a byte-identical copy, in one line, and fails naming the file on one changed byte', () => {
    const copy = join(dir, 'django-3.2.json');
    copyFileSync(committed, copy);
    const same = check(copy);
    assert.equal(same.status, 0, same.stderr);
    assert.match(same.stdout, /^check-fixtures: ok .*django-3\.2\.json is byte-identical to what Django 3\.2 writes\n$/);

    const text = readFileSync(committed, 'utf8');
    writeFileSync(copy, text.replace('"name": ', '"name":  '));
    const changed = check(copy);
    assert.notEqual(changed.status, 0);
    assert.match(changed.stderr, /check-fixtures: FAIL .*django-3\.2\.json differs from what Django 3\.2 writes/);
    assert.equal(readFileSync(copy, 'utf8'), text.replace('"name": ', '"name":  '), '--check writes nothing');

    rmSync(copy);
    const missing = check(copy);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /FAIL .*django-3\.2\.json is missing/);
  });
});
