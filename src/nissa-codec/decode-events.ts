import type { Reader } from './wire';
import type { Attributes, AttributeValue } from '../model/attributes';
import { eventBatch, severityTextOf, type EventBatch, type TelemetryEvent } from '../model/events';
import { readAnyValue, readKeyValue, shortString } from './any-value';
import { decodeItems } from './decode-items';
import type { DecodeLimits } from './limits';
import { ItemInvalid, type DecodeResult } from './rejections';
import { readString } from './strings';
import { checkTimestamp, checkTraceIds, required } from './validate';
import { expectWire, lengthEnd, skipField, varint32, varint64, WIRE_LEN, WIRE_VARINT } from './wire';

const MAX_SEVERITY = 24;
const MAX_SEVERITY_TEXT = 64;

/** Decodes and validates an `EventBatch`; invalid events are counted and skipped. */
export function decodeEvents(bytes: Uint8Array, limits: DecodeLimits, nowMs: number): DecodeResult<EventBatch> {
  const { items, rej } = decodeItems(bytes, 'events', (r, end) => readEvent(r, end, limits, nowMs));
  return rej.result(eventBatch(items), items.length);
}

function readEvent(r: Reader, end: number, limits: DecodeLimits, nowMs: number): TelemetryEvent {
  let epoch = 0;
  let requestId = '';
  let topic = '';
  let eventType = '';
  let severity = 0;
  let severityText = '';
  let ts = 0;
  const attributes: Record<string, AttributeValue> = {};
  let nAttrs = 0;
  let resource: Record<string, AttributeValue> | undefined;
  let nRes = 0;
  let body: AttributeValue = null;
  let traceId = '';
  let spanId = '';
  const name = limits.maxNameLength;
  while (r.pos < end) {
    const tag = varint32(r, end);
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1: expectWire(wt, WIRE_VARINT, 'epoch'); epoch = varint64(r, end); break;
      case 2: expectWire(wt, WIRE_LEN, 'request_id'); requestId = readString(r, end, name, 'request_id', undefined, true); break;
      case 3: expectWire(wt, WIRE_LEN, 'topic'); topic = readString(r, end, name, 'topic'); break;
      case 4: expectWire(wt, WIRE_LEN, 'event_type'); eventType = readString(r, end, name, 'event_type'); break;
      case 5: expectWire(wt, WIRE_VARINT, 'severity_number'); severity = varint32(r, end); break;
      case 6: expectWire(wt, WIRE_LEN, 'severity_text'); severityText = readString(r, end, MAX_SEVERITY_TEXT, 'severity_text'); break;
      case 7: expectWire(wt, WIRE_VARINT, 'timestamp_ms'); ts = varint64(r, end); break;
      case 8: readKeyValue(r, wt, end, attributes, nAttrs++, limits, 0); break;
      case 9: {
        expectWire(wt, WIRE_LEN, 'body');
        const stop = lengthEnd(r, end);
        if (stop - r.pos > limits.maxBodyBytes) throw new ItemInvalid('invalid_body_too_large', `body is larger than ${limits.maxBodyBytes} bytes`);
        body = shortString(r, stop, limits) ?? readAnyValue(r, stop, limits, 0);
        r.pos = stop;
        break;
      }
      case 10: readKeyValue(r, wt, end, (resource ??= {}), nRes++, limits, 0); break;
      case 11: expectWire(wt, WIRE_LEN, 'trace_id'); traceId = readString(r, end, 64, 'trace_id'); break;
      case 12: expectWire(wt, WIRE_LEN, 'span_id'); spanId = readString(r, end, 64, 'span_id'); break;
      default: skipField(r, wt, end);
    }
  }
  required(topic, 'topic');
  required(eventType, 'event_type');
  if (severity > MAX_SEVERITY) throw new ItemInvalid('invalid_enum', `unknown severity_number ${severity}`);
  checkTimestamp(ts, nowMs, limits, 'timestamp_ms');
  checkTraceIds(traceId, spanId);
  const event: { -readonly [K in keyof TelemetryEvent]: TelemetryEvent[K] } = {
    epoch, requestId, topic, eventType, severityNumber: severity,
    severityText: severityText || severityTextOf(severity), timestampMs: ts, attributes: attributes as Attributes, body,
  };
  if (resource) event.resource = resource;
  if (traceId) event.traceId = traceId;
  if (spanId) event.spanId = spanId;
  return event;
}
