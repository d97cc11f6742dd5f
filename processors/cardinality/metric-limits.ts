import { growU32 } from '../../src/api';
import { compileGlob } from '../../src/processing/glob';

/**
 * Metric names seen by the limiter, numbered, with each one's limit and current series count.
 * One entry per metric name (not per series), so it stays small.
 */
export class MetricLimits {
  readonly names: string[] = [];
  readonly limits: number[] = [];
  counts: Uint32Array = new Uint32Array(64);
  private readonly index = new Map<string, number>();
  private readonly globs: { match: (name: string) => boolean; limit: number }[];

  constructor(config: Readonly<Record<string, number>>) {
    this.globs = Object.entries(config).map(([glob, limit]) => ({ match: compileGlob(glob), limit }));
  }

  /** The number of a name seen before, without numbering a new one. */
  find(name: string): number | undefined {
    return this.index.get(name);
  }

  indexOf(name: string): number {
    let m = this.index.get(name);
    if (m === undefined) {
      m = this.names.push(name) - 1;
      this.index.set(name, m);
      this.limits.push(this.globs.find((g) => g.match(name))?.limit ?? Infinity);
      if (m >= this.counts.length) this.counts = growU32(this.counts, this.counts.length * 2);
    }
    return m;
  }

  hasRoom(m: number): boolean {
    return this.counts[m]! < this.limits[m]!;
  }
}
