import { ProtoWriter } from '../../wire/proto-writer';

/** 2^28: the part of a timestamp's varint written with 32-bit shifts (four 7-bit groups). */
const LOW_RANGE = 0x10000000;
/** For the generic int64 varint (negative timestamps); writers are synchronous, so one is enough. */
const scratch = new ProtoWriter(16);

/** A timestamp (whole milliseconds) with its int64 varint bytes, kept to be written again. */
export class TimestampVarint {
  t = 0;
  /** Bytes used in {@link bytes}: a negative int64 takes ten. */
  len = 1;
  readonly bytes = new Uint8Array(10);

  /**
   * Rows of a merged or scraped batch change timestamps from one sample to the next, so this runs
   * per sample there: the low 28 bits go out in 7-bit groups with 32-bit shifts, and the rest takes
   * one division (not one per byte, as a generic varint of a number above 2^32 does). Negative
   * timestamps take the generic int64 path.
   */
  set(t: number): void {
    this.t = t;
    const out = this.bytes;
    // Written so that NaN takes the generic path too.
    if (!(t >= 0 && t <= Number.MAX_SAFE_INTEGER)) {
      scratch.reset();
      scratch.varint(t);
      this.len = scratch.pos;
      for (let i = 0; i < scratch.pos; i++) out[i] = scratch.buf[i]!;
      return;
    }
    let lo = t % LOW_RANGE;
    let hi = (t - lo) / LOW_RANGE;
    let n = 0;
    for (let group = 0; group < 4; group++) {
      const rest = lo >>> 7;
      if (rest === 0 && hi === 0) {
        out[n] = lo;
        this.len = n + 1;
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
    this.len = n + 1;
  }
}
