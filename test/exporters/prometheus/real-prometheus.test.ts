import assert from 'node:assert/strict';
import { SeriesTable } from '../../../src/api';
import { createTestContext } from '../../../src/testing';
import { plugin } from '../../../exporters/prometheus';
import type { PrometheusExporter } from '../../../exporters/prometheus/exporter';
import { startPrometheus, type RunningPrometheus } from '../../helpers/prometheus-server';
import { eventually } from '../../prometheus/eventually';
import { exporterConfig, point, richBatch, type RichBatchIds } from './fixtures';

async function scalar(prom: RunningPrometheus, promql: string): Promise<number | undefined> {
  const res = await prom.query(promql);
  return res.length === 1 ? Number(res[0]!.value![1]) : undefined;
}

async function startExporter(enableOpenMetrics: boolean): Promise<{ exporter: PrometheusExporter; ids: RichBatchIds }> {
  const series = new SeriesTable();
  const exporter = plugin.create(createTestContext({
    kind: 'exporter', series, config: exporterConfig({ enable_open_metrics: enableOpenMetrics }),
  })) as PrometheusExporter;
  await exporter.start!();
  const { batch, ids } = richBatch(series, Date.now());
  await exporter.consume(batch);
  return { exporter, ids };
}

describe('prometheus exporter scraped by a real Prometheus', function () {
  // Prometheus takes up to 20 s to be ready on a loaded machine, and each wait for a scrape up to 20 s.
  this.timeout(120_000);
  const exporters: PrometheusExporter[] = [];
  let prom: RunningPrometheus | undefined;

  afterEach(async () => {
    for (const e of exporters.splice(0)) await e.shutdown!();
    await prom?.stop();
  });

  it('values queried back through the HTTP API equal what was sent (OpenMetrics and text format)', async () => {
    const om = await startExporter(true);
    const text = await startExporter(false);
    exporters.push(om.exporter, text.exporter);
    prom = await startPrometheus({
      scrapeTargets: [
        { job: 'om', targets: [om.exporter.address!()], interval: '1s' },
        { job: 'text', targets: [text.exporter.address!()], interval: '1s' },
      ],
    });
    const p = prom;
    for (const job of ['om', 'text']) {
      const sel = (extra = '') => `{job="${job}"${extra}}`;
      assert.equal(await eventually(() => scalar(p, `queue_depth_now${sel()}`)), 7.5, job);
      assert.equal(await scalar(p, `up${sel()}`), 1);
      const gauge = await p.query(`queue_depth_now${sel()}`);
      assert.equal(gauge[0]!.metric['host_name'], 'a"b\\c\nd');
      assert.equal(await scalar(p, `http_requests_total${sel(',code="200"')}`), 42);
      const buckets = await p.query(`http_latency_seconds_bucket${sel(',route="/x"')}`);
      const byLe = Object.fromEntries(buckets.map((s) => [s.metric['le'], Number(s.value![1])]));
      assert.deepEqual(byLe, { '0.1': 1, '1': 3, '5': 6, '+Inf': 10 }, job);
      assert.equal(await scalar(p, `http_latency_seconds_sum${sel()}`), 3.5);
      assert.equal(await scalar(p, `http_latency_seconds_count${sel()}`), 10);
      assert.equal(await scalar(p, `rpc_duration_seconds${sel(',quantile="0.5"')}`), 0.2);
      assert.equal(await scalar(p, `rpc_duration_seconds${sel(',quantile="0.99"')}`), 0.9);
      assert.equal(await scalar(p, `rpc_duration_seconds_count${sel()}`), 30);
      assert.equal(await scalar(p, `rpc_duration_seconds_sum${sel()}`), 12);
      assert.equal(await scalar(p, `payload_size_bytes_count${sel()}`), 7);
    }
    // The exponential histogram has a negative bucket: OpenMetrics leaves its _sum out, the text
    // format keeps it. So this also shows the om job was served OpenMetrics.
    assert.equal(await scalar(p, 'payload_size_bytes_sum{job="text"}'), 100);
    assert.equal(await scalar(p, 'payload_size_bytes_sum{job="om"}'), undefined);

    // A later update shows up in the next scrapes.
    await om.exporter.consume(point(om.ids.counter, Date.now(), 50));
    assert.equal(await eventually(async () => ((await scalar(p, 'http_requests_total{job="om"}')) === 50 ? 50 : undefined)), 50);
  });
});
