import assert from 'node:assert/strict';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { labelsToRecord, MetricKind, type ComplexValue, type MetricBatch, type SeriesTable, type TelemetryEvent } from '../../../src/api';
import { config, startReceiver } from './helpers';

const RESOURCE = resourceFromAttributes({ 'service.name': 'shop', 'service.instance.id': 'shop-1', 'deployment.environment': 'test' });

interface Seen {
  kind: number;
  labels: Record<string, string>;
  value: number;
  complex: ComplexValue | undefined;
}

function byName(batches: readonly MetricBatch[], series: SeriesTable): Map<string, Seen[]> {
  const out = new Map<string, Seen[]>();
  for (const b of batches) {
    for (let i = 0; i < b.length; i++) {
      const info = series.info(b.series[i]!);
      const list = out.get(info.name) ?? [];
      list.push({ kind: info.kind, labels: labelsToRecord(info.labels), value: b.values[i]!, complex: b.complex?.[i] });
      out.set(info.name, list);
    }
  }
  return out;
}

async function recordAndFlush(exporter: PushMetricExporter): Promise<void> {
  const provider = new MeterProvider({ resource: RESOURCE, readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })] });
  const meter = provider.getMeter('checkout', '1.2.3');
  const requests = meter.createCounter('http.server.requests', { unit: '1', description: 'Requests served' });
  requests.add(3, { route: '/cart', code: 200 });
  requests.add(2, { route: '/pay', code: 500 });
  meter.createUpDownCounter('queue.depth').add(-4, { queue: 'orders' });
  meter.createGauge('temperature').record(21.5, { room: 'lab' });
  const latency = meter.createHistogram('http.server.duration', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100] } });
  for (const v of [5, 50, 500, 20]) latency.record(v, { route: '/cart' });
  await provider.forceFlush();
  await provider.shutdown();
}

function checkMetrics(seen: Map<string, Seen[]>): void {
  const job = { job: 'shop', instance: 'shop-1', otel_scope_name: 'checkout', otel_scope_version: '1.2.3' };
  const requests = (seen.get('http.server.requests') ?? []).sort((a, b) => a.value - b.value);
  assert.deepEqual(requests.map((s) => [s.kind, s.labels, s.value]), [
    [MetricKind.COUNTER, { ...job, route: '/pay', code: '500' }, 2],
    [MetricKind.COUNTER, { ...job, route: '/cart', code: '200' }, 3],
  ]);
  assert.deepEqual(seen.get('queue.depth')?.map((s) => [s.kind, s.labels, s.value]), [[MetricKind.UPDOWN_COUNTER, { ...job, queue: 'orders' }, -4]]);
  assert.deepEqual(seen.get('temperature')?.map((s) => [s.kind, s.labels, s.value]), [[MetricKind.GAUGE, { ...job, room: 'lab' }, 21.5]]);
  const [h] = seen.get('http.server.duration') ?? [];
  assert.equal(h?.kind, MetricKind.HISTOGRAM);
  assert.deepEqual(h?.labels, { ...job, route: '/cart' });
  assert.equal(h?.value, 575);
  assert.ok(h?.complex?.type === 'histogram');
  assert.deepEqual([[...h.complex.bounds], [...h.complex.counts], h.complex.count, h.complex.min, h.complex.max], [[10, 100], [1, 2, 1], 4, 5, 500]);
  // The resource's other attributes on one target_info point, without scope labels.
  const [target, ...more] = seen.get('target_info') ?? [];
  assert.equal(more.length, 0);
  assert.deepEqual([target?.kind, target?.value], [MetricKind.GAUGE, 1]);
  assert.deepEqual(target!.labels, { job: 'shop', instance: 'shop-1', 'deployment.environment': 'test' });
}

describe('otlp receiver with the OpenTelemetry JS SDK as client', function () {
  this.timeout(20_000);

  for (const [encoding, make] of [
    ['protobuf', (url: string) => new ProtoMetricExporter({ url })],
    ['JSON', (url: string) => new JsonMetricExporter({ url })],
  ] as const) {
    it(`receives what the SDK recorded, over OTLP/HTTP ${encoding}`, async () => {
      const rx = await startReceiver(config(), ['metrics', 'events'], true);
      try {
        await recordAndFlush(make(`${rx.base}/v1/metrics`));
        const sink = rx.output.sink('metrics');
        await sink.waitFor(5);
        // forceFlush and shutdown each export the cumulative state: the first request has it all.
        checkMetrics(byName([sink.batches[0] as MetricBatch], rx.ctx.series));
        assert.equal(rx.ctx.telemetry.drops.size, 0);
      } finally {
        await rx.stop();
      }
    });
  }

  it('receives SDK log records as events', async () => {
    const rx = await startReceiver(config(), ['metrics', 'events'], true);
    try {
      const provider = new LoggerProvider({ resource: RESOURCE, processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${rx.base}/v1/logs` }) })] });
      const logger = provider.getLogger('payments');
      logger.emit({ severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: 'card declined', attributes: { request_id: 'r-9', epoch: 4, amount: 12.5 } });
      logger.emit({ severityNumber: SeverityNumber.INFO, body: { order: 'o-1', items: 2 }, attributes: { topic: 'orders', event_type: 'order.created' } });
      await provider.forceFlush();
      await provider.shutdown();
      const sink = rx.output.sink('events');
      await sink.waitFor(2);
      const events = sink.batches.flatMap((b) => (b.signal === 'events' ? b.items : [])) as TelemetryEvent[];
      const declined = events.find((e) => e.body === 'card declined')!;
      assert.deepEqual([declined.topic, declined.requestId, declined.epoch, declined.severityNumber, declined.severityText, declined.attributes['amount']], ['payments', 'r-9', 4, 13, 'WARN', 12.5]);
      assert.equal(declined.resource?.['service.name'], 'shop');
      const created = events.find((e) => e.eventType === 'order.created')!;
      assert.deepEqual([created.topic, created.body, created.severityText], ['orders', { order: 'o-1', items: 2 }, 'INFO']);
      assert.ok(Math.abs(created.timestampMs - Date.now()) < 60_000);
    } finally {
      await rx.stop();
    }
  });
});
