import assert from 'node:assert/strict';
import { isStaleMarker, labelsFromRecord, MetricBatchBuilder, MetricKind, SeriesTable, type MetricBatch } from '../../../src/api';
import { metricsJson, MetricsProtoEncoder, RowGroups, SeriesEncodingCache } from '../../../src/otlp/encode';
import { OtlpDecoders } from '../../../src/otlp/decoders';
import { jsonCount } from '../../../src/otlp/encode/json-values';
import { DEFAULT_RESOURCE_TO_LABELS } from '../../../src/otlp/resource-policy';
import { otlpType } from '../../fixtures/otlp/otlp-proto';
import { rows, type Row } from '../batch-rows';
import { LONG_VALUE, sampleMetrics } from './sample-metrics';

const NOW = Date.now();

function encode(series: SeriesTable, batch: MetricBatch, labelsToResource = true): { proto: Buffer; json: Buffer; groups: RowGroups } {
  const cache = new SeriesEncodingCache(series, { labelsToResource });
  const groups = new RowGroups(cache);
  groups.group(batch, 0, batch.length);
  return { proto: Buffer.from(new MetricsProtoEncoder(cache).encode(batch, groups)), json: metricsJson(batch, groups, cache), groups };
}

/** What a receiver stores: gauges keep no start time; times survive to well under a microsecond. */
function expectedRows(series: SeriesTable, batch: MetricBatch): Row[] {
  return rows(batch, series).map((r) => ({ ...r, start: r.kind === 0 ? 0 : r.start }));
}

function assertSameRows(actual: Row[], expected: Row[]): void {
  assert.equal(actual.length, expected.length);
  for (let k = 0; k < expected.length; k++) {
    const a = actual[k]!;
    const e = expected[k]!;
    assert.ok(Math.abs(a.t - e.t) < 1e-3 && Math.abs(a.start - e.start) < 1e-3, `row ${k} times`);
    assert.deepEqual({ ...a, t: 0, start: 0, v: isStaleMarker(a.v) ? 'stale' : a.v }, { ...e, t: 0, start: 0, v: isStaleMarker(e.v) ? 'stale' : e.v }, `row ${k}`);
  }
}

function decodeWithReceiver(body: Buffer, json: boolean): Row[] {
  const table = new SeriesTable();
  const result = new OtlpDecoders(table, { maxFutureMs: 3_600_000, resourceToLabels: DEFAULT_RESOURCE_TO_LABELS, seriesCacheSize: 100 }).metrics(body, json, NOW);
  assert.equal(result.rejected.total, 0, result.rejected.summary());
  return rows(result.batch, table);
}

describe('OTLP metrics encoding', () => {
  it('writes every kind as the OTLP message protobufjs reflection reads', () => {
    const series = new SeriesTable();
    const { proto } = encode(series, sampleMetrics(series, NOW));
    const req = otlpType('ExportMetricsServiceRequest').toObject(otlpType('ExportMetricsServiceRequest').decode(proto), { longs: String, defaults: false }) as any;
    // Resources come from job/instance: {shop,pod-1}, {shop}, none, {pod-2}.
    const resources = req.resource_metrics.map((rm: any) => (rm.resource.attributes ?? []).map((kv: any) => `${kv.key}=${kv.value.string_value}`).join(','));
    assert.deepEqual(resources.sort(), ['', 'service.instance.id=pod-1,service.name=shop', 'service.instance.id=pod-2', 'service.name=shop']);
    const metrics = new Map<string, any>();
    for (const rm of req.resource_metrics) for (const m of rm.scope_metrics[0].metrics) metrics.set(m.name, m);
    // No otel_scope_* labels: an empty scope, so the receiver adds none back.
    assert.equal(req.resource_metrics[0].scope_metrics[0].scope.name, undefined);

    const temp = metrics.get('temperature');
    assert.equal(temp.unit, 'Cel');
    assert.equal(temp.description, 'Room temperature');
    assert.equal(temp.gauge.data_points.length, 2);
    assert.deepEqual(temp.gauge.data_points[0].attributes, [{ key: 'room', value: { string_value: 'kitchen' } }]);
    assert.equal(temp.gauge.data_points[0].as_double, 21.5);
    assert.equal(temp.gauge.data_points[0].time_unix_nano, String(BigInt(Math.floor(NOW) - 1000) * 1_000_000n));
    assert.ok(Number.isNaN(temp.gauge.data_points[1].as_double));
    assert.equal(temp.gauge.data_points[1].flags, 1);

    const counter = metrics.get('http_requests_total').sum;
    assert.deepEqual([counter.aggregation_temporality, counter.is_monotonic], [2, true]);
    assert.equal(counter.data_points[0].start_time_unix_nano, String(BigInt(Math.floor(NOW) - 61_000) * 1_000_000n));
    assert.equal(counter.data_points[0].attributes.find((kv: any) => kv.key === 'path').value.string_value, LONG_VALUE);
    const delta = metrics.get('bytes_sent').sum;
    assert.deepEqual([delta.aggregation_temporality, delta.is_monotonic], [1, true]);
    assert.equal(delta.data_points[0].attributes[0].value.string_value, 'zürich-Ω');
    const updown = metrics.get('queue_depth').sum;
    assert.deepEqual([updown.aggregation_temporality, updown.is_monotonic ?? false, updown.data_points[0].as_double], [2, false, -3]);

    const h = metrics.get('latency').histogram;
    assert.equal(h.aggregation_temporality, 2);
    assert.deepEqual([h.data_points[0].count, h.data_points[0].sum, h.data_points[0].bucket_counts, h.data_points[0].explicit_bounds, h.data_points[0].min, h.data_points[0].max], ['6', 4.2, ['1', '2', '3'], [0.1, 1], 0.05, 3]);
    const e = metrics.get('payload_size').exponential_histogram.data_points[0];
    assert.deepEqual([e.count, e.sum, e.scale, e.zero_count, e.positive.offset, e.positive.bucket_counts, e.negative.offset ?? 0, e.negative.bucket_counts], ['5', 10.5, 2, '1', -1, ['1', '2'], 0, ['1']]);
    const s = metrics.get('rpc_duration').summary.data_points[0];
    assert.deepEqual([s.count, s.sum, s.quantile_values], ['10', 3.3, [{ quantile: 0.5, value: 0.2 }, { quantile: 0.99, value: 1.5 }]]);
  });

  it('round-trips through the project OTLP decoder, protobuf and JSON, to the same series and values', () => {
    const series = new SeriesTable();
    const batch = sampleMetrics(series, NOW);
    const { proto, json } = encode(series, batch);
    // The encoder writes rows grouped by resource and metric; compare in that order.
    const expected = expectedRows(series, batch);
    const byKey = (r: Row): string => `${r.name}|${JSON.stringify(r.labels)}|${r.t}`;
    const sort = (list: Row[]): Row[] => [...list].sort((a, b) => (byKey(a) < byKey(b) ? -1 : 1));
    assertSameRows(sort(decodeWithReceiver(proto, false)), sort(expected));
    assertSameRows(sort(decodeWithReceiver(json, true)), sort(expected));
  });

  it('sends otel_scope_* labels as the instrumentation scope, which the receiver turns back into the same labels', () => {
    const series = new SeriesTable();
    const b = new MetricBatchBuilder(4);
    const labels = { job: 'shop', otel_scope_name: 'io.meter', otel_scope_version: '2.0', otel_scope_lib: 'x', room: 'lab' };
    b.push(series.intern('temperature', labelsFromRecord(labels), MetricKind.GAUGE), Math.floor(NOW) - 1000, 20);
    b.push(series.intern('temperature', labelsFromRecord({ job: 'shop', room: 'hall' }), MetricKind.GAUGE), Math.floor(NOW) - 1000, 21);
    const batch = b.build();
    const { proto, json } = encode(series, batch);
    const req = otlpType('ExportMetricsServiceRequest').toObject(otlpType('ExportMetricsServiceRequest').decode(proto), { defaults: false }) as any;
    const scopes = req.resource_metrics.map((rm: any) => rm.scope_metrics[0].scope);
    assert.deepEqual(scopes, [{ name: 'io.meter', version: '2.0', attributes: [{ key: 'lib', value: { string_value: 'x' } }] }, {}]);
    assert.deepEqual(decodeWithReceiver(proto, false).map((r) => r.labels), [labels, { job: 'shop', room: 'hall' }]);
    assert.deepEqual(decodeWithReceiver(json, true).map((r) => r.labels), [labels, { job: 'shop', room: 'hall' }]);
  });

  it('keeps resources and scopes apart whatever their label values hold (no separator can join two into one)', () => {
    const series = new SeriesTable();
    const b = new MetricBatchBuilder(2);
    // Joined with \0 between pairs and \1 before the scope, both would read the same.
    const first = { job: 'x\u0001otel_scope_name\u0000s', room: 'a' };
    const second = { job: 'x', otel_scope_name: 's\u0001', room: 'b' };
    b.push(series.intern('temperature', labelsFromRecord(first), MetricKind.GAUGE), Math.floor(NOW) - 1000, 1);
    b.push(series.intern('temperature', labelsFromRecord(second), MetricKind.GAUGE), Math.floor(NOW) - 1000, 2);
    const { proto, json } = encode(series, b.build());
    assert.deepEqual(decodeWithReceiver(proto, false).map((r) => r.labels), [first, second]);
    assert.deepEqual(decodeWithReceiver(json, true).map((r) => r.labels), [first, second]);
  });

  it('writes fractional counts (float histograms, diffed cumulative buckets) as protobuf does: truncated, so JSON is accepted too', () => {
    const series = new SeriesTable();
    const b = new MetricBatchBuilder(1);
    b.push(series.intern('h', labelsFromRecord({ job: 'x' }), MetricKind.HISTOGRAM), Math.floor(NOW) - 1000, 1, {
      type: 'histogram', bounds: Float64Array.of(1), counts: Float64Array.of(0.1, 2.7), count: 2.8, sum: 1,
    }, Math.floor(NOW) - 60_000);
    const { proto, json } = encode(series, b.build());
    // Times may differ below a microsecond between the encodings (nanoseconds as a decimal string or fixed64).
    assertSameRows(decodeWithReceiver(json, true), decodeWithReceiver(proto, false));
    assert.deepEqual(JSON.parse(json.toString()).resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].bucketCounts, ['0', '2']);
    // Always a uint64 in decimal: never `1e+21`, never past its maximum.
    assert.deepEqual([1e21, 2 ** 63 + 4096, -1, NaN].map(jsonCount), ['18446744073709551615', '9223372036854779904', '0', '0']);
  });

  it('keeps job and instance as point attributes when labels_to_resource is off', () => {
    const series = new SeriesTable();
    const { proto } = encode(series, sampleMetrics(series, NOW), false);
    const req = otlpType('ExportMetricsServiceRequest').decode(proto) as any;
    assert.equal(req.resource_metrics.length, 1);
    assert.deepEqual(req.resource_metrics[0].resource.attributes, []);
    const temp = req.resource_metrics[0].scope_metrics[0].metrics.find((m: any) => m.name === 'temperature');
    assert.deepEqual(temp.gauge.data_points[0].attributes.map((kv: any) => kv.key), ['instance', 'job', 'room']);
  });

  it('leaves out rows of series no longer in the table and counts them', () => {
    const series = new SeriesTable();
    series.setNow(NOW);
    const batch = sampleMetrics(series, NOW);
    series.setNow(NOW + 10_000);
    series.sweep(NOW + 5_000);
    const { groups, proto } = encode(series, batch);
    assert.deepEqual([groups.points, groups.leftOut.unknownSeries], [0, batch.length]);
    assert.equal(proto.length, 0);
  });

  it('re-encodes a series whose id was reused for another series (generation check)', () => {
    const series = new SeriesTable();
    series.setNow(NOW);
    const cache = new SeriesEncodingCache(series, { labelsToResource: true });
    const first = sampleMetrics(series, NOW);
    const groups = new RowGroups(cache);
    groups.group(first, 0, first.length);
    series.setNow(NOW + 10_000);
    series.sweep(NOW + 5_000);
    const second = sampleMetrics(series, NOW); // same ids, new generation
    groups.group(second, 0, second.length);
    const req = otlpType('ExportMetricsServiceRequest').decode(Buffer.from(new MetricsProtoEncoder(cache).encode(second, groups))) as any;
    const names = req.resource_metrics.flatMap((rm: any) => rm.scope_metrics[0].metrics.map((m: any) => m.name));
    assert.equal(names.length, 7);
    assert.equal(groups.points, second.length);
  });
});
