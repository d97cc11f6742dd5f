import type { ComplexValue } from '../../model/complex-value';
import { checkExpHistogram, checkHistogram, checkSummary, FLAG_NO_RECORDED_VALUE, minMax } from '../point-checks';
import { fieldTypes, WireError, WireReader } from '../../wire/wire-reader';

/** The fields every data point has, filled in by the readers below. */
export interface PointHeader {
  attrStart: number;
  attrEnd: number;
  split: boolean;
  startNs: number;
  timeNs: number;
  flags: number;
}

const HISTOGRAM_FIELDS = fieldTypes({ 2: 1, 3: 1, 4: 1, 5: 1, 6: 2, 7: 2, 8: 2, 9: 2, 10: 0, 11: 1, 12: 1 });
const EXP_FIELDS = fieldTypes({ 1: 2, 2: 1, 3: 1, 4: 1, 5: 1, 6: 0, 7: 1, 8: 2, 9: 2, 10: 0, 11: 2, 12: 1, 13: 1, 14: 1 });
const BUCKETS_FIELDS = fieldTypes({ 1: 0, 2: 2 });
const SUMMARY_FIELDS = fieldTypes({ 2: 1, 3: 1, 4: 1, 5: 1, 6: 2, 7: 2, 8: 0 });
const QUANTILE_FIELDS = fieldTypes({ 1: 1, 2: 1 });

function resetHeader(pt: PointHeader): void {
  pt.attrStart = -1;
  pt.attrEnd = -1;
  pt.split = false;
  pt.startNs = 0;
  pt.timeNs = 0;
  pt.flags = 0;
}

/** Records an attributes field starting at `at` (its tag) and ending at `end`. */
function noteAttr(pt: PointHeader, at: number, end: number): void {
  if (pt.attrStart < 0) pt.attrStart = at;
  else if (pt.attrEnd !== at) pt.split = true;
  pt.attrEnd = end;
}

/** Reads a repeated fixed64/double field, packed (wire type 2) or not (wire type 1), appending to `into`. */
function readRepeated64(r: WireReader, tag: number, end: number, into: number[], asDouble: boolean): void {
  if ((tag & 7) === 2) {
    const e = r.lengthEnd(end);
    if ((e - r.pos) % 8 !== 0) throw new WireError('truncated', r.pos);
    while (r.pos < e) into.push(asDouble ? r.double(e) : r.fixed64(e));
  } else into.push(asDouble ? r.double(end) : r.fixed64(end));
}

/**
 * Decodes a histogram, exponential histogram or summary point spanning [r.pos, end). Returns its
 * side payload, or undefined for a point flagged "no recorded value" (stored as a stale marker).
 * Invalid content throws {@link ItemFault}.
 */
export function readComplexPoint(r: WireReader, end: number, dataTag: number, pt: PointHeader): ComplexValue | undefined {
  resetHeader(pt);
  if (dataTag === 0x4a) return readHistogram(r, end, pt);
  if (dataTag === 0x52) return readExpHistogram(r, end, pt);
  return readSummary(r, end, pt);
}

function readHistogram(r: WireReader, end: number, pt: PointHeader): ComplexValue | undefined {
  let count = 0;
  let sum = 0;
  let min: number | undefined;
  let max: number | undefined;
  const counts: number[] = [];
  const bounds: number[] = [];
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.uint32(end);
    switch (tag) {
      case 0x4a: noteAttr(pt, at, (r.pos = r.lengthEnd(end))); break;
      case 0x11: pt.startNs = r.fixed64(end); break;
      case 0x19: pt.timeNs = r.fixed64(end); break;
      case 0x21: count = r.fixed64(end); break;
      case 0x29: sum = r.double(end); break;
      case 0x31: case 0x32: readRepeated64(r, tag, end, counts, false); break;
      case 0x39: case 0x3a: readRepeated64(r, tag, end, bounds, true); break;
      case 0x50: pt.flags = r.uint32(end); break;
      case 0x59: min = r.double(end); break;
      case 0x61: max = r.double(end); break;
      default: r.skipUnknown(tag, HISTOGRAM_FIELDS, end);
    }
  }
  if (pt.flags & FLAG_NO_RECORDED_VALUE) return undefined;
  const b = Float64Array.from(bounds);
  // No buckets at all: one +Inf bucket holding the count keeps counts.length === bounds.length + 1.
  const c = counts.length === 0 && bounds.length === 0 ? Float64Array.of(count) : Float64Array.from(counts);
  checkHistogram(b, c, count, sum, min, max);
  return { type: 'histogram', bounds: b, counts: c, count, sum, ...minMax(min, max) };
}

function readBuckets(r: WireReader, end: number, into: number[]): number {
  let offset = 0;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === 0x08) offset = r.sint32(end);
    else if (tag === 0x12) {
      const e = r.lengthEnd(end);
      while (r.pos < e) into.push(r.uint64Number(e));
    } else if (tag === 0x10) into.push(r.uint64Number(end));
    else r.skipUnknown(tag, BUCKETS_FIELDS, end);
  }
  return offset;
}

function readExpHistogram(r: WireReader, end: number, pt: PointHeader): ComplexValue | undefined {
  let count = 0;
  let sum = 0;
  let scale = 0;
  let zeroCount = 0;
  let min: number | undefined;
  let max: number | undefined;
  const positive: number[] = [];
  const negative: number[] = [];
  let positiveOffset = 0;
  let negativeOffset = 0;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.uint32(end);
    switch (tag) {
      case 0x0a: noteAttr(pt, at, (r.pos = r.lengthEnd(end))); break;
      case 0x11: pt.startNs = r.fixed64(end); break;
      case 0x19: pt.timeNs = r.fixed64(end); break;
      case 0x21: count = r.fixed64(end); break;
      case 0x29: sum = r.double(end); break;
      case 0x30: scale = r.sint32(end); break;
      case 0x39: zeroCount = r.fixed64(end); break;
      case 0x42: positiveOffset = readBuckets(r, r.lengthEnd(end), positive); break;
      case 0x4a: negativeOffset = readBuckets(r, r.lengthEnd(end), negative); break;
      case 0x50: pt.flags = r.uint32(end); break;
      case 0x61: min = r.double(end); break;
      case 0x69: max = r.double(end); break;
      default: r.skipUnknown(tag, EXP_FIELDS, end);
    }
  }
  if (pt.flags & FLAG_NO_RECORDED_VALUE) return undefined;
  const pos = Float64Array.from(positive);
  const neg = Float64Array.from(negative);
  checkExpHistogram(zeroCount, pos, neg, count, sum);
  return { type: 'exp_histogram', scale, zeroCount, positiveOffset, positive: pos, negativeOffset, negative: neg, count, sum, ...minMax(min, max) };
}

function readQuantile(r: WireReader, end: number, quantiles: number[], values: number[]): void {
  let q = 0;
  let v = 0;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === 0x09) q = r.double(end);
    else if (tag === 0x11) v = r.double(end);
    else r.skipUnknown(tag, QUANTILE_FIELDS, end);
  }
  quantiles.push(q);
  values.push(v);
}

function readSummary(r: WireReader, end: number, pt: PointHeader): ComplexValue | undefined {
  let count = 0;
  let sum = 0;
  const quantiles: number[] = [];
  const values: number[] = [];
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.uint32(end);
    switch (tag) {
      case 0x3a: noteAttr(pt, at, (r.pos = r.lengthEnd(end))); break;
      case 0x11: pt.startNs = r.fixed64(end); break;
      case 0x19: pt.timeNs = r.fixed64(end); break;
      case 0x21: count = r.fixed64(end); break;
      case 0x29: sum = r.double(end); break;
      case 0x32: readQuantile(r, r.lengthEnd(end), quantiles, values); break;
      case 0x40: pt.flags = r.uint32(end); break;
      default: r.skipUnknown(tag, SUMMARY_FIELDS, end);
    }
  }
  if (pt.flags & FLAG_NO_RECORDED_VALUE) return undefined;
  const q = Float64Array.from(quantiles);
  const v = Float64Array.from(values);
  checkSummary(q, v, sum);
  return { type: 'summary', quantiles: q, values: v, count, sum };
}
