import type { ComplexValue } from './complex-value';
import { growF64, growU32 } from './typed-arrays';

/**
 * A batch of metric points in columns: row i is point i. No object per point.
 *
 * - `series[i]`: series id in the process's {@link SeriesTable} (name, labels, kind).
 * - `timestamps[i]`: milliseconds since the Unix epoch (fractions allowed).
 * - `values[i]`: the value; for histograms and summaries the sum, with the rest in `complex[i]`.
 *   A Prometheus stale marker is the NaN with bits 0x7ff0000000000002 ({@link STALE_NAN}).
 * - `startTimes`: optional start of a cumulative point's interval (reset detection), ms.
 * - `epochs`/`requestIds`: optional identity of the request that produced the point (de-duplication).
 *
 * Batches are immutable once built: a stage that changes data builds a new batch (the helpers in
 * this module do it column-wise), so branches of a fan-out never see each other's changes.
 */
export interface MetricBatch {
  readonly signal: 'metrics';
  readonly length: number;
  readonly series: Uint32Array;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  readonly complex?: ReadonlyArray<ComplexValue | undefined>;
  readonly startTimes?: Float64Array;
  readonly epochs?: Float64Array;
  readonly requestIds?: ReadonlyArray<string | undefined>;
}

const staleBuffer = new DataView(new ArrayBuffer(8));
staleBuffer.setUint32(0, 0x7ff00000);
staleBuffer.setUint32(4, 0x00000002);
/** Prometheus's staleness marker: a NaN with a specific payload. */
export const STALE_NAN = staleBuffer.getFloat64(0);

export function isStaleMarker(value: number): boolean {
  if (!Number.isNaN(value)) return false;
  staleBuffer.setFloat64(0, value);
  return staleBuffer.getUint32(0) === 0x7ff00000 && staleBuffer.getUint32(4) === 0x00000002;
}

/** Appends points into growable columns; `build()` hands out exactly-sized views. */
export class MetricBatchBuilder {
  private series: Uint32Array;
  private timestamps: Float64Array;
  private values: Float64Array;
  private complex: (ComplexValue | undefined)[] | undefined;
  private startTimes: Float64Array | undefined;
  private epochs: Float64Array | undefined;
  private requestIds: (string | undefined)[] | undefined;
  private n = 0;

  constructor(capacity = 1024) {
    this.series = new Uint32Array(capacity);
    this.timestamps = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.n;
  }

  push(seriesId: number, timestampMs: number, value: number, complex?: ComplexValue, startTimeMs?: number): number {
    if (this.n === this.series.length) this.grow();
    const i = this.n++;
    this.series[i] = seriesId;
    this.timestamps[i] = timestampMs;
    this.values[i] = value;
    if (complex !== undefined) (this.complex ??= [])[i] = complex;
    if (startTimeMs !== undefined) {
      this.startTimes ??= new Float64Array(this.series.length);
      this.startTimes[i] = startTimeMs;
    }
    return i;
  }

  /** Sets the request identity of the last pushed row. */
  setIdentity(epoch: number, requestId: string): void {
    const i = this.n - 1;
    this.epochs ??= new Float64Array(this.series.length);
    this.epochs[i] = epoch;
    (this.requestIds ??= [])[i] = requestId;
  }

  build(): MetricBatch {
    const n = this.n;
    const batch: {
      -readonly [K in keyof MetricBatch]: MetricBatch[K];
    } = {
      signal: 'metrics',
      length: n,
      series: this.series.subarray(0, n),
      timestamps: this.timestamps.subarray(0, n),
      values: this.values.subarray(0, n),
    };
    if (this.complex) batch.complex = this.complex;
    if (this.startTimes) batch.startTimes = this.startTimes.subarray(0, n);
    if (this.epochs) batch.epochs = this.epochs.subarray(0, n);
    if (this.requestIds) batch.requestIds = this.requestIds;
    // The builder must not write into arrays it handed out.
    this.series = new Uint32Array(Math.max(16, n));
    this.timestamps = new Float64Array(this.series.length);
    this.values = new Float64Array(this.series.length);
    this.complex = undefined;
    this.startTimes = undefined;
    this.epochs = undefined;
    this.requestIds = undefined;
    this.n = 0;
    return batch;
  }

  private grow(): void {
    const cap = this.series.length * 2;
    this.series = growU32(this.series, cap);
    this.timestamps = growF64(this.timestamps, cap);
    this.values = growF64(this.values, cap);
    if (this.startTimes) this.startTimes = growF64(this.startTimes, cap);
    if (this.epochs) this.epochs = growF64(this.epochs, cap);
  }
}

/** Rows [start, end) as views (no copy). */
export function sliceMetricBatch(batch: MetricBatch, start: number, end: number): MetricBatch {
  const out: { -readonly [K in keyof MetricBatch]: MetricBatch[K] } = {
    signal: 'metrics',
    length: end - start,
    series: batch.series.subarray(start, end),
    timestamps: batch.timestamps.subarray(start, end),
    values: batch.values.subarray(start, end),
  };
  if (batch.complex) out.complex = batch.complex.slice(start, end);
  if (batch.startTimes) out.startTimes = batch.startTimes.subarray(start, end);
  if (batch.epochs) out.epochs = batch.epochs.subarray(start, end);
  if (batch.requestIds) out.requestIds = batch.requestIds.slice(start, end);
  return out;
}

/** A new batch whose row i has series `seriesIds[i]` and everything else from `batch`. */
export function withSeries(batch: MetricBatch, seriesIds: Uint32Array): MetricBatch {
  return { ...batch, series: seriesIds };
}
