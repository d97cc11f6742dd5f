import type { AttributeValue, Attributes } from '../../model/attributes';
import type { TelemetryEvent } from '../../model/events';
import type { LogsDecodeResult } from '../decode-result';
import { ItemFault, RejectCounter } from '../item-fault';
import { logEvent, type LogFields, type LogScope } from '../log-event';
import { readAnyValue, readKeyValueInto } from './any-value';
import { findField, readResourceAttributes, readScopeName } from './resource';
import { hexString, repeatedString } from './strings';
import { fieldTypes, WireReader } from '../../wire/wire-reader';

const REQUEST_FIELDS = fieldTypes({ 1: 2 });
const RESOURCE_LOGS_FIELDS = fieldTypes({ 1: 2, 2: 2, 3: 2 });
const SCOPE_LOGS_FIELDS = fieldTypes({ 1: 2, 2: 2, 3: 2 });
const LOG_RECORD_FIELDS = fieldTypes({ 1: 1, 2: 0, 3: 2, 5: 2, 6: 2, 7: 0, 8: 5, 9: 2, 10: 2, 11: 1, 12: 2 });

/**
 * Decodes an `ExportLogsServiceRequest` into events (one object per record is the model).
 * Structural faults throw `WireError`; invalid records are counted in `rejected` and left out.
 */
export function decodeProtoLogs(body: Buffer, nowMs: number, maxFutureMs: number): LogsDecodeResult {
  const r = new WireReader(body);
  const out: TelemetryEvent[] = [];
  const rejected = new RejectCounter();
  const latestMs = nowMs + maxFutureMs;
  const span = new Int32Array(2);
  const end = body.length;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag !== 0x0a) {
      r.skipUnknown(tag, REQUEST_FIELDS, end);
      continue;
    }
    const rlEnd = r.lengthEnd(end);
    const rlStart = r.pos;
    findField(r, rlEnd, 0x0a, RESOURCE_LOGS_FIELDS, span);
    let resource: Attributes | undefined;
    let resourceFault: ItemFault | undefined;
    try {
      resource = span[0]! < 0 ? undefined : readResourceAttributes(r, span[0]!, span[1]!);
    } catch (err) {
      if (!(err instanceof ItemFault)) throw err;
      resourceFault = err;
    }
    r.pos = rlStart;
    while (r.pos < rlEnd) {
      const t = r.uint32(rlEnd);
      if ((t & 7) !== 2) {
        r.skip(t & 7, rlEnd);
        continue;
      }
      const e = r.lengthEnd(rlEnd);
      if (t === 0x12) scopeLogs(r, e, resource, resourceFault, latestMs, out, rejected);
      r.pos = e;
    }
  }
  return { events: out, rejected };
}

function scopeLogs(r: WireReader, end: number, resource: Attributes | undefined, fault: ItemFault | undefined, latestMs: number, out: TelemetryEvent[], rejected: RejectCounter): void {
  const start = r.pos;
  const span = new Int32Array(2);
  findField(r, end, 0x0a, SCOPE_LOGS_FIELDS, span);
  let scopeName = '';
  if (span[0]! >= 0) {
    r.pos = span[0]!;
    try {
      scopeName = readScopeName(r, span[1]!);
    } catch (err) {
      if (!(err instanceof ItemFault)) throw err;
      fault ??= err;
    }
  }
  const fields: LogFields = { timeMs: 0, observedMs: 0, severityNumber: 0, severityText: '', body: null, attributes: {}, traceId: '', spanId: '', eventName: '' };
  const scope: LogScope = { scopeName, resource: resource !== undefined && Object.keys(resource).length > 0 ? resource : undefined };
  r.pos = start;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if ((tag & 7) !== 2) {
      r.skip(tag & 7, end);
      continue;
    }
    const e = r.lengthEnd(end);
    if (tag === 0x12) {
      try {
        if (fault !== undefined) throw fault;
        out.push(logEvent(readLogRecord(r, e, fields), scope, latestMs));
      } catch (err) {
        if (!(err instanceof ItemFault)) throw err;
        rejected.reject(err.reason);
      }
    }
    r.pos = e;
  }
}

/** Fills `f` (one scratch object per request: {@link logEvent} copies what it keeps) from a LogRecord. */
function readLogRecord(r: WireReader, end: number, f: LogFields): LogFields {
  const buf = r.buf;
  const attributes: Record<string, AttributeValue> = {};
  f.timeMs = 0;
  f.observedMs = 0;
  f.severityNumber = 0;
  f.severityText = '';
  f.body = null;
  f.attributes = attributes;
  f.traceId = '';
  f.spanId = '';
  f.eventName = '';
  while (r.pos < end) {
    const tag = r.uint32(end);
    switch (tag) {
      case 0x09: f.timeMs = r.fixed64(end) / 1e6; break;
      case 0x59: f.observedMs = r.fixed64(end) / 1e6; break;
      case 0x10: f.severityNumber = r.uint32(end) | 0; break;
      case 0x1a: { const e = r.lengthEnd(end); f.severityText = repeatedString(buf, r.view, r.pos, e); r.pos = e; break; }
      case 0x2a: { const e = r.lengthEnd(end); f.body = readAnyValue(r, e, 1); r.pos = e; break; }
      case 0x32: { const e = r.lengthEnd(end); readKeyValueInto(r, e, 1, attributes); r.pos = e; break; }
      case 0x4a: { const e = r.lengthEnd(end); f.traceId = hexString(buf, r.view, r.pos, e); r.pos = e; break; }
      case 0x52: { const e = r.lengthEnd(end); f.spanId = hexString(buf, r.view, r.pos, e); r.pos = e; break; }
      case 0x62: { const e = r.lengthEnd(end); f.eventName = repeatedString(buf, r.view, r.pos, e); r.pos = e; break; }
      default: r.skipUnknown(tag, LOG_RECORD_FIELDS, end);
    }
  }
  return f;
}
