import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './fixture-path';
import { parseExposition, parseLabels, type ExpositionSink } from '../../src/prometheus/text-parser';


interface Parsed {
  types: Record<string, string>;
  helps: Record<string, string>;
  samples: { name: string; labels: string[]; value: number; ts: number }[];
}

function parse(text: string, om: boolean): Parsed {
  const out: Parsed = { types: {}, helps: {}, samples: [] };
  const sink: ExpositionSink = {
    type: (f, t) => (out.types[f] = t),
    help: (f, h) => (out.helps[f] = h),
    sample: (series, nameEnd, value, ts) => out.samples.push({ name: series.slice(0, nameEnd), labels: parseLabels(series, nameEnd), value, ts }),
  };
  assert.equal(parseExposition(text, om, sink), out.samples.length);
  return out;
}

describe('prometheus text parser', () => {
  it('parses the text format 0.0.4 reference example', () => {
    const p = parse(readFileSync(join(FIXTURES, 'text-0.0.4.txt'), 'utf8'), false);
    assert.equal(p.types['http_requests_total'], 'counter');
    assert.equal(p.helps['http_requests_total'], 'The total number of HTTP requests.');
    assert.deepEqual(p.samples[0], { name: 'http_requests_total', labels: ['method', 'post', 'code', '200'], value: 1027, ts: 1395066363000 });
    assert.deepEqual(p.samples[2]!.labels, ['path', 'C:\\DIR\\FILE.TXT', 'error', 'Cannot find file:\n"FILE.TXT"']);
    assert.equal(p.samples[2]!.value, 1.458255915e9);
    assert.ok(Number.isNaN(p.samples[3]!.ts));
    assert.deepEqual(p.samples[4], { name: 'something_weird', labels: ['problem', 'division by zero'], value: Infinity, ts: -3982045 });
    assert.equal(p.samples.filter((s) => s.name.startsWith('http_request_duration_seconds')).length, 8);
    assert.equal(p.samples.at(-1)!.value, 2693);
  });

  it('parses OpenMetrics: seconds timestamps, exemplars ignored, stops at # EOF', () => {
    const p = parse(readFileSync(join(FIXTURES, 'openmetrics.txt'), 'utf8'), true);
    assert.equal(p.types['process_cpu_seconds'], 'counter');
    const bucket = p.samples.find((s) => s.name === 'foo_bucket' && s.labels[1] === '0.1')!;
    assert.equal(bucket.value, 8);
    assert.ok(Number.isNaN(bucket.ts));
    const info = p.samples.find((s) => s.name === 'build_info')!;
    assert.equal(info.ts, 1605281325500);
    assert.equal(p.samples.some((s) => s.name === 'ignored_after_eof'), false);
  });

  it('handles NaN, signed infinities, spaces, CRLF, trailing commas and braces inside values', () => {
    const p = parse('a NaN\r\nb{x="}{,\\"",} -Inf\n  c{ y = "1" } +Inf 5\n', false);
    assert.ok(Number.isNaN(p.samples[0]!.value));
    assert.deepEqual(p.samples[1]!.labels, ['x', '}{,"']);
    assert.equal(p.samples[1]!.value, -Infinity);
    assert.deepEqual(p.samples[2], { name: 'c', labels: ['y', '1'], value: Infinity, ts: 5 });
  });

  it('rejects malformed lines with the line number', () => {
    const sink: ExpositionSink = { type() {}, help() {}, sample() {} };
    assert.throws(() => parseExposition('ok 1\nbad{x="1" 2\n', false, sink), /line 2: unterminated label set/);
    assert.throws(() => parseExposition('a abc\n', false, sink), /line 1: invalid value/);
    assert.throws(() => parseExposition('a\n', false, sink), /missing value/);
    assert.throws(() => parseLabels('a{x=1}', 1), /not quoted/);
  });
});
