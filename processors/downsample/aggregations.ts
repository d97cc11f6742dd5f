/** The aggregations a tier can emit, parsed once from their config names. */
export const Agg = {
  MEAN: 0,
  MIN: 1,
  MAX: 2,
  COUNT: 3,
  SUM: 4,
  LAST: 5,
  STDDEV: 6,
  QUANTILE: 7,
  INCREASE: 8,
  RATE: 9,
} as const;
export type Agg = (typeof Agg)[keyof typeof Agg];

export interface AggSpec {
  /** As written in config and in the output (`p95`, `p99.9`, `mean`). */
  readonly name: string;
  readonly agg: Agg;
  /** Quantile in [0, 1] for percentiles. */
  readonly q: number;
}

const NAMED: Record<string, Agg> = {
  mean: Agg.MEAN,
  min: Agg.MIN,
  max: Agg.MAX,
  count: Agg.COUNT,
  sum: Agg.SUM,
  last: Agg.LAST,
  stddev: Agg.STDDEV,
  increase: Agg.INCREASE,
  rate: Agg.RATE,
};

export function parseAgg(name: string): AggSpec {
  const named = NAMED[name];
  if (named !== undefined) return { name, agg: named, q: NaN };
  const m = /^p(100|[0-9]{1,2}(?:\.[0-9]+)?)$/.exec(name);
  if (!m) throw new Error(`unknown aggregation "${name}"`);
  return { name, agg: Agg.QUANTILE, q: Number(m[1]) / 100 };
}

export function hasQuantile(aggs: readonly AggSpec[]): boolean {
  return aggs.some((a) => a.agg === Agg.QUANTILE);
}
