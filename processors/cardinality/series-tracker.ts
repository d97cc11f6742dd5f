import { capacityFor, growU32 } from '../../src/api';
import type { SeriesTable } from '../../src/api';
import { MetricLimits } from './metric-limits';

/**
 * The series a limiter has accepted, in typed arrays indexed by series id: 13 bytes per id slot
 * (state, generation stamp, last seen second, metric index) and no object per series.
 * Entries are stamped with the series generation so a reused id never inherits an acceptance.
 */
/** {@link SeriesTracker.admit}: refused, and the metric name was never accepted. */
export const UNKNOWN_METRIC = -2;

export class SeriesTracker {
  /** generation + 1 of the id when accepted; 0 = not tracked. */
  private stamps: Uint32Array = new Uint32Array(1024);
  private lastSeen: Uint32Array = new Uint32Array(1024);
  private metricOf: Uint32Array = new Uint32Array(1024);
  tracked = 0;

  constructor(
    private readonly series: SeriesTable,
    readonly metrics: MetricLimits,
    private readonly maxSeries: number,
  ) {}

  /** True when the id is accepted and current; marks it seen. The per-point hot path. */
  seen(id: number, nowSec: number): boolean {
    if (id < this.stamps.length && this.stamps[id] === this.series.generation(id) + 1 && this.stamps[id] !== 0) {
      this.lastSeen[id] = nowSec;
      return true;
    }
    return false;
  }

  /**
   * Tries to accept a new series under the limits: -1 when accepted; when refused, its metric's
   * index, or {@link UNKNOWN_METRIC} when the name is new and the global limit is full (it is then
   * not numbered: cardinality in metric names must not grow the name index, or an overflow
   * series per name, without bound).
   */
  admit(id: number, nowSec: number): number {
    if (id >= this.stamps.length) this.grow(id + 1);
    if (this.stamps[id] !== 0) this.release(id); // a stale entry of a series that held this id before
    const name = this.series.info(id).name;
    const full = this.tracked >= this.maxSeries;
    const known = this.metrics.find(name);
    if (full && known === undefined) return UNKNOWN_METRIC;
    const m = known ?? this.metrics.indexOf(name);
    if (full || !this.metrics.hasRoom(m)) return m;
    this.stamps[id] = this.series.generation(id) + 1;
    this.lastSeen[id] = nowSec;
    this.metricOf[id] = m;
    this.metrics.counts[m]!++;
    this.tracked++;
    return -1;
  }

  /** Forgets series not seen since `olderThanSec`; returns how many. */
  expire(olderThanSec: number): number {
    let n = 0;
    for (let id = 0; id < this.stamps.length; id++) {
      if (this.stamps[id] !== 0 && this.lastSeen[id]! < olderThanSec) {
        this.release(id);
        n++;
      }
    }
    return n;
  }

  /** Forgets ids the series table freed. */
  evicted(ids: Uint32Array): void {
    for (const id of ids) if (id < this.stamps.length && this.stamps[id] !== 0) this.release(id);
  }

  /** Bytes held per id slot (for the bench). */
  get byteLength(): number {
    return this.stamps.byteLength + this.lastSeen.byteLength + this.metricOf.byteLength;
  }

  private release(id: number): void {
    this.stamps[id] = 0;
    this.metrics.counts[this.metricOf[id]!]!--;
    this.tracked--;
  }

  private grow(min: number): void {
    const cap = capacityFor(this.stamps.length, min);
    this.stamps = growU32(this.stamps, cap);
    this.lastSeen = growU32(this.lastSeen, cap);
    this.metricOf = growU32(this.metricOf, cap);
  }
}
