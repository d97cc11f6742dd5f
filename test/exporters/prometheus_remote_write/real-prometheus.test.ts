import assert from 'node:assert/strict';
import { MetricBatchBuilder, MetricKind, STALE_NAN, SeriesTable, labelsFromRecord } from '../../../src/api';
import { createTestContext, pluginConfig } from '../../../src/testing';
import { plugin } from '../../../exporters/prometheus_remote_write';
import type { RemoteWriteExporterConfig } from '../../../exporters/prometheus_remote_write/config';
import { startPrometheus, type RunningPrometheus } from '../../helpers/prometheus-server';
import { oneBucketHistogram } from '../../helpers/one-bucket-histogram';

/** Raw samples of every series matching `selector`, via a range-vector instant query. */
async function rawSamples(prom: RunningPrometheus, selector: string, atMs: number): Promise<Map<string, [number, number][]>> {
  const result = await prom.query(`${selector}[10m]`, atMs);
  const out = new Map<string, [number, number][]>();
  for (const s of result) {
    const key = Object.entries(s.metric).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',');
    out.set(key, s.values!.map(([t, v]) => [Math.round(t * 1000), Number(v)]));
  }
  return out;
}

describe('prometheus_remote_write exporter → real Prometheus', function () {
  this.timeout(60_000);
  let prom: RunningPrometheus;
  before(async () => {
    prom = await startPrometheus({ remoteWriteReceiver: true });
  });
  after(async () => {
    await prom?.stop();
  });

  it('samples are queried back exactly: names, labels, values, timestamps', async () => {
    const table = new SeriesTable();
    const config = pluginConfig<RemoteWriteExporterConfig>(plugin, { endpoint: `${prom.url}/api/v1/write`, num_shards: 2, external_labels: { env: 'test' } });
    const ctx = createTestContext({ kind: 'exporter', config, series: table });
    const exporter = plugin.create(ctx);
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const gauge = table.intern('rwtest.temperature', labelsFromRecord({ room: 'kitchen', 'sensor.id': '7' }), MetricKind.GAUGE, { unit: 'Cel' });
    const counter = table.intern('rwtest_requests', labelsFromRecord({ code: '200' }), MetricKind.COUNTER);
    const hist = table.intern('rwtest_latency', labelsFromRecord({}), MetricKind.HISTOGRAM, { unit: 's' });
    const b = new MetricBatchBuilder();
    for (let i = 0; i < 5; i++) {
      const t = t0 + i * 10_000 + 123;
      b.push(gauge, t, 21.123456789 + i / 3);
      b.push(counter, t, 1e15 + i);
      b.push(hist, t, 1.5 * i, { type: 'histogram', bounds: Float64Array.of(0.25, 2.5), counts: Float64Array.of(i, 1, 2), count: i + 3, sum: 1.5 * i });
    }
    await exporter.consume(b.build());
    await exporter.shutdown?.();
    const got = await rawSamples(prom, '{__name__=~"rwtest_.*"}', t0 + 60_000);
    const times = [0, 1, 2, 3, 4].map((i) => t0 + i * 10_000 + 123);
    const expect = (f: (i: number) => number) => times.map((t, i) => [t, f(i)]);
    assert.deepEqual(got.get('__name__=rwtest_temperature_celsius,env=test,room=kitchen,sensor_id=7'), expect((i) => 21.123456789 + i / 3));
    assert.deepEqual(got.get('__name__=rwtest_requests_total,code=200,env=test'), expect((i) => 1e15 + i));
    assert.deepEqual(got.get('__name__=rwtest_latency_seconds_bucket,env=test,le=0.25'), expect((i) => i));
    assert.deepEqual(got.get('__name__=rwtest_latency_seconds_bucket,env=test,le=2.5'), expect((i) => i + 1));
    assert.deepEqual(got.get('__name__=rwtest_latency_seconds_bucket,env=test,le=+Inf'), expect((i) => i + 3));
    assert.deepEqual(got.get('__name__=rwtest_latency_seconds_sum,env=test'), expect((i) => 1.5 * i));
    assert.deepEqual(got.get('__name__=rwtest_latency_seconds_count,env=test'), expect((i) => i + 3));
    assert.equal(got.size, 7);
    assert.equal(ctx.telemetry.drops.size, 0);
  });

  it('a stale marker ends the series in Prometheus, and a histogram\'s own le label arrives as exported_le', async () => {
    const table = new SeriesTable();
    const config = pluginConfig<RemoteWriteExporterConfig>(plugin, { endpoint: `${prom.url}/api/v1/write`, add_metric_suffixes: false });
    const ctx = createTestContext({ kind: 'exporter', config, series: table });
    const exporter = plugin.create(ctx);
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const gauge = table.intern('rwstale_level', labelsFromRecord({ host: 'a' }), MetricKind.GAUGE);
    const hist = table.intern('rwle_latency', labelsFromRecord({ le: 'mine' }), MetricKind.HISTOGRAM);
    const b = new MetricBatchBuilder();
    b.push(gauge, t0, 1);
    b.push(gauge, t0 + 10_000, 2);
    b.push(gauge, t0 + 20_000, STALE_NAN);
    b.push(hist, t0, 1, oneBucketHistogram(1));
    await exporter.consume(b.build());
    await exporter.shutdown?.();
    // Without the marker, the last value would answer for five minutes (Prometheus's lookback).
    assert.deepEqual((await prom.query('rwstale_level', t0 + 15_000)).map((s) => s.value![1]), ['2']);
    assert.deepEqual(await prom.query('rwstale_level', t0 + 25_000), []);
    const buckets = await prom.query('rwle_latency_bucket', t0 + 1000);
    assert.deepEqual(buckets.map((s) => [s.metric['exported_le'], s.metric['le']]).sort(), [['mine', '+Inf'], ['mine', '1']]);
    assert.equal(ctx.telemetry.drops.size, 0, 'Prometheus refused nothing');
  });
});
