import type { MetricBatchBuilder, SeriesTable } from '../../api';
import { ProtoReader, malformed } from './proto-reader';
import { SeriesResolver } from './series-resolver';
import { LabelGatherer, SampleReader } from './time-series-parts';

export interface DecodeStats {
  samples: number;
  series: number;
  /** Native histogram samples (TimeSeries field 4): not supported, skipped. */
  nativeHistograms: number;
}

const EMPTY_VIEW: DataView = new DataView(new ArrayBuffer(0));

/**
 * Decodes a WriteRequest straight into a MetricBatchBuilder: no object per sample and, for a
 * series seen before, none per series either (see {@link SeriesResolver}). Throws PermanentError
 * on malformed or invalid input; rows already pushed must then be discarded by the caller.
 */
export class WriteRequestDecoder {
  readonly resolver: SeriesResolver;
  private readonly labels = new LabelGatherer();
  private readonly samples = new SampleReader();
  /** The request being decoded, for sample values (DataView reads are cheaper than Buffer's). */
  private view: DataView = EMPTY_VIEW;

  constructor(table: SeriesTable, maxCacheEntries?: number) {
    this.resolver = new SeriesResolver(table, maxCacheEntries);
  }

  decode(body: Buffer, out: MetricBatchBuilder): DecodeStats {
    const stats: DecodeStats = { samples: 0, series: 0, nativeHistograms: 0 };
    const r = new ProtoReader(body);
    const end = body.length;
    this.view = new DataView(body.buffer, body.byteOffset, body.length);
    // Metadata may follow the series it describes, and decides the kind of a new series: it is
    // read (one pass over the request) before the first new series is interned, or at the end
    // when the request has metadata but no new series (Prometheus sends it in requests of its own).
    let metadataRead = false;
    let sawMetadata = false;
    this.resolver.beginRequest(() => {
      metadataRead = true;
      this.readAllMetadata(new ProtoReader(body), end);
    });
    try {
      while (r.pos < end) {
        const tag = r.varint(end);
        if (tag === 0x0a) {
          const stop = r.delimitedEnd(end);
          this.decodeSeries(r, stop, out, stats);
          r.pos = stop;
        } else {
          if (tag === 0x1a) sawMetadata = true;
          r.skip(tag & 7, end);
        }
      }
      if (sawMetadata && !metadataRead) this.readAllMetadata(r, end);
    } finally {
      this.resolver.endRequest();
      this.view = EMPTY_VIEW;
    }
    return stats;
  }

  private readAllMetadata(r: ProtoReader, end: number): void {
    r.pos = 0;
    for (let stop = r.nextDelimited(0x1a, end); stop >= 0; stop = r.nextDelimited(0x1a, end)) {
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
    // Fast path: the labels are those seen at this position last request and only samples follow.
    const hinted = this.resolver.hintedLength(r.buf, start, end);
    let id: number;
    let samplesFrom: number;
    if (hinted >= 0 && onlySamplesFrom(r, start + hinted, end)) {
      id = this.resolver.takeHint(r.buf, start, start + hinted);
      samplesFrom = start + hinted;
    } else {
      id = this.resolveSeries(r, start, end);
      samplesFrom = start;
    }
    stats.series++;
    r.pos = samplesFrom;
    while (r.pos < end) {
      const tag = r.varint(end);
      if (tag !== 0x12) {
        if (tag === 0x22) stats.nativeHistograms++;
        r.skip(tag & 7, end);
        continue;
      }
      const stop = r.delimitedEnd(end);
      const value = this.samples.read(r, this.view, stop);
      out.push(id, this.samples.timestamp, value);
      stats.samples++;
    }
  }

  /** Reads the label fields of the series in `[start, end)` and resolves them (the slow path: new or moved series). */
  private resolveSeries(r: ProtoReader, start: number, end: number): number {
    let labelStart = -1;
    let labelEnd = -1;
    let contiguous = true;
    r.pos = start;
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.varint(end);
      if (tag === 0x0a) {
        if (labelStart < 0) labelStart = at;
        else if (labelEnd !== at) contiguous = false;
        r.pos = r.delimitedEnd(end);
        labelEnd = r.pos;
      } else r.skip(tag & 7, end);
    }
    if (labelStart < 0) throw malformed('series without labels');
    return contiguous ? this.resolver.resolve(r.buf, labelStart, labelEnd) : this.resolveScattered(r, start, end);
  }

  /** Gathers label fields spread between other fields, then resolves them as one run. */
  private resolveScattered(r: ProtoReader, start: number, end: number): number {
    const n = this.labels.gather(r, start, end);
    return this.resolver.resolve(this.labels.buf, 0, n);
  }
}

/** Whether `[from, end)` holds only samples and native histograms (no further label field). */
function onlySamplesFrom(r: ProtoReader, from: number, end: number): boolean {
  r.pos = from;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag !== 0x12 && tag !== 0x22) return false;
    r.pos = r.delimitedEnd(end);
  }
  return true;
}
