import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pythonJsonDumps, pythonJsonLoads } from '../../src/django/python-json.ts';

describe('Python json as Django\'s JSONSerializer uses it', () => {
  it('dumps compactly with every non-printable-ASCII character escaped', () => {
    assert.equal(pythonJsonDumps({ a: [1, 'é'], b: '\u007f🔑' }), '{"a":[1,"\\u00e9"],"b":"\\u007f\\ud83d\\udd11"}');
  });

  it('loads bytes as Latin-1, and gives undefined for non-JSON', () => {
    assert.deepEqual(pythonJsonLoads(Buffer.from([0x22, 0xe9, 0x22])), 'é');
    assert.equal(pythonJsonLoads(Buffer.from('{nope')), undefined);
  });
});
