import { capacityFor, growI32, growU32 } from '../api';
import type { SeriesTable } from '../api';

/**
 * A per-series-id cache of one small integer (a verdict, a route set, a mapped id), in typed
 * arrays: 8 bytes per id slot, no object per series. Entries are stamped with the series'
 * generation, so an id freed and reused by the table reads as missing instead of stale.
 */
export class SeriesCache {
  private values: Int32Array = new Int32Array(1024);
  /** generation + 1 of the id when the value was stored; 0 = empty. */
  private stamps: Uint32Array = new Uint32Array(1024);

  constructor(private readonly series: SeriesTable) {}

  /** The cached value, or -1 when absent or stale. */
  get(id: number): number {
    if (id >= this.stamps.length) return -1;
    const stamp = this.stamps[id]!;
    return stamp !== 0 && stamp === this.series.generation(id) + 1 ? this.values[id]! : -1;
  }

  set(id: number, value: number): void {
    if (id >= this.stamps.length) this.grow(id + 1);
    this.values[id] = value;
    this.stamps[id] = this.series.generation(id) + 1;
  }

  clear(): void {
    this.stamps.fill(0);
  }

  /** Bytes held by the arrays (for the bench's per-series figures). */
  get byteLength(): number {
    return this.values.byteLength + this.stamps.byteLength;
  }

  private grow(min: number): void {
    const cap = capacityFor(this.stamps.length, min);
    this.values = growI32(this.values, cap);
    this.stamps = growU32(this.stamps, cap);
  }
}
