import type { AttributeValue, Attributes } from '../../../src/model/attributes';
import type { TelemetryEvent } from '../../../src/model/events';
import { MAX_ANY_VALUE_DEPTH, putAttribute } from '../../../src/otlp/attribute-values';
import { ItemFault, RejectCounter } from '../../../src/otlp/item-fault';
import { logEvent, type LogScope } from '../../../src/otlp/log-event';
import { otlpType } from '../../fixtures/otlp/otlp-proto';

/**
 * A slow, independent decoder of an `ExportLogsServiceRequest` to events: protobufjs reflection,
 * then the rules written out plainly, one attribute at a time. The streaming decoder must give
 * exactly these events (key order included) and these refusals. Valid UTF-8 only: reflection
 * replaces invalid bytes where the decoder refuses them.
 */
export function referenceLogs(body: Buffer, nowMs: number, maxFutureMs: number): { events: TelemetryEvent[]; rejected: RejectCounter } {
  const type = otlpType('ExportLogsServiceRequest');
  const req = type.toObject(type.decode(body), { longs: String, defaults: false }) as Obj;
  const events: TelemetryEvent[] = [];
  const rejected = new RejectCounter();
  for (const rl of list(req['resource_logs'])) {
    let resource: Attributes | undefined;
    let fault: ItemFault | undefined;
    try {
      const attrs = attributes(list((rl['resource'] as Obj | undefined)?.['attributes']), 1);
      resource = Object.keys(attrs).length > 0 ? attrs : undefined;
    } catch (err) {
      if (!(err instanceof ItemFault)) throw err;
      fault = err;
    }
    for (const sl of list(rl['scope_logs'])) {
      const scope: LogScope = { scopeName: String((sl['scope'] as Obj | undefined)?.['name'] ?? ''), resource };
      for (const rec of list(sl['log_records'])) {
        try {
          if (fault !== undefined) throw fault;
          events.push(logEvent(fields(rec), scope, nowMs + maxFutureMs));
        } catch (err) {
          if (!(err instanceof ItemFault)) throw err;
          rejected.reject(err.reason);
        }
      }
    }
  }
  return { events, rejected };
}

type Obj = Record<string, unknown>;

function list(v: unknown): Obj[] {
  return (v as Obj[] | undefined) ?? [];
}

function fields(rec: Obj) {
  return {
    timeMs: nanos(rec['time_unix_nano']),
    observedMs: nanos(rec['observed_time_unix_nano']),
    severityNumber: Number(rec['severity_number'] ?? 0),
    severityText: String(rec['severity_text'] ?? ''),
    body: rec['body'] === undefined ? null : anyValue(rec['body'] as Obj, 1),
    attributes: attributes(list(rec['attributes']), 1),
    traceId: hex(rec['trace_id']),
    spanId: hex(rec['span_id']),
    eventName: String(rec['event_name'] ?? ''),
  };
}

function nanos(v: unknown): number {
  return v === undefined ? 0 : Number(BigInt(v as string)) / 1e6;
}

function hex(v: unknown): string {
  return v === undefined ? '' : Buffer.from(v as Uint8Array).toString('hex');
}

function attributes(kvs: Obj[], depth: number): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const kv of kvs) {
    const value = kv['value'] === undefined ? null : anyValue(kv['value'] as Obj, depth);
    putAttribute(out, String(kv['key'] ?? ''), value);
  }
  return out;
}

function anyValue(v: Obj, depth: number): AttributeValue {
  if ('string_value' in v) return v['string_value'] as string;
  if ('bool_value' in v) return v['bool_value'] as boolean;
  if ('int_value' in v) {
    const n = BigInt(v['int_value'] as string);
    return n >= -(2n ** 53n - 1n) && n <= 2n ** 53n - 1n ? Number(n) : n;
  }
  if ('double_value' in v) return v['double_value'] as number;
  if ('array_value' in v) {
    if (depth + 1 > MAX_ANY_VALUE_DEPTH) throw new ItemFault('nesting_too_deep');
    return list((v['array_value'] as Obj)['values']).map((x) => anyValue(x, depth + 1));
  }
  if ('kvlist_value' in v) {
    if (depth + 1 > MAX_ANY_VALUE_DEPTH) throw new ItemFault('nesting_too_deep');
    return attributes(list((v['kvlist_value'] as Obj)['values']), depth + 1);
  }
  if ('bytes_value' in v) return new Uint8Array(v['bytes_value'] as Uint8Array);
  return null;
}
