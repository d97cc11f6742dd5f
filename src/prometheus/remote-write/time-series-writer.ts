import type { ProtoWriter } from '../../wire/proto-writer';
import { writeSampleValue } from './sample-value';
import { TimestampVarint } from './timestamp-varint';

/** Below this many bytes a plain loop beats `TypedArray.prototype.set`'s fixed cost (see ProtoWriter.bytes). */
const SMALL_COPY = 32;

/**
 * Writes `TimeSeries` messages (field 1 of WriteRequest): the cached label bytes, then one
 * `Sample { double value = 1; int64 timestamp = 2; }` per row. This is the remote-write hot path
 * (one call per series per request), so it writes straight into the writer's buffer with a local
 * position instead of one method call per byte, writes the double through the writer's DataView,
 * and keeps the varints of the last two timestamps: the rows of a request mostly share a few
 * instants, and a series of a merged batch alternates between two of them (see {@link useTimestamp}).
 */
export class TimeSeriesWriter {
  /** The timestamp of the last sample written, and the one before it, with their varints. */
  private current = new TimestampVarint();
  private previous = new TimestampVarint();

  constructor(private readonly w: ProtoWriter) {}

  /**
   * One TimeSeries with the samples `timestamps[row], values[row]` for `row = order[k]`,
   * `k` in `[start, end)`, or `row = k` when `order` is undefined. Timestamps are floored to
   * whole milliseconds, as remote write carries them.
   */
  write(labels: Uint8Array, timestamps: Float64Array, values: Float64Array, order: Uint32Array | undefined, start: number, end: number): void {
    // Sizes first: the TimeSeries length prefix comes before its body.
    let size = labels.length;
    let ts = this.current;
    for (let k = start; k < end; k++) {
      const t = Math.floor(timestamps[order === undefined ? k : order[k]!]!);
      if (t !== ts.t) ts = this.useTimestamp(t);
      size += 12 + ts.len; // tag, length, double field (9), timestamp tag (1) + varint
    }
    const w = this.w;
    w.ensure(size + 6);
    const buf = w.buf;
    const view = w.view;
    let p = w.pos;
    buf[p++] = 0x0a;
    while (size > 0x7f) {
      buf[p++] = (size & 0x7f) | 0x80;
      size >>>= 7;
    }
    buf[p++] = size;
    const n = labels.length;
    if (n > SMALL_COPY) buf.set(labels, p);
    else for (let i = 0; i < n; i++) buf[p + i] = labels[i]!;
    p += n;
    for (let k = start; k < end; k++) {
      const row = order === undefined ? k : order[k]!;
      const t = Math.floor(timestamps[row]!);
      if (t !== ts.t) ts = this.useTimestamp(t);
      const tBytes = ts.bytes;
      const tLen = ts.len;
      buf[p] = 0x12;
      buf[p + 1] = 10 + tLen;
      buf[p + 2] = 0x09;
      const v = values[row]!;
      if (v === v) view.setFloat64(p + 3, v, true);
      else {
        // NaNs (the stale marker among them) go through the explicit bit patterns of writeSampleValue.
        w.pos = p + 3;
        writeSampleValue(w, v);
      }
      buf[p + 11] = 0x10;
      p += 12;
      for (let i = 0; i < tLen; i++) buf[p + i] = tBytes[i]!;
      p += tLen;
    }
    w.pos = p;
  }

  /**
   * Makes `t` the current timestamp. The two entries swap, so the one used before stays at hand:
   * the rows of a batch merged from consecutive requests hold a series' samples at the same few
   * instants, and every series then alternates between them (twice per series: sizes, then bytes).
   */
  private useTimestamp(t: number): TimestampVarint {
    const next = this.previous;
    this.previous = this.current;
    this.current = next;
    if (next.t !== t) next.set(t);
    return next;
  }
}
