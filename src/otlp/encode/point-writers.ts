import type { ExplicitHistogram, ExponentialHistogram, Summary } from '../../model/complex-value';
import { isStaleMarker, type MetricBatch } from '../../model/metric-batch';
import type { ProtoWriter } from '../../wire/proto-writer';

/** DataPointFlags.FLAG_NO_RECORDED_VALUE. */
const NO_RECORDED_VALUE = 1;

/** Writes `start_time_unix_nano` (2) when the row has one, then `time_unix_nano` (3). */
function times(w: ProtoWriter, batch: MetricBatch, i: number): void {
  const start = batch.startTimes?.[i];
  if (start !== undefined && start > 0) {
    w.uint32(0x11);
    w.nanos(start);
  }
  w.uint32(0x19);
  w.nanos(batch.timestamps[i]!);
}

/** Opens a data point (field 1 of its metric) with its attributes and times; returns the start for `end`. */
function beginPoint(w: ProtoWriter, batch: MetricBatch, i: number, attrs: Uint8Array): number {
  const at = w.begin(0x0a);
  w.bytes(attrs);
  times(w, batch, i);
  return at;
}

/** The `flags` field (number `tag`) of a stale row: FLAG_NO_RECORDED_VALUE. */
function noRecordedValue(w: ProtoWriter, tag: number): void {
  w.uint32(tag);
  w.uint32(NO_RECORDED_VALUE);
}

/**
 * A `NumberDataPoint` (as field 1 of its Gauge or Sum). A stale marker goes as NaN with
 * FLAG_NO_RECORDED_VALUE, which the receiver turns back into the marker.
 */
export function writeNumberPoint(w: ProtoWriter, batch: MetricBatch, i: number, attrs: Uint8Array): void {
  const at = beginPoint(w, batch, i, attrs);
  const v = batch.values[i]!;
  w.uint32(0x21);
  w.double(v);
  if (v !== v && isStaleMarker(v)) noRecordedValue(w, 0x40);
  w.end(at);
}

function packedFixed64(w: ProtoWriter, tag: number, values: Float64Array): void {
  if (values.length === 0) return;
  w.uint32(tag);
  w.uint32(values.length * 8);
  for (let k = 0; k < values.length; k++) w.fixed64(values[k]!);
}

function packedDouble(w: ProtoWriter, tag: number, values: Float64Array): void {
  if (values.length === 0) return;
  w.uint32(tag);
  w.uint32(values.length * 8);
  for (let k = 0; k < values.length; k++) w.double(values[k]!);
}

function optionalDouble(w: ProtoWriter, tag: number, v: number | undefined): void {
  if (v === undefined) return;
  w.uint32(tag);
  w.double(v);
}

/**
 * The frame the three complex points share: header, then FLAG_NO_RECORDED_VALUE (field
 * `flagsTag`) for a stale row (`value` undefined), else `count` (fixed64, field 4) and `sum`
 * (double, field 5), the same in all three, then the point's own fields.
 * `body` is a module-level function, so no closure is made per point.
 */
function writeComplexPoint<T extends { count: number; sum: number }>(
  w: ProtoWriter, batch: MetricBatch, i: number, attrs: Uint8Array, flagsTag: number, value: T | undefined, body: (w: ProtoWriter, value: T) => void,
): void {
  const at = beginPoint(w, batch, i, attrs);
  if (value === undefined) noRecordedValue(w, flagsTag);
  else {
    w.uint32(0x21);
    w.fixed64(value.count);
    w.uint32(0x29);
    w.double(value.sum);
    body(w, value);
  }
  w.end(at);
}

function histogramFields(w: ProtoWriter, h: ExplicitHistogram): void {
  packedFixed64(w, 0x32, h.counts);
  packedDouble(w, 0x3a, h.bounds);
  optionalDouble(w, 0x59, h.min);
  optionalDouble(w, 0x61, h.max);
}

/** A `HistogramDataPoint`; `h` undefined means a stale row (flag only, no buckets). */
export function writeHistogramPoint(w: ProtoWriter, batch: MetricBatch, i: number, attrs: Uint8Array, h: ExplicitHistogram | undefined): void {
  writeComplexPoint(w, batch, i, attrs, 0x50, h, histogramFields);
}

function buckets(w: ProtoWriter, tag: number, offset: number, counts: Float64Array): void {
  if (counts.length === 0 && offset === 0) return;
  const at = w.begin(tag);
  if (offset !== 0) {
    w.uint32(0x08);
    w.sint32(offset);
  }
  if (counts.length > 0) {
    const packed = w.begin(0x12);
    for (let k = 0; k < counts.length; k++) w.uint53(counts[k]!);
    w.end(packed);
  }
  w.end(at);
}

function expHistogramFields(w: ProtoWriter, h: ExponentialHistogram): void {
  if (h.scale !== 0) {
    w.uint32(0x30);
    w.sint32(h.scale);
  }
  w.uint32(0x39);
  w.fixed64(h.zeroCount);
  buckets(w, 0x42, h.positiveOffset, h.positive);
  buckets(w, 0x4a, h.negativeOffset, h.negative);
  optionalDouble(w, 0x61, h.min);
  optionalDouble(w, 0x69, h.max);
}

/** An `ExponentialHistogramDataPoint`; `h` undefined means a stale row. */
export function writeExpHistogramPoint(w: ProtoWriter, batch: MetricBatch, i: number, attrs: Uint8Array, h: ExponentialHistogram | undefined): void {
  writeComplexPoint(w, batch, i, attrs, 0x50, h, expHistogramFields);
}

function summaryFields(w: ProtoWriter, s: Summary): void {
  for (let k = 0; k < s.quantiles.length; k++) {
    // ValueAtQuantile is 18 bytes: its length fits the reserved byte.
    const q = w.begin(0x32);
    w.uint32(0x09);
    w.double(s.quantiles[k]!);
    w.uint32(0x11);
    w.double(s.values[k]!);
    w.end(q);
  }
}

/** A `SummaryDataPoint`; `s` undefined means a stale row. */
export function writeSummaryPoint(w: ProtoWriter, batch: MetricBatch, i: number, attrs: Uint8Array, s: Summary | undefined): void {
  writeComplexPoint(w, batch, i, attrs, 0x40, s, summaryFields);
}
