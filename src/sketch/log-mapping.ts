/**
 * DDSketch's logarithmic index mapping, folded into one signed key space so a single sorted store
 * holds negative values, zero and positive values in value order:
 *
 * - key 0 is the zero bucket (|v| below {@link MIN_INDEXABLE});
 * - a positive v maps to `ceil(log_gamma(v)) + offset` (always >= 1);
 * - a negative v maps to minus the key of -v (so more negative values get smaller keys).
 *
 * Bucket k covers (gamma^(k-1), gamma^k] and is represented by `2 gamma^k / (1 + gamma)`, which is
 * within `relativeAccuracy` of every value of the bucket (the DDSketch guarantee).
 */
export const MIN_INDEXABLE = 1e-300;

export class LogMapping {
  readonly relativeAccuracy: number;
  readonly gamma: number;
  private readonly multiplier: number;
  private readonly offset: number;
  private readonly representativeFactor: number;

  constructor(relativeAccuracy = 0.01) {
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) throw new RangeError(`relative accuracy must be in (0, 1), got ${relativeAccuracy}`);
    this.relativeAccuracy = relativeAccuracy;
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.multiplier = 1 / Math.log(this.gamma);
    // Smallest raw index is ceil(log_gamma(MIN_INDEXABLE)); shift it to 1 so 0 stays the zero bucket.
    this.offset = 1 - Math.ceil(Math.log(MIN_INDEXABLE) * this.multiplier);
    this.representativeFactor = 2 / (1 + this.gamma);
  }

  /** The key of a finite value. */
  keyOf(value: number): number {
    if (value > MIN_INDEXABLE) return Math.ceil(Math.log(value) * this.multiplier) + this.offset;
    if (value < -MIN_INDEXABLE) return -(Math.ceil(Math.log(-value) * this.multiplier) + this.offset);
    return 0;
  }

  /** The representative value of a key (inverse of {@link keyOf} within the relative accuracy). */
  valueOf(key: number): number {
    if (key === 0) return 0;
    if (key > 0) return Math.pow(this.gamma, key - this.offset) * this.representativeFactor;
    return -Math.pow(this.gamma, -key - this.offset) * this.representativeFactor;
  }
}
