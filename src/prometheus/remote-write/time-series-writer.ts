import { ProtoWriter } from '../../wire/proto-writer';
import { writeSampleValue } from './sample-value';

/** Below this many bytes a plain loop beats `TypedArray.prototype.set`'s fixed cost (see ProtoWriter.bytes). */
const SMALL_COPY = 32;
/** 2^28: the part of a timestamp's varint written with 32-bit shifts (four 7-bit groups). */
const LOW_RANGE = 0x10000000;

/**
 * Writes `TimeSeries` messages (field 1 of WriteRequest): the cached label bytes, then one
 * `Sample { double value = 1; int64 timestamp = 2; }` per row. This is the remote-write hot path
 * (one call per series per request), so it writes straight into the writer's buffer with a local
 * position instead of one method call per byte, writes the double through the writer's DataView,
 * and keeps the varints of the last two timestamps: the rows of a request mostly share a few
 * instants, and a series of a merged batch alternates between two of them (see {@link useTimestamp}).
 */
export class TimeSeriesWriter {
  /** Varint bytes of `lastT` (a negative int64 takes ten). */
  private tBytes = new Uint8Array(10);
  private tLen = 1;
  private lastT = 0;
  /** The timestamp used before `lastT`, with its varint. */
  private otherBytes = new Uint8Array(10);
  private otherLen = 1;
  private otherT = 0;
  private readonly scratch = new ProtoWriter(16);

  constructor(private readonly w: ProtoWriter) {}

  /**
   * One TimeSeries with the samples `timestamps[row], values[row]` for `row = order[k]`,
   * `k` in `[start, end)`, or `row = k` when `order` is undefined. Timestamps are floored to
   * whole milliseconds, as remote write carries them.
   */
  write(labels: Uint8Array, timestamps: Float64Array, values: Float64Array, order: Uint32Array | undefined, start: number, end: number): void {
    // Sizes first: the TimeSeries length prefix comes before its body.
    let size = labels.length;
    for (let k = start; k < end; k++) {
      const t = Math.floor(timestamps[order === undefined ? k : order[k]!]!);
      if (t !== this.lastT) this.useTimestamp(t);
      size += 12 + this.tLen; // tag, length, double field (9), timestamp tag (1) + varint
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
      if (t !== this.lastT) this.useTimestamp(t);
      const tBytes = this.tBytes;
      const tLen = this.tLen;
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
  private useTimestamp(t: number): void {
    const bytes = this.otherBytes;
    this.otherBytes = this.tBytes;
    this.tBytes = bytes;
    const len = this.otherLen;
    this.otherLen = this.tLen;
    this.tLen = len;
    const other = this.otherT;
    this.otherT = this.lastT;
    this.lastT = other;
    if (other !== t) this.cacheTimestamp(t);
  }

  /**
   * Varint bytes of `t` into {@link tBytes}. Rows of a merged or scraped batch change timestamps
   * from one sample to the next, so this runs per sample there: the low 28 bits go out in 7-bit
   * groups with 32-bit shifts, and the rest takes one division (not one per byte, as a generic
   * varint of a number above 2^32 does). Negative timestamps take the generic int64 path.
   */
  private cacheTimestamp(t: number): void {
    this.lastT = t;
    const out = this.tBytes;
    // Written so that NaN takes the generic path too.
    if (!(t >= 0 && t <= Number.MAX_SAFE_INTEGER)) {
      const s = this.scratch;
      s.reset();
      s.varint(t);
      this.tLen = s.pos;
      for (let i = 0; i < s.pos; i++) out[i] = s.buf[i]!;
      return;
    }
    let lo = t % LOW_RANGE;
    let hi = (t - lo) / LOW_RANGE;
    let n = 0;
    for (let group = 0; group < 4; group++) {
      const rest = lo >>> 7;
      if (rest === 0 && hi === 0) {
        out[n] = lo;
        this.tLen = n + 1;
        return;
      }
      out[n++] = (lo & 0x7f) | 0x80;
      lo = rest;
    }
    while (hi > 0x7f) {
      out[n++] = (hi & 0x7f) | 0x80;
      hi >>>= 7;
    }
    out[n] = hi;
    this.tLen = n + 1;
  }
}
