import type { EventBatch, TelemetryEvent } from '../api';
import { jsonNumber } from './json-number';
import { attributesJson, attributeValueJson } from './json-value';
import type { Redactor } from './redaction';

/** One JSON line per event, fields by name in snake_case (docs/file-format.md). */
export function formatEvents(batch: EventBatch, redact?: Redactor): string {
  let out = '';
  for (const event of batch.items) out += eventJson(event, redact) + '\n';
  return out;
}

export function eventJson(e: TelemetryEvent, redact?: Redactor): string {
  let line =
    `{"signal":"events","epoch":${jsonNumber(e.epoch)},"request_id":${JSON.stringify(e.requestId)}` +
    `,"topic":${JSON.stringify(e.topic)},"event_type":${JSON.stringify(e.eventType)}` +
    `,"severity_number":${jsonNumber(e.severityNumber)},"severity_text":${JSON.stringify(e.severityText)}` +
    `,"timestamp_ms":${jsonNumber(e.timestampMs)},"attributes":${attributesJson(e.attributes, redact)}` +
    `,"body":${attributeValueJson(e.body, redact)}`;
  if (e.resource !== undefined) line += `,"resource":${attributesJson(e.resource, redact)}`;
  if (e.traceId !== undefined) line += `,"trace_id":${JSON.stringify(e.traceId)}`;
  if (e.spanId !== undefined) line += `,"span_id":${JSON.stringify(e.spanId)}`;
  return line + '}';
}
