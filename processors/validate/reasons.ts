/**
 * Why an item is invalid. The code (the index) is what per-series caches and per-batch tallies
 * store; the name is the `reason` of drop counters.
 */
export const REASONS = [
  'valid',
  'invalid_metric_name',
  'invalid_label_name',
  'too_many_labels',
  'label_name_too_long',
  'label_value_too_long',
  'non_finite_value',
  'invalid_timestamp',
  'too_old',
  'too_far_in_future',
  'missing_epoch',
  'missing_request_id',
  'missing_topic',
  'invalid_topic',
  'missing_alert_name',
] as const;

export type Reason = (typeof REASONS)[number];

export const VALID = 0;

export function reasonCode(reason: Reason): number {
  return REASONS.indexOf(reason);
}
