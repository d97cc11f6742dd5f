import type { MetricBatchBuilder, SeriesTable } from '../../api';
import { ProtoReader, malformed } from './proto-reader';
import { readSampleValue } from './sample-value';
import { SeriesResolver } from './series-resolver';

export interface DecodeStats {
  samples: number;
  series: number;
  /** Native histogram samples (TimeSeries field 4): not supported, skipped. */
  nativeHistograms: number;
}

/**
 * Decodes a WriteRequest straight into a MetricBatchBuilder: no object per sample and, for a
 * series seen before, none per series either (see {@link SeriesResolver}). Throws PermanentError
 * on malformed or invalid input; rows already pushed must then be discarded by the caller.
 */
export class WriteRequestDecoder {
  readonly resolver: SeriesResolver;
  /** Scratch for label fields that are not contiguous in a TimeSeries (rare; legal protobuf). */
  private scratch = Buffer.allocUnsafe(4096);

  constructor(table: SeriesTable, maxCacheEntries?: number) {
    this.resolver = new SeriesResolver(table, maxCacheEntries);
  }

  decode(body: Buffer, out: MetricBatchBuilder): DecodeStats {
    const stats: DecodeStats = { samples: 0, series: 0, nativeHistograms: 0 };
    const r = new ProtoReader(body);
    const end = body.length;
    // Metadata may follow the series it describes: read it first (a cheap skip over the rest).
    if (this.hasMetadata(r, end)) this.readAllMetadata(r, end);
    r.pos = 0;
    this.resolver.beginRequest();
    while (r.pos < end) {
      const tag = r.varint(end);
      if (tag === 0x0a) {
        const stop = r.delimitedEnd(end);
        this.decodeSeries(r, stop, out, stats);
        r.pos = stop;
      } else r.skip(tag & 7, end);
    }
    return stats;
  }

  private hasMetadata(r: ProtoReader, end: number): boolean {
    r.pos = 0;
    while (r.pos < end) {
      const tag = r.varint(end);
      if (tag === 0x1a) return true;
      r.skip(tag & 7, end);
    }
    return false;
  }

  private readAllMetadata(r: ProtoReader, end: number): void {
    r.pos = 0;
    while (r.pos < end) {
      const tag = r.varint(end);
      if (tag !== 0x1a) {
        r.skip(tag & 7, end);
        continue;
      }
      const stop = r.delimitedEnd(end);
      let type = 0;
      let family = '';
      let help = '';
      while (r.pos < stop) {
        const t = r.varint(stop);
        if (t === 0x08) type = r.varint(stop);
        else if (t === 0x12 || t === 0x22) {
          const s = r.delimitedEnd(stop);
          const text = r.buf.toString('utf8', r.pos, s);
          if (t === 0x12) family = text;
          else help = text;
          r.pos = s;
        } else r.skip(t & 7, stop);
      }
      if (family) this.resolver.rememberMetadata(family, { type, help });
    }
  }

  private decodeSeries(r: ProtoReader, end: number, out: MetricBatchBuilder, stats: DecodeStats): void {
    const start = r.pos;
    let labelStart = -1;
    let labelEnd = -1;
    let contiguous = true;
    let firstSample = -1;
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.varint(end);
      if (tag === 0x0a) {
        if (labelStart < 0) labelStart = at;
        else if (labelEnd !== at) contiguous = false;
        r.pos = r.delimitedEnd(end);
        labelEnd = r.pos;
      } else if (tag === 0x12) {
        if (firstSample < 0) firstSample = at;
        r.pos = r.delimitedEnd(end);
      } else {
        if (tag === 0x22) stats.nativeHistograms++;
        r.skip(tag & 7, end);
      }
    }
    if (labelStart < 0) throw malformed('series without labels');
    const id = contiguous ? this.resolver.resolve(r.buf, labelStart, labelEnd) : this.resolveScattered(r, start, end);
    stats.series++;
    if (firstSample < 0) return;
    r.pos = firstSample;
    while (r.pos < end) {
      const tag = r.varint(end);
      if (tag !== 0x12) {
        r.skip(tag & 7, end);
        continue;
      }
      const stop = r.delimitedEnd(end);
      let value = 0;
      let ts = 0;
      while (r.pos < stop) {
        const t = r.varint(stop);
        if (t === 0x09) {
          if (r.pos + 8 > stop) throw malformed('truncated sample value');
          value = readSampleValue(r.buf, r.pos);
          r.pos += 8;
        } else if (t === 0x10) ts = r.varint(stop);
        else r.skip(t & 7, stop);
      }
      out.push(id, ts, value);
      stats.samples++;
    }
  }

  /** Gathers label fields spread between other fields into the scratch buffer, then resolves. */
  private resolveScattered(r: ProtoReader, start: number, end: number): number {
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
      if (n + (stop - at) > this.scratch.length) {
        const bigger = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, n + stop - at));
        this.scratch.copy(bigger, 0, 0, n);
        this.scratch = bigger;
      }
      n += r.buf.copy(this.scratch, n, at, stop);
      r.pos = stop;
    }
    return this.resolver.resolve(this.scratch, 0, n);
  }
}
