import type { AttributeValue, Attributes } from '../../model/attributes';
import type { ScopeIdentity } from '../scope-labels';
import { readKeyValueInto } from './any-value';
import { repeatedString } from './strings';
import { fieldTypes, WireReader } from '../../wire/wire-reader';

const RESOURCE_FIELDS = fieldTypes({ 1: 2, 2: 0, 3: 2 });
const SCOPE_FIELDS = fieldTypes({ 1: 2, 2: 2, 3: 2, 4: 0 });

/** Attributes (field 1) of a `Resource` spanning [start, end); leaves r.pos at `end`. */
export function readResourceAttributes(r: WireReader, start: number, end: number): Attributes {
  const out: Record<string, AttributeValue> = {};
  r.pos = start;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === 0x0a) readKeyValueInto(r, r.lengthEnd(end), 1, out);
    else r.skipUnknown(tag, RESOURCE_FIELDS, end);
  }
  return out;
}

/** The name of an `InstrumentationScope` spanning [r.pos, end); leaves r.pos at `end`. */
export function readScopeName(r: WireReader, end: number): string {
  let name = '';
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === 0x0a) {
      const e = r.lengthEnd(end);
      name = repeatedString(r.buf, r.view, r.pos, e);
      r.pos = e;
    } else r.skipUnknown(tag, SCOPE_FIELDS, end);
  }
  return name;
}

/** Name, version and attributes of an `InstrumentationScope` spanning [start, end); leaves r.pos at `end`. */
export function readScope(r: WireReader, start: number, end: number): ScopeIdentity {
  let name = '';
  let version = '';
  const attributes: Record<string, AttributeValue> = {};
  r.pos = start;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === 0x0a || tag === 0x12) {
      const e = r.lengthEnd(end);
      const s = repeatedString(r.buf, r.view, r.pos, e);
      if (tag === 0x0a) name = s;
      else version = s;
      r.pos = e;
    } else if (tag === 0x1a) readKeyValueInto(r, r.lengthEnd(end), 1, attributes);
    else r.skipUnknown(tag, SCOPE_FIELDS, end);
  }
  return { name, version, attributes };
}

/**
 * Finds the first length-delimited field with `tag` in the message [r.pos, end) and returns its
 * [start, end) (or [-1, -1]) without decoding anything; leaves r.pos at `end`, or past the field
 * with `stopAtFirst`. Used to read a message's header (resource, scope, name) before its repeated
 * body, whatever the field order.
 */
export function findField(r: WireReader, end: number, tag: number, known: Int8Array, out: Int32Array, stopAtFirst = false): void {
  out[0] = -1;
  out[1] = -1;
  while (r.pos < end) {
    const t = r.uint32(end);
    if ((t & 7) === 2) {
      const e = r.lengthEnd(end);
      if (t === tag && out[0] === -1) {
        out[0] = r.pos;
        out[1] = e;
        // The caller checks the fields after it itself, as it reads them.
        if (stopAtFirst) return;
      }
      r.pos = e;
    } else r.skipUnknown(t, known, end);
  }
}
