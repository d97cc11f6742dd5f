import { isStaleMarker } from '../model/metric-batch';
import type { DecodeLimits } from './limits';
import { ItemInvalid } from './rejections';

export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const COMMAND_NAME = /^[a-z][a-z0-9_]*$/;
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** Timestamps are required (0 is "not set") and must fall in [now - maxAge, now + maxFuture]. */
export function checkTimestamp(ms: number, nowMs: number, limits: DecodeLimits, field: string): void {
  if (ms === 0) throw new ItemInvalid('invalid_timestamp', `${field} is required`);
  if (ms < nowMs - limits.maxAgeMs) throw new ItemInvalid('invalid_timestamp', `${field} ${ms} is older than max_age`);
  if (ms > nowMs + limits.maxFutureMs) throw new ItemInvalid('invalid_timestamp', `${field} ${ms} is further in the future than max_future`);
}

/** Sample values are finite; the only NaN allowed is Prometheus's stale marker. */
export function checkSampleValue(v: number): void {
  if (!Number.isFinite(v) && !isStaleMarker(v)) throw new ItemInvalid('invalid_value', `value ${v} is not finite`);
}

export function checkMetricName(name: string): void {
  if (!METRIC_NAME.test(name)) throw new ItemInvalid('invalid_metric_name', `invalid metric name "${clip(name)}"`);
}

export function checkLabelName(name: string): void {
  if (!LABEL_NAME.test(name) || name === '__name__') throw new ItemInvalid('invalid_label_name', `invalid label name "${clip(name)}"`);
}

export function checkCommandName(name: string): void {
  if (!COMMAND_NAME.test(name)) throw new ItemInvalid('invalid_command', `invalid command "${clip(name)}"`);
}

export function checkTraceIds(traceId: string, spanId: string): void {
  if (traceId !== '' && !TRACE_ID.test(traceId)) throw new ItemInvalid('invalid_trace_id', 'trace_id must be 32 lowercase hex digits');
  if (spanId !== '' && !SPAN_ID.test(spanId)) throw new ItemInvalid('invalid_trace_id', 'span_id must be 16 lowercase hex digits');
}

export function required(value: string, field: string): void {
  if (value === '') throw new ItemInvalid('invalid_missing_field', `${field} is required`);
}

/** Values echoed in error messages are clipped: messages go back to clients and into logs. */
export function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}...` : s;
}
