import type { SeriesTable } from '../../src/api';

/**
 * The previous raw point of every cumulative counter, so each new point contributes its
 * increase: `v - prev`, or `v` after a reset (value went down, or the start time moved on).
 * Increases are additive across windows and tiers, so `increase` of a day is the sum of its
 * minutes' increases, exactly, resets included. The first point of a series is a baseline.
 */
export class CounterTracker {
  private prev: Float64Array = new Float64Array(1024);
  private prevTs: Float64Array = new Float64Array(1024);
  private prevStart: Float64Array = new Float64Array(1024);
  private has = new Uint8Array(1024);
  private readonly unsubscribe: () => void;

  constructor(series: SeriesTable) {
    this.unsubscribe = series.onEvict((ids) => {
      for (let i = 0; i < ids.length; i++) if (ids[i]! < this.has.length) this.has[ids[i]!] = 0;
    });
  }

  get byteSize(): number {
    return this.prev.byteLength * 3 + this.has.byteLength;
  }

  /** The increase brought by a cumulative point; NaN when the point is older than the last one. */
  increase(sid: number, value: number, ts: number, start: number): number {
    if (sid >= this.has.length) this.grow(sid + 1);
    if (this.has[sid] === 0) {
      this.set(sid, value, ts, start);
      return 0;
    }
    if (ts < this.prevTs[sid]!) return NaN;
    const prev = this.prev[sid]!;
    const prevStart = this.prevStart[sid]!;
    const reset = value < prev || (start > 0 && prevStart > 0 && start > prevStart);
    this.set(sid, value, ts, start);
    return reset ? value : value - prev;
  }

  /** Tracked series as `[sid, value, ts, start]` (checkpoints). */
  entries(): [number, number, number, number][] {
    const out: [number, number, number, number][] = [];
    for (let sid = 0; sid < this.has.length; sid++) if (this.has[sid]) out.push([sid, this.prev[sid]!, this.prevTs[sid]!, this.prevStart[sid]!]);
    return out;
  }

  set(sid: number, value: number, ts: number, start: number): void {
    if (sid >= this.has.length) this.grow(sid + 1);
    this.prev[sid] = value;
    this.prevTs[sid] = ts;
    this.prevStart[sid] = start;
    this.has[sid] = 1;
  }

  close(): void {
    this.unsubscribe();
  }

  private grow(min: number): void {
    let size = this.has.length * 2;
    while (size < min) size *= 2;
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.prev = grow(this.prev);
    this.prevTs = grow(this.prevTs);
    this.prevStart = grow(this.prevStart);
    const has = new Uint8Array(size);
    has.set(this.has);
    this.has = has;
  }
}
