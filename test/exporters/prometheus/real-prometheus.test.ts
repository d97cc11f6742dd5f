import assert from 'node:assert/strict';
import { SeriesTable } from '../../../src/api';
import { createTestContext } from '../../../src/testing';
import { plugin } from '../../../exporters/prometheus';
import type { PrometheusExporter } from '../../../exporters/prometheus/exporter';
import { startPrometheus, type RunningPrometheus } from '../../helpers/prometheus-server';
import { exporterConfig, point, richBatch } from './fixtures';
import { eventually } from '../../prometheus/eventually';

async function scalar(prom: RunningPrometheus, promql: string): Promise<number | undefined> {
  const res = await prom.query(promql);
  return res.length === 1 ? Number(res[0]!.value![1]) : undefined;
}

describe('prometheus exporter scraped by a real Prometheus', function () {
  this.timeout(40_000);
  let prom: RunningPrometheus | undefined;
  let exporter: PrometheusExporter | undefined;

  afterEach(async () => {
    await exporter?.shutdown!();
    await prom?.stop();
  });

  it('values queried back through the HTTP API equal what was sent', async () => {
    const series = new SeriesTable();
    exporter = plugin.create(createTestContext({
      kind: 'exporter', series,
      config: exporterConfig(),
    })) as PrometheusExporter;
    await exporter.start!();
    const { batch, ids } = richBatch(series, Date.now());
    await exporter.consume(batch);
    prom = await startPrometheus({ scrapeTargets: [{ job: 'nissa', targets: [exporter.address!()], interval: '1s' }] });
    const p = prom;

    assert.equal(await eventually(() => scalar(p, 'up{job="nissa"} == 1')), 1);
    assert.equal(await eventually(() => scalar(p, 'queue_depth_now')), 7.5);
    const gauge = await p.query('queue_depth_now');
    assert.equal(gauge[0]!.metric['host_name'], 'a"b\\c\nd');
    assert.equal(await scalar(p, 'http_requests_total{code="200"}'), 42);
    const buckets = await p.query('http_latency_seconds_bucket{route="/x"}');
    const byLe = Object.fromEntries(buckets.map((s) => [s.metric['le'], Number(s.value![1])]));
    assert.deepEqual(byLe, { '0.1': 1, '1': 3, '5': 6, '+Inf': 10 });
    assert.equal(await scalar(p, 'http_latency_seconds_sum'), 3.5);
    assert.equal(await scalar(p, 'http_latency_seconds_count'), 10);
    assert.equal(await scalar(p, 'rpc_duration_seconds{quantile="0.5"}'), 0.2);
    assert.equal(await scalar(p, 'rpc_duration_seconds{quantile="0.99"}'), 0.9);
    assert.equal(await scalar(p, 'rpc_duration_seconds_count'), 30);
    assert.equal(await scalar(p, 'payload_size_bytes_bucket{le="4"}'), 7);

    // A later update shows up in the next scrapes.
    await exporter.consume(point(ids.counter, Date.now(), 50));
    assert.equal(await eventually(async () => ((await scalar(p, 'http_requests_total')) === 50 ? 50 : undefined)), 50);
  });
});
