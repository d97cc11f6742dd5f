import type { TelemetryEvent } from '../../model/events';
import type { LogsDecodeResult } from '../decode-result';
import { RejectCounter } from '../item-fault';
import { LogRecordReader } from './log-record-reader';
import { walkLogRecords } from './logs-walk';
import { WireReader } from '../../wire/wire-reader';

/** Which records of a request to build: those starting at `starts[from..to)` (ascending offsets). */
export interface RecordPick {
  readonly starts: Int32Array;
  readonly from: number;
  readonly to: number;
}

/**
 * Decodes an `ExportLogsServiceRequest` into events (one object per record), or only the records
 * `pick` names. Structural faults throw `WireError`; invalid records are counted in `rejected`
 * and left out.
 */
export function decodeProtoLogs(body: Buffer, nowMs: number, maxFutureMs: number, pick?: RecordPick): LogsDecodeResult {
  const r = new WireReader(body);
  const events: TelemetryEvent[] = [];
  const rejected = new RejectCounter();
  const latestMs = nowMs + maxFutureMs;
  const records = new LogRecordReader(r);
  if (pick === undefined) {
    walkLogRecords(r, rejected, (end, scope) => {
      events.push(records.read(end, scope, latestMs));
      return false;
    });
  } else if (pick.from < pick.to) {
    let next = pick.from;
    walkLogRecords(
      r,
      rejected,
      (end, scope) => {
        if (r.pos !== pick.starts[next]) return false;
        events.push(records.read(end, scope, latestMs));
        return ++next >= pick.to;
      },
      pick.starts[pick.from],
    );
  }
  return { events, rejected };
}
