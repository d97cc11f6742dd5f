import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { startCollector } from '../../../src/testing';
import type { Collector } from '../../../src/runtime/collector';
import { otlpFixturePath } from '../../fixtures/otlp/fixture-path';
import { encodeOtlpJson } from '../../fixtures/otlp/otlp-proto';
import { post } from './helpers';

/** OTLP in (protobuf metrics, JSON logs) → metrics and events pipelines → `file` exporter. */
describe('otlp receiver → file exporter through a collector', function () {
  this.timeout(20_000);
  let collector: Collector | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await collector?.shutdown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Starts a collector otlp → file; returns the receiver's base URL and the output path. */
  async function start(): Promise<{ base: string; out: string }> {
    dir = mkdtempSync(join(tmpdir(), 'nissa-otlp-e2e-'));
    const out = join(dir, 'out.jsonl');
    collector = await startCollector(`
receivers:
  otlp:
    endpoint: 127.0.0.1:0
exporters:
  file:
    path: ${JSON.stringify(out)}
service:
  pipelines:
    metrics: { receivers: [otlp], exporters: [file] }
    events: { receivers: [otlp], exporters: [file] }
`);
    return { base: `http://${(collector.instance('otlp') as { address(): string }).address()}`, out };
  }

  it('writes every point and log record that was sent', async () => {
    const { base, out } = await start();
    const metrics = encodeOtlpJson('ExportMetricsServiceRequest', JSON.parse(readFileSync(otlpFixturePath('metrics-all-types.json'), 'utf8')));
    assert.equal((await post(`${base}/v1/metrics`, metrics, 'application/x-protobuf')).status, 200);
    assert.equal((await post(`${base}/v1/logs`, readFileSync(otlpFixturePath('logs.json')), 'application/json')).status, 200);
    await collector!.shutdown();
    collector = undefined;

    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const points = lines.filter((l) => l['signal'] === 'metrics');
    assert.deepEqual(points.map((p) => [p['name'], p['type']]), [
      ['temperature', 'gauge'], ['temperature', 'gauge'], ['http_requests_total', 'counter'], ['bytes_sent', 'delta_counter'],
      ['queue_depth', 'updown_counter'], ['latency', 'histogram'], ['payload_size', 'exponential_histogram'], ['rpc_duration', 'summary'], ['target_info', 'gauge'],
    ]);
    const scope = { otel_scope_name: 'fixture', otel_scope_version: '1.0.0' };
    assert.deepEqual(points[0], { signal: 'metrics', name: 'temperature', labels: { instance: 'pod-1', job: 'shop/checkout', ...scope, room: 'kitchen' }, type: 'gauge', value: 21.5, timestamp_ms: 1767225599000 });
    assert.deepEqual(points[8], { signal: 'metrics', name: 'target_info', labels: { 'host.name': 'h1', instance: 'pod-1', job: 'shop/checkout' }, type: 'gauge', value: 1, timestamp_ms: 1767225599500 });
    assert.equal(points[1]!['stale'], true);
    assert.deepEqual([points[5]!['bucket_bounds'], points[5]!['bucket_counts'], points[5]!['count']], [[0.1, 1], [1, 2, 3], 6]);
    const events = lines.filter((l) => l['signal'] === 'events');
    assert.equal(events.length, 2);
    assert.match(JSON.stringify(events[0]), /payment failed/);
  });

  it('writes the OTel SDK resource on target_info and the meter as otel_scope_* labels', async () => {
    const { base, out } = await start();
    const resource = resourceFromAttributes({ 'service.name': 'shop', 'service.instance.id': 'shop-1', 'deployment.environment': 'test', 'host.arch': 'amd64' });
    const exporter = new OTLPMetricExporter({ url: `${base}/v1/metrics` });
    const provider = new MeterProvider({ resource, readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })] });
    provider.getMeter('checkout', '1.2.3').createCounter('orders').add(2, { region: 'eu' });
    provider.getMeter('billing').createGauge('balance').record(7);
    await provider.forceFlush();
    await provider.shutdown();
    await collector!.shutdown();
    collector = undefined;

    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { name: string; labels: Record<string, string>; value: number });
    const id = { job: 'shop', instance: 'shop-1' };
    const targets = lines.filter((l) => l.name === 'target_info');
    assert.ok(targets.length >= 1, 'one target_info per request');
    for (const t of targets) assert.deepEqual([t.labels, t.value], [{ ...id, 'deployment.environment': 'test', 'host.arch': 'amd64' }, 1]);
    assert.deepEqual(lines.find((l) => l.name === 'orders')?.labels, { ...id, otel_scope_name: 'checkout', otel_scope_version: '1.2.3', region: 'eu' });
    assert.deepEqual(lines.find((l) => l.name === 'balance')?.labels, { ...id, otel_scope_name: 'billing' });
  });
});
