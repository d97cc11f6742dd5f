import type { Reader } from './wire';
import type { ExplicitHistogram, Summary } from '../model/complex-value';
import type { DecodeLimits } from './limits';
import { ItemInvalid } from './rejections';
import { double, expectWire, repeatedDouble, repeatedVarint, skipField, varint32, varint64, WIRE_FIXED64, WIRE_VARINT } from './wire';

/** Scratch arrays reused across points (histogram and summary rows are the only ones with objects). */
const a: number[] = [];
const b: number[] = [];

/** Decodes and validates a `Histogram` sub-message occupying [r.pos, end). */
export function readHistogram(r: Reader, end: number, limits: DecodeLimits): ExplicitHistogram {
  a.length = 0;
  b.length = 0;
  let sum = 0;
  let count = 0;
  let min: number | undefined;
  let max: number | undefined;
  while (r.pos < end) {
    const tag = varint32(r, end);
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1: repeatedDouble(r, wt, end, a, limits.maxBuckets, 'histogram.bounds'); break;
      case 2: repeatedVarint(r, wt, end, b, limits.maxBuckets + 1, 'histogram.bucket_counts'); break;
      case 3: expectWire(wt, WIRE_FIXED64, 'histogram.sum'); sum = double(r, end); break;
      case 4: expectWire(wt, WIRE_VARINT, 'histogram.count'); count = varint64(r, end); break;
      case 5: expectWire(wt, WIRE_FIXED64, 'histogram.min'); min = double(r, end); break;
      case 6: expectWire(wt, WIRE_FIXED64, 'histogram.max'); max = double(r, end); break;
      default: skipField(r, wt, end);
    }
  }
  const bad = (why: string): ItemInvalid => new ItemInvalid('invalid_histogram', `histogram ${why}`);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]!)) throw bad('bounds must be finite');
    if (i > 0 && a[i]! <= a[i - 1]!) throw bad('bounds must be strictly ascending');
  }
  if (b.length !== a.length + 1) throw bad(`needs ${a.length + 1} bucket_counts, has ${b.length}`);
  let total = 0;
  for (const c of b) {
    if (c < 0) throw bad('bucket_counts must not be negative');
    total += c;
  }
  if (count < 0 || total !== count) throw bad(`count ${count} differs from the sum of bucket_counts ${total}`);
  if (!Number.isFinite(sum)) throw bad('sum must be finite');
  if ((min !== undefined && !Number.isFinite(min)) || (max !== undefined && !Number.isFinite(max))) throw bad('min and max must be finite');
  const h: { -readonly [K in keyof ExplicitHistogram]: ExplicitHistogram[K] } = {
    type: 'histogram', bounds: Float64Array.from(a), counts: Float64Array.from(b), count, sum,
  };
  if (min !== undefined) h.min = min;
  if (max !== undefined) h.max = max;
  return h;
}

/** Decodes and validates a `Summary` sub-message occupying [r.pos, end). */
export function readSummary(r: Reader, end: number, limits: DecodeLimits): Summary {
  a.length = 0;
  b.length = 0;
  let sum = 0;
  let count = 0;
  while (r.pos < end) {
    const tag = varint32(r, end);
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1: repeatedDouble(r, wt, end, a, limits.maxBuckets, 'summary.quantiles'); break;
      case 2: repeatedDouble(r, wt, end, b, limits.maxBuckets, 'summary.values'); break;
      case 3: expectWire(wt, WIRE_FIXED64, 'summary.sum'); sum = double(r, end); break;
      case 4: expectWire(wt, WIRE_VARINT, 'summary.count'); count = varint64(r, end); break;
      default: skipField(r, wt, end);
    }
  }
  const bad = (why: string): ItemInvalid => new ItemInvalid('invalid_summary', `summary ${why}`);
  if (a.length !== b.length) throw bad('needs as many values as quantiles');
  for (let i = 0; i < a.length; i++) {
    const q = a[i]!;
    if (!(q >= 0 && q <= 1)) throw bad('quantiles must be in [0, 1]');
    if (i > 0 && q <= a[i - 1]!) throw bad('quantiles must be strictly ascending');
    // NaN is how Prometheus clients report a quantile without observations; infinities are not.
    if (b[i] === Infinity || b[i] === -Infinity) throw bad('values must not be infinite');
  }
  if (!Number.isFinite(sum) || count < 0) throw bad('sum must be finite and count not negative');
  return { type: 'summary', quantiles: Float64Array.from(a), values: Float64Array.from(b), count, sum };
}
