/**
 * Bounds applied while decoding Nissa messages. Strings are measured in UTF-8 bytes.
 * Defaults are generous for real telemetry and small enough that one request cannot hurt.
 */
export interface DecodeLimits {
  /** Oldest accepted timestamp, relative to now. */
  readonly maxAgeMs: number;
  /** Furthest accepted timestamp in the future (clock skew), relative to now. */
  readonly maxFutureMs: number;
  /** Metric names, alert names, topics, event types, commands, ids. */
  readonly maxNameLength: number;
  readonly maxLabels: number;
  readonly maxLabelValueLength: number;
  /** Attributes of an event (and elements of one nested array or key-value list). */
  readonly maxAttributes: number;
  /** Other strings: attribute and annotation values, command arguments. */
  readonly maxStringLength: number;
  /** Encoded size of an event body. */
  readonly maxBodyBytes: number;
  /** Histogram buckets and summary quantiles per point. */
  readonly maxBuckets: number;
  /** Nesting of arrays and key-value lists in attribute values and bodies. */
  readonly maxDepth: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxAgeMs: 24 * 3_600_000,
  maxFutureMs: 10 * 60_000,
  maxNameLength: 256,
  maxLabels: 64,
  maxLabelValueLength: 2048,
  maxAttributes: 128,
  maxStringLength: 16 * 1024,
  maxBodyBytes: 64 * 1024,
  maxBuckets: 512,
  maxDepth: 8,
};
