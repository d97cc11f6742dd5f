import { ProtoReader, malformed } from './proto-reader';
import { readSampleValue } from './sample-value';

/**
 * Reads `Sample` messages (value = 1, timestamp = 2). The value is returned (a float store could
 * lose the stale marker's NaN payload), the timestamp left in {@link timestamp}: no object per sample.
 */
export class SampleReader {
  timestamp = 0;

  /** Reads the Sample whose fields are `[r.pos, stop)`; `view` is a DataView of `r.buf`. */
  read(r: ProtoReader, view: DataView, stop: number): number {
    let value = 0;
    let ts = 0;
    while (r.pos < stop) {
      const t = r.varint(stop);
      if (t === 0x09) {
        if (r.pos + 8 > stop) throw malformed('truncated sample value');
        value = readSampleValue(view, r.pos);
        r.pos += 8;
      } else if (t === 0x10) ts = r.varint(stop);
      else r.skip(t & 7, stop);
    }
    this.timestamp = ts;
    return value;
  }
}

/**
 * Copies the label fields of a TimeSeries that are spread between other fields (rare, legal
 * protobuf) into one run of bytes in {@link buf}, so they can be looked up as one key.
 */
export class LabelGatherer {
  buf = Buffer.allocUnsafe(4096);

  /** Gathers the label fields of the TimeSeries `[start, end)` of `r.buf`; returns their length in `buf`. */
  gather(r: ProtoReader, start: number, end: number): number {
    let n = 0;
    r.pos = start;
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.varint(end);
      const stop = tag === 0x0a ? r.delimitedEnd(end) : -1;
      if (stop < 0) {
        r.skip(tag & 7, end);
        continue;
      }
      if (n + (stop - at) > this.buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, n + stop - at));
        this.buf.copy(bigger, 0, 0, n);
        this.buf = bigger;
      }
      n += r.buf.copy(this.buf, n, at, stop);
      r.pos = stop;
    }
    return n;
  }
}
