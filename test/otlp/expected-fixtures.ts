import { MetricKind, STALE_NAN, type TelemetryEvent } from '../../src/api';
import type { Row } from './batch-rows';

const ID = { instance: 'pod-1', job: 'shop/checkout', otel_scope_name: 'fixture', otel_scope_version: '1.0.0' };
const T = 1767225599000;

/** What `metrics-all-types.json` decodes to (both as JSON and re-encoded as protobuf). */
export const EXPECTED_METRIC_ROWS: Row[] = [
  { name: 'temperature', labels: { ...ID, room: 'kitchen' }, kind: MetricKind.GAUGE, t: T, v: 21.5, start: 0, complex: undefined },
  { name: 'temperature', labels: { ...ID, room: 'cellar' }, kind: MetricKind.GAUGE, t: T, v: STALE_NAN, start: 0, complex: undefined },
  { name: 'http_requests_total', labels: { ...ID, code: '200', method: 'GET' }, kind: MetricKind.COUNTER, t: T + 500, v: 10, start: 1767225540000, complex: undefined },
  { name: 'bytes_sent', labels: { ...ID }, kind: MetricKind.DELTA_COUNTER, t: T, v: 5, start: 1767225590000, complex: undefined },
  { name: 'queue_depth', labels: { ...ID, queue: 'orders' }, kind: MetricKind.UPDOWN_COUNTER, t: T, v: -3, start: 0, complex: undefined },
  {
    name: 'latency', labels: { ...ID }, kind: MetricKind.HISTOGRAM, t: T, v: 4.2, start: 1767225540000,
    complex: { type: 'histogram', bounds: Float64Array.of(0.1, 1), counts: Float64Array.of(1, 2, 3), count: 6, sum: 4.2, min: 0.05, max: 2 },
  },
  {
    name: 'payload_size', labels: { ...ID }, kind: MetricKind.EXP_HISTOGRAM, t: T, v: 10.5, start: 1767225590000,
    complex: { type: 'exp_histogram', scale: 1, zeroCount: 1, positiveOffset: -1, positive: Float64Array.of(2, 3), negativeOffset: 0, negative: Float64Array.of(1), count: 7, sum: 10.5 },
  },
  {
    name: 'rpc_duration', labels: { ...ID, rpc: 'Pay' }, kind: MetricKind.SUMMARY, t: T, v: 2, start: 1767225540000,
    complex: { type: 'summary', quantiles: Float64Array.of(0.5, 0.99), values: Float64Array.of(0.4, 0.9), count: 4, sum: 2 },
  },
  // The resource's attributes beyond job/instance, at its newest point time; no scope labels.
  { name: 'target_info', labels: { instance: 'pod-1', job: 'shop/checkout', 'host.name': 'h1' }, kind: MetricKind.GAUGE, t: T + 500, v: 1, start: 0, complex: undefined },
];

/** What `logs.json` decodes to. */
export const EXPECTED_EVENTS: TelemetryEvent[] = [
  {
    epoch: 3, requestId: 'req-42', topic: 'orders', eventType: 'payment.failed', severityNumber: 17, severityText: 'ERROR', timestampMs: T,
    attributes: { epoch: 3, request_id: 'req-42', 'event.name': 'payment.failed', amount: 12.5, retry: true },
    body: 'payment failed', resource: { 'service.name': 'checkout' },
    traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174',
  },
  {
    epoch: 0, requestId: '', topic: 'audit', eventType: 'order.created', severityNumber: 9, severityText: 'INFO', timestampMs: T + 200,
    attributes: { topic: 'audit', big: 9007199254740993n },
    body: { items: [1, 'two'], raw: Uint8Array.of(1, 2, 3) }, resource: { 'service.name': 'checkout' },
  },
];
