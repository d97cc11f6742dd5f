import { strict as assert } from 'node:assert';
import { parseDuration, parseSize } from '../../src/api';

describe('durations and sizes', () => {
  it('parses durations with units and combinations', () => {
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('1d'), 86_400_000);
    assert.equal(parseDuration(42), 42);
    assert.throws(() => parseDuration('5 minutes'));
    assert.throws(() => parseDuration(''));
  });
  it('parses sizes in bytes, decimal and binary units', () => {
    assert.equal(parseSize('20MiB'), 20 * 1024 * 1024);
    assert.equal(parseSize('1kb'), 1000);
    assert.equal(parseSize(512), 512);
    assert.throws(() => parseSize('lots'));
  });
});
