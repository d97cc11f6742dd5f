import type { Attributes } from '../../model/attributes';
import { ItemFault, type RejectCounter } from '../item-fault';
import type { LogScope } from '../log-event';
import { findField, readResourceAttributes, readScopeName } from './resource';
import { fieldTypes, type WireReader } from '../../wire/wire-reader';

const REQUEST_FIELDS = fieldTypes({ 1: 2 });
const RESOURCE_LOGS_FIELDS = fieldTypes({ 1: 2, 2: 2, 3: 2 });
const SCOPE_LOGS_FIELDS = fieldTypes({ 1: 2, 2: 2, 3: 2 });

/**
 * Called for each LogRecord with `r.pos` at its first byte and `end` past its last; throws an
 * {@link ItemFault} to refuse the record (counted by reason, the walk goes on). Returns true to
 * end the walk (a build that has every record it wants).
 */
export type LogRecordStep = (end: number, scope: LogScope) => boolean;

/**
 * Walks an `ExportLogsServiceRequest`: checks its structure, reads each resource and scope once,
 * and hands each LogRecord to `step`. Building events and only validating records (see
 * logs-check) share this walk, so both refuse exactly the same records of the same request: a
 * record under a resource or scope that is refused (invalid UTF-8, duplicate attribute keys) is
 * refused for that reason without being read. Structural faults throw `WireError`.
 *
 * `from`: a byte offset before which no record is wanted. A ResourceLogs or ScopeLogs that ends
 * there is skipped unread, so building a slice of a validated request does not read its whole
 * front again.
 */
export function walkLogRecords(r: WireReader, rejected: RejectCounter, step: LogRecordStep, from = 0): void {
  const span = new Int32Array(2);
  const end = r.len;
  for (let rlEnd = r.nextDelimited(0x0a, REQUEST_FIELDS, end); rlEnd >= 0; rlEnd = r.nextDelimited(0x0a, REQUEST_FIELDS, end)) {
    if (rlEnd <= from) {
      r.pos = rlEnd;
      continue;
    }
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
    for (let e = r.nextDelimited(0x12, RESOURCE_LOGS_FIELDS, rlEnd); e >= 0; e = r.nextDelimited(0x12, RESOURCE_LOGS_FIELDS, rlEnd)) {
      if (e > from && scopeLogs(r, e, resource, resourceFault, rejected, step, span)) return;
      r.pos = e;
    }
  }
}

/** The records of one ScopeLogs; true when `step` ended the walk. */
function scopeLogs(r: WireReader, end: number, resource: Attributes | undefined, fault: ItemFault | undefined, rejected: RejectCounter, step: LogRecordStep, span: Int32Array): boolean {
  const start = r.pos;
  // Senders put the scope first: its records need not be walked twice to find it.
  findField(r, end, 0x0a, SCOPE_LOGS_FIELDS, span, true);
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
  const buf = r.buf;
  while (r.pos < end) {
    // The usual record: a one-byte tag and a length of one or two bytes, read in place.
    let e: number;
    if (buf[r.pos] === 0x12) {
      const at = r.pos + 1;
      let len = at < end ? buf[at]! : -1;
      let data = at + 1;
      if (len >= 0x80) len = data < end && buf[data]! < 0x80 ? (len & 0x7f) | (buf[data++]! << 7) : -1;
      if (len >= 0 && data + len <= end) {
        r.pos = data;
        e = data + len;
      } else {
        r.pos = at;
        e = r.lengthEnd(end); // a longer length, or the reader's fault
      }
    } else {
      const t = r.uint32(end);
      if ((t & 7) !== 2) {
        r.skipUnknown(t, SCOPE_LOGS_FIELDS, end);
        continue;
      }
      e = r.lengthEnd(end);
      if (t !== 0x12) {
        r.pos = e;
        continue;
      }
    }
    let done = false;
    try {
      if (fault !== undefined) throw fault;
      done = step(e, scope);
    } catch (err) {
      if (!(err instanceof ItemFault)) throw err;
      rejected.reject(err.reason);
    }
    if (done) return true;
    r.pos = e;
  }
  return false;
}
