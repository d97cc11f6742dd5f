import type { Attributes } from '../../model/attributes';
import type { TelemetryEvent } from '../../model/events';
import type { LogsDecodeResult } from '../decode-result';
import { ItemFault, RejectCounter } from '../item-fault';
import type { LogScope } from '../log-event';
import { LogRecordReader } from './log-record-reader';
import { findField, readResourceAttributes, readScopeName } from './resource';
import { fieldTypes, WireReader } from '../../wire/wire-reader';

const REQUEST_FIELDS = fieldTypes({ 1: 2 });
const RESOURCE_LOGS_FIELDS = fieldTypes({ 1: 2, 2: 2, 3: 2 });
const SCOPE_LOGS_FIELDS = fieldTypes({ 1: 2, 2: 2, 3: 2 });

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
  const records = new LogRecordReader(r);
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
      if (t === 0x12) scopeLogs(r, e, records, resource, resourceFault, latestMs, out, rejected);
      r.pos = e;
    }
  }
  return { events: out, rejected };
}

function scopeLogs(r: WireReader, end: number, records: LogRecordReader, resource: Attributes | undefined, fault: ItemFault | undefined, latestMs: number, out: TelemetryEvent[], rejected: RejectCounter): void {
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
        out.push(records.read(e, scope, latestMs));
      } catch (err) {
        if (!(err instanceof ItemFault)) throw err;
        rejected.reject(err.reason);
      }
    }
    r.pos = e;
  }
}
