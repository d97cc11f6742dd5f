import type { AttributeValue } from '../model/attributes';
import { ItemFault } from './item-fault';

/** Deepest AnyValue nesting accepted (array/kvlist levels); deeper items are refused, not recursed into. */
export const MAX_ANY_VALUE_DEPTH = 32;

/**
 * Adds `key` to an attribute object under construction, refusing duplicates (OTLP says keys are
 * unique; which duplicate wins is undefined, so the item is refused rather than guessed).
 * `__proto__` is defined as an own property so no key can change the object's prototype.
 */
export function putAttribute(into: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  if (Object.prototype.hasOwnProperty.call(into, key)) throw new ItemFault('duplicate_attribute_key');
  if (key === '__proto__') Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
  else into[key] = value;
}

/** Appends `key, value` to flat label pairs, refusing a key already present. */
export function pushLabelPair(pairs: string[], key: string, value: string): void {
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === key) throw new ItemFault('duplicate_attribute_key');
  pairs.push(key, value);
}

/**
 * The label value of an attribute: strings as they are, numbers and booleans in their usual text,
 * bytes in base64, arrays and maps as JSON (as Prometheus's OTLP translation does).
 */
export function labelValueOf(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === null) return '';
  return JSON.stringify(toJsonable(value));
}

function toJsonable(value: AttributeValue): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map(toJsonable);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonable(v as AttributeValue);
    return out;
  }
  return value;
}

/** A signed 64-bit integer from halves: a number when exact, a bigint beyond 2^53. */
export function int64Value(lo: number, hi: number): number | bigint {
  const signedHi = hi | 0;
  const n = signedHi * 4294967296 + lo;
  if (Number.isSafeInteger(n)) return n;
  return (BigInt(signedHi) << 32n) | BigInt(lo >>> 0);
}
