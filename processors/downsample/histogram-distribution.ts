import type { ComplexValue, ExplicitHistogram, ExponentialHistogram } from '../../src/api';

/**
 * What one histogram point adds to a window: observation count and sum, min/max, and buckets
 * as (representative value, count) pairs that feed the window's sketch.
 */
export interface Distribution {
  count: number;
  sum: number;
  min: number;
  max: number;
  readonly reps: number[];
  readonly counts: number[];
}

/**
 * Representative of explicit bucket j: the midpoint of (bounds[j-1], bounds[j]]; the open-ended
 * first and last buckets use their finite bound (or the point's min/max when it has them).
 */
export function explicitRep(h: ExplicitHistogram, j: number, useMinMax: boolean): number {
  const b = h.bounds;
  if (b.length === 0) return useMinMax && h.max !== undefined ? h.max : 0;
  if (j === 0) return useMinMax && h.min !== undefined && h.min <= b[0]! ? h.min : b[0]!;
  if (j >= b.length) return useMinMax && h.max !== undefined && h.max > b[b.length - 1]! ? h.max : b[b.length - 1]!;
  return (b[j - 1]! + b[j]!) / 2;
}

/** Representative of exponential bucket `index` at `scale`: the geometric middle of the bucket. */
export function exponentialRep(scale: number, index: number): number {
  return Math.pow(2, (index + 0.5) * Math.pow(2, -scale));
}

function finish(d: Distribution, min: number | undefined, max: number | undefined): Distribution | undefined {
  if (!(d.count > 0)) return undefined;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < d.reps.length; i++) {
    if (d.counts[i]! <= 0) continue;
    if (d.reps[i]! < lo) lo = d.reps[i]!;
    if (d.reps[i]! > hi) hi = d.reps[i]!;
  }
  d.min = min ?? lo;
  d.max = max ?? hi;
  return d;
}

function explicitDistribution(cur: ExplicitHistogram, prev: ExplicitHistogram | undefined): Distribution | undefined {
  const d: Distribution = { count: cur.count - (prev?.count ?? 0), sum: cur.sum - (prev?.sum ?? 0), min: NaN, max: NaN, reps: [], counts: [] };
  for (let j = 0; j < cur.counts.length; j++) {
    const c = cur.counts[j]! - (prev?.counts[j] ?? 0);
    if (c !== 0) {
      d.reps.push(explicitRep(cur, j, prev === undefined));
      d.counts.push(c);
    }
  }
  return finish(d, prev === undefined ? cur.min : undefined, prev === undefined ? cur.max : undefined);
}

/** Count of `h` at absolute positive (sign 1) or negative (sign -1) index `index` at `scale` <= h.scale. */
function expCountAt(h: ExponentialHistogram, sign: number, scale: number, index: number): number {
  const buckets = sign > 0 ? h.positive : h.negative;
  const offset = sign > 0 ? h.positiveOffset : h.negativeOffset;
  const shift = h.scale - scale;
  let total = 0;
  // Buckets of the finer scale that fall into `index` at the coarser one.
  const first = index * 2 ** shift;
  const last = (index + 1) * 2 ** shift - 1;
  for (let i = Math.max(first, offset); i <= Math.min(last, offset + buckets.length - 1); i++) total += buckets[i - offset]!;
  return total;
}

function exponentialDistribution(cur: ExponentialHistogram, prev: ExponentialHistogram | undefined): Distribution | undefined {
  const d: Distribution = { count: cur.count - (prev?.count ?? 0), sum: cur.sum - (prev?.sum ?? 0), min: NaN, max: NaN, reps: [], counts: [] };
  const zero = cur.zeroCount - (prev?.zeroCount ?? 0);
  if (zero !== 0) {
    d.reps.push(0);
    d.counts.push(zero);
  }
  for (const sign of [1, -1]) {
    const buckets = sign > 0 ? cur.positive : cur.negative;
    const offset = sign > 0 ? cur.positiveOffset : cur.negativeOffset;
    for (let i = 0; i < buckets.length; i++) {
      const c = buckets[i]! - (prev ? expCountAt(prev, sign, cur.scale, offset + i) : 0);
      if (c !== 0) {
        d.reps.push(sign * exponentialRep(cur.scale, offset + i));
        d.counts.push(c);
      }
    }
  }
  return finish(d, prev === undefined ? cur.min : undefined, prev === undefined ? cur.max : undefined);
}

function sameBounds(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `cur` can be diffed against `prev` (same layout, nothing went down): otherwise a reset. */
function continues(cur: ComplexValue, prev: ComplexValue): boolean {
  if (cur.type !== prev.type || cur.count < prev.count) return false;
  if (cur.type === 'histogram') return sameBounds(cur.bounds, (prev as ExplicitHistogram).bounds);
  if (cur.type === 'exp_histogram') return cur.scale <= (prev as ExponentialHistogram).scale;
  return false;
}

/**
 * The distribution a histogram point adds: itself for delta points or after a reset, the bucket
 * differences from the previous point of the series for cumulative ones. Undefined when it adds
 * nothing (empty, or a summary, which cannot be merged).
 */
export function distributionOf(cur: ComplexValue, prev: ComplexValue | undefined): Distribution | undefined {
  const base = prev !== undefined && continues(cur, prev) ? prev : undefined;
  let d: Distribution | undefined;
  if (cur.type === 'histogram') d = explicitDistribution(cur, base as ExplicitHistogram | undefined);
  else if (cur.type === 'exp_histogram') d = exponentialDistribution(cur, base as ExponentialHistogram | undefined);
  // A negative bucket difference means the layout changed without the count going down: restart.
  if (d !== undefined && base !== undefined && d.counts.some((c) => c < 0)) return distributionOf(cur, undefined);
  return d;
}
