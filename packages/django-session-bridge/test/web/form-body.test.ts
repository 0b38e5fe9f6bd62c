import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { FormTooLargeError, readUrlEncodedBody, readWebUrlEncodedBody } from '../../src/web/form-body.ts';
import { formFields, formTokenOf } from '../../src/web/form-token.ts';

function nodeRequest(body: string, headers: Record<string, string> = {}) {
  return Object.assign(Readable.from([Buffer.from(body)]), { headers });
}

describe('reading a form for its token', () => {
  it('takes the last of a repeated csrfmiddlewaretoken, as QueryDict.get() does', async () => {
    const params = await readUrlEncodedBody(nodeRequest('csrfmiddlewaretoken=a&x=1&csrfmiddlewaretoken=b'));
    assert.equal(formTokenOf(params), 'b');
    assert.deepEqual({ ...formFields(params) }, { csrfmiddlewaretoken: ['a', 'b'], x: '1' });
    assert.equal(formTokenOf(formFields(params)), 'b');
    assert.equal(formTokenOf(undefined), '');
  });

  it('refuses past the limit, by Content-Length and by what arrives (Django\'s RequestDataTooBig, a 400)', async () => {
    await assert.rejects(readUrlEncodedBody(nodeRequest('a=1', { 'content-length': '11' }), 10), FormTooLargeError);
    await assert.rejects(readUrlEncodedBody(nodeRequest('a='.padEnd(11, 'x')), 10), (error: FormTooLargeError) => error.status === 400);
    assert.equal((await readUrlEncodedBody(nodeRequest('a='.padEnd(10, 'x')), 10)).get('a'), 'xxxxxxxx');
  });

  it('reads a Web Request\'s copy, leaving its body for the app', async () => {
    const request = new Request('http://testserver/', { method: 'POST', body: 'csrfmiddlewaretoken=t&a=1' });
    assert.equal(formTokenOf(await readWebUrlEncodedBody(request)), 't');
    assert.equal(await request.text(), 'csrfmiddlewaretoken=t&a=1');
    await assert.rejects(readWebUrlEncodedBody(new Request('http://testserver/', { method: 'POST', body: 'a='.padEnd(11, 'x') }), 10), FormTooLargeError);
  });
});
