import type { ComplexValue, MetricBatch, SeriesTable } from '../api';
import { capacityFor, growF64, isStaleMarker, MetricKind } from '../api';

/**
 * The latest value of every series an exporter holds, indexed by series id in typed arrays
 * (value, sample timestamp, last update) with a side map for histogram/summary payloads.
 *
 * Nothing is pinned in the series table: evicted ids are dropped through `onEvict`, so an id
 * reused by the table never shows another series' value. Updates are synchronous, so a render
 * that runs synchronously between two `apply` calls always sees a consistent snapshot.
 */
export class LatestValues {
  private values: Float64Array = new Float64Array(256);
  private timestamps: Float64Array = new Float64Array(256);
  private updated: Float64Array = new Float64Array(256);
  /** 1 when the id holds a value. */
  private present = new Uint8Array(256);
  private readonly complex = new Map<number, ComplexValue>();
  private count = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly series: SeriesTable) {
    this.unsubscribe = series.onEvict((ids) => {
      for (let i = 0; i < ids.length; i++) this.remove(ids[i]!);
    });
  }

  /** Number of series with a value. */
  get size(): number {
    return this.count;
  }

  /**
   * Takes every row of the batch: stale markers remove the series, delta counters add to the
   * running total, anything else replaces the value unless it is older than the one held.
   * Delta histograms cannot be told apart from cumulative ones and replace, like cumulative.
   * Returns how many rows named a series the table no longer knows (evicted in flight): skipped.
   */
  apply(batch: MetricBatch, nowMs: number): number {
    const { series, timestamps, values } = batch;
    let unknown = 0;
    for (let i = 0; i < batch.length; i++) {
      const id = series[i]!;
      const v = values[i]!;
      if (!this.series.has(id)) {
        unknown++;
        continue;
      }
      if (isStaleMarker(v)) {
        this.remove(id);
        continue;
      }
      if (id >= this.present.length) this.grow(id + 1);
      const ts = timestamps[i]!;
      const had = this.present[id] === 1;
      if (this.series.info(id).kind === MetricKind.DELTA_COUNTER) {
        this.values[id] = had ? this.values[id]! + v : v;
        if (!had || ts > this.timestamps[id]!) this.timestamps[id] = ts;
      } else {
        if (had && ts < this.timestamps[id]!) continue;
        this.values[id] = v;
        this.timestamps[id] = ts;
        const c = batch.complex?.[i];
        if (c !== undefined) this.complex.set(id, c);
        else this.complex.delete(id);
      }
      if (!had) {
        this.present[id] = 1;
        this.count++;
      }
      this.updated[id] = nowMs;
    }
    return unknown;
  }

  /** Removes every series whose last update is before `cutoffMs`; returns how many. */
  expire(cutoffMs: number): number {
    let n = 0;
    for (let id = 0; id < this.present.length; id++) {
      if (this.present[id] === 1 && this.updated[id]! < cutoffMs) {
        this.remove(id);
        n++;
      }
    }
    return n;
  }

  /** Calls `fn` for every id holding a value, in id order. */
  forEach(fn: (id: number) => void): void {
    const present = this.present;
    for (let id = 0; id < present.length; id++) if (present[id] === 1) fn(id);
  }

  has(id: number): boolean {
    return this.present[id] === 1;
  }

  value(id: number): number {
    return this.values[id]!;
  }

  timestamp(id: number): number {
    return this.timestamps[id]!;
  }

  complexValue(id: number): ComplexValue | undefined {
    return this.complex.get(id);
  }

  remove(id: number): void {
    if (this.present[id] !== 1) return;
    this.present[id] = 0;
    this.complex.delete(id);
    this.count--;
  }

  close(): void {
    this.unsubscribe();
  }

  private grow(min: number): void {
    const cap = capacityFor(this.present.length, min);
    this.values = growF64(this.values, cap);
    this.timestamps = growF64(this.timestamps, cap);
    this.updated = growF64(this.updated, cap);
    const p = new Uint8Array(cap);
    p.set(this.present);
    this.present = p;
  }
}
