import type { AttributeValue, Attributes } from '../../model/attributes';
import { MAX_ANY_VALUE_DEPTH, putAttribute } from '../attribute-values';
import { ItemFault } from '../item-fault';

/** A JSON body that parses but does not have the OTLP shape: the request is refused (400). */
export class OtlpJsonError extends Error {
  constructor(message: string) {
    super(`malformed OTLP/JSON: ${message}`);
    this.name = 'OtlpJsonError';
  }
}

export type JsonObject = Record<string, unknown>;

/**
 * A field by its OTLP/JSON name (lowerCamelCase) or, for senders that use the proto names, by
 * snake_case. The spec allows only the former; accepting both costs one extra lookup on a miss.
 */
export function field(o: JsonObject, camel: string, snake: string): unknown {
  const v = o[camel];
  return v !== undefined ? v : o[snake];
}

export function asObject(v: unknown, what: string): JsonObject {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new OtlpJsonError(`${what} must be an object`);
  return v as JsonObject;
}

export function asArray(v: unknown, what: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpJsonError(`${what} must be an array`);
  return v;
}

export function asString(v: unknown, what: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new OtlpJsonError(`${what} must be a string`);
  // A lone surrogate (`"\ud800"` parses) is JSON's invalid UTF-8: refused as protobuf refuses it,
  // or it would turn into U+FFFD wherever the string is written as UTF-8 (a different series).
  if (!(v as WellFormedCheck).isWellFormed()) throw new ItemFault('invalid_utf8');
  return v;
}

/** `String.prototype.isWellFormed` (ES2024, in Node 20), which the ES2022 lib does not declare. */
type WellFormedCheck = string & { isWellFormed(): boolean };

const DIGITS = /^-?[0-9]+$/;

/**
 * A 64-bit integer field (a decimal string or a number in OTLP/JSON) as the closest double.
 * Exact up to 2^53; beyond, strings keep their magnitude (the double nearest the true value).
 */
export function int64Number(v: unknown, what: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && DIGITS.test(v)) return Number(v);
  throw new OtlpJsonError(`${what} must be an integer or a decimal string`);
}

/** A 64-bit integer kept exact: a number when safe, else a bigint (AnyValue.intValue). */
export function int64Exact(v: unknown, what: string): number | bigint {
  if (typeof v === 'string' && DIGITS.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : BigInt(v);
  }
  return int64Number(v, what);
}

/**
 * Nanoseconds since the epoch to milliseconds. Strings above 2^53 are split with BigInt so the
 * milliseconds are right to the nanosecond's last representable digit.
 */
export function nanosToMs(v: unknown, what: string): number {
  if (typeof v === 'string' && v.length > 15 && DIGITS.test(v)) {
    const ns = BigInt(v);
    return Number(ns / 1_000_000n) + Number(ns % 1_000_000n) / 1e6;
  }
  return int64Number(v, what) / 1e6;
}

/** A double field: a number, or the proto-JSON strings "NaN", "Infinity", "-Infinity". */
export function doubleValue(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw new OtlpJsonError(`${what} must be a number`);
}

/** An enum given as its number (the OTLP/JSON rule) or, leniently, by name with `suffixes`. */
export function enumValue(v: unknown, names: Readonly<Record<string, number>>, what: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && names[v] !== undefined) return names[v]!;
  throw new OtlpJsonError(`${what} must be an enum number`);
}

const HEX = /^[0-9a-fA-F]*$/;

/** Trace and span ids are hex strings in OTLP/JSON (not base64). */
export function hexId(v: unknown, what: string): string {
  const s = asString(v, what);
  if (!HEX.test(s) || s.length % 2 !== 0) throw new OtlpJsonError(`${what} must be a hex string`);
  return s.toLowerCase();
}

/** Decodes an OTLP/JSON AnyValue. Unknown shapes are refused as malformed. */
export function anyValue(v: unknown, depth: number): AttributeValue {
  if (v === undefined || v === null) return null;
  const o = asObject(v, 'AnyValue');
  if (o['stringValue'] !== undefined || o['string_value'] !== undefined) return asString(field(o, 'stringValue', 'string_value'), 'stringValue');
  const b = field(o, 'boolValue', 'bool_value');
  if (b !== undefined) {
    if (typeof b !== 'boolean') throw new OtlpJsonError('boolValue must be a boolean');
    return b;
  }
  const i = field(o, 'intValue', 'int_value');
  if (i !== undefined) return int64Exact(i, 'intValue');
  const d = field(o, 'doubleValue', 'double_value');
  if (d !== undefined) return doubleValue(d, 'doubleValue');
  const bytes = field(o, 'bytesValue', 'bytes_value');
  if (bytes !== undefined) return new Uint8Array(Buffer.from(asString(bytes, 'bytesValue'), 'base64'));
  const arr = field(o, 'arrayValue', 'array_value');
  if (arr !== undefined) {
    if (depth >= MAX_ANY_VALUE_DEPTH) throw new ItemFault('nesting_too_deep');
    return asArray(asObject(arr, 'arrayValue')['values'], 'arrayValue.values').map((x) => anyValue(x, depth + 1));
  }
  const kv = field(o, 'kvlistValue', 'kvlist_value');
  if (kv !== undefined) {
    if (depth >= MAX_ANY_VALUE_DEPTH) throw new ItemFault('nesting_too_deep');
    return attributes(asObject(kv, 'kvlistValue')['values'], depth + 1);
  }
  return null;
}

/** A repeated KeyValue as an attribute object; duplicate keys refuse the item. */
export function attributes(v: unknown, depth = 1): Attributes {
  const out: Record<string, AttributeValue> = {};
  for (const item of asArray(v, 'attributes')) {
    const kv = asObject(item, 'KeyValue');
    putAttribute(out, asString(kv['key'], 'key'), anyValue(kv['value'], depth));
  }
  return out;
}
