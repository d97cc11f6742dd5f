import { capacityFor, growU32 } from '../../src/api';
import type { SeriesTable } from '../../src/api';

/**
 * Counts open aggregation states per input series across all tiers and keeps the series pinned
 * in the table while any exists (retain on the first, release on the last), so a series with an
 * open hour or day window is never evicted and its id never reused under us.
 */
export class SeriesPins {
  private counts: Uint32Array = new Uint32Array(1024);

  constructor(private readonly series: SeriesTable) {}

  acquire(sid: number): void {
    if (sid >= this.counts.length) this.counts = growU32(this.counts, capacityFor(this.counts.length, sid + 1));
    if (this.counts[sid]!++ === 0) this.series.retain(sid);
  }

  release(sid: number): void {
    if (this.counts[sid]! > 0 && --this.counts[sid]! === 0) this.series.release(sid);
  }
}
