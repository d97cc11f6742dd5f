import type { SeriesTable } from '../../src/api';

/**
 * Counts open aggregation states per input series across all tiers and keeps the series pinned
 * in the table while any exists (retain on the first, release on the last), so a series with an
 * open hour or day window is never evicted and its id never reused under us.
 */
export class SeriesPins {
  private counts = new Uint32Array(1024);

  constructor(private readonly series: SeriesTable) {}

  acquire(sid: number): void {
    if (sid >= this.counts.length) {
      let size = this.counts.length * 2;
      while (size <= sid) size *= 2;
      const c = new Uint32Array(size);
      c.set(this.counts);
      this.counts = c;
    }
    if (this.counts[sid]!++ === 0) this.series.retain(sid);
  }

  release(sid: number): void {
    if (this.counts[sid]! > 0 && --this.counts[sid]! === 0) this.series.release(sid);
  }
}
