import { strict as assert } from 'node:assert';
import { compileGlob } from '../../src/processing/glob';
import { compileRecordMatcher, compileValueMatcher } from '../../src/processing/value-matcher';

describe('processing: glob and value matchers', () => {
  it('matches one topic segment with * and any with **', () => {
    const one = compileGlob('telemetry.*.health');
    assert.ok(one('telemetry.seed.health'));
    assert.ok(!one('telemetry.seed.x.health'));
    const any = compileGlob('telemetry.**');
    assert.ok(any('telemetry.seed.health'));
    assert.ok(!any('control.kasmina.commands'));
    assert.ok(compileGlob('http_*')('http_requests_total'));
    assert.ok(compileGlob('a+b')('a+b'), 'regex characters are literal');
  });
  it('matches values exactly, or by anchored /regex/', () => {
    assert.ok(compileValueMatcher('prod')('prod'));
    assert.ok(!compileValueMatcher('prod')('production'));
    assert.ok(compileValueMatcher('/5../')('503'));
    assert.ok(!compileValueMatcher('/5../')('1503'));
    assert.ok(!compileValueMatcher('/.*/')(undefined));
    const rec = compileRecordMatcher({ region: 'eu', status: '/5../' });
    const labels: Record<string, string> = { region: 'eu', status: '500' };
    assert.ok(rec((k) => labels[k]));
    labels.status = '200';
    assert.ok(!rec((k) => labels[k]));
  });
});
