import type { TelemetryEvent } from '../../model/events';
import type { LogsDecodeResult } from '../decode-result';
import { ItemFault, RejectCounter, orItemFault } from '../item-fault';
import { logEvent, type LogScope } from '../log-event';
import { anyValue, asArray, asObject, asString, attributes, enumValue, field, hexId, nanosToMs, type JsonObject } from './json-fields';

/** Decodes an OTLP/JSON `ExportLogsServiceRequest` (already parsed) into events. */
export function decodeJsonLogs(body: unknown, nowMs: number, maxFutureMs: number): LogsDecodeResult {
  const events: TelemetryEvent[] = [];
  const rejected = new RejectCounter();
  const latestMs = nowMs + maxFutureMs;
  for (const rlv of asArray(field(asObject(body, 'request'), 'resourceLogs', 'resource_logs'), 'resourceLogs')) {
    const rl = asObject(rlv, 'ResourceLogs');
    const attrs = orItemFault(() => attributes(asObject(rl['resource'], 'resource')['attributes']));
    const resource = attrs instanceof ItemFault || Object.keys(attrs).length === 0 ? undefined : attrs;
    for (const slv of asArray(field(rl, 'scopeLogs', 'scope_logs'), 'scopeLogs')) {
      const sl = asObject(slv, 'ScopeLogs');
      const scopeName = orItemFault(() => asString(asObject(sl['scope'], 'scope')['name'], 'scope.name'));
      // A resource or scope that cannot be read refuses its records, as in protobuf.
      const fault = attrs instanceof ItemFault ? attrs : scopeName instanceof ItemFault ? scopeName : undefined;
      const scope: LogScope = { scopeName: typeof scopeName === 'string' ? scopeName : '', resource };
      for (const recv of asArray(field(sl, 'logRecords', 'log_records'), 'logRecords')) {
        try {
          if (fault !== undefined) throw fault;
          events.push(logEvent(logFields(asObject(recv, 'LogRecord')), scope, latestMs));
        } catch (err) {
          if (!(err instanceof ItemFault)) throw err;
          rejected.reject(err.reason);
        }
      }
    }
  }
  return { events, rejected };
}

function logFields(rec: JsonObject) {
  return {
    timeMs: nanosToMs(field(rec, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
    observedMs: nanosToMs(field(rec, 'observedTimeUnixNano', 'observed_time_unix_nano'), 'observedTimeUnixNano'),
    severityNumber: enumValue(field(rec, 'severityNumber', 'severity_number'), {}, 'severityNumber'),
    severityText: asString(field(rec, 'severityText', 'severity_text'), 'severityText'),
    body: anyValue(rec['body'], 1),
    attributes: attributes(rec['attributes']),
    traceId: hexId(field(rec, 'traceId', 'trace_id'), 'traceId'),
    spanId: hexId(field(rec, 'spanId', 'span_id'), 'spanId'),
    eventName: asString(field(rec, 'eventName', 'event_name'), 'eventName'),
  };
}
