import type { Reader } from './wire';
import { cachedUtf8, utf8 } from '../wire/string-cache';
import { ItemInvalid } from './rejections';
import { lengthEnd, skipField, varint32, WIRE_LEN, expectWire } from './wire';

/**
 * Reads a length-delimited string, refusing it when longer than `maxBytes` or not valid UTF-8.
 * Validity is checked on the raw bytes (protobufjs's own decoder would silently substitute).
 * Short strings come from the shared cache of decoded strings (src/wire/string-cache): topics,
 * event types, attribute keys and most values repeat from item to item. `unique` skips the cache
 * for values that never repeat (request ids), which would only evict the ones that do.
 */
export function readString(r: Reader, end: number, maxBytes: number, field: string, tooLongReason = 'invalid_string_too_long', unique = false): string {
  const stop = lengthEnd(r, end);
  const start = r.pos;
  r.pos = stop;
  if (stop - start > maxBytes) throw new ItemInvalid(tooLongReason, `${field} is longer than ${maxBytes} bytes`);
  const s = unique ? utf8(r.buf, r.view, start, stop) : cachedUtf8(r.buf, r.view, start, stop);
  if (s === undefined) throw new ItemInvalid('invalid_utf8', `${field} is not valid UTF-8`);
  return s;
}

/** Like {@link readString} for a string already located at [start, stop) of `r`, never cached. */
export function stringAt(r: Reader, start: number, stop: number, maxBytes: number, field: string): string {
  if (stop - start > maxBytes) throw new ItemInvalid('invalid_string_too_long', `${field} is longer than ${maxBytes} bytes`);
  const s = utf8(r.buf, r.view, start, stop);
  if (s === undefined) throw new ItemInvalid('invalid_utf8', `${field} is not valid UTF-8`);
  return s;
}

export interface StringMapLimits {
  readonly maxEntries: number;
  readonly maxKeyBytes: number;
  readonly maxValueBytes: number;
  readonly checkKey: (key: string) => void;
  readonly field: string;
  readonly valueTooLongReason?: string;
  readonly tooManyReason?: string;
}

/** Reads one entry of a `map<string, string>` field into `into`; duplicate keys are refused. */
export function readMapEntry(r: Reader, wireType: number, end: number, into: Record<string, string>, count: number, lim: StringMapLimits): void {
  expectWire(wireType, WIRE_LEN, lim.field);
  if (count >= lim.maxEntries) throw new ItemInvalid(lim.tooManyReason ?? 'invalid_too_many_elements', `more than ${lim.maxEntries} ${lim.field}`);
  const stop = lengthEnd(r, end);
  let key = '';
  let value = '';
  while (r.pos < stop) {
    const tag = varint32(r, stop);
    const field = tag >>> 3;
    if (field === 1) key = readString(r, stop, lim.maxKeyBytes, `${lim.field} key`);
    else if (field === 2) value = readString(r, stop, lim.maxValueBytes, `${lim.field} value`, lim.valueTooLongReason);
    else skipField(r, tag & 7, stop);
  }
  lim.checkKey(key);
  if (Object.prototype.hasOwnProperty.call(into, key)) throw new ItemInvalid('invalid_duplicate_label', `duplicate ${lim.field} key "${key}"`);
  setOwn(into, key, value);
}

/** Sets a data property even for `__proto__`, which a plain assignment would treat as the prototype. */
export function setOwn<V>(obj: Record<string, V>, key: string, value: V): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
