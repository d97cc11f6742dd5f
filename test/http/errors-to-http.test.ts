import { strict as assert } from 'node:assert';
import { CircuitOpenError, NissaError, PermanentError, RetryableError } from '../../src/api';
import { parseEndpoint } from '../../src/api';
import { httpStatusForError } from '../../src/http';

describe('httpStatusForError', () => {
  const cases: [string, unknown, number, number | undefined][] = [
    ['permanent', new PermanentError('bad'), 400, undefined],
    ['queue full', new RetryableError('full', { code: 'ERR_QUEUE_FULL', retryAfterMs: 1001 }), 429, 2],
    ['overloaded', new RetryableError('x', { code: 'ERR_OVERLOADED' }), 429, 1],
    ['plain retryable', new RetryableError('x', { retryAfterMs: 0 }), 429, 1],
    ['circuit open', new CircuitOpenError('s', 30_000), 503, 30],
    ['shutting down', new NissaError('ERR_SHUTTING_DOWN', 'bye'), 503, 1],
    ['timeout', new NissaError('ERR_TIMEOUT', 'slow'), 503, 1],
    ['unexpected', new Error('bug'), 500, undefined],
    ['not an error', 'string thrown', 500, undefined],
    ['foreign copy (duck-typed code)', Object.assign(new Error('x'), { code: 'ERR_QUEUE_FULL', retryAfterMs: 500 }), 429, 1],
  ];
  for (const [name, err, status, retry] of cases) {
    it(name, () => {
      const got = httpStatusForError(err);
      assert.equal(got.status, status);
      assert.equal(got.retryAfterSeconds, retry);
    });
  }
  it('never leaks the message of an unexpected error', () => {
    assert.equal(httpStatusForError(new Error('password=x')).message, 'internal error');
  });
});

describe('parseEndpoint', () => {
  it('defaults the host to 127.0.0.1 and accepts IPv6 in brackets', () => {
    assert.deepEqual(parseEndpoint(':4319'), { host: '127.0.0.1', port: 4319 });
    assert.deepEqual(parseEndpoint('0.0.0.0:0'), { host: '0.0.0.0', port: 0 });
    assert.deepEqual(parseEndpoint('[::1]:80'), { host: '::1', port: 80 });
    assert.throws(() => parseEndpoint('localhost'), /invalid endpoint/);
    assert.throws(() => parseEndpoint('h:70000'), /invalid endpoint/);
  });
});
