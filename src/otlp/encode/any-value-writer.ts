import type { AttributeValue, Attributes } from '../../model/attributes';
import type { ProtoWriter } from '../../wire/proto-writer';

/**
 * Deepest nesting written; deeper values become empty AnyValues. The receiver refuses items
 * nested deeper than 32 levels, so nothing deeper could travel anyway; the bound also stops a
 * cyclic object from recursing forever.
 */
const MAX_DEPTH = 32;

/**
 * Writes the fields of an `AnyValue` for a model value. Numbers that are safe integers go as
 * `int_value` (the receiver reads both int and double into a number, so the model keeps no
 * difference to restore), other numbers as `double_value`; null is the empty AnyValue.
 */
export function writeAnyValueFields(w: ProtoWriter, v: AttributeValue, depth: number): void {
  if (typeof v === 'string') w.stringField(0x0a, v);
  else if (typeof v === 'number') {
    if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
      w.uint32(0x18);
      w.int64(v);
    } else {
      w.uint32(0x21);
      w.double(v);
    }
  } else if (typeof v === 'boolean') {
    w.uint32(0x10);
    w.uint32(v ? 1 : 0);
  } else if (typeof v === 'bigint') {
    w.uint32(0x18);
    w.int64(v);
  } else if (v === null || depth >= MAX_DEPTH) return;
  else if (v instanceof Uint8Array) w.bytesField(0x3a, v);
  else if (Array.isArray(v)) {
    const list = w.begin(0x2a);
    for (const item of v as readonly AttributeValue[]) {
      const at = w.begin(0x0a);
      writeAnyValueFields(w, item, depth + 1);
      w.end(at);
    }
    w.end(list);
  } else {
    const list = w.begin(0x32);
    writeKeyValues(w, 0x0a, v as Attributes, depth + 1);
    w.end(list);
  }
}

/** Writes each attribute as a `KeyValue` field with `tag` (a repeated KeyValue). */
export function writeKeyValues(w: ProtoWriter, tag: number, attributes: Attributes, depth = 1): void {
  for (const key of Object.keys(attributes)) writeKeyValue(w, tag, key, attributes[key]!, depth);
}

export function writeKeyValue(w: ProtoWriter, tag: number, key: string, value: AttributeValue, depth = 1): void {
  const at = w.begin(tag);
  w.stringField(0x0a, key);
  const v = w.begin(0x12);
  writeAnyValueFields(w, value, depth);
  w.end(v);
  w.end(at);
}

/** A `KeyValue` with a string value: the form of every metric label. */
export function writeStringKeyValue(w: ProtoWriter, tag: number, key: string, value: string): void {
  const at = w.begin(tag);
  w.stringField(0x0a, key);
  const v = w.begin(0x12);
  w.stringField(0x0a, value);
  w.end(v);
  w.end(at);
}
