/**
 * Why one item (a datapoint or a log record) is refused while the rest of the request is kept.
 * Reasons are stable strings: they label `dropped` counters and appear in partial_success messages.
 */
export type ItemReason =
  | 'invalid_utf8'
  | 'duplicate_attribute_key'
  | 'nesting_too_deep'
  | 'zero_timestamp'
  | 'future_timestamp'
  | 'non_finite_value'
  | 'missing_value'
  | 'missing_metric_name'
  | 'histogram_bucket_mismatch'
  | 'histogram_count_mismatch'
  | 'histogram_bounds_unsorted'
  | 'summary_quantile_invalid';

/** Thrown inside the decoding of one item, caught at the item's level (rare, so exceptions are cheap). */
export class ItemFault extends Error {
  constructor(readonly reason: ItemReason) {
    super(reason);
  }
}

/** Counts refused items by reason for one request. */
export class RejectCounter {
  total = 0;
  readonly reasons = new Map<ItemReason, number>();

  reject(reason: ItemReason, n = 1): void {
    if (n <= 0) return;
    this.total += n;
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + n);
  }

  /** `3 non_finite_value, 1 duplicate_attribute_key` (for partial_success.error_message). */
  summary(): string {
    return [...this.reasons].map(([reason, n]) => `${n} ${reason}`).join(', ');
  }
}

/** What `read` returns, or the {@link ItemFault} it throws (anything else thrown is thrown on). */
export function orItemFault<T>(read: () => T): T | ItemFault {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof ItemFault)) throw err;
    return err;
  }
}
