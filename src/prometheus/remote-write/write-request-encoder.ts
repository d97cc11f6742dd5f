import { MetricKind, type MetricBatch, type SeriesTable, type ExplicitHistogram, type Summary } from '../../api';
import { expToExplicit } from '../exp-histogram';
import { ProtoWriter } from '../../wire/proto-writer';
import { RowGrouper } from './row-grouper';
import { SeriesCache, type EncodedSeries, type SeriesCacheOptions } from './series-cache';
import { TimeSeriesWriter } from './time-series-writer';

export interface EncoderOptions extends SeriesCacheOptions {
  /** Also send one MetricMetadata per family present in the request. */
  readonly sendMetadata: boolean;
}

// Module constants: read once, not through the API module's re-export getters on every row.
const DELTA_COUNTER = MetricKind.DELTA_COUNTER;
const HISTOGRAM = MetricKind.HISTOGRAM;
const EXP_HISTOGRAM = MetricKind.EXP_HISTOGRAM;
const SUMMARY = MetricKind.SUMMARY;
const FIRST_COMPLEX = MetricKind.HISTOGRAM;

/** Samples a row turns into: 1, or the expansion of a histogram / summary point. */
export function samplesOfRow(batch: MetricBatch, row: number, kind: MetricKind): number {
  if (kind < FIRST_COMPLEX) return kind !== DELTA_COUNTER ? 1 : 0;
  if (kind === HISTOGRAM) {
    const h = batch.complex?.[row];
    return h?.type === 'histogram' ? h.bounds.length + 3 : 0;
  }
  if (kind === EXP_HISTOGRAM) {
    const h = batch.complex?.[row];
    return h?.type === 'exp_histogram' ? h.negative.length + h.positive.length + 4 : 0;
  }
  if (kind === SUMMARY) {
    const s = batch.complex?.[row];
    return s?.type === 'summary' ? s.quantiles.length + 2 : 0;
  }
  return 0;
}

/** Delta counters have no remote write form (Prometheus needs cumulative values); the exporter drops and counts them. */
export function isExportable(kind: MetricKind): boolean {
  return kind !== DELTA_COUNTER;
}

const SCRATCH_INITIAL = 256;
/** Buffers kept for {@link WriteRequestEncoder.take}: one per request in flight on a shard is enough. */
const MAX_SPARES = 2;

/**
 * Hand-written WriteRequest encoding: one TimeSeries per series with all its samples from the
 * given rows (row order kept within a series), label bytes copied from the per-series cache.
 * Reuses one buffer: the returned bytes are valid until the next `encode`, unless handed over
 * with {@link WriteRequestEncoder.take}.
 */
export class WriteRequestEncoder {
  private readonly w = new ProtoWriter();
  private readonly out = new TimeSeriesWriter(this.w);
  private readonly grouper = new RowGrouper();
  private readonly cache: SeriesCache;
  private ts = new Float64Array(SCRATCH_INITIAL);
  private vals = new Float64Array(SCRATCH_INITIAL);
  /** Samples written by the last `encode`. */
  samples = 0;

  private readonly ownsCache: boolean;
  private readonly spares: Uint8Array[] = [];

  /** Encoders of one exporter share `cache` (one entry per series, not per shard). */
  constructor(private readonly table: SeriesTable, private readonly opts: EncoderOptions, cache?: SeriesCache) {
    this.cache = cache ?? new SeriesCache(table, opts);
    this.ownsCache = cache === undefined;
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
    const cache = this.cache;
    const out = this.out;
    const { slotSeries, slotStart, slotCount, order } = g;
    let samples = 0;
    for (let slot = 0; slot < g.slots; slot++) {
      const id = slotSeries[slot]!;
      const e = cache.get(id);
      const start = slotStart[slot]!;
      const end = start + slotCount[slot]!;
      const kind = e.kind;
      if (kind >= FIRST_COMPLEX) this.writeComplex(batch, e, order, start, end);
      else if (kind !== DELTA_COUNTER) {
        out.write(e.plain ?? cache.plain(e), batch.timestamps, batch.values, order, start, end);
        samples += end - start;
      } else continue;
      if (families && !families.has(e.family)) {
        families.add(e.family);
        const info = this.table.info(id);
        w.bytes(this.cache.metadata(e, info.description, info.unit));
      }
    }
    g.reset();
    this.samples += samples;
    return w.written();
  }

  /**
   * The bytes of the last `encode`, handed over: they stay valid (and unread by the encoder)
   * until given back with {@link recycle}. The encoder goes on in a recycled buffer, so a request
   * that must outlive the next `encode` (async compression) costs no copy and no fresh memory.
   */
  take(): Uint8Array {
    return this.w.detach(this.spares.pop());
  }

  /** Gives back bytes from {@link take} once nothing reads them any more. */
  recycle(bytes: Uint8Array): void {
    if (this.spares.length < MAX_SPARES) this.spares.push(new Uint8Array(bytes.buffer, bytes.byteOffset));
  }

  dispose(): void {
    if (this.ownsCache) this.cache.dispose();
  }

  /** One TimeSeries of the values gathered in the scratch columns. */
  private writeScratch(labels: Uint8Array, n: number): void {
    this.out.write(labels, this.ts, this.vals, undefined, 0, n);
    this.samples += n;
  }

  /**
   * Histograms become `_bucket{le}` (cumulative), `_sum` and `_count` series; summaries become
   * `{quantile}`, `_sum` and `_count`; exponential histograms are first converted to explicit
   * buckets on their exact boundaries. Rows are taken in runs sharing the same bounds/quantiles.
   */
  private writeComplex(batch: MetricBatch, e: EncodedSeries, order: Uint32Array, start: number, end: number): void {
    const points: (ExplicitHistogram | Summary)[] = [];
    const times: number[] = [];
    for (let k = start; k < end; k++) {
      const c = batch.complex?.[order[k]!];
      if (c === undefined) continue;
      points.push(c.type === 'exp_histogram' ? expToExplicit(c) : c);
      times.push(Math.floor(batch.timestamps[order[k]!]!));
    }
    let k = 0;
    while (k < points.length) {
      const first = points[k]!;
      let runEnd = k + 1;
      while (runEnd < points.length && sameShape(first, points[runEnd]!)) runEnd++;
      const run = points.slice(k, runEnd);
      const runTimes = times.slice(k, runEnd);
      this.fitScratch(run.length);
      if (first.type === 'histogram') this.writeHistogramRun(e, run as ExplicitHistogram[], runTimes, first);
      else this.writeSummaryRun(e, run as Summary[], runTimes, first);
      k = runEnd;
    }
  }

  private writeHistogramRun(e: EncodedSeries, run: readonly ExplicitHistogram[], times: readonly number[], shape: ExplicitHistogram): void {
    const n = run.length;
    const cum = new Float64Array(n);
    for (let j = 0; j <= shape.bounds.length; j++) {
      const last = j === shape.bounds.length;
      for (let k = 0; k < n; k++) {
        const h = run[k]!;
        cum[k] += h.counts[j] ?? 0;
        this.ts[k] = times[k]!;
        // The +Inf bucket is the count by definition, even if bucket counts were rounded.
        this.vals[k] = last ? h.count : cum[k]!;
      }
      this.writeScratch(this.cache.derived(e, '_bucket', 'le', last ? '+Inf' : formatFloat(shape.bounds[j]!)), n);
    }
    this.writeSumCount(e, run, times);
  }

  private writeSummaryRun(e: EncodedSeries, run: readonly Summary[], times: readonly number[], shape: Summary): void {
    for (let j = 0; j < shape.quantiles.length; j++) {
      for (let k = 0; k < run.length; k++) {
        this.ts[k] = times[k]!;
        this.vals[k] = run[k]!.values[j]!;
      }
      this.writeScratch(this.cache.derived(e, '', 'quantile', formatFloat(shape.quantiles[j]!)), run.length);
    }
    this.writeSumCount(e, run, times);
  }

  private writeSumCount(e: EncodedSeries, run: readonly (ExplicitHistogram | Summary)[], times: readonly number[]): void {
    for (const part of ['_sum', '_count'] as const) {
      for (let k = 0; k < run.length; k++) {
        this.ts[k] = times[k]!;
        this.vals[k] = part === '_sum' ? run[k]!.sum : run[k]!.count;
      }
      this.writeScratch(this.cache.derived(e, part), run.length);
    }
  }

  private fitScratch(n: number): void {
    if (this.ts.length >= n) return;
    this.ts = new Float64Array(n * 2);
    this.vals = new Float64Array(n * 2);
  }
}

function sameShape(a: ExplicitHistogram | Summary, b: ExplicitHistogram | Summary): boolean {
  if (b.type !== a.type) return false;
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
