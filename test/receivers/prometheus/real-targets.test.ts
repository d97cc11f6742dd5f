import assert from 'node:assert/strict';
import { MetricKind, SeriesTable, type ExplicitHistogram, type MetricBatch, type Summary } from '../../../src/api';
import { CollectingOutput, createTestContext, receiverContext } from '../../../src/testing';
import { plugin as receiverPlugin } from '../../../receivers/prometheus';
import type { PrometheusReceiver } from '../../../receivers/prometheus/receiver';
import { plugin as exporterPlugin } from '../../../exporters/prometheus';
import type { PrometheusExporter } from '../../../exporters/prometheus/exporter';
import { startPrometheus } from '../../helpers/prometheus-server';
import { exporterConfig, richBatch } from '../../exporters/prometheus/fixtures';

function scraper(series: SeriesTable, target: string) {
  const output = new CollectingOutput(['metrics']);
  const receiver = receiverPlugin.create(receiverContext({
    series, output,
    config: {
      scrape_configs: [{
        job_name: 'real', static_configs: [{ targets: [target] }], scrape_interval: '1m', scrape_timeout: '10s',
        metrics_path: '/metrics', honor_labels: false, scheme: 'http', body_size_limit: '50MiB',
      }],
    },
  })) as PrometheusReceiver;
  return { receiver, batch: () => output.sink('metrics').batches.at(-1) as MetricBatch };
}

function find(series: SeriesTable, batch: MetricBatch, name: string, label?: [string, string]): number | undefined {
  for (let i = 0; i < batch.length; i++) {
    const info = series.info(batch.series[i]!);
    if (info.name !== name) continue;
    if (label && !info.labels.some((v, j) => j % 2 === 0 && v === label[0] && info.labels[j + 1] === label[1])) continue;
    return i;
  }
  return undefined;
}

describe('prometheus receiver against real targets', function () {
  // Prometheus takes up to 20 s to be ready on a loaded machine; a scrape may take its 10 s timeout.
  this.timeout(60_000);

  it('scrapes a real Prometheus\'s own /metrics (text format) into series and reassembled histograms', async () => {
    const prom = await startPrometheus();
    const series = new SeriesTable();
    const { receiver, batch } = scraper(series, `127.0.0.1:${prom.port}`);
    try {
      await receiver.scrapeNow();
      const b = batch();
      const up = find(series, b, 'up');
      assert.equal(b.values[up!], 1);
      const build = find(series, b, 'prometheus_build_info');
      assert.ok(build !== undefined, 'prometheus_build_info scraped');
      assert.equal(b.values[build], 1);
      const labels = series.info(b.series[build]!).labels;
      assert.match(labels[labels.indexOf('version') + 1]!, /^2\.42\./);
      assert.ok(labels.includes('instance') && labels.includes(`127.0.0.1:${prom.port}`));
      const hist = find(series, b, 'prometheus_http_request_duration_seconds');
      assert.ok(hist !== undefined);
      assert.equal(series.info(b.series[hist]!).kind, MetricKind.HISTOGRAM);
      assert.ok((b.complex![hist] as ExplicitHistogram).bounds.length > 3);
      const counter = find(series, b, 'prometheus_http_requests_total');
      assert.equal(series.info(b.series[counter!]!).kind, MetricKind.COUNTER);
      assert.ok(find(series, b, 'go_gc_duration_seconds') !== undefined, 'summary reassembled');
    } finally {
      await receiver.shutdown!();
      await prom.stop();
    }
  });

  it('scrapes a Nissa prometheus exporter and gets back exactly what it was sent', async () => {
    const exporterSeries = new SeriesTable();
    const exporter = exporterPlugin.create(createTestContext({
      kind: 'exporter', series: exporterSeries,
      config: exporterConfig(),
    })) as PrometheusExporter;
    await exporter.start!();
    await exporter.consume(richBatch(exporterSeries, Date.now()).batch);
    const series = new SeriesTable();
    const { receiver, batch } = scraper(series, exporter.address!());
    try {
      await receiver.scrapeNow();
      const b = batch();
      const g = find(series, b, 'queue_depth_now')!;
      assert.equal(b.values[g], 7.5);
      const gl = series.info(b.series[g]!).labels;
      assert.equal(gl[gl.indexOf('host_name') + 1], 'a"b\\c\nd');
      const c = find(series, b, 'http_requests_total')!;
      assert.equal(b.values[c], 42);
      assert.equal(series.info(b.series[c]!).kind, MetricKind.COUNTER);
      const h = b.complex![find(series, b, 'http_latency_seconds')!] as ExplicitHistogram;
      assert.deepEqual([...h.bounds], [0.1, 1, 5]);
      assert.deepEqual([...h.counts], [1, 2, 3, 4]);
      assert.equal(h.count, 10);
      assert.equal(h.sum, 3.5);
      const s = b.complex![find(series, b, 'rpc_duration_seconds')!] as Summary;
      assert.deepEqual([...s.quantiles], [0.5, 0.99]);
      assert.deepEqual([...s.values], [0.2, 0.9]);
      assert.equal(s.count, 30);
    } finally {
      await receiver.shutdown!();
      await exporter.shutdown!();
    }
  });
});
