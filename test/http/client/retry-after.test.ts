import assert from 'node:assert/strict';
import { RetryableError } from '../../../src/api';
import { isSuccess, RequestTimeoutError, retryableReply, retryAfterMs, transportError } from '../../../src/http/client';

describe('exporter HTTP client helpers (src/http/client)', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('Retry-After as delay-seconds or HTTP-date, undefined when absent or unreadable', () => {
    assert.equal(retryAfterMs('7', now), 7000);
    assert.equal(retryAfterMs([' 2 ', '9'], now), 2000);
    assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
    assert.equal(retryAfterMs(undefined, now), undefined);
    assert.equal(retryAfterMs('soon', now), undefined);
  });

  it('classifies answers and transport failures', () => {
    assert.ok(isSuccess(204) && !isSuccess(300) && !isSuccess(199));
    const refused = retryableReply('busy', { status: 429, headers: { 'retry-after': '3' }, body: Buffer.alloc(0) }, now);
    assert.ok(refused instanceof RetryableError);
    assert.equal(refused.retryAfterMs, 3000);
    assert.equal(retryableReply('busy', { status: 503, headers: {}, body: Buffer.alloc(0) }, now).retryAfterMs, undefined);
    assert.equal(transportError('slow', new RequestTimeoutError(5)).code, 'ERR_TIMEOUT');
    assert.notEqual(transportError('refused', new Error('ECONNREFUSED')).code, 'ERR_TIMEOUT');
  });
});
