import type { ExplicitHistogram, ExponentialHistogram, Summary } from '../../model/complex-value';
import { isStaleMarker, type MetricBatch } from '../../model/metric-batch';
import type { ProtoWriter } from './proto-writer';

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

/**
 * A `NumberDataPoint` (as field 1 of its Gauge or Sum). A stale marker goes as NaN with
 * FLAG_NO_RECORDED_VALUE, which the receiver turns back into the marker.
 */
export function writeNumberPoint(w: ProtoWriter, batch: MetricBatch, i: number, attrs: Uint8Array): void {
  const at = w.begin(0x0a);
  w.bytes(attrs);
  times(w, batch, i);
  const v = batch.values[i]!;
  w.uint32(0x21);
  w.double(v);
  if (v !== v && isStaleMarker(v)) {
    w.uint32(0x40);
    w.uint32(NO_RECORDED_VALUE);
  }
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

/** A `HistogramDataPoint`; `h` undefined means a stale row (flag only, no buckets). */
export function writeHistogramPoint(w: ProtoWriter, batch: MetricBatch, i: number, attrs: Uint8Array, h: ExplicitHistogram | undefined): void {
  const at = w.begin(0x0a);
  w.bytes(attrs);
  times(w, batch, i);
  if (h === undefined) {
    w.uint32(0x50);
    w.uint32(NO_RECORDED_VALUE);
  } else {
    w.uint32(0x21);
    w.fixed64(h.count);
    w.uint32(0x29);
    w.double(h.sum);
    packedFixed64(w, 0x32, h.counts);
    packedDouble(w, 0x3a, h.bounds);
    optionalDouble(w, 0x59, h.min);
    optionalDouble(w, 0x61, h.max);
  }
  w.end(at);
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

/** An `ExponentialHistogramDataPoint`; `h` undefined means a stale row. */
export function writeExpHistogramPoint(w: ProtoWriter, batch: MetricBatch, i: number, attrs: Uint8Array, h: ExponentialHistogram | undefined): void {
  const at = w.begin(0x0a);
  w.bytes(attrs);
  times(w, batch, i);
  if (h === undefined) {
    w.uint32(0x50);
    w.uint32(NO_RECORDED_VALUE);
  } else {
    w.uint32(0x21);
    w.fixed64(h.count);
    w.uint32(0x29);
    w.double(h.sum);
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
  w.end(at);
}

/** A `SummaryDataPoint`; `s` undefined means a stale row. */
export function writeSummaryPoint(w: ProtoWriter, batch: MetricBatch, i: number, attrs: Uint8Array, s: Summary | undefined): void {
  const at = w.begin(0x0a);
  w.bytes(attrs);
  times(w, batch, i);
  if (s === undefined) {
    w.uint32(0x40);
    w.uint32(NO_RECORDED_VALUE);
  } else {
    w.uint32(0x21);
    w.fixed64(s.count);
    w.uint32(0x29);
    w.double(s.sum);
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
  w.end(at);
}
