import type { ExplicitHistogram, ExponentialHistogram } from '../api';

/**
 * Converts an exponential histogram to explicit buckets whose bounds are exactly the exponential
 * bucket boundaries, so no count moves between buckets (lossless for the counts):
 * negative buckets (upper bound `-base^(offset+i)`, most negative first), the zero bucket
 * (upper bound 0), positive buckets (upper bound `base^(offset+i+1)`), then +Inf.
 * Empty leading/trailing buckets are kept: Prometheus needs stable bucket sets per series.
 */
export function expToExplicit(h: ExponentialHistogram): ExplicitHistogram {
  const base = Math.pow(2, Math.pow(2, -h.scale));
  const nNeg = h.negative.length;
  const nPos = h.positive.length;
  const bounds = new Float64Array(nNeg + 1 + nPos);
  const counts = new Float64Array(bounds.length + 1);
  let k = 0;
  for (let i = nNeg - 1; i >= 0; i--) {
    bounds[k] = -Math.pow(base, h.negativeOffset + i);
    counts[k++] = h.negative[i]!;
  }
  bounds[k] = 0;
  counts[k++] = h.zeroCount;
  for (let i = 0; i < nPos; i++) {
    bounds[k] = Math.pow(base, h.positiveOffset + i + 1);
    counts[k++] = h.positive[i]!;
  }
  let inBuckets = 0;
  for (let i = 0; i < k; i++) inBuckets += counts[i]!;
  // Whatever the buckets do not cover (rounding, overflow) lands in +Inf so `_count` stays right.
  counts[k] = Math.max(0, h.count - inBuckets);
  return { type: 'histogram', bounds, counts, count: h.count, sum: h.sum };
}
