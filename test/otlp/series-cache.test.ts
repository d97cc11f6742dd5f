import assert from 'node:assert/strict';
import { labelsToRecord, SeriesTable } from '../../src/api';
import { OtlpDecoders, type OtlpDecodeOptions } from '../../src/otlp/decoders';
import { DEFAULT_RESOURCE_TO_LABELS } from '../../src/otlp/resource-policy';
import { encodeOtlpJson } from '../fixtures/otlp/otlp-proto';

const NOW = Date.UTC(2026, 0, 1);
const OPTIONS: OtlpDecodeOptions = { maxFutureMs: 3_600_000, resourceToLabels: DEFAULT_RESOURCE_TO_LABELS, seriesCacheSize: 1000 };

function ld(tag: number, body: Uint8Array): Buffer {
  const len: number[] = [];
  let n = body.length;
  while (n > 0x7f) {
    len.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  len.push(n);
  return Buffer.concat([Buffer.from([tag, ...len]), body]);
}

function kv(key: string, value: string): Buffer {
  return Buffer.concat([ld(0x0a, Buffer.from(key)), ld(0x12, ld(0x0a, Buffer.from(value)))]);
}

function fixed64(tag: number, ms: number): Buffer {
  const b = Buffer.alloc(9);
  b[0] = tag;
  b.writeBigUInt64LE(BigInt(ms) * 1_000_000n, 1);
  return b;
}

function double(tag: number, v: number): Buffer {
  const b = Buffer.alloc(9);
  b[0] = tag;
  b.writeDoubleLE(v, 1);
  return b;
}

/** A request with one gauge point whose fields are in the given order (protobuf allows any order). */
function request(point: Buffer[], name = 'g'): Buffer {
  const metric = Buffer.concat([ld(0x2a, ld(0x0a, Buffer.concat(point))), ld(0x0a, Buffer.from(name))]);
  return ld(0x0a, ld(0x12, ld(0x12, metric)));
}

function labelsOf(decoders: OtlpDecoders, series: SeriesTable, body: Buffer): Record<string, string>[] {
  const batch = decoders.metrics(body, false, NOW).batch;
  return [...batch.series].map((id) => labelsToRecord(series.info(id).labels));
}

describe('OTLP protobuf decoder: series lookup', () => {
  it('reads fields in any order, including attributes interleaved with other fields, and the name after the data', () => {
    const series = new SeriesTable();
    const decoders = new OtlpDecoders(series, OPTIONS);
    const split = request([ld(0x3a, kv('a', '1')), fixed64(0x19, NOW - 1), ld(0x3a, kv('b', '2')), double(0x21, 7)]);
    assert.deepEqual(labelsOf(decoders, series, split), [{ a: '1', b: '2' }]);
    assert.deepEqual(labelsOf(decoders, series, split), [{ a: '1', b: '2' }]);
    const contiguous = request([double(0x21, 7), ld(0x3a, kv('a', '1')), ld(0x3a, kv('b', '2')), fixed64(0x19, NOW - 1)]);
    const batch = decoders.metrics(contiguous, false, NOW).batch;
    assert.equal(batch.values[0], 7);
    assert.equal(series.size, 1, 'both orders name the same series');
  });

  it('never confuses attribute sets that share a position across requests', () => {
    const series = new SeriesTable();
    const decoders = new OtlpDecoders(series, { ...OPTIONS, seriesCacheSize: 2 });
    for (let i = 0; i < 20; i++) {
      const body = request([ld(0x3a, kv('host', `h${i % 7}`)), fixed64(0x19, NOW - 1), double(0x21, i)]);
      assert.deepEqual(labelsOf(decoders, series, body), [{ host: `h${i % 7}` }]);
    }
    assert.equal(series.size, 7);
  });

  it('refuses every point of a metric without a name', () => {
    const doc = { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ gauge: { dataPoints: [{ timeUnixNano: '1767225599000000000', asDouble: 1 }, { timeUnixNano: '1767225599000000000', asDouble: 2 }] } }] }] }] };
    for (const [body, json] of [[Buffer.from(JSON.stringify(doc)), true], [encodeOtlpJson('ExportMetricsServiceRequest', doc), false]] as const) {
      const result = new OtlpDecoders(new SeriesTable(), OPTIONS).metrics(body, json, NOW);
      assert.equal(result.batch.length, 0);
      assert.deepEqual([...result.rejected.reasons], [['missing_metric_name', 2]]);
    }
  });

  it('refuses every item under a resource with duplicate attribute keys', () => {
    const doc = {
      resourceMetrics: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'a' } }, { key: 'service.name', value: { stringValue: 'b' } }] },
        scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: '1767225599000000000', asDouble: 1 }] } }] }],
      }],
    };
    const result = new OtlpDecoders(new SeriesTable(), OPTIONS).metrics(encodeOtlpJson('ExportMetricsServiceRequest', doc), false, NOW);
    assert.deepEqual([result.batch.length, [...result.rejected.reasons]], [0, [['duplicate_attribute_key', 1]]]);
  });
});
