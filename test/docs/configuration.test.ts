// docs/configuration.md documents exactly the variables the code reads and .env.example lists, with the
// same defaults: a variable cannot land undocumented.
import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ENV_NAMES } from 'django-session-bridge';
import {
  disagreements, envExampleVariables, readConfigSources, referenceRows, variablesRead, type ConfigSources,
} from '../../scripts/docs/config-reference.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const row = (name: string, defaultValue = '`1`') => `| \`${name}\` | ${defaultValue} | \`SETTING\` | what it does |`;

function sources(code: string[], envExample: string, table: string[]): ConfigSources {
  return { code: new Set(code), envExample: envExampleVariables(envExample), rows: referenceRows(table.join('\n')) };
}

describe('the configuration reference', () => {
  it('agrees with the code and .env.example', () => {
    assert.deepEqual(disagreements(readConfigSources(ROOT)), []);
  });

  it('covers every variable of the library and the service', () => {
    const { code, rows } = readConfigSources(ROOT);
    for (const name of [...Object.values(ENV_NAMES), 'BASE_PATH', 'PORT', 'HOST', 'LOG_LEVEL', 'SESSION_STORE', 'WEB_CONCURRENCY', 'NODE_ENV', 'DJANGO_OLD_SECRET_KEYS']) {
      assert.ok(code.has(name), `${name} is not found in the code`);
      assert.ok(rows.some((documented) => documented.name === name), `${name} has no row`);
    }
  });

  it('finds the variables the service reads, in each way it reads them', () => {
    const source = "const a = env.FIRST_ONE; const b = env['SECOND']; integer(env, 'THIRD_3', 1, 0); list('X', env.FOURTH); process.env.FIFTH;";
    assert.deepEqual([...variablesRead(source)].sort(), ['FIFTH', 'FIRST_ONE', 'FOURTH', 'SECOND', 'THIRD_3']);
  });

  it('reads .env.example, commented-out listings included, prose comments not', () => {
    const example = ['# Django\'s database: DATABASE_URL=postgresql://…', 'A=1', 'B=', '# C=production', '#   KEY_PREFIX:VERSION:x'].join('\n');
    assert.deepEqual([...envExampleVariables(example)], [['A', '1'], ['B', ''], ['C', 'production']]);
  });

  it('keeps a pipe inside a code span within its cell', () => {
    const [parsed] = referenceRows('| `A` | `a|b` | `S` | one \\| two |');
    assert.deepEqual(parsed && [parsed.defaultValue, parsed.meaning], ['`a|b`', 'one \\| two']);
  });

  it('reports a variable added to the code alone, in both places it is missing', () => {
    assert.deepEqual(disagreements(sources(['A', 'NEW'], 'A=1', [row('A')])), [
      'NEW: read by the code, missing from docs/configuration.md',
      'NEW: read by the code, missing from .env.example',
    ]);
  });

  it('accepts a variable added to the code, .env.example and the table', () => {
    assert.deepEqual(disagreements(sources(['A', 'NEW'], 'A=1\nNEW=', [row('A'), row('NEW', 'empty')])), []);
  });

  it('reports rows and .env.example lines the code does not read', () => {
    assert.deepEqual(disagreements(sources(['A'], 'A=1\nGONE=2', [row('A'), row('OLD')])), [
      'OLD: in docs/configuration.md, read nowhere in the code',
      'GONE: in .env.example, read nowhere in the code',
    ]);
  });

  it('reports a default the table and .env.example disagree on; an empty example means the default', () => {
    assert.deepEqual(disagreements(sources(['A', 'B'], 'A=2\nB=', [row('A', '`1`'), row('B', '`5`')])), [
      'A: docs/configuration.md says the default is "1", .env.example sets "2"',
    ]);
  });

  it('reports a repeated row and an empty cell', () => {
    assert.deepEqual(disagreements(sources(['A'], 'A=1', [row('A'), '| `A` | `1` |  | x |'])), [
      'A: two rows in docs/configuration.md (lines 1 and 2)',
      'A: an empty cell in docs/configuration.md (line 2)',
    ]);
  });
});
