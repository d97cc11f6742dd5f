import { eventBatch, recordsBatch, type EventRecords, type TelemetryEvent } from '../../model/events';
import type { LogsBatchResult } from '../decode-result';
import { RejectCounter } from '../item-fault';
import { LogRecordCheck } from './log-record-check';
import { decodeProtoLogs, type RecordPick } from './logs-decoder';
import { walkLogRecords } from './logs-walk';
import { WireReader } from '../../wire/wire-reader';

/**
 * LogRecords of one OTLP request body, validated, held as the body and the offsets of the records
 * that passed. Events are built from them (with the same reader as an eager decode) only when a
 * stage asks; the body is shared by slices, never copied or changed.
 */
export class OtlpLogRecords implements EventRecords, RecordPick {
  /**
   * `starts`: offsets of the valid records in `body`, ascending; these records are
   * `starts[from..to)`. `complete`: `starts` names every LogRecord of the body (none was
   * refused), so all of them together are the body itself.
   */
  constructor(readonly body: Buffer, readonly starts: Int32Array, readonly from: number, readonly to: number, readonly complete = false) {}

  get count(): number {
    return this.to - this.from;
  }

  build(): TelemetryEvent[] {
    // Time bounds were checked on arrival: building later must not refuse what was accepted then.
    return decodeProtoLogs(this.body, Infinity, 0, this).events;
  }

  slice(from: number, to: number): OtlpLogRecords {
    const a = Math.max(0, Math.min(from, this.count));
    const b = Math.max(a, Math.min(to, this.count));
    return new OtlpLogRecords(this.body, this.starts, this.from + a, this.from + b, this.complete);
  }
}

/** A checked request: its batch, refusals, and the bytes of the records kept (the rest of the body is not needed). */
export interface CheckedLogs extends LogsBatchResult {
  readonly keptBytes: number;
}

/**
 * Validates an `ExportLogsServiceRequest` without building its events: the records that pass
 * become one {@link OtlpLogRecords}, refused ones are counted by reason, the same records and the
 * same reasons as `decodeProtoLogs`. Structural faults throw `WireError`.
 */
export function checkProtoLogs(body: Buffer, nowMs: number, maxFutureMs: number): CheckedLogs {
  const r = new WireReader(body);
  const rejected = new RejectCounter();
  const latestMs = nowMs + maxFutureMs;
  const check = new LogRecordCheck(r);
  let starts = new Int32Array(256);
  let n = 0;
  let keptBytes = 0;
  walkLogRecords(r, rejected, (end) => {
    const start = r.pos;
    check.check(end, latestMs);
    keptBytes += end - start;
    if (n === starts.length) {
      const grown = new Int32Array(n * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[n++] = start;
    return false;
  });
  const batch = n === 0 ? eventBatch([]) : recordsBatch([new OtlpLogRecords(body, starts.subarray(0, n), 0, n, rejected.total === 0)]);
  return { batch, rejected, keptBytes };
}
