import assert from 'node:assert/strict';
import { SeriesTable } from '../../src/api';
import { MalformedRequestError, OtlpDecoders, type OtlpDecodeOptions } from '../../src/otlp/decoders';
import { DEFAULT_RESOURCE_TO_LABELS } from '../../src/otlp/resource-policy';
import { encodeOtlpJson } from '../fixtures/otlp/otlp-proto';

const NOW = Date.UTC(2026, 0, 1);
const OPTIONS: OtlpDecodeOptions = { maxFutureMs: 3_600_000, resourceToLabels: DEFAULT_RESOURCE_TO_LABELS, seriesCacheSize: 1000 };
const T = '1767225599000000000';
const attr = (key: string, value: unknown) => ({ key, value });
const str = (s: string) => ({ stringValue: s });

function nested(depth: number): unknown {
  let v: unknown = str('deep');
  for (let i = 0; i < depth; i++) v = { arrayValue: { values: [v] } };
  return v;
}

/** A request with one good point and the `bad` one under the same metric kind. */
function metricsDoc(kind: 'gauge' | 'histogram', bad: Record<string, unknown>): unknown {
  const good = kind === 'gauge' ? { timeUnixNano: T, asDouble: 1 } : { timeUnixNano: T, count: '1', sum: 1, bucketCounts: ['1', '0'], explicitBounds: [5] };
  return { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'm', [kind]: { dataPoints: [good, { ...good, attributes: [attr('k', str('b'))], ...bad }] } }] }] }] };
}

function logsDoc(bad: Record<string, unknown>): unknown {
  const good = { timeUnixNano: T, body: str('ok') };
  return { resourceLogs: [{ scopeLogs: [{ logRecords: [good, { ...good, ...bad }] }] }] };
}

const METRIC_CASES: [string, 'gauge' | 'histogram', Record<string, unknown>, string][] = [
  ['NaN without the no-recorded-value flag', 'gauge', { asDouble: 'NaN' }, 'non_finite_value'],
  ['+Inf', 'gauge', { asDouble: 'Infinity' }, 'non_finite_value'],
  ['-Inf', 'gauge', { asDouble: '-Infinity' }, 'non_finite_value'],
  ['a zero time', 'gauge', { timeUnixNano: '0' }, 'zero_timestamp'],
  ['a time two hours ahead', 'gauge', { timeUnixNano: `${BigInt(NOW + 7_200_000) * 1_000_000n}` }, 'future_timestamp'],
  ['duplicate attribute keys', 'gauge', { attributes: [attr('k', str('a')), attr('k', str('b'))] }, 'duplicate_attribute_key'],
  ['an attribute nested 40 deep', 'gauge', { attributes: [attr('k', nested(40))] }, 'nesting_too_deep'],
  ['no value at all', 'gauge', { asDouble: undefined }, 'missing_value'],
  ['bucket counts not matching bounds', 'histogram', { bucketCounts: ['1'], explicitBounds: [5] }, 'histogram_bucket_mismatch'],
  ['a count that is not the sum of buckets', 'histogram', { count: '5' }, 'histogram_count_mismatch'],
  ['unsorted bounds', 'histogram', { bucketCounts: ['1', '0', '0'], explicitBounds: [5, 1] }, 'histogram_bounds_unsorted'],
];

describe('OTLP decoders: invalid items are dropped, counted by reason, the rest kept', () => {
  for (const [what, kind, bad, reason] of METRIC_CASES) {
    for (const encoding of ['json', 'protobuf'] as const) {
      it(`refuses a point with ${what} (${encoding})`, () => {
        const doc = metricsDoc(kind, bad);
        const body = encoding === 'json' ? Buffer.from(JSON.stringify(doc)) : encodeOtlpJson('ExportMetricsServiceRequest', doc);
        const result = new OtlpDecoders(new SeriesTable(), OPTIONS).metrics(body, encoding === 'json', NOW);
        assert.equal(result.batch.length, 1);
        assert.deepEqual([...result.rejected.reasons], [[reason, 1]]);
      });
    }
  }

  it('refuses a point whose label value is invalid UTF-8 (protobuf)', () => {
    const body = encodeOtlpJson('ExportMetricsServiceRequest', metricsDoc('gauge', { attributes: [attr('k', str('ZZZZ'))] }));
    const at = body.indexOf('ZZZZ');
    body[at] = 0xff;
    body[at + 1] = 0xfe;
    const result = new OtlpDecoders(new SeriesTable(), OPTIONS).metrics(body, false, NOW);
    assert.equal(result.batch.length, 1);
    assert.deepEqual([...result.rejected.reasons], [['invalid_utf8', 1]]);
  });

  const LOG_CASES: [string, Record<string, unknown>, string][] = [
    ['duplicate attribute keys', { attributes: [attr('k', str('a')), attr('k', str('b'))] }, 'duplicate_attribute_key'],
    ['neither time nor observed time', { timeUnixNano: '0' }, 'zero_timestamp'],
    ['a body nested 40 deep', { body: nested(40) }, 'nesting_too_deep'],
    ['a time two hours ahead', { timeUnixNano: `${BigInt(NOW + 7_200_000) * 1_000_000n}` }, 'future_timestamp'],
  ];
  for (const [what, bad, reason] of LOG_CASES) {
    for (const encoding of ['json', 'protobuf'] as const) {
      it(`refuses a log record with ${what} (${encoding})`, () => {
        const doc = logsDoc(bad);
        const body = encoding === 'json' ? Buffer.from(JSON.stringify(doc)) : encodeOtlpJson('ExportLogsServiceRequest', doc);
        const result = new OtlpDecoders(new SeriesTable(), OPTIONS).logs(body, encoding === 'json', NOW);
        assert.equal(result.batch.items.length, 1);
        assert.deepEqual([...result.rejected.reasons], [[reason, 1]]);
      });
    }
  }
});

describe('OTLP decoders: malformed requests are refused whole', () => {
  const good = encodeOtlpJson('ExportMetricsServiceRequest', metricsDoc('gauge', {}));
  const CASES: [string, Buffer, RegExp][] = [
    ['truncated', good.subarray(0, good.length - 3), /truncated|length past end/],
    ['a known field with the wrong wire type', Buffer.from([0x08, 0x01]), /wrong wire type/],
    ['a length prefix past the end', Buffer.from([0x0a, 0x7f, 0x00]), /length past end/],
    ['a varint over 10 bytes', Buffer.from([0x0a, ...new Array(11).fill(0xff)]), /varint too long/],
    ['a deprecated group wire type', Buffer.from([0x2b]), /invalid wire type/],
  ];
  for (const [what, body, message] of CASES) {
    it(`refuses protobuf with ${what}`, () => {
      const decoders = new OtlpDecoders(new SeriesTable(), OPTIONS);
      assert.throws(() => decoders.metrics(body, false, NOW), (err: Error) => err instanceof MalformedRequestError && message.test(err.message));
      assert.throws(() => decoders.logs(body, false, NOW), MalformedRequestError);
      // A failed request leaves nothing behind for the next one.
      assert.equal(decoders.metrics(good, false, NOW).batch.length, 2);
    });
  }

  it('refuses JSON that does not parse or lacks the OTLP shape', () => {
    const decoders = new OtlpDecoders(new SeriesTable(), OPTIONS);
    assert.throws(() => decoders.metrics(Buffer.from('{"resourceMetrics": ['), true, NOW), MalformedRequestError);
    assert.throws(() => decoders.metrics(Buffer.from('{"resourceMetrics": 3}'), true, NOW), MalformedRequestError);
    assert.throws(() => decoders.logs(Buffer.from('[1]'), true, NOW), MalformedRequestError);
  });

  it('accepts an empty body as an empty request', () => {
    const decoders = new OtlpDecoders(new SeriesTable(), OPTIONS);
    assert.equal(decoders.metrics(Buffer.alloc(0), false, NOW).batch.length, 0);
    assert.equal(decoders.logs(Buffer.alloc(0), true, NOW).batch.items.length, 0);
    assert.equal(decoders.logs(Buffer.alloc(0), false, NOW).batch.items.length, 0);
  });
});
