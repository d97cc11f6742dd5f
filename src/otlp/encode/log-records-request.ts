import type { EventRecords } from '../../model/events';
import { OtlpLogRecords } from '../proto/logs-check';
import { varintSize } from '../../wire/proto-writer';
import { WireReader } from '../../wire/wire-reader';

// Field tags (all length-delimited): request.resource_logs, and in ResourceLogs/ScopeLogs alike
// 1 = resource/scope, 2 = scope_logs/log_records, 3 = schema_url.
const TAG_RESOURCE_LOGS = 0x0a;
const TAG_SCOPE_LOGS = 0x12;
const TAG_LOG_RECORD = 0x12;
const TAG_FIELD_1 = 0x0a;
const TAG_FIELD_3 = 0x1a;

// Plan operations, four int32 each: kind, body index, then [start, end) of a copy, or the tag and
// length of a message header.
const COPY = 0;
const HEADER = 1;
const OP = 4;
const NONE = 0x7fffffff;
const NO_STARTS: Int32Array = new Int32Array(0);

/**
 * Writes one `ExportLogsServiceRequest` holding exactly the given OTLP log records, each under its
 * original Resource and InstrumentationScope, without building any event: the bytes of records,
 * resources, scopes and schema URLs are copied as they arrived. A relay (otlp receiver → batch →
 * otlp_http) thus forwards logs at the cost of a walk over tags and lengths and a few copies.
 *
 * Two passes: {@link plan} walks the bodies once and lists copies and message headers (so every
 * length is known before anything is written, and nothing is moved afterwards), {@link writeInto}
 * carries them out into a buffer of the planned size. A ResourceLogs or ScopeLogs whose records
 * are all picked is copied whole (unknown fields included), and copies of adjacent bytes merge,
 * so a request forwarded entire is copied in one piece. Where only some records are picked, a new
 * message is written around the picked ones with the resource/scope and schema_url fields; other
 * unknown fields of that message are dropped. Messages with no picked record are left out. Slices
 * of one body given in ascending order are planned in one walk, their records under one copy of
 * their resource and scope. One instance can be reused; it is not safe to interleave two plans.
 */
export class LogRecordsRequest {
  private ops = new Int32Array(64 * OP);
  private n = 0;
  private size = 0;
  private bodies: Buffer[] = [];
  // The records picked in the body being planned: index ranges [from, to) into `starts`, pairs
  // in `ranges`; `next` is the index of the next picked record, `at` its offset (NONE past the last).
  private readonly ranges: number[] = [];
  private starts: Int32Array = NO_STARTS;
  private range = 0;
  private next = 0;
  private at = 0;
  private fieldAt = 0;

  /** Plans the request of `records` (in order); returns its size in bytes. */
  plan(records: readonly OtlpLogRecords[]): number {
    this.n = 0;
    this.size = 0;
    this.bodies.length = 0;
    let i = 0;
    while (i < records.length) {
      // Slices of one body in ascending order (split, then merged again; or picked apart) take one
      // walk of the body: walking it once per slice would cost the square of the records.
      const first = records[i]!;
      const ranges = this.ranges;
      ranges.length = 0;
      let j = i;
      for (; j < records.length; j++) {
        const r = records[j]!;
        if (j > i && (r.body !== first.body || r.starts !== first.starts || (ranges.length > 0 && r.from < ranges[ranges.length - 1]!))) break;
        if (r.from >= r.to) continue;
        if (ranges.length > 0 && ranges[ranges.length - 1] === r.from) ranges[ranges.length - 1] = r.to;
        else ranges.push(r.from, r.to);
      }
      // Every record of a body none of whose records was refused: the body is the request.
      if (ranges.length === 2 && ranges[0] === 0 && ranges[1] === first.starts.length && first.complete) this.copy(this.bodies.push(first.body) - 1, 0, first.body.length);
      else if (ranges.length > 0) this.planBody(first.body, first.starts);
      i = j;
    }
    return this.size;
  }

  /** Writes the planned request into `out` at `at`, which must have room for the planned size. */
  writeInto(out: Uint8Array, at: number): void {
    const ops = this.ops;
    const bodies = this.bodies;
    let p = at;
    for (let i = 0; i < this.n; i += OP) {
      if (ops[i] === COPY) {
        const a = ops[i + 2]!;
        const b = ops[i + 3]!;
        bodies[ops[i + 1]!]!.copy(out, p, a, b);
        p += b - a;
      } else {
        out[p++] = ops[i + 2]!;
        let v = ops[i + 3]!;
        while (v > 0x7f) {
          out[p++] = (v & 0x7f) | 0x80;
          v >>>= 7;
        }
        out[p++] = v;
      }
    }
    this.bodies.length = 0; // no request body is kept alive by a reused instance
    this.starts = NO_STARTS;
  }

  private planBody(body: Buffer, starts: Int32Array): void {
    const bi = this.bodies.push(body) - 1;
    this.starts = starts;
    this.range = 0;
    this.next = this.ranges[0]!;
    this.at = starts[this.next]!;
    const r = new WireReader(body);
    const end = r.len;
    for (let t = this.lenField(r, end); t >= 0 && this.at !== NONE; t = this.lenField(r, end)) {
      const at = this.fieldAt;
      const rlEnd = r.lengthEnd(end);
      if (t === TAG_RESOURCE_LOGS && this.at < rlEnd) this.resourceLogs(r, bi, at, rlEnd);
      r.pos = rlEnd;
    }
    // The records were found in this very body when it was checked: missing ones mean a caller
    // paired offsets with the wrong body, and sending a silently shorter request would lose them.
    if (this.at !== NONE) throw new Error(`log records not found in their request body (from offset ${this.at})`);
  }

  /**
   * Reads up to the next length-delimited field before `end` (the only kind these messages keep),
   * skipping others: returns its tag with `r` at its length and the field's first byte in
   * {@link fieldAt}, or -1 at `end`.
   */
  private lenField(r: WireReader, end: number): number {
    while (r.pos < end) {
      this.fieldAt = r.pos;
      const t = r.uint32(end);
      if ((t & 7) === 2) return t;
      r.skip(t & 7, end);
    }
    return -1;
  }

  /** Moves to the next picked record: its offset in {@link at}, or NONE. */
  private picked(): void {
    const ranges = this.ranges;
    if (++this.next >= ranges[this.range + 1]!) {
      this.range += 2;
      if (this.range >= ranges.length) {
        this.at = NONE;
        return;
      }
      this.next = ranges[this.range]!;
    }
    this.at = this.starts[this.next]!;
  }

  /** Plans the ResourceLogs at `[r.pos, end)` (its field starting at `at`). */
  private resourceLogs(r: WireReader, bi: number, at: number, end: number): void {
    const mark = this.open(TAG_RESOURCE_LOGS);
    let all = true;
    for (let t = this.lenField(r, end); t >= 0; t = this.lenField(r, end)) {
      const fieldAt = this.fieldAt;
      const e = r.lengthEnd(end);
      if (t === TAG_FIELD_1 || t === TAG_FIELD_3) this.copy(bi, fieldAt, e);
      else if (t === TAG_SCOPE_LOGS) {
        if (this.at < e) all = this.scopeLogs(r, bi, fieldAt, e) && all;
        else all = false; // (or a ScopeLogs without records: rewriting is right either way)
      }
      r.pos = e;
    }
    this.closeOrCopy(mark, all, bi, at, end);
  }

  /** Plans a ScopeLogs; returns whether all its records were picked. */
  private scopeLogs(r: WireReader, bi: number, at: number, end: number): boolean {
    const mark = this.open(TAG_SCOPE_LOGS);
    let all = true;
    for (let t = this.lenField(r, end); t >= 0; t = this.lenField(r, end)) {
      const fieldAt = this.fieldAt;
      const e = r.lengthEnd(end);
      if (t === TAG_LOG_RECORD) {
        // Offsets name where a record's own bytes begin, past its tag and length.
        if (r.pos === this.at) {
          this.copy(bi, fieldAt, e);
          this.picked();
        } else all = false;
      } else if (t === TAG_FIELD_1 || t === TAG_FIELD_3) this.copy(bi, fieldAt, e);
      r.pos = e;
    }
    this.closeOrCopy(mark, all, bi, at, end);
    return all;
  }

  /** Ends the message opened at `mark`, or, when all its records were picked, copies it whole instead. */
  private closeOrCopy(mark: number, all: boolean, bi: number, at: number, end: number): void {
    if (!all) return this.close(mark);
    this.n = mark;
    this.size = this.ops[mark + 3]!;
    this.copy(bi, at, end);
  }

  /** Starts a message header whose length is known at {@link close}; returns its op index. */
  private open(tag: number): number {
    const i = this.push(HEADER, 0, tag);
    this.ops[i + 3] = this.size; // the size before the message, until close writes its length
    return i;
  }

  private close(mark: number): void {
    const len = this.size - this.ops[mark + 3]!;
    this.ops[mark + 3] = len;
    this.size += 1 + varintSize(len);
  }

  private copy(bi: number, a: number, b: number): void {
    const ops = this.ops;
    const last = this.n - OP;
    this.size += b - a;
    if (last >= 0 && ops[last] === COPY && ops[last + 1] === bi && ops[last + 3] === a) {
      ops[last + 3] = b;
      return;
    }
    const i = this.push(COPY, bi, a);
    this.ops[i + 3] = b; // (push may have grown the array)
  }

  private push(kind: number, bi: number, a: number): number {
    if (this.n + OP > this.ops.length) {
      const grown = new Int32Array(this.ops.length * 2);
      grown.set(this.ops);
      this.ops = grown;
    }
    const i = this.n;
    this.ops[i] = kind;
    this.ops[i + 1] = bi;
    this.ops[i + 2] = a;
    this.n = i + OP;
    return i;
  }
}

/** The `ExportLogsServiceRequest` of exactly `records`, as a new buffer (see {@link LogRecordsRequest}). */
export function encodeLogRecordsRequest(records: readonly OtlpLogRecords[]): Buffer {
  const req = new LogRecordsRequest();
  const out = Buffer.allocUnsafe(req.plan(records));
  req.writeInto(out, 0);
  return out;
}

/** Whether every one of `records` is OTLP log records, which {@link LogRecordsRequest} can send as they came. */
export function allOtlpLogRecords(records: readonly EventRecords[]): records is readonly OtlpLogRecords[] {
  for (const r of records) if (!(r instanceof OtlpLogRecords)) return false;
  return true;
}
