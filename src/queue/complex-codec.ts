import type { ComplexValue } from '../model/complex-value';
import { ByteReader, CorruptRecordError } from './byte-reader';
import type { ProtoWriter } from '../wire/proto-writer';
import { writeFloat64Array } from './writing';

const NONE = 0;
const HISTOGRAM = 1;
const EXP_HISTOGRAM = 2;
const SUMMARY = 3;
const HAS_MIN = 1;
const HAS_MAX = 2;

/** One row's side payload (or its absence), every field exact (doubles as stored). */
export function writeComplex(w: ProtoWriter, c: ComplexValue | undefined): void {
  w.ensure(64);
  if (c === undefined) return w.byte(NONE);
  switch (c.type) {
    case 'histogram':
      w.byte(HISTOGRAM);
      arrays(w, c.bounds, c.counts);
      break;
    case 'exp_histogram':
      w.byte(EXP_HISTOGRAM);
      w.double(c.scale);
      w.double(c.zeroCount);
      w.double(c.positiveOffset);
      w.double(c.negativeOffset);
      arrays(w, c.positive, c.negative);
      break;
    case 'summary':
      w.byte(SUMMARY);
      arrays(w, c.quantiles, c.values);
      w.ensure(16);
      w.double(c.count);
      w.double(c.sum);
      return;
  }
  w.ensure(33);
  w.double(c.count);
  w.double(c.sum);
  w.byte((c.min !== undefined ? HAS_MIN : 0) | (c.max !== undefined ? HAS_MAX : 0));
  if (c.min !== undefined) w.double(c.min);
  if (c.max !== undefined) w.double(c.max);
}

export function readComplex(r: ByteReader): ComplexValue | undefined {
  const tag = r.byte();
  switch (tag) {
    case NONE:
      return undefined;
    case HISTOGRAM: {
      const [bounds, counts] = readArrays(r);
      return { type: 'histogram', bounds, counts, ...countSumMinMax(r) };
    }
    case EXP_HISTOGRAM: {
      const scale = r.double();
      const zeroCount = r.double();
      const positiveOffset = r.double();
      const negativeOffset = r.double();
      const [positive, negative] = readArrays(r);
      return { type: 'exp_histogram', scale, zeroCount, positiveOffset, positive, negativeOffset, negative, ...countSumMinMax(r) };
    }
    case SUMMARY: {
      const [quantiles, values] = readArrays(r);
      return { type: 'summary', quantiles, values, count: r.double(), sum: r.double() };
    }
    default:
      throw new CorruptRecordError(`unknown complex value tag ${tag}`);
  }
}

function arrays(w: ProtoWriter, a: Float64Array, b: Float64Array): void {
  w.ensure(20);
  w.varint(a.length);
  w.varint(b.length);
  writeFloat64Array(w, a);
  writeFloat64Array(w, b);
}

function readArrays(r: ByteReader): [Float64Array, Float64Array] {
  const na = r.count(8);
  const nb = r.count(8);
  return [r.float64Array(na), r.float64Array(nb)];
}

function countSumMinMax(r: ByteReader): { count: number; sum: number; min?: number; max?: number } {
  const out: { count: number; sum: number; min?: number; max?: number } = { count: r.double(), sum: r.double() };
  const flags = r.byte();
  if (flags & HAS_MIN) out.min = r.double();
  if (flags & HAS_MAX) out.max = r.double();
  return out;
}
