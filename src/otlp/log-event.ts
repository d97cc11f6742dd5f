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

/** The attribute keys {@link logEvent} reads, in the order {@link logEventWith} takes their values. */
export const LOG_FIELD_KEYS: readonly string[] = ['epoch', 'request_id', 'topic', 'event.name', 'event_type'];

/**
 * Maps a log record to a {@link TelemetryEvent}. Identity and routing come from attributes of
 * well-known names, which stay in `attributes` too (so exporters still see what was sent):
 * `epoch`, `request_id`, `topic` (else the scope name), the event type from the record's
 * `event_name`, else attribute `event.name`, else `event_type`. The time is `time_unix_nano`,
 * else `observed_time_unix_nano`; a record with neither, or later than `latestMs`, is refused.
 */
export function logEvent(f: LogFields, scope: LogScope, latestMs: number): TelemetryEvent {
  const a = f.attributes;
  return logEventWith(f, scope, latestMs, a['epoch'], a['request_id'], a['topic'], a['event.name'], a['event_type']);
}

/**
 * {@link logEvent} with the values of the {@link LOG_FIELD_KEYS} attributes (`undefined` when
 * absent) already known, as a decoder that knows where they sit in `f.attributes` has them.
 */
export function logEventWith(f: LogFields, scope: LogScope, latestMs: number, epoch: AttributeValue | undefined, requestId: AttributeValue | undefined, topic: AttributeValue | undefined, eventName: AttributeValue | undefined, eventType: AttributeValue | undefined): TelemetryEvent {
  const timestampMs = f.timeMs !== 0 ? f.timeMs : f.observedMs;
  if (timestampMs === 0) throw new ItemFault('zero_timestamp');
  if (timestampMs > latestMs) throw new ItemFault('future_timestamp');
  return buildEvent(
    epoch === undefined ? 0 : numberOf(epoch),
    requestId === undefined ? '' : stringOf(requestId),
    typeof topic === 'string' && topic !== '' ? topic : scope.scopeName,
    f.eventName !== '' ? f.eventName : stringOf(eventName) || stringOf(eventType),
    f.severityNumber,
    // An empty text with a known number gets the OpenTelemetry short name, so sinks always have one.
    f.severityText !== '' || f.severityNumber === 0 ? f.severityText : severityTextOf(f.severityNumber),
    timestampMs,
    f.attributes,
    f.body,
    scope.resource,
    f.traceId,
    f.spanId,
  );
}

/**
 * One literal per common combination of the optional fields, so each event is allocated with its
 * final hidden class (adding fields afterwards costs a transition each and an out-of-object
 * backing store). Optional fields are present only when set, in this order, as before.
 */
function buildEvent(epoch: number, requestId: string, topic: string, eventType: string, severityNumber: number, severityText: string, timestampMs: number, attributes: Attributes, body: AttributeValue, resource: Attributes | undefined, traceId: string, spanId: string): TelemetryEvent {
  if (traceId !== '' && spanId !== '') {
    if (resource !== undefined) return { epoch, requestId, topic, eventType, severityNumber, severityText, timestampMs, attributes, body, resource, traceId, spanId };
    return { epoch, requestId, topic, eventType, severityNumber, severityText, timestampMs, attributes, body, traceId, spanId };
  }
  const event: { -readonly [K in keyof TelemetryEvent]: TelemetryEvent[K] } = { epoch, requestId, topic, eventType, severityNumber, severityText, timestampMs, attributes, body };
  if (resource !== undefined) event.resource = resource;
  if (traceId !== '') event.traceId = traceId;
  if (spanId !== '') event.spanId = spanId;
  return event;
}
