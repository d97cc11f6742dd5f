import { labelsFromRecord, MetricBatchBuilder, MetricKind, STALE_NAN, type MetricBatch, type SeriesTable } from '../../../src/api';

/** A label value longer than 16 KiB, so lengths of two and three varint bytes are exercised. */
export const LONG_VALUE = 'x'.repeat(17_000);

/**
 * One batch with a point of every metric kind (and a stale gauge, and labels that stress the
 * encoding: a long value, non-ASCII text), at integer millisecond times before `nowMs`.
 */
export function sampleMetrics(series: SeriesTable, nowMs: number): MetricBatch {
  const t = Math.floor(nowMs) - 1000;
  const start = t - 60_000;
  const id = (name: string, labels: Record<string, string>, kind: MetricKind, meta?: { unit?: string; description?: string }): number =>
    series.intern(name, labelsFromRecord(labels), kind, meta);
  const b = new MetricBatchBuilder(16);
  const temperature = id('temperature', { job: 'shop', instance: 'pod-1', room: 'kitchen' }, MetricKind.GAUGE, { unit: 'Cel', description: 'Room temperature' });
  b.push(temperature, t, 21.5);
  b.push(temperature, t + 500, STALE_NAN);
  b.push(id('http_requests_total', { job: 'shop', code: '200', path: LONG_VALUE }, MetricKind.COUNTER), t, 1027, undefined, start);
  b.push(id('bytes_sent', { peer: 'zürich-Ω' }, MetricKind.DELTA_COUNTER), t, 512, undefined, start);
  b.push(id('queue_depth', {}, MetricKind.UPDOWN_COUNTER), t, -3, undefined, start);
  b.push(id('latency', { job: 'shop' }, MetricKind.HISTOGRAM, { unit: 's' }), t, 4.2, {
    type: 'histogram', bounds: Float64Array.of(0.1, 1), counts: Float64Array.of(1, 2, 3), count: 6, sum: 4.2, min: 0.05, max: 3,
  }, start);
  b.push(id('payload_size', { job: 'shop' }, MetricKind.EXP_HISTOGRAM), t, 10.5, {
    type: 'exp_histogram', scale: 2, zeroCount: 1, positiveOffset: -1, positive: Float64Array.of(1, 2), negativeOffset: 0, negative: Float64Array.of(1), count: 5, sum: 10.5,
  }, start);
  b.push(id('rpc_duration', { instance: 'pod-2' }, MetricKind.SUMMARY), t, 3.3, {
    type: 'summary', quantiles: Float64Array.of(0.5, 0.99), values: Float64Array.of(0.2, 1.5), count: 10, sum: 3.3,
  }, start);
  return b.build();
}
