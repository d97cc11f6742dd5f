import { MetricKind } from '../model/metric-kind';

/** OTLP AggregationTemporality. */
export const TEMPORALITY_DELTA = 1;

/**
 * The kind of an OTLP sum: monotonic cumulative → COUNTER, monotonic delta → DELTA_COUNTER,
 * non-monotonic (either temporality) → UPDOWN_COUNTER. The model has no delta up-down kind;
 * a delta non-monotonic sum keeps its start times, which tell the interval.
 */
export function sumKind(temporality: number, monotonic: boolean): MetricKind {
  if (!monotonic) return MetricKind.UPDOWN_COUNTER;
  return temporality === TEMPORALITY_DELTA ? MetricKind.DELTA_COUNTER : MetricKind.COUNTER;
}
