import type { AttributeValue, Attributes } from '../../model/attributes';

export type JsonObject = Record<string, unknown>;

const MAX_DEPTH = 32;

/** A double in proto3 JSON: a number when finite, else "NaN", "Infinity" or "-Infinity". */
export function jsonDouble(v: number): number | string {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/**
 * A count (uint64) in proto3 JSON: a decimal integer string. Counts can carry fractions (a scraped
 * histogram with float counts, cumulative buckets diffed as doubles): truncated, as the protobuf
 * encoding's fixed64 truncates them, or receivers refuse the whole request.
 */
export function jsonCount(v: number): string {
  if (!(v > 0)) return '0';
  // Beyond uint64: its maximum (protobuf wraps instead). BigInt: the exact decimal, never `1e+21`.
  return v >= UINT64_LIMIT ? UINT64_MAX : BigInt(Math.trunc(v)).toString();
}

const UINT64_LIMIT = 2 ** 64;
const UINT64_MAX = '18446744073709551615';

/** Milliseconds since the epoch as the decimal nanoseconds string of OTLP/JSON, exactly. */
export function nanosString(ms: number): string {
  let whole = Math.floor(ms);
  let frac = Math.round((ms - whole) * 1e6);
  if (frac >= 1e6) {
    whole += 1;
    frac -= 1e6;
  }
  return whole === 0 ? String(frac) : `${whole}${String(frac).padStart(6, '0')}`;
}

/** An OTLP/JSON AnyValue (int64 as a decimal string, bytes in base64). */
export function jsonAnyValue(v: AttributeValue, depth = 1): JsonObject {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'bigint') return { intValue: v.toString() };
  if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0) ? { intValue: String(v) } : { doubleValue: jsonDouble(v) };
  if (v === null || depth >= MAX_DEPTH) return {};
  if (v instanceof Uint8Array) return { bytesValue: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (Array.isArray(v)) return { arrayValue: { values: (v as readonly AttributeValue[]).map((x) => jsonAnyValue(x, depth + 1)) } };
  return { kvlistValue: { values: jsonKeyValues(v as Attributes, depth + 1) } };
}

export function jsonKeyValues(attributes: Attributes, depth = 1): JsonObject[] {
  return Object.keys(attributes).map((key) => ({ key, value: jsonAnyValue(attributes[key]!, depth) }));
}

/** Flat label pairs as OTLP/JSON KeyValues with string values. */
export function jsonLabelPairs(pairs: readonly string[]): JsonObject[] {
  const out: JsonObject[] = [];
  for (let i = 0; i < pairs.length; i += 2) out.push({ key: pairs[i], value: { stringValue: pairs[i + 1] } });
  return out;
}
