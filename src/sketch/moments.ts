/**
 * Mergeable moments for many aggregation states in one Float64Array (8 numbers per slot):
 * count, sum, mean, M2 (sum of squared deviations from the mean), min, max, last and the
 * timestamp of last. Points update with Welford's method; two states merge with Chan et al.'s
 * parallel formula, so the variance of a merged state equals the variance of the union of the
 * points (up to floating-point rounding), whatever the merge tree.
 */
export const M_COUNT = 0;
export const M_SUM = 1;
export const M_MEAN = 2;
export const M_M2 = 3;
export const M_MIN = 4;
export const M_MAX = 5;
export const M_LAST = 6;
export const M_LAST_TS = 7;
export const MOMENTS_STRIDE = 8;

export class MomentsArray {
  /** Raw storage; slot s occupies [s * 8, s * 8 + 8). Read with the M_* offsets. */
  data = new Float64Array(64 * MOMENTS_STRIDE);

  get byteSize(): number {
    return this.data.byteLength;
  }

  /** Makes slot an empty state. */
  reset(slot: number): void {
    const o = slot * MOMENTS_STRIDE;
    if (o + MOMENTS_STRIDE > this.data.length) this.grow(o + MOMENTS_STRIDE);
    const d = this.data;
    d[o + M_COUNT] = 0;
    d[o + M_SUM] = 0;
    d[o + M_MEAN] = 0;
    d[o + M_M2] = 0;
    d[o + M_MIN] = Infinity;
    d[o + M_MAX] = -Infinity;
    d[o + M_LAST] = NaN;
    d[o + M_LAST_TS] = -Infinity;
  }

  /** One observation (Welford). */
  add(slot: number, value: number, timestampMs: number): void {
    const d = this.data;
    const o = slot * MOMENTS_STRIDE;
    const n = d[o + M_COUNT]! + 1;
    const mean = d[o + M_MEAN]!;
    const delta = value - mean;
    const newMean = mean + delta / n;
    d[o + M_COUNT] = n;
    d[o + M_SUM]! += value;
    d[o + M_MEAN] = newMean;
    d[o + M_M2]! += delta * (value - newMean);
    if (value < d[o + M_MIN]!) d[o + M_MIN] = value;
    if (value > d[o + M_MAX]!) d[o + M_MAX] = value;
    if (timestampMs >= d[o + M_LAST_TS]!) {
      d[o + M_LAST] = value;
      d[o + M_LAST_TS] = timestampMs;
    }
  }

  /**
   * Merges a pre-aggregated group of `count` observations (a histogram point, a counter
   * increment, a restored state) with Chan's formula. `m2` may be NaN when unknown.
   */
  addGroup(slot: number, count: number, sum: number, mean: number, m2: number, min: number, max: number, last: number, lastTs: number): void {
    const d = this.data;
    const o = slot * MOMENTS_STRIDE;
    const na = d[o + M_COUNT]!;
    const n = na + count;
    if (count > 0) {
      const delta = mean - d[o + M_MEAN]!;
      d[o + M_MEAN] = na === 0 ? mean : d[o + M_MEAN]! + (delta * count) / n;
      d[o + M_M2] = na === 0 ? m2 : d[o + M_M2]! + m2 + (delta * delta * na * count) / n;
    }
    d[o + M_COUNT] = n;
    d[o + M_SUM]! += sum;
    if (min < d[o + M_MIN]!) d[o + M_MIN] = min;
    if (max > d[o + M_MAX]!) d[o + M_MAX] = max;
    if (lastTs >= d[o + M_LAST_TS]!) {
      d[o + M_LAST] = last;
      d[o + M_LAST_TS] = lastTs;
    }
  }

  /**
   * A counter point: `count` and `sum` take one point and its increment, min/max/last track the
   * raw value; mean and M2 stay untouched (the mean of a cumulative value means nothing).
   */
  addIncrement(slot: number, increment: number, value: number, timestampMs: number): void {
    const d = this.data;
    const o = slot * MOMENTS_STRIDE;
    d[o + M_COUNT]! += 1;
    d[o + M_SUM]! += increment;
    if (value < d[o + M_MIN]!) d[o + M_MIN] = value;
    if (value > d[o + M_MAX]!) d[o + M_MAX] = value;
    if (timestampMs >= d[o + M_LAST_TS]!) {
      d[o + M_LAST] = value;
      d[o + M_LAST_TS] = timestampMs;
    }
  }

  /** Merges slot `src` of `from` into `dst` of this array. */
  mergeFrom(dst: number, from: MomentsArray, src: number): void {
    const s = from.data;
    const o = src * MOMENTS_STRIDE;
    this.addGroup(dst, s[o + M_COUNT]!, s[o + M_SUM]!, s[o + M_MEAN]!, s[o + M_M2]!, s[o + M_MIN]!, s[o + M_MAX]!, s[o + M_LAST]!, s[o + M_LAST_TS]!);
  }

  get(slot: number, field: number): number {
    return this.data[slot * MOMENTS_STRIDE + field]!;
  }

  /** Population standard deviation (sqrt(M2 / count)); NaN when unknown or empty. */
  stddev(slot: number): number {
    const o = slot * MOMENTS_STRIDE;
    const n = this.data[o + M_COUNT]!;
    return n > 0 ? Math.sqrt(Math.max(0, this.data[o + M_M2]!) / n) : NaN;
  }

  /** The 8 numbers of a slot (checkpoints). */
  read(slot: number): number[] {
    const o = slot * MOMENTS_STRIDE;
    return Array.from(this.data.subarray(o, o + MOMENTS_STRIDE));
  }

  /** Copies the 8 numbers of a slot into `out` at `at` (checkpoints, no allocation). */
  copyTo(slot: number, out: Float64Array, at: number): void {
    const o = slot * MOMENTS_STRIDE;
    for (let i = 0; i < MOMENTS_STRIDE; i++) out[at + i] = this.data[o + i]!;
  }

  /** Overwrites a slot with 8 numbers from {@link read} (or {@link copyTo}'s array at `from`). */
  write(slot: number, values: ArrayLike<number>, from = 0): void {
    const o = slot * MOMENTS_STRIDE;
    if (o + MOMENTS_STRIDE > this.data.length) this.grow(o + MOMENTS_STRIDE);
    for (let i = 0; i < MOMENTS_STRIDE; i++) this.data[o + i] = values[from + i]!;
  }

  private grow(min: number): void {
    let size = this.data.length * 2;
    while (size < min) size *= 2;
    const d = new Float64Array(size);
    d.set(this.data);
    this.data = d;
  }
}
