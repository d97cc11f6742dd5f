import { capacityFor, growU32 } from '../../src/api';
import type { SeriesTable } from '../../src/api';
import { SeriesCache } from '../../src/processing/series-cache';

/**
 * Old series id -> new series id, per processor instance. The source end is a {@link SeriesCache}
 * (stamped with the source's generation); the target's generation is stamped here as well, so if
 * either id is freed (and maybe reused) the entry reads as missing and the labels are computed again.
 */
export class SeriesRemap {
  private readonly targets: SeriesCache;
  private targetStamps: Uint32Array = new Uint32Array(1024);

  constructor(private readonly series: SeriesTable) {
    this.targets = new SeriesCache(series);
  }

  /** The mapped id, or -1 when unknown or stale. */
  get(id: number): number {
    const t = this.targets.get(id);
    return t >= 0 && this.targetStamps[id] === this.series.generation(t) + 1 ? t : -1;
  }

  set(id: number, target: number): void {
    this.targets.set(id, target);
    if (id >= this.targetStamps.length) this.targetStamps = growU32(this.targetStamps, capacityFor(this.targetStamps.length, id + 1));
    this.targetStamps[id] = this.series.generation(target) + 1;
  }
}
