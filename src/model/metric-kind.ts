/**
 * What a series measures. Stored per series in the {@link SeriesTable} as one byte.
 * Cumulative monotonic sums are `COUNTER`; delta monotonic sums are `DELTA_COUNTER`;
 * non-monotonic sums are exported as gauges but keep their own kind so processors can tell.
 */
export const MetricKind = {
  GAUGE: 0,
  COUNTER: 1,
  DELTA_COUNTER: 2,
  UPDOWN_COUNTER: 3,
  HISTOGRAM: 4,
  EXP_HISTOGRAM: 5,
  SUMMARY: 6,
} as const;
export type MetricKind = (typeof MetricKind)[keyof typeof MetricKind];

export const METRIC_KIND_NAMES: Record<MetricKind, string> = {
  0: 'gauge',
  1: 'counter',
  2: 'delta_counter',
  3: 'updown_counter',
  4: 'histogram',
  5: 'exponential_histogram',
  6: 'summary',
};

/** Kinds whose points carry a {@link ComplexValue} side payload. */
export function isComplexKind(kind: MetricKind): boolean {
  return kind >= MetricKind.HISTOGRAM;
}
