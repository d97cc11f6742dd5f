import { STALE_NAN } from '../model/metric-batch';
import { ItemFault } from './item-fault';

/** DataPointFlags.FLAG_NO_RECORDED_VALUE: the point says "no value now" (a staleness signal). */
export const FLAG_NO_RECORDED_VALUE = 1;

/**
 * Refuses a point time of 0 (unknown) or later than `latestMs` (now + `max_future`).
 * Start times may be 0 (unknown start) and are not checked.
 */
export function checkPointTime(timeMs: number, latestMs: number): void {
  if (timeMs === 0) throw new ItemFault('zero_timestamp');
  if (timeMs > latestMs) throw new ItemFault('future_timestamp');
}

/**
 * The stored value of a number point: the Prometheus stale marker when the point carries the
 * no-recorded-value flag, the value itself when finite; NaN and ±Inf otherwise are refused.
 */
export function numberPointValue(value: number, flags: number): number {
  if (flags & FLAG_NO_RECORDED_VALUE) return STALE_NAN;
  if (value - value !== 0) throw new ItemFault('non_finite_value');
  return value;
}

function checkFinite(value: number | undefined): void {
  if (value !== undefined && value - value !== 0) throw new ItemFault('non_finite_value');
}

/**
 * Explicit-bucket rules from the OTLP spec: counts.length === bounds.length + 1 (or both empty),
 * bounds strictly ascending, count === sum of bucket counts when buckets are present.
 */
export function checkHistogram(bounds: Float64Array, counts: Float64Array, count: number, sum: number, min?: number, max?: number): void {
  if (counts.length !== 0 || bounds.length !== 0) {
    if (counts.length !== bounds.length + 1) throw new ItemFault('histogram_bucket_mismatch');
    let total = 0;
    for (let i = 0; i < counts.length; i++) total += counts[i]!;
    if (total !== count) throw new ItemFault('histogram_count_mismatch');
    for (let i = 0; i < bounds.length; i++) {
      if (bounds[i]! - bounds[i]! !== 0 || (i > 0 && !(bounds[i]! > bounds[i - 1]!))) throw new ItemFault('histogram_bounds_unsorted');
    }
  }
  checkFinite(sum);
  checkFinite(min);
  checkFinite(max);
}

/** count === zero_count + positive + negative buckets. */
export function checkExpHistogram(zeroCount: number, positive: Float64Array, negative: Float64Array, count: number, sum: number): void {
  let total = zeroCount;
  for (let i = 0; i < positive.length; i++) total += positive[i]!;
  for (let i = 0; i < negative.length; i++) total += negative[i]!;
  if (total !== count) throw new ItemFault('histogram_count_mismatch');
  checkFinite(sum);
}

/** Quantiles within [0, 1], values finite; pairs are sorted by quantile in place when out of order. */
export function checkSummary(quantiles: Float64Array, values: Float64Array, sum: number): void {
  let sorted = true;
  for (let i = 0; i < quantiles.length; i++) {
    const q = quantiles[i]!;
    if (!(q >= 0 && q <= 1)) throw new ItemFault('summary_quantile_invalid');
    if (i > 0 && !(q > quantiles[i - 1]!)) sorted = false;
    checkFinite(values[i]);
  }
  checkFinite(sum);
  if (!sorted) sortPairs(quantiles, values);
}

function sortPairs(keys: Float64Array, values: Float64Array): void {
  const order = Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]!);
  const k = Float64Array.from(order, (i) => keys[i]!);
  const v = Float64Array.from(order, (i) => values[i]!);
  for (let i = 1; i < k.length; i++) if (k[i] === k[i - 1]) throw new ItemFault('summary_quantile_invalid');
  keys.set(k);
  values.set(v);
}

/** Optional min/max as properties present only when set (so batches compare exactly). */
export function minMax(min: number | undefined, max: number | undefined): { min?: number; max?: number } {
  const out: { min?: number; max?: number } = {};
  if (min !== undefined) out.min = min;
  if (max !== undefined) out.max = max;
  return out;
}
