import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isStaleMarker, SeriesTable } from '../../src/api';
import { MalformedRequestError, OtlpDecoders, type OtlpDecodeOptions } from '../../src/otlp/decoders';
import { DEFAULT_RESOURCE_TO_LABELS } from '../../src/otlp/resource-policy';
import { otlpFixturePath } from '../fixtures/otlp/fixture-path';
import { encodeOtlpJson } from '../fixtures/otlp/otlp-proto';
import { rows } from './batch-rows';
import { EXPECTED_EVENTS, EXPECTED_METRIC_ROWS } from './expected-fixtures';

const NOW = Date.UTC(2026, 0, 1);
const OPTIONS: OtlpDecodeOptions = { maxFutureMs: 3_600_000, resourceToLabels: DEFAULT_RESOURCE_TO_LABELS, seriesCacheSize: 1000 };

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(otlpFixturePath(name), 'utf8'));
}

function json(v: unknown): Buffer {
  return Buffer.from(JSON.stringify(v));
}

describe('OTLP decoders: fixtures of every metric type and logs', () => {
  it('decodes the JSON metrics fixture to the exact expected rows', () => {
    const series = new SeriesTable();
    const result = new OtlpDecoders(series, OPTIONS).metrics(json(fixture('metrics-all-types.json')), true, NOW);
    assert.equal(result.rejected.total, 0);
    assert.deepEqual(rows(result.batch, series), EXPECTED_METRIC_ROWS);
    assert.ok(isStaleMarker(result.batch.values[1]!), 'no-recorded-value flag becomes the Prometheus stale marker');
    assert.equal(series.info(result.batch.series[0]!).unit, 'Cel');
    assert.equal(series.info(result.batch.series[0]!).description, 'Room temperature');
  });

  it('decodes the same fixture encoded as protobuf to the same rows and series ids', () => {
    const series = new SeriesTable();
    const decoders = new OtlpDecoders(series, OPTIONS);
    const fromJson = decoders.metrics(json(fixture('metrics-all-types.json')), true, NOW);
    const fromProto = decoders.metrics(encodeOtlpJson('ExportMetricsServiceRequest', fixture('metrics-all-types.json')), false, NOW);
    assert.equal(fromProto.rejected.total, 0);
    assert.deepEqual(rows(fromProto.batch, series), EXPECTED_METRIC_ROWS);
    assert.ok(isStaleMarker(fromProto.batch.values[1]!));
    assert.deepEqual([...fromProto.batch.series], [...fromJson.batch.series]);
  });

  it('reuses cached series ids and re-interns ids the series table evicted', () => {
    const series = new SeriesTable();
    series.setNow(NOW);
    const decoders = new OtlpDecoders(series, OPTIONS);
    const body = encodeOtlpJson('ExportMetricsServiceRequest', fixture('metrics-all-types.json'));
    const first = decoders.metrics(body, false, NOW);
    const second = decoders.metrics(body, false, NOW);
    assert.deepEqual([...second.batch.series], [...first.batch.series]);
    series.setNow(NOW + 10_000);
    assert.equal(series.sweep(NOW + 5_000), EXPECTED_METRIC_ROWS.length);
    series.intern('other', [], 0); // takes a freed id, so a stale cache entry would now be wrong
    const third = decoders.metrics(body, false, NOW);
    assert.deepEqual(rows(third.batch, series), EXPECTED_METRIC_ROWS);
  });

  it('decodes the JSON logs fixture and its protobuf encoding to the expected events', () => {
    const decoders = new OtlpDecoders(new SeriesTable(), OPTIONS);
    const fromJson = decoders.logs(json(fixture('logs.json')), true, NOW);
    assert.equal(fromJson.rejected.total, 0);
    assert.deepEqual(fromJson.batch.items, EXPECTED_EVENTS);
    const fromProto = decoders.logs(encodeOtlpJson('ExportLogsServiceRequest', fixture('logs.json')), false, NOW);
    assert.equal(fromProto.rejected.total, 0);
    assert.deepEqual(fromProto.batch.items, EXPECTED_EVENTS);
  });

  it('accepts snake_case field names in JSON', () => {
    const series = new SeriesTable();
    const doc = { resource_metrics: [{ scope_metrics: [{ metrics: [{ name: 'g', gauge: { data_points: [{ time_unix_nano: '1767225599000000000', as_double: 1 }] } }] }] }] };
    const result = new OtlpDecoders(series, OPTIONS).metrics(json(doc), true, NOW);
    assert.deepEqual(rows(result.batch, series).map((r) => [r.name, r.t, r.v]), [['g', 1767225599000, 1]]);
  });
});

describe('OTLP decoders: 64-bit integers in JSON', () => {
  it('converts nanosecond strings above 2^53 exactly and keeps the closest double for asInt', () => {
    const series = new SeriesTable();
    const doc = {
      resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'c', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [
        { attributes: [{ key: 'id', value: { intValue: '9007199254740993' } }], timeUnixNano: '1767225599123456789', asInt: '9007199254740993' },
        { timeUnixNano: 1767225599000000000, asInt: 7 },
      ] } }] }] }],
    };
    const result = new OtlpDecoders(series, OPTIONS).metrics(json(doc), true, NOW);
    const [big, small] = rows(result.batch, series);
    assert.equal(big!.t, 1767225599123.456789);
    assert.equal(big!.v, 9007199254740992);
    assert.deepEqual(big!.labels, { id: '9007199254740993' });
    assert.equal(small!.t, 1767225599000);
    assert.equal(small!.v, 7);
  });

  it('refuses a non-numeric 64-bit field as malformed', () => {
    const doc = { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: 'soon', asDouble: 1 }] } }] }] }] };
    assert.throws(() => new OtlpDecoders(new SeriesTable(), OPTIONS).metrics(json(doc), true, NOW), MalformedRequestError);
  });
});

describe('OTLP decoders: resource attributes to labels', () => {
  const doc = {
    resourceMetrics: [{
      resource: { attributes: [
        { key: 'service.name', value: { stringValue: 'api' } },
        { key: 'k8s.pod.name', value: { stringValue: 'api-7' } },
        { key: 'k8s.namespace.name', value: { stringValue: 'prod' } },
        { key: 'cloud.region', value: { stringValue: 'eu' } },
      ] },
      scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [
        { timeUnixNano: '1767225599000000000', asDouble: 1, attributes: [{ key: 'cloud.region', value: { stringValue: 'us' } }, { key: 'job', value: { stringValue: 'mine' } }] },
      ] } }] }],
    }],
  };

  it('promotes by pattern, lets datapoint attributes win over promoted ones and job win over all', () => {
    const series = new SeriesTable();
    const options = { ...OPTIONS, resourceToLabels: { ...DEFAULT_RESOURCE_TO_LABELS, promote: ['k8s.*', 'cloud.region'] } };
    const [row] = rows(new OtlpDecoders(series, options).metrics(json(doc), true, NOW).batch, series);
    assert.deepEqual(row!.labels, { 'cloud.region': 'us', job: 'api', 'k8s.namespace.name': 'prod', 'k8s.pod.name': 'api-7' });
  });

  it('can prefix promoted names and turn job off', () => {
    const series = new SeriesTable();
    const options = { ...OPTIONS, resourceToLabels: { ...DEFAULT_RESOURCE_TO_LABELS, job: false, promote: ['k8s.pod.name'], prefix: 'resource_' } };
    const [row] = rows(new OtlpDecoders(series, options).metrics(json(doc), true, NOW).batch, series);
    assert.deepEqual(row!.labels, { 'cloud.region': 'us', job: 'mine', 'resource_k8s.pod.name': 'api-7' });
  });
});
