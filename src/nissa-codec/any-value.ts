import type { Writer } from 'protobufjs/minimal';
import type { Reader } from './wire';
import type { Attributes, AttributeValue } from '../model/attributes';
import type { DecodeLimits } from './limits';
import { cachedUtf8, soleStringStart } from '../wire/string-cache';
import { ItemInvalid } from './rejections';
import { readString, setOwn } from './strings';
import { double, expectWire, lengthEnd, skipField, varint32, varint64Big, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './wire';

/** Reads an `AnyValue` occupying [r.pos, end). An unset value is null. */
export function readAnyValue(r: Reader, end: number, limits: DecodeLimits, depth: number): AttributeValue {
  if (depth > limits.maxDepth) throw new ItemInvalid('invalid_attribute', `values nested deeper than ${limits.maxDepth}`);
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = varint32(r, end);
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1: expectWire(wt, WIRE_LEN, 'string_value'); value = readString(r, end, limits.maxStringLength, 'string_value'); break;
      case 2: expectWire(wt, WIRE_VARINT, 'bool_value'); value = varint32(r, end) !== 0; break;
      case 3: {
        expectWire(wt, WIRE_VARINT, 'int_value');
        const big = varint64Big(r, end);
        value = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
        break;
      }
      case 4: expectWire(wt, WIRE_FIXED64, 'double_value'); value = double(r, end); break;
      case 5: {
        expectWire(wt, WIRE_LEN, 'array_value');
        const stop = lengthEnd(r, end);
        value = readArray(r, stop, limits, depth + 1);
        break;
      }
      case 6: {
        expectWire(wt, WIRE_LEN, 'kvlist_value');
        const stop = lengthEnd(r, end);
        value = readKeyValueList(r, stop, limits, depth + 1);
        break;
      }
      case 7: {
        expectWire(wt, WIRE_LEN, 'bytes_value');
        const stop = lengthEnd(r, end);
        if (stop - r.pos > limits.maxStringLength) throw new ItemInvalid('invalid_string_too_long', 'bytes_value is too long');
        // A copy: the request buffer must not stay alive through a small attribute.
        value = new Uint8Array(r.buf.subarray(r.pos, stop));
        r.pos = stop;
        break;
      }
      default: skipField(r, wt, end);
    }
  }
  return value;
}

function readArray(r: Reader, end: number, limits: DecodeLimits, depth: number): AttributeValue[] {
  const out: AttributeValue[] = [];
  while (r.pos < end) {
    const tag = varint32(r, end);
    if (tag >>> 3 !== 1) {
      skipField(r, tag & 7, end);
      continue;
    }
    expectWire(tag & 7, WIRE_LEN, 'array_value.values');
    if (out.length >= limits.maxAttributes) throw new ItemInvalid('invalid_too_many_attributes', `array with more than ${limits.maxAttributes} values`);
    const stop = lengthEnd(r, end);
    out.push(readAnyValue(r, stop, limits, depth));
    r.pos = stop;
  }
  return out;
}

function readKeyValueList(r: Reader, end: number, limits: DecodeLimits, depth: number): Attributes {
  const out: Record<string, AttributeValue> = {};
  let count = 0;
  while (r.pos < end) {
    const tag = varint32(r, end);
    if (tag >>> 3 !== 1) {
      skipField(r, tag & 7, end);
      continue;
    }
    readKeyValue(r, tag & 7, end, out, count++, limits, depth);
  }
  return out;
}

/**
 * The common attribute value, an AnyValue holding only a short valid `string_value` within the
 * limit, read without {@link readAnyValue}; undefined for anything else, which readAnyValue then
 * decodes (and refuses with its own messages).
 */
export function shortString(r: Reader, end: number, limits: DecodeLimits): string | undefined {
  const start = soleStringStart(r.buf, r.pos, end);
  return start < 0 || end - start > limits.maxStringLength ? undefined : cachedUtf8(r.buf, r.view, start, end);
}

/** Reads one `KeyValue` field into `into`; keys are required and unique, their number bounded. */
export function readKeyValue(r: Reader, wireType: number, end: number, into: Record<string, AttributeValue>, count: number, limits: DecodeLimits, depth: number): void {
  expectWire(wireType, WIRE_LEN, 'attributes');
  if (count >= limits.maxAttributes) throw new ItemInvalid('invalid_too_many_attributes', `more than ${limits.maxAttributes} attributes`);
  const stop = lengthEnd(r, end);
  let key = '';
  let value: AttributeValue = null;
  while (r.pos < stop) {
    const tag = varint32(r, stop);
    const wt = tag & 7;
    if (tag >>> 3 === 1) {
      expectWire(wt, WIRE_LEN, 'key');
      key = readString(r, stop, limits.maxNameLength, 'attribute key');
    } else if (tag >>> 3 === 2) {
      expectWire(wt, WIRE_LEN, 'value');
      const vEnd = lengthEnd(r, stop);
      value = shortString(r, vEnd, limits) ?? readAnyValue(r, vEnd, limits, depth);
      r.pos = vEnd;
    } else skipField(r, wt, stop);
  }
  if (key === '') throw new ItemInvalid('invalid_attribute', 'attribute key is required');
  if (Object.prototype.hasOwnProperty.call(into, key)) throw new ItemInvalid('invalid_attribute', `duplicate attribute key "${key.slice(0, 64)}"`);
  setOwn(into, key, value);
}

/** Writes `value` as the body of an `AnyValue` message (the caller forks and ldelims). */
export function writeAnyValue(w: Writer, value: AttributeValue): void {
  if (value === null || value === undefined) return;
  switch (typeof value) {
    case 'string': w.uint32(10).string(value); return;
    case 'boolean': w.uint32(16).bool(value); return;
    case 'bigint': w.uint32(24).int64(value.toString() as unknown as number); return;
    case 'number':
      // Integers travel as int_value so they come back as integers; other numbers as doubles.
      if (Number.isSafeInteger(value)) w.uint32(24).int64(value);
      else w.uint32(33).double(value);
      return;
    default:
  }
  if (value instanceof Uint8Array) {
    w.uint32(58).bytes(value);
  } else if (Array.isArray(value)) {
    w.uint32(42).fork();
    for (const v of value as readonly AttributeValue[]) {
      w.uint32(10).fork();
      writeAnyValue(w, v);
      w.ldelim();
    }
    w.ldelim();
  } else {
    w.uint32(50).fork();
    writeKeyValues(w, 1, value as Attributes);
    w.ldelim();
  }
}

/** Writes each entry of `attrs` as a `KeyValue` in field `field`. */
export function writeKeyValues(w: Writer, field: number, attrs: Attributes): void {
  for (const key of Object.keys(attrs)) {
    w.uint32((field << 3) | 2).fork();
    w.uint32(10).string(key);
    w.uint32(18).fork();
    writeAnyValue(w, attrs[key]!);
    w.ldelim();
    w.ldelim();
  }
}
