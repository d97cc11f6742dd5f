import type { AttributeValue } from '../../model/attributes';
import { int64Value, MAX_ANY_VALUE_DEPTH, putAttribute } from '../attribute-values';
import { ItemFault } from '../item-fault';
import { soleStringStart } from '../../wire/string-cache';
import { repeatedString } from './strings';
import { fieldTypes, WireReader } from '../../wire/wire-reader';

const ANY_FIELDS = fieldTypes({ 1: 2, 2: 0, 3: 0, 4: 1, 5: 2, 6: 2, 7: 2 });
const KV_FIELDS = fieldTypes({ 1: 2, 2: 2 });
const LIST_FIELDS = fieldTypes({ 1: 2 });
const halves = new Uint32Array(2);

/** Decodes an AnyValue message spanning [r.pos, end). An empty AnyValue is null. */
export function readAnyValue(r: WireReader, end: number, depth: number): AttributeValue {
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.uint32(end);
    switch (tag) {
      case 0x0a: {
        const e = r.lengthEnd(end);
        // Through the cache: short values (service names, hosts, routes) repeat across records;
        // long ones (bodies) bypass it.
        value = repeatedString(r.buf, r.view, r.pos, e);
        r.pos = e;
        break;
      }
      case 0x10:
        value = r.uint32(end) !== 0;
        break;
      case 0x18:
        r.varint64(end, halves);
        value = int64Value(halves[0]!, halves[1]!);
        break;
      case 0x21:
        value = r.double(end);
        break;
      case 0x2a: {
        const e = r.lengthEnd(end);
        value = readArrayValue(r, e, depth + 1);
        break;
      }
      case 0x32: {
        const e = r.lengthEnd(end);
        value = readKeyValueList(r, e, depth + 1);
        break;
      }
      case 0x3a: {
        const e = r.lengthEnd(end);
        value = new Uint8Array(r.buf.subarray(r.pos, e));
        r.pos = e;
        break;
      }
      default:
        r.skipUnknown(tag, ANY_FIELDS, end);
    }
  }
  return value;
}

function checkDepth(r: WireReader, end: number, depth: number): boolean {
  if (depth <= MAX_ANY_VALUE_DEPTH) return true;
  r.pos = end;
  throw new ItemFault('nesting_too_deep');
}

function readArrayValue(r: WireReader, end: number, depth: number): AttributeValue[] {
  checkDepth(r, end, depth);
  const out: AttributeValue[] = [];
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === 0x0a) {
      const e = r.lengthEnd(end);
      out.push(readAnyValue(r, e, depth));
      r.pos = e;
    } else r.skipUnknown(tag, LIST_FIELDS, end);
  }
  return out;
}

function readKeyValueList(r: WireReader, end: number, depth: number): Record<string, AttributeValue> {
  checkDepth(r, end, depth);
  const out: Record<string, AttributeValue> = {};
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === 0x0a) {
      const e = r.lengthEnd(end);
      readKeyValueInto(r, e, depth, out);
    } else r.skipUnknown(tag, LIST_FIELDS, end);
  }
  return out;
}

/** A KeyValue once read: `''` and `null` stand for a missing key or value. */
export interface KeyValuePair {
  key: string;
  value: AttributeValue;
}

/** Decodes one KeyValue message spanning [r.pos, end) into `out` (set on return only); leaves r.pos at `end`. */
export function readKeyValuePair(r: WireReader, end: number, depth: number, out: KeyValuePair): void {
  let key = '';
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === 0x0a) {
      const e = r.lengthEnd(end);
      key = repeatedString(r.buf, r.view, r.pos, e);
      r.pos = e;
    } else if (tag === 0x12) {
      const e = r.lengthEnd(end);
      const str = soleStringStart(r.buf, r.pos, e);
      value = str >= 0 ? repeatedString(r.buf, r.view, str, e) : readAnyValue(r, e, depth);
      r.pos = e;
    } else r.skipUnknown(tag, KV_FIELDS, end);
  }
  out.key = key;
  out.value = value;
}

/** Read by {@link readKeyValueInto} and used at once (a nested value's pairs are done by then). */
const pair: KeyValuePair = { key: '', value: null };

/** Decodes one KeyValue message spanning [r.pos, end) into `out`; leaves r.pos at `end`. */
export function readKeyValueInto(r: WireReader, end: number, depth: number, out: Record<string, AttributeValue>): void {
  readKeyValuePair(r, end, depth, pair);
  putAttribute(out, pair.key, pair.value);
}

/**
 * Decodes a KeyValue for a metric label: key and value as strings. A string value is read directly
 * (no AnyValue object; `toLabel` must map a string to itself); other kinds go through
 * {@link readAnyValue} and `toLabel`.
 */
export function readKeyValueLabel(r: WireReader, end: number, toLabel: (v: AttributeValue) => string, out: { key: string; value: string }): void {
  out.key = '';
  out.value = '';
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === 0x0a) {
      const e = r.lengthEnd(end);
      out.key = repeatedString(r.buf, r.view, r.pos, e);
      r.pos = e;
    } else if (tag === 0x12) {
      const e = r.lengthEnd(end);
      const str = soleStringStart(r.buf, r.pos, e);
      out.value = str >= 0 ? repeatedString(r.buf, r.view, str, e) : toLabel(readAnyValue(r, e, 1));
      r.pos = e;
    } else r.skipUnknown(tag, KV_FIELDS, end);
  }
}
