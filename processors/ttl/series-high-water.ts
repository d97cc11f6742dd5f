import { capacityFor, growF64, growU32 } from '../../src/api';
import type { MetricBatch, SeriesTable } from '../../src/api';

/**
 * De-duplication of metric points by (series id, timestamp), held as one high-water mark per
 * series: a point whose timestamp is not newer than the newest accepted point of its series
 * (within the TTL) is a duplicate. A replayed request carries exactly such points. Out-of-order
 * points are treated alike, as Prometheus's TSDB does without an out-of-order window.
 *
 * Why not a set of (series, timestamp) keys: at millions of points per second a key set over a
 * 2-hour window cannot be held, and a V8 Map of a million entries runs below 1M operations/s.
 * Typed arrays indexed by series id cost 16 bytes per series and a few nanoseconds per point.
 */
export class SeriesHighWater {
  private newest: Float64Array = new Float64Array(1024);
  /** Expiry in seconds since the epoch; 0 = nothing remembered. */
  private expiry: Uint32Array = new Uint32Array(1024);
  /** generation + 1 of the id when stored. */
  private stamps: Uint32Array = new Uint32Array(1024);
  private tracked = 0;

  constructor(private readonly series: SeriesTable, private readonly ttlMs: number) {}

  get size(): number {
    return this.tracked;
  }

  /**
   * Marks duplicates: `keep[i] = 0` for duplicate rows. Returns the count of duplicates, and
   * undefined for `keep` when there are none (so the caller can pass the batch on untouched).
   */
  check(batch: MetricBatch, nowMs: number): { duplicates: number; keep: Uint8Array | undefined } {
    const { series, timestamps, length } = batch;
    const nowSec = Math.floor(nowMs / 1000);
    const expirySec = Math.ceil((nowMs + this.ttlMs) / 1000);
    let keep: Uint8Array | undefined;
    let duplicates = 0;
    for (let i = 0; i < length; i++) {
      const id = series[i]!;
      if (id >= this.stamps.length) this.grow(id + 1);
      const ts = timestamps[i]!;
      const stamp = this.series.generation(id) + 1;
      if (this.stamps[id] === stamp && this.expiry[id]! > nowSec) {
        if (ts <= this.newest[id]!) {
          keep ??= new Uint8Array(length).fill(1);
          keep[i] = 0;
          duplicates++;
          continue;
        }
      } else {
        if (this.expiry[id] === 0) this.tracked++;
        this.stamps[id] = stamp;
      }
      this.newest[id] = ts;
      this.expiry[id] = expirySec;
    }
    return { duplicates, keep };
  }

  /** Forgets the marks of the batch's series, so that a retry of a refused batch passes. */
  forget(batch: MetricBatch): void {
    for (let i = 0; i < batch.length; i++) {
      const id = batch.series[i]!;
      if (this.expiry[id] !== 0) this.tracked--;
      this.expiry[id] = 0;
      this.stamps[id] = 0;
    }
  }

  /** Forgets series whose mark expired; returns how many. Scans `[from, to)` ids. */
  cleanup(nowMs: number, from: number, to: number): number {
    const nowSec = Math.floor(nowMs / 1000);
    let n = 0;
    const end = Math.min(to, this.expiry.length);
    for (let id = from; id < end; id++) {
      const e = this.expiry[id]!;
      if (e !== 0 && e <= nowSec) {
        this.expiry[id] = 0;
        this.stamps[id] = 0;
        n++;
      }
    }
    this.tracked -= n;
    return n;
  }

  get capacity(): number {
    return this.expiry.length;
  }

  private grow(min: number): void {
    const cap = capacityFor(this.expiry.length, min);
    this.newest = growF64(this.newest, cap);
    this.expiry = growU32(this.expiry, cap);
    this.stamps = growU32(this.stamps, cap);
  }
}
