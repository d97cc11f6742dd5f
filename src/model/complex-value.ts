/**
 * Side payloads for histogram and summary points. Only those rows carry an object; gauges and
 * counters live entirely in the batch's typed arrays.
 */
export interface ExplicitHistogram {
  readonly type: 'histogram';
  /** Upper bounds, ascending, without +Inf. */
  readonly bounds: Float64Array;
  /** Per-bucket counts (not cumulative); length is bounds.length + 1 (the last is the +Inf bucket). */
  readonly counts: Float64Array;
  readonly count: number;
  readonly sum: number;
  readonly min?: number;
  readonly max?: number;
}

/** OTLP exponential histogram: bucket i covers (base^(offset+i), base^(offset+i+1)], base = 2^(2^-scale). */
export interface ExponentialHistogram {
  readonly type: 'exp_histogram';
  readonly scale: number;
  readonly zeroCount: number;
  readonly positiveOffset: number;
  readonly positive: Float64Array;
  readonly negativeOffset: number;
  readonly negative: Float64Array;
  readonly count: number;
  readonly sum: number;
  readonly min?: number;
  readonly max?: number;
}

export interface Summary {
  readonly type: 'summary';
  /** Quantiles in [0, 1], ascending, paired with `values`. */
  readonly quantiles: Float64Array;
  readonly values: Float64Array;
  readonly count: number;
  readonly sum: number;
}

export type ComplexValue = ExplicitHistogram | ExponentialHistogram | Summary;
