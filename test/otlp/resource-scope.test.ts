import assert from 'node:assert/strict';
import { SeriesTable } from '../../src/api';
import { OtlpDecoders, type OtlpDecodeOptions } from '../../src/otlp/decoders';
import { DEFAULT_RESOURCE_TO_LABELS } from '../../src/otlp/resource-policy';
import { encodeOtlpJson } from '../fixtures/otlp/otlp-proto';
import { rows, type Row } from './batch-rows';

const NOW = Date.UTC(2026, 0, 1);
const T = 1767225599000;
const OPTIONS: OtlpDecodeOptions = { maxFutureMs: 3_600_000, resourceToLabels: DEFAULT_RESOURCE_TO_LABELS, seriesCacheSize: 1000 };
const str = (s: string) => ({ stringValue: s });
const attr = (key: string, value: unknown) => ({ key, value });
const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

const RESOURCE = { attributes: [attr('service.name', str('api')), attr('service.namespace', str('shop')), attr('service.instance.id', str('api-1')), attr('host.name', str('h1')), attr('cores', { intValue: '8' })] };
const point = (ms: number, v: number, host = 'a') => ({ timeUnixNano: ns(ms), asDouble: v, attributes: [attr('host', str(host))] });
const gauge = (name: string, points: unknown[]) => ({ name, gauge: { dataPoints: points } });

/** Decodes `doc` as JSON and as protobuf with one decoder each over one table: both must give the same rows and series ids. */
function decodeBoth(doc: unknown, options: OtlpDecodeOptions = OPTIONS): Row[] {
  const series = new SeriesTable();
  const fromJson = new OtlpDecoders(series, options).metrics(Buffer.from(JSON.stringify(doc)), true, NOW);
  const fromProto = new OtlpDecoders(series, options).metrics(encodeOtlpJson('ExportMetricsServiceRequest', doc), false, NOW);
  assert.deepEqual([...fromProto.batch.series], [...fromJson.batch.series], 'protobuf and JSON give the same series');
  assert.deepEqual(rows(fromProto.batch, series), rows(fromJson.batch, series));
  return rows(fromProto.batch, series);
}

describe('OTLP metrics: resource attributes on target_info', () => {
  it('emits one target_info per distinct resource, at its newest point time, even when the resource repeats', () => {
    const doc = { resourceMetrics: [
      { resource: RESOURCE, scopeMetrics: [{ metrics: [gauge('g', [point(T, 1), point(T + 300, 2, 'b')])] }] },
      { resource: RESOURCE, scopeMetrics: [{ metrics: [gauge('h', [point(T + 100, 3)])] }] },
      { resource: { attributes: [attr('service.name', str('solo'))] }, scopeMetrics: [{ metrics: [gauge('g', [point(T, 4)])] }] },
    ] };
    const out = decodeBoth(doc);
    assert.deepEqual(out.map((r) => [r.name, r.v]), [['g', 1], ['g', 2], ['h', 3], ['g', 4], ['target_info', 1]]);
    const target = out[4]!;
    assert.deepEqual([target.labels, target.t, target.kind], [{ job: 'shop/api', instance: 'api-1', 'host.name': 'h1', cores: '8' }, T + 300, 0]);
    assert.deepEqual(out[0]!.labels, { job: 'shop/api', instance: 'api-1', host: 'a' }, 'other resource attributes stay off the series');
  });

  it('emits none when turned off, or when no point under the resource was accepted', () => {
    const doc = { resourceMetrics: [{ resource: RESOURCE, scopeMetrics: [{ metrics: [gauge('g', [point(T, 1)])] }] }] };
    assert.deepEqual(decodeBoth(doc, { ...OPTIONS, resourceToLabels: { ...DEFAULT_RESOURCE_TO_LABELS, target_info: false } }).map((r) => r.name), ['g']);
    const rejected = { resourceMetrics: [{ resource: RESOURCE, scopeMetrics: [{ metrics: [gauge('g', [point(0, 1)])] }] }] };
    assert.deepEqual(decodeBoth(rejected), []);
  });

  it('keeps service.name on target_info when it is not promoted to job', () => {
    const out = decodeBoth({ resourceMetrics: [{ resource: RESOURCE, scopeMetrics: [{ metrics: [gauge('g', [point(T, 1)])] }] }] }, { ...OPTIONS, resourceToLabels: { ...DEFAULT_RESOURCE_TO_LABELS, job: false } });
    assert.deepEqual(out[1]!.labels, { instance: 'api-1', 'service.name': 'api', 'service.namespace': 'shop', 'host.name': 'h1', cores: '8' });
  });

  it('resolves the target_info series once per resource and re-interns it after the table evicted it', () => {
    const series = new SeriesTable();
    series.setNow(NOW);
    const decoders = new OtlpDecoders(series, OPTIONS);
    const body = encodeOtlpJson('ExportMetricsServiceRequest', { resourceMetrics: [{ resource: RESOURCE, scopeMetrics: [{ metrics: [gauge('g', [point(T, 1)])] }] }] });
    const first = decoders.metrics(body, false, NOW).batch;
    assert.equal(decoders.metrics(body, false, NOW).batch.series[1], first.series[1]);
    series.setNow(NOW + 10_000);
    assert.equal(series.sweep(NOW + 5_000), 2);
    series.intern('other', [], 0);
    series.intern('another', [], 0);
    const third = decoders.metrics(body, false, NOW).batch;
    assert.deepEqual(rows(third, series).map((r) => r.name), ['g', 'target_info']);
  });
});

describe('OTLP metrics: instrumentation scope labels', () => {
  const scoped = (scope: unknown) => ({ resourceMetrics: [{ resource: { attributes: [attr('service.name', str('api'))] }, scopeMetrics: [{ scope, metrics: [gauge('g', [point(T, 1)])] }] }] });

  it('adds otel_scope_name, otel_scope_version and otel_scope_<key> for scope attributes', () => {
    const [row] = decodeBoth(scoped({ name: 'io.meter', version: '2.0', attributes: [attr('lib', str('x')), attr('n', { intValue: '3' })] }));
    assert.deepEqual(row!.labels, { job: 'api', host: 'a', otel_scope_name: 'io.meter', otel_scope_version: '2.0', otel_scope_lib: 'x', otel_scope_n: '3' });
    const [bare] = decodeBoth(scoped({ name: 'io.meter' }));
    assert.deepEqual(bare!.labels, { job: 'api', host: 'a', otel_scope_name: 'io.meter' }, 'an empty version adds no label');
  });

  it('adds none when scope_labels is off', () => {
    const [row] = decodeBoth(scoped({ name: 'io.meter', version: '2.0' }), { ...OPTIONS, scopeLabels: false });
    assert.deepEqual(row!.labels, { job: 'api', host: 'a' });
  });

  it('keys the series cache on the scope: the same metric and attributes under two scopes are two series', () => {
    const doc = { resourceMetrics: [{ scopeMetrics: [
      { scope: { name: 'one' }, metrics: [gauge('g', [point(T, 1)])] },
      { scope: { name: 'two' }, metrics: [gauge('g', [point(T, 2)])] },
    ] }] };
    const series = new SeriesTable();
    const decoders = new OtlpDecoders(series, OPTIONS);
    const body = encodeOtlpJson('ExportMetricsServiceRequest', doc);
    for (let i = 0; i < 3; i++) {
      const out = rows(decoders.metrics(body, false, NOW).batch, series);
      assert.deepEqual(out.map((r) => [r.labels['otel_scope_name'], r.v]), [['one', 1], ['two', 2]]);
    }
    assert.equal(series.size, 2);
  });

  it('keeps a name used with two kinds under one scope as two metrics', () => {
    // Other attributes: the series table keys a series by name and labels only (the first kind wins).
    const sum = { name: 'g', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [point(T, 5, 'b')] } };
    const body = encodeOtlpJson('ExportMetricsServiceRequest', { resourceMetrics: [{ scopeMetrics: [{ metrics: [gauge('g', [point(T, 1)]), sum] }] }] });
    const series = new SeriesTable();
    const decoders = new OtlpDecoders(series, OPTIONS);
    for (let i = 0; i < 2; i++) assert.deepEqual(rows(decoders.metrics(body, false, NOW).batch, series).map((r) => [r.kind, r.v]), [[0, 1], [1, 5]]);
    assert.equal(series.size, 2);
  });

  it('refuses every point under a scope with duplicate attribute keys', () => {
    const doc = scoped({ name: 's', attributes: [attr('k', str('1')), attr('k', str('2'))] });
    for (const [body, json] of [[Buffer.from(JSON.stringify(doc)), true], [encodeOtlpJson('ExportMetricsServiceRequest', doc), false]] as const) {
      const result = new OtlpDecoders(new SeriesTable(), OPTIONS).metrics(body, json, NOW);
      assert.deepEqual([result.batch.length, [...result.rejected.reasons]], [0, [['duplicate_attribute_key', 1]]]);
    }
  });
});
