import assert from 'node:assert/strict';
import { labelsFromRecord, MetricKind, NO_LABELS, SeriesTable, STALE_NAN } from '../../../src/api';
import { createTestContext, FakeClock } from '../../../src/testing';
import { plugin } from '../../../exporters/prometheus';
import type { PrometheusExporterConfig } from '../../../exporters/prometheus/config';
import type { PrometheusExporter } from '../../../exporters/prometheus/exporter';
import { checkMetrics } from '../../helpers/promtool';
import { exporterConfig, point, richBatch } from './fixtures';
import { oneBucketHistogram } from '../../helpers/one-bucket-histogram';

const OM_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

function setup(over: Partial<PrometheusExporterConfig> = {}) {
  const clock = new FakeClock();
  const series = new SeriesTable();
  const ctx = createTestContext({ kind: 'exporter', config: exporterConfig(over), clock, series });
  const exporter = plugin.create(ctx) as PrometheusExporter;
  return { clock, series, exporter, ctx, text: () => exporter.expose(undefined).body };
}

describe('prometheus exporter: exposition', () => {
  it('renders every kind in the text format with HELP/TYPE once per family', async () => {
    const { series, exporter, clock, text } = setup();
    await exporter.consume(richBatch(series, clock.now()).batch);
    const out = text();
    assert.match(out, /# HELP queue_depth_now Queue depth\\nright now\n# TYPE queue_depth_now gauge\n/);
    assert.match(out, /queue_depth_now\{_0zone="eu",host_name="a\\"b\\\\c\\nd"\} 7\.5\n/);
    assert.match(out, /# TYPE http_requests_total counter\nhttp_requests_total\{code="200"\} 42\n/);
    assert.ok(out.includes([
      '# TYPE http_latency_seconds histogram',
      'http_latency_seconds_bucket{route="/x",le="0.1"} 1',
      'http_latency_seconds_bucket{route="/x",le="1"} 3',
      'http_latency_seconds_bucket{route="/x",le="5"} 6',
      'http_latency_seconds_bucket{route="/x",le="+Inf"} 10',
      'http_latency_seconds_sum{route="/x"} 3.5',
      'http_latency_seconds_count{route="/x"} 10',
    ].join('\n')), out);
    assert.ok(out.includes([
      'rpc_duration_seconds{svc="db",quantile="0.5"} 0.2',
      'rpc_duration_seconds{svc="db",quantile="0.99"} 0.9',
      'rpc_duration_seconds_sum{svc="db"} 12',
      'rpc_duration_seconds_count{svc="db"} 30',
    ].join('\n')), out);
    // Exponential (scale 0, base 2): negative (-2,-1], zero, (1,2], (2,4].
    assert.ok(out.includes([
      'payload_size_bytes_bucket{le="-1"} 1',
      'payload_size_bytes_bucket{le="0"} 2',
      'payload_size_bytes_bucket{le="2"} 4',
      'payload_size_bytes_bucket{le="4"} 7',
      'payload_size_bytes_bucket{le="+Inf"} 7',
    ].join('\n')), out);
    for (const fam of ['queue_depth_now', 'http_requests_total', 'http_latency_seconds', 'rpc_duration_seconds', 'payload_size_bytes']) {
      assert.equal(out.split(`# TYPE ${fam} `).length, 2, `one TYPE for ${fam}`);
    }
    assert.ok(!out.includes('# EOF'));
  });

  it('groups series of one family together and sorts families', async () => {
    const { series, exporter, clock, text } = setup();
    const a1 = series.intern('b_metric', labelsFromRecord({ x: '1' }), MetricKind.GAUGE);
    const other = series.intern('a_metric', NO_LABELS, MetricKind.GAUGE);
    const a2 = series.intern('b_metric', labelsFromRecord({ x: '2' }), MetricKind.GAUGE);
    for (const id of [a1, other, a2]) await exporter.consume(point(id, clock.now(), id));
    const lines = text().split('\n').filter((l) => !l.startsWith('#') && l);
    assert.deepEqual(lines.map((l) => l.split(/[{ ]/)[0]), ['a_metric', 'b_metric', 'b_metric']);
  });

  it('serves OpenMetrics when Accept asks for it', async () => {
    const { series, exporter, clock } = setup();
    await exporter.consume(richBatch(series, clock.now()).batch);
    const om = exporter.expose(OM_ACCEPT);
    assert.match(om.contentType, /^application\/openmetrics-text; version=1\.0\.0/);
    assert.match(om.body, /# TYPE http_requests counter\nhttp_requests_total\{code="200"\} 42\n/);
    assert.match(om.body, /# HELP queue_depth_now Queue depth\\nright now\n/);
    assert.ok(om.body.endsWith('# EOF\n'));
    // OpenMetrics: a histogram with a negative bucket threshold has no _sum (it would not be a counter).
    assert.match(om.body, /payload_size_bytes_bucket\{le="\+Inf"\} 7\npayload_size_bytes_count 7\n/);
    assert.match(om.body, /\nhttp_latency_seconds_sum\{route="\/x"\} 3.5\n/);
    const text = exporter.expose('text/plain;version=0.0.4');
    assert.match(text.contentType, /^text\/plain; version=0\.0\.4/);
    assert.match(text.body, /\npayload_size_bytes_sum 100\n/, 'the text format keeps it');
    const disabled = setup({ enable_open_metrics: false });
    assert.match(disabled.exporter.expose(OM_ACCEPT).contentType, /^text\/plain/);
  });

  it('leaves a negative or NaN _sum out of OpenMetrics only', async () => {
    const { series, exporter, clock } = setup();
    const h = series.intern('h', NO_LABELS, MetricKind.HISTOGRAM);
    const s = series.intern('s', NO_LABELS, MetricKind.SUMMARY);
    const n = series.intern('n', NO_LABELS, MetricKind.SUMMARY);
    // Non-negative bounds, but an observation below the first one made the sum negative.
    await exporter.consume({ ...point(h, clock.now(), -3), complex: [oneBucketHistogram(-3)] });
    await exporter.consume({ ...point(s, clock.now(), -2), complex: [{ type: 'summary' as const, quantiles: Float64Array.of(0.5), values: Float64Array.of(-2), count: 1, sum: -2 }] });
    await exporter.consume({ ...point(n, clock.now(), NaN), complex: [{ type: 'summary' as const, quantiles: Float64Array.of(0.5), values: Float64Array.of(1), count: 1, sum: NaN }] });
    const om = exporter.expose(OM_ACCEPT).body;
    for (const name of ['h', 's', 'n']) {
      assert.doesNotMatch(om, new RegExp(`^${name}_sum `, 'm'), om);
      assert.match(om, new RegExp(`^${name}_count 1$`, 'm'), om);
    }
    const text = exporter.expose(undefined).body;
    assert.match(text, /^h_sum -3$/m);
    assert.match(text, /^s_sum -2$/m);
    assert.match(text, /^n_sum NaN$/m);
  });

  it('writes one sample when series render alike once empty labels are left out: the oldest', async () => {
    const { series, exporter, clock, text } = setup();
    const withEmpty = series.intern('level', labelsFromRecord({ empty: '' }), MetricKind.GAUGE);
    const plain = series.intern('level', NO_LABELS, MetricKind.GAUGE);
    await exporter.consume(point(withEmpty, clock.now(), 1));
    await exporter.consume(point(plain, clock.now(), 2));
    assert.deepEqual(text().split('\n').filter((l) => l.startsWith('level')), ['level 1']);
  });

  it('applies namespace and const_labels, and sends timestamps when asked', async () => {
    const { series, exporter, text } = setup({ namespace: 'nissa', const_labels: { env: 'prod', region: 'x' }, send_timestamps: true });
    const id = series.intern('up_time', labelsFromRecord({ region: 'own' }), MetricKind.GAUGE);
    await exporter.consume(point(id, 1_700_000_000_123, 5));
    assert.match(text(), /\nnissa_up_time\{env="prod",region="own"\} 5 1700000000123\n/);
    assert.match(exporter.expose(OM_ACCEPT).body, /\nnissa_up_time\{env="prod",region="own"\} 5 1700000000\.123\n/);
  });

  it('accumulates delta counters, keeps the newest cumulative value, removes stale series', async () => {
    const { series, exporter, clock, text } = setup();
    const d = series.intern('jobs', NO_LABELS, MetricKind.DELTA_COUNTER);
    const c = series.intern('hits_total', NO_LABELS, MetricKind.COUNTER);
    const t = clock.now();
    await exporter.consume(point(d, t, 3));
    await exporter.consume(point(d, t + 1, 4));
    await exporter.consume(point(c, t + 10, 9));
    await exporter.consume(point(c, t + 5, 1)); // older: ignored
    assert.match(text(), /\njobs_total 7\n/);
    assert.match(text(), /\nhits_total 9\n/);
    await exporter.consume(point(c, t + 20, STALE_NAN));
    assert.ok(!text().includes('hits_total'));
    assert.match(text(), /\njobs_total 7\n/);
  });

  it('expires series not updated for metric_expiration', async () => {
    const { series, exporter, clock, text } = setup({ metric_expiration: '1m' });
    const a = series.intern('old_one', NO_LABELS, MetricKind.GAUGE);
    const b = series.intern('fresh_one', NO_LABELS, MetricKind.GAUGE);
    await exporter.consume(point(a, clock.now(), 1));
    clock.advance(40_000);
    await exporter.consume(point(b, clock.now(), 2));
    clock.advance(30_000);
    assert.ok(!text().includes('old_one'));
    assert.match(text(), /fresh_one 2/);
    clock.advance(31_000);
    assert.equal(text(), '');
  });

  it('forgets evicted series ids and never shows a reused id with stale labels', async () => {
    const { series, exporter, clock, text } = setup();
    const a = series.intern('gone', NO_LABELS, MetricKind.GAUGE);
    await exporter.consume(point(a, clock.now(), 1));
    assert.match(text(), /gone 1/);
    series.sweep(Number.MAX_SAFE_INTEGER);
    assert.equal(text(), '');
    const b = series.intern('reborn', NO_LABELS, MetricKind.GAUGE);
    assert.equal(b, a, 'the table reuses the id');
    await exporter.consume(point(b, clock.now(), 2));
    assert.equal(text().includes('gone'), false);
    assert.match(text(), /reborn 2/);
  });

  it('skips and counts rows whose series the table evicted in flight', async () => {
    const { series, exporter, clock, text, ctx } = setup();
    const a = series.intern('evicted_in_flight', NO_LABELS, MetricKind.GAUGE);
    const batch = point(a, clock.now(), 1);
    series.sweep(Number.MAX_SAFE_INTEGER);
    await exporter.consume(batch);
    assert.equal(text(), '');
    assert.equal(ctx.telemetry.drops.get('unknown_series'), 1);
  });

  it('leaves out a series whose family name is taken by another type', async () => {
    const { series, exporter, clock, text } = setup();
    const g = series.intern('dup', labelsFromRecord({ a: '1' }), MetricKind.GAUGE);
    const h = series.intern('dup', labelsFromRecord({ a: '2' }), MetricKind.SUMMARY);
    await exporter.consume(point(g, clock.now(), 1));
    await exporter.consume(point(h, clock.now(), 1));
    assert.equal(text().split('# TYPE dup ').length, 2);
  });

  it('renames a histogram\'s own le label (and a summary\'s quantile) to exported_*, which the exposition writes itself', async () => {
    const { series, exporter, clock, text } = setup();
    const h = series.intern('lat', labelsFromRecord({ le: 'mine' }), MetricKind.HISTOGRAM);
    const b = point(h, clock.now(), 1);
    const complex = [oneBucketHistogram(0.5)];
    await exporter.consume({ ...b, complex });
    const out = text();
    assert.match(out, /^lat_bucket\{exported_le="mine",le="1"\} 1$/m, out);
    const check = await checkMetrics(out);
    assert.equal(check.ok, true, check.output);
  });

  it('drops a __name__ attribute and empty values, and adds const labels the series does not set', async () => {
    const { series, exporter, clock, text } = setup({ const_labels: { env: 'prod', job: 'const' } });
    const h = series.intern('lat', labelsFromRecord({ __name__: 'other', empty: '', job: 'j' }), MetricKind.HISTOGRAM);
    const g = series.intern('level', labelsFromRecord({ empty: '' }), MetricKind.GAUGE);
    const b = point(h, clock.now(), 1);
    await exporter.consume({ ...b, complex: [oneBucketHistogram(0.5)] });
    await exporter.consume(point(g, clock.now(), 2));
    const out = text();
    assert.match(out, /^lat_bucket\{env="prod",job="j",le="1"\} 1$/m, out);
    assert.match(out, /^lat_sum\{env="prod",job="j"\} 0\.5$/m, out);
    assert.match(out, /^level\{env="prod",job="const"\} 2$/m, out);
    const check = await checkMetrics(out);
    assert.equal(check.ok, true, check.output);
  });

  it('writes one sample for series whose names sanitise alike with the same labels', async () => {
    const { series, exporter, clock, text } = setup();
    const dotted = series.intern('http.requests', labelsFromRecord({ a: '1' }), MetricKind.GAUGE);
    const plain = series.intern('http_requests', labelsFromRecord({ a: '1' }), MetricKind.GAUGE);
    await exporter.consume(point(dotted, clock.now(), 1));
    await exporter.consume(point(plain, clock.now(), 2));
    assert.equal(text().split('\n').filter((l) => l.startsWith('http_requests{')).length, 1);
  });

  it('leaves out a family that renders like another: a gauge x_total beside a counter x (written x_total)', async () => {
    const { series, exporter, clock, text } = setup();
    const counter = series.intern('x_total', labelsFromRecord({ a: '1' }), MetricKind.COUNTER);
    const gauge = series.intern('x_total', labelsFromRecord({ a: '2' }), MetricKind.GAUGE);
    await exporter.consume(point(counter, clock.now(), 1));
    await exporter.consume(point(gauge, clock.now(), 2));
    const out = text();
    assert.equal(out.split('# TYPE x_total ').length, 2, out);
    assert.match(out, /^x_total\{a="1"\} 1$/m);
    assert.doesNotMatch(out, /a="2"/);
    const check = await checkMetrics(out);
    assert.equal(check.ok, true, check.output);
  });
});
