/** The smallest explicit histogram value: one observation at or below 1 (bounds [1]), with the given sum. */
export function oneBucketHistogram(sum: number) {
  return { type: 'histogram' as const, bounds: Float64Array.of(1), counts: Float64Array.of(1, 0), count: 1, sum };
}
