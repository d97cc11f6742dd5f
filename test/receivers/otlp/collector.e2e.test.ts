import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('writes every point and log record that was sent', async () => {
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
    const base = `http://${(collector.instance('otlp') as { address(): string }).address()}`;
    const metrics = encodeOtlpJson('ExportMetricsServiceRequest', JSON.parse(readFileSync(otlpFixturePath('metrics-all-types.json'), 'utf8')));
    assert.equal((await post(`${base}/v1/metrics`, metrics, 'application/x-protobuf')).status, 200);
    assert.equal((await post(`${base}/v1/logs`, readFileSync(otlpFixturePath('logs.json')), 'application/json')).status, 200);
    await collector.shutdown();
    collector = undefined;

    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const points = lines.filter((l) => l['signal'] === 'metrics');
    assert.deepEqual(points.map((p) => [p['name'], p['type']]), [
      ['temperature', 'gauge'], ['temperature', 'gauge'], ['http_requests_total', 'counter'], ['bytes_sent', 'delta_counter'],
      ['queue_depth', 'updown_counter'], ['latency', 'histogram'], ['payload_size', 'exponential_histogram'], ['rpc_duration', 'summary'],
    ]);
    assert.deepEqual(points[0], { signal: 'metrics', name: 'temperature', labels: { instance: 'pod-1', job: 'shop/checkout', room: 'kitchen' }, type: 'gauge', value: 21.5, timestamp_ms: 1767225599000 });
    assert.equal(points[1]!['stale'], true);
    assert.deepEqual([points[5]!['bucket_bounds'], points[5]!['bucket_counts'], points[5]!['count']], [[0.1, 1], [1, 2, 3], 6]);
    const events = lines.filter((l) => l['signal'] === 'events');
    assert.equal(events.length, 2);
    assert.match(JSON.stringify(events[0]), /payment failed/);
  });
});
