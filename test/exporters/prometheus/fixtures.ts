/** Builds exporter inputs for the prometheus exporter tests: one batch covering every kind. */
import type { MetricBatch, SeriesTable } from '../../../src/api';
import { labelsFromRecord, MetricBatchBuilder, MetricKind } from '../../../src/api';
import type { PrometheusExporterConfig } from '../../../exporters/prometheus/config';

/** The exporter config after defaults, on an ephemeral port. */
export function exporterConfig(over: Partial<PrometheusExporterConfig> = {}): PrometheusExporterConfig {
  return {
    endpoint: '127.0.0.1:0', namespace: '', const_labels: {}, metric_expiration: '5m',
    send_timestamps: false, add_metric_suffixes: true, enable_open_metrics: true, ...over,
  };
}

export interface RichBatchIds {
  gauge: number;
  counter: number;
  histogram: number;
  summary: number;
  exp: number;
}

/** Gauge, counter, explicit/exponential histograms and a summary, with odd names and label values. */
export function richBatch(series: SeriesTable, ts: number): { batch: MetricBatch; ids: RichBatchIds } {
  const b = new MetricBatchBuilder();
  const ids: RichBatchIds = {
    gauge: series.intern('queue.depth-now', labelsFromRecord({ 'host.name': 'a"b\\c\nd', '0zone': 'eu' }), MetricKind.GAUGE, { description: 'Queue depth\nright now' }),
    counter: series.intern('http.requests', labelsFromRecord({ code: '200' }), MetricKind.COUNTER, { description: 'Requests served' }),
    histogram: series.intern('http.latency', labelsFromRecord({ route: '/x' }), MetricKind.HISTOGRAM, { description: 'Latency', unit: 's' }),
    summary: series.intern('rpc_duration_seconds', labelsFromRecord({ svc: 'db' }), MetricKind.SUMMARY, { description: 'RPC duration' }),
    exp: series.intern('payload_size', labelsFromRecord({}), MetricKind.EXP_HISTOGRAM, { description: 'Payload size', unit: 'By' }),
  };
  b.push(ids.gauge, ts, 7.5);
  b.push(ids.counter, ts, 42);
  b.push(ids.histogram, ts, 3.5, {
    type: 'histogram', bounds: Float64Array.of(0.1, 1, 5), counts: Float64Array.of(1, 2, 3, 4), count: 10, sum: 3.5,
  });
  b.push(ids.summary, ts, 12, {
    type: 'summary', quantiles: Float64Array.of(0.5, 0.99), values: Float64Array.of(0.2, 0.9), count: 30, sum: 12,
  });
  b.push(ids.exp, ts, 100, {
    type: 'exp_histogram', scale: 0, zeroCount: 1, positiveOffset: 0, positive: Float64Array.of(2, 3),
    negativeOffset: 0, negative: Float64Array.of(1), count: 7, sum: 100,
  });
  return { batch: b.build(), ids };
}

/** A one-row batch. */
export function point(id: number, ts: number, value: number): MetricBatch {
  const b = new MetricBatchBuilder(1);
  b.push(id, ts, value);
  return b.build();
}
