import type { ComplexValue } from '../api';

/**
 * Collects the samples of one histogram (`_bucket{le}`, `_sum`, `_count`) or summary
 * (`{quantile}`, `_sum`, `_count`) during a scrape, then {@link buildComplex} turns them into
 * the model's value. Arrays are reused from scrape to scrape.
 */
export class PartsAccumulator {
  readonly bounds: number[] = [];
  readonly values: number[] = [];
  sum = 0;
  count = NaN;
  timestamp = 0;

  constructor(readonly summary: boolean) {}

  reset(timestampMs: number): void {
    this.bounds.length = 0;
    this.values.length = 0;
    this.sum = 0;
    this.count = NaN;
    this.timestamp = timestampMs;
  }

  add(role: 'bucket' | 'quantile' | 'sum' | 'count', bound: number, value: number, timestampMs: number): void {
    if (timestampMs > this.timestamp) this.timestamp = timestampMs;
    if (role === 'sum') this.sum = value;
    else if (role === 'count') this.count = value;
    else if (!Number.isNaN(bound)) {
      this.bounds.push(bound);
      this.values.push(value);
    }
  }
}

/**
 * Histogram: cumulative `le` buckets become per-bucket counts (the model's form) with the +Inf
 * bucket last; a missing `_count` is taken from the +Inf bucket and a missing +Inf bucket from
 * `_count`. Summary: quantiles ascending. Buckets or quantiles out of order are sorted.
 */
export function buildComplex(p: PartsAccumulator): ComplexValue {
  const order = sortedOrder(p.bounds);
  if (p.summary) {
    const quantiles = new Float64Array(order.length);
    const values = new Float64Array(order.length);
    order.forEach((j, i) => {
      quantiles[i] = p.bounds[j]!;
      values[i] = p.values[j]!;
    });
    return { type: 'summary', quantiles, values, count: Number.isNaN(p.count) ? 0 : p.count, sum: p.sum };
  }
  let inf = NaN;
  const finite: number[] = [];
  for (const j of order) {
    if (p.bounds[j] === Infinity) inf = p.values[j]!;
    else finite.push(j);
  }
  const count = Number.isNaN(p.count) ? (Number.isNaN(inf) ? 0 : inf) : p.count;
  if (Number.isNaN(inf)) inf = count;
  const bounds = new Float64Array(finite.length);
  const counts = new Float64Array(finite.length + 1);
  let prev = 0;
  finite.forEach((j, i) => {
    bounds[i] = p.bounds[j]!;
    counts[i] = Math.max(0, p.values[j]! - prev);
    prev = Math.max(prev, p.values[j]!);
  });
  counts[finite.length] = Math.max(0, inf - prev);
  return { type: 'histogram', bounds, counts, count, sum: p.sum };
}

function sortedOrder(bounds: readonly number[]): number[] {
  const order = bounds.map((_, i) => i);
  for (let i = 1; i < bounds.length; i++) {
    if (bounds[i]! < bounds[i - 1]!) return order.sort((a, b) => bounds[a]! - bounds[b]!);
  }
  return order;
}
