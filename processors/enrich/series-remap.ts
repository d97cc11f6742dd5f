import type { SeriesTable } from '../../src/api';
import { capacityFor, growI32, growU32 } from '../../src/processing/grow';

/**
 * Old series id -> new series id, per processor instance, in typed arrays. Both ends are stamped
 * with their generation: if either id is freed (and maybe reused) the entry reads as missing and
 * the labels are computed again.
 */
export class SeriesRemap {
  private targets: Int32Array = new Int32Array(1024);
  private stamps: Uint32Array = new Uint32Array(1024);
  private targetStamps: Uint32Array = new Uint32Array(1024);

  constructor(private readonly series: SeriesTable) {}

  /** The mapped id, or -1 when unknown or stale. */
  get(id: number): number {
    if (id >= this.stamps.length || this.stamps[id] !== this.series.generation(id) + 1) return -1;
    const t = this.targets[id]!;
    return this.targetStamps[id] === this.series.generation(t) + 1 ? t : -1;
  }

  set(id: number, target: number): void {
    if (id >= this.stamps.length) {
      const cap = capacityFor(this.stamps.length, id + 1);
      this.targets = growI32(this.targets, cap);
      this.stamps = growU32(this.stamps, cap);
      this.targetStamps = growU32(this.targetStamps, cap);
    }
    this.targets[id] = target;
    this.stamps[id] = this.series.generation(id) + 1;
    this.targetStamps[id] = this.series.generation(target) + 1;
  }
}
