import type { AttributeValue, Attributes } from '../model/attributes';
import { severityTextOf, type TelemetryEvent } from '../model/events';
import { ItemFault } from './item-fault';

/** A log record's fields once decoded (from protobuf or JSON), before it becomes an event. */
export interface LogFields {
  timeMs: number;
  observedMs: number;
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: Attributes;
  traceId: string;
  spanId: string;
  eventName: string;
}

/** What log records of one scope under one resource share. */
export interface LogScope {
  readonly scopeName: string;
  readonly resource: Attributes | undefined;
}

function numberOf(v: AttributeValue | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v !== '' && Number.isFinite(Number(v))) return Number(v);
  return 0;
}

function stringOf(v: AttributeValue | undefined): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : '';
}

/**
 * Maps a log record to a {@link TelemetryEvent}. Identity and routing come from attributes of
 * well-known names, which stay in `attributes` too (so exporters still see what was sent):
 * `epoch`, `request_id`, `topic` (else the scope name), the event type from the record's
 * `event_name`, else attribute `event.name`, else `event_type`. The time is `time_unix_nano`,
 * else `observed_time_unix_nano`; a record with neither, or later than `latestMs`, is refused.
 */
export function logEvent(f: LogFields, scope: LogScope, latestMs: number): TelemetryEvent {
  const timestampMs = f.timeMs !== 0 ? f.timeMs : f.observedMs;
  if (timestampMs === 0) throw new ItemFault('zero_timestamp');
  if (timestampMs > latestMs) throw new ItemFault('future_timestamp');
  const a = f.attributes;
  const topic = a['topic'];
  const event: { -readonly [K in keyof TelemetryEvent]: TelemetryEvent[K] } = {
    epoch: a['epoch'] === undefined ? 0 : numberOf(a['epoch']),
    requestId: a['request_id'] === undefined ? '' : stringOf(a['request_id']),
    topic: typeof topic === 'string' && topic !== '' ? topic : scope.scopeName,
    eventType: f.eventName !== '' ? f.eventName : stringOf(a['event.name']) || stringOf(a['event_type']),
    severityNumber: f.severityNumber,
    // An empty text with a known number gets the OpenTelemetry short name, so sinks always have one.
    severityText: f.severityText !== '' || f.severityNumber === 0 ? f.severityText : severityTextOf(f.severityNumber),
    timestampMs,
    attributes: a,
    body: f.body,
  };
  if (scope.resource !== undefined) event.resource = scope.resource;
  if (f.traceId !== '') event.traceId = f.traceId;
  if (f.spanId !== '') event.spanId = f.spanId;
  return event;
}
