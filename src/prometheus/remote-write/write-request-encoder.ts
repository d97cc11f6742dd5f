import { MetricKind, type MetricBatch, type SeriesTable, type ExplicitHistogram, type Summary } from '../../api';
import { ByteWriter, varintSize } from './byte-writer';
import { RowGrouper } from './row-grouper';
import { SeriesCache, type EncodedSeries, type SeriesCacheOptions } from './series-cache';
import { writeSampleValue } from './sample-value';

export interface EncoderOptions extends SeriesCacheOptions {
  /** Also send one MetricMetadata per family present in the request. */
  readonly sendMetadata: boolean;
}

/** Samples a row turns into: 1, or the expansion of a histogram / summary point. */
export function samplesOfRow(batch: MetricBatch, row: number, kind: MetricKind): number {
  if (kind === MetricKind.HISTOGRAM) {
    const h = batch.complex?.[row];
    return h?.type === 'histogram' ? h.bounds.length + 3 : 0;
  }
  if (kind === MetricKind.SUMMARY) {
    const s = batch.complex?.[row];
    return s?.type === 'summary' ? s.quantiles.length + 2 : 0;
  }
  return isExportable(kind) ? 1 : 0;
}

/** Delta counters and exponential histograms have no remote write 1.0 form; they are dropped (and counted) by the exporter. */
export function isExportable(kind: MetricKind): boolean {
  return kind !== MetricKind.DELTA_COUNTER && kind !== MetricKind.EXP_HISTOGRAM;
}

const SCRATCH_INITIAL = 256;

/**
 * Hand-written WriteRequest encoding: one TimeSeries per series with all its samples from the
 * given rows (row order kept within a series), label bytes copied from the per-series cache.
 * Reuses one buffer: the returned bytes are valid until the next `encode`.
 */
export class WriteRequestEncoder {
  private readonly w = new ByteWriter();
  private readonly grouper = new RowGrouper();
  private readonly cache: SeriesCache;
  private ts = new Float64Array(SCRATCH_INITIAL);
  private vals = new Float64Array(SCRATCH_INITIAL);
  /** Samples written by the last `encode`. */
  samples = 0;

  constructor(private readonly table: SeriesTable, private readonly opts: EncoderOptions) {
    this.cache = new SeriesCache(table, opts);
  }

  /** The per-series cache (the exporter reads kinds through it). */
  get series(): SeriesCache {
    return this.cache;
  }

  encode(batch: MetricBatch, rows: Uint32Array): Uint8Array {
    const w = this.w;
    w.reset();
    this.samples = 0;
    const g = this.grouper;
    g.group(batch.series, rows);
    const families = this.opts.sendMetadata ? new Set<string>() : undefined;
    for (let slot = 0; slot < g.slots; slot++) {
      const id = g.slotSeries[slot]!;
      const e = this.cache.get(id);
      const start = g.slotStart[slot]!;
      const end = start + g.slotCount[slot]!;
      if (e.kind === MetricKind.HISTOGRAM || e.kind === MetricKind.SUMMARY) this.writeComplex(batch, e, g.order, start, end);
      else if (isExportable(e.kind)) this.writePlain(batch, this.cache.plain(e), g.order, start, end);
      else continue;
      if (families && !families.has(e.family)) {
        families.add(e.family);
        const info = this.table.info(id);
        w.bytes(this.cache.metadata(e, info.description, info.unit));
      }
    }
    g.reset();
    return w.written();
  }

  dispose(): void {
    this.cache.dispose();
  }

  /** One TimeSeries: labels, then a Sample per row `order[start..end)`. */
  private writePlain(batch: MetricBatch, labels: Uint8Array, order: Uint32Array, start: number, end: number): void {
    const timestamps = batch.timestamps;
    const values = batch.values;
    let size = labels.length;
    for (let k = start; k < end; k++) size += sampleFieldSize(Math.floor(timestamps[order[k]!]!));
    const w = this.w;
    w.ensure(size + 11);
    w.byte(0x0a);
    w.varint(size);
    w.bytes(labels);
    for (let k = start; k < end; k++) {
      const row = order[k]!;
      const t = Math.floor(timestamps[row]!);
      w.byte(0x12);
      w.byte(10 + varintSize(t));
      w.byte(0x09);
      writeSampleValue(w, values[row]!);
      w.byte(0x10);
      w.varint(t);
    }
    this.samples += end - start;
  }

  /** Same as {@link writePlain} for values gathered in the scratch columns. */
  private writeScratch(labels: Uint8Array, n: number): void {
    let size = labels.length;
    for (let k = 0; k < n; k++) size += sampleFieldSize(this.ts[k]!);
    const w = this.w;
    w.ensure(size + 11);
    w.byte(0x0a);
    w.varint(size);
    w.bytes(labels);
    for (let k = 0; k < n; k++) {
      const t = this.ts[k]!;
      w.byte(0x12);
      w.byte(10 + varintSize(t));
      w.byte(0x09);
      writeSampleValue(w, this.vals[k]!);
      w.byte(0x10);
      w.varint(t);
    }
    this.samples += n;
  }

  /**
   * Histograms become `_bucket{le}` (cumulative), `_sum` and `_count` series; summaries become
   * `{quantile}`, `_sum` and `_count`. Rows are taken in runs sharing the same bounds/quantiles.
   */
  private writeComplex(batch: MetricBatch, e: EncodedSeries, order: Uint32Array, start: number, end: number): void {
    let k = start;
    while (k < end) {
      const first = batch.complex?.[order[k]!];
      let runEnd = k + 1;
      if (first === undefined || first.type === 'exp_histogram') {
        k = runEnd;
        continue;
      }
      while (runEnd < end && sameShape(first, batch.complex?.[order[runEnd]!])) runEnd++;
      this.fitScratch(runEnd - k);
      if (first.type === 'histogram') this.writeHistogramRun(batch, e, order, k, runEnd, first);
      else this.writeSummaryRun(batch, e, order, k, runEnd, first);
      k = runEnd;
    }
  }

  private writeHistogramRun(batch: MetricBatch, e: EncodedSeries, order: Uint32Array, start: number, end: number, shape: ExplicitHistogram): void {
    const n = end - start;
    const cum = new Float64Array(n);
    for (let j = 0; j <= shape.bounds.length; j++) {
      const last = j === shape.bounds.length;
      for (let k = 0; k < n; k++) {
        const h = batch.complex![order[start + k]!] as ExplicitHistogram;
        cum[k] += h.counts[j] ?? 0;
        this.ts[k] = Math.floor(batch.timestamps[order[start + k]!]!);
        // The +Inf bucket is the count by definition, even if bucket counts were rounded.
        this.vals[k] = last ? h.count : cum[k]!;
      }
      this.writeScratch(this.cache.derived(e, '_bucket', 'le', last ? '+Inf' : formatFloat(shape.bounds[j]!)), n);
    }
    this.writeSumCount(batch, e, order, start, end);
  }

  private writeSummaryRun(batch: MetricBatch, e: EncodedSeries, order: Uint32Array, start: number, end: number, shape: Summary): void {
    const n = end - start;
    for (let j = 0; j < shape.quantiles.length; j++) {
      for (let k = 0; k < n; k++) {
        const s = batch.complex![order[start + k]!] as Summary;
        this.ts[k] = Math.floor(batch.timestamps[order[start + k]!]!);
        this.vals[k] = s.values[j]!;
      }
      this.writeScratch(this.cache.derived(e, '', 'quantile', formatFloat(shape.quantiles[j]!)), n);
    }
    this.writeSumCount(batch, e, order, start, end);
  }

  private writeSumCount(batch: MetricBatch, e: EncodedSeries, order: Uint32Array, start: number, end: number): void {
    const n = end - start;
    for (const part of ['_sum', '_count'] as const) {
      for (let k = 0; k < n; k++) {
        const c = batch.complex![order[start + k]!] as ExplicitHistogram | Summary;
        this.ts[k] = Math.floor(batch.timestamps[order[start + k]!]!);
        this.vals[k] = part === '_sum' ? c.sum : c.count;
      }
      this.writeScratch(this.cache.derived(e, part), n);
    }
  }

  private fitScratch(n: number): void {
    if (this.ts.length >= n) return;
    this.ts = new Float64Array(n * 2);
    this.vals = new Float64Array(n * 2);
  }
}

/** Bytes of one `samples` field: tag, length, double field (9), timestamp field (1 + varint). */
function sampleFieldSize(t: number): number {
  return 2 + 9 + 1 + varintSize(t);
}

function sameShape(a: ExplicitHistogram | Summary, b: unknown): boolean {
  if (typeof b !== 'object' || b === null || (b as { type: string }).type !== a.type) return false;
  const x = a.type === 'histogram' ? a.bounds : a.quantiles;
  const y = a.type === 'histogram' ? (b as ExplicitHistogram).bounds : (b as Summary).quantiles;
  if (x === y) return true;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** How Prometheus clients print `le` and `quantile` values. */
export function formatFloat(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
