import type { MetricBatch } from '../../src/api';

/** Where closed windows write their aggregates: one point at a time, plain gauges. */
export interface AggregateSink {
  push(seriesId: number, timestampMs: number, value: number): void;
}

/**
 * Collects aggregate points into batches of at most `chunk` points, sized exactly.
 *
 * Why not one growing MetricBatchBuilder: a window boundary emits hundreds of thousands of
 * points, and growing by doubling then copying allocates about three times the output in
 * ArrayBuffers. Those are external memory to V8, and every ~64 MB of it forces a full
 * mark-compact of the whole heap (which the shared SeriesTable makes large). Here a full chunk
 * is handed out as is and only the last, partial one is copied, so the bytes allocated equal
 * the bytes emitted.
 */
export class OutputChunks implements AggregateSink {
  private series: Uint32Array;
  private timestamps: Float64Array;
  private values: Float64Array;
  private n = 0;
  private readonly done: MetricBatch[] = [];

  constructor(private readonly chunk: number) {
    this.series = new Uint32Array(chunk);
    this.timestamps = new Float64Array(chunk);
    this.values = new Float64Array(chunk);
  }

  /** Points pushed and not yet taken. */
  get length(): number {
    return this.done.length * this.chunk + this.n;
  }

  push(seriesId: number, timestampMs: number, value: number): void {
    const i = this.n;
    this.series[i] = seriesId;
    this.timestamps[i] = timestampMs;
    this.values[i] = value;
    if ((this.n = i + 1) === this.chunk) this.seal();
  }

  /** Hands out every pushed point as batches, in push order, and starts empty. */
  take(): MetricBatch[] {
    const n = this.n;
    if (n > 0) {
      // The partial chunk is copied so this builder keeps (and reuses) its full-size arrays.
      this.done.push(batchOf(this.series.slice(0, n), this.timestamps.slice(0, n), this.values.slice(0, n)));
      this.n = 0;
    }
    return this.done.splice(0, this.done.length);
  }

  private seal(): void {
    this.done.push(batchOf(this.series, this.timestamps, this.values));
    // Handed-out arrays belong to the batch now (batches are immutable).
    this.series = new Uint32Array(this.chunk);
    this.timestamps = new Float64Array(this.chunk);
    this.values = new Float64Array(this.chunk);
    this.n = 0;
  }
}

function batchOf(series: Uint32Array, timestamps: Float64Array, values: Float64Array): MetricBatch {
  return { signal: 'metrics', length: series.length, series, timestamps, values };
}
