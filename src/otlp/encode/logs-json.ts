import type { TelemetryEvent } from '../../model/events';
import { forOtherAttributes, groupByResource, identityAttributes } from './event-identity';
import { jsonAnyValue, jsonKeyValues, nanosString, type JsonObject } from './json-values';
import { SCOPE_NAME } from './metrics-proto';

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

function record(e: TelemetryEvent): JsonObject {
  const attributes: JsonObject[] = [];
  forOtherAttributes(e.attributes, (key, value) => attributes.push({ key, value: jsonAnyValue(value) }));
  for (const [key, value] of identityAttributes(e)) attributes.push({ key, value: jsonAnyValue(value) });
  const rec: JsonObject = { timeUnixNano: nanosString(e.timestampMs) };
  if (e.severityNumber !== 0) rec['severityNumber'] = e.severityNumber;
  if (e.severityText !== '') rec['severityText'] = e.severityText;
  if (e.body !== null && e.body !== undefined) rec['body'] = jsonAnyValue(e.body);
  rec['attributes'] = attributes;
  // OTLP/JSON carries trace and span ids as hex, not base64.
  if (e.traceId !== undefined && HEX.test(e.traceId)) rec['traceId'] = e.traceId.toLowerCase();
  if (e.spanId !== undefined && HEX.test(e.spanId)) rec['spanId'] = e.spanId.toLowerCase();
  if (e.eventType !== '') rec['eventName'] = e.eventType;
  return rec;
}

/** OTLP/JSON `ExportLogsServiceRequest` with the same content as the protobuf encoder's. */
export function logsJson(events: readonly TelemetryEvent[]): Buffer {
  const resourceLogs = groupByResource(events).map((group) => ({
    resource: { attributes: group.resource === undefined ? [] : jsonKeyValues(group.resource) },
    scopeLogs: [{ scope: { name: SCOPE_NAME }, logRecords: group.events.map(record) }],
  }));
  return Buffer.from(JSON.stringify({ resourceLogs }));
}
