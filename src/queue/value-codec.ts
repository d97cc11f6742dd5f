import type { AttributeValue } from '../model/attributes';
import { ByteReader, CorruptRecordError } from './byte-reader';
import type { ProtoWriter } from '../wire/proto-writer';
import { writeString } from './writing';

/**
 * A tagged binary encoding of JSON-like values that, unlike JSON, keeps what the data model
 * allows: bigint, Uint8Array, -0, NaN and the infinities. Used for events, alerts and control
 * commands, whose items are plain objects.
 */
const enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  Number = 3,
  String = 4,
  BigInt = 5,
  Bytes = 6,
  Array = 7,
  Map = 8,
  Undefined = 9,
}

/** Nesting limit on decode: a corrupt record must not recurse the stack away. */
const MAX_DEPTH = 64;

export type StoredValue = AttributeValue | undefined | { readonly [key: string]: StoredValue } | readonly StoredValue[];

export function writeValue(w: ProtoWriter, v: StoredValue): void {
  w.ensure(1);
  if (v === null) return w.byte(Tag.Null);
  if (v === undefined) return w.byte(Tag.Undefined);
  switch (typeof v) {
    case 'boolean':
      return w.byte(v ? Tag.True : Tag.False);
    case 'number':
      w.byte(Tag.Number);
      return w.double(v);
    case 'string':
      w.byte(Tag.String);
      return writeString(w, v);
    case 'bigint':
      w.byte(Tag.BigInt);
      return writeString(w, v.toString(16));
    default:
      break;
  }
  if (v instanceof Uint8Array) {
    w.byte(Tag.Bytes);
    w.varint(v.length);
    return w.bytes(v);
  }
  if (Array.isArray(v)) {
    w.byte(Tag.Array);
    w.varint(v.length);
    for (const item of v as readonly StoredValue[]) writeValue(w, item);
    return;
  }
  const record = v as { readonly [key: string]: StoredValue };
  const keys = Object.keys(record);
  w.byte(Tag.Map);
  w.varint(keys.length);
  for (const k of keys) {
    writeString(w, k);
    writeValue(w, record[k]);
  }
}

export function readValue(r: ByteReader, depth = 0): StoredValue {
  if (depth > MAX_DEPTH) throw new CorruptRecordError('values nested too deep');
  const tag = r.byte();
  switch (tag) {
    case Tag.Null: return null;
    case Tag.Undefined: return undefined;
    case Tag.False: return false;
    case Tag.True: return true;
    case Tag.Number: return r.double();
    case Tag.String: return r.string();
    case Tag.BigInt: return parseBigHex(r.string());
    case Tag.Bytes: return r.bytes(r.count());
    case Tag.Array: {
      const n = r.count();
      const out: StoredValue[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = readValue(r, depth + 1);
      return out;
    }
    case Tag.Map: {
      const n = r.count(2);
      const out: Record<string, StoredValue> = {};
      for (let i = 0; i < n; i++) {
        const key = r.string();
        // defineProperty: a stored `__proto__` key stays a plain key.
        Object.defineProperty(out, key, { value: readValue(r, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    default:
      throw new CorruptRecordError(`unknown value tag ${tag}`);
  }
}

function parseBigHex(s: string): bigint {
  const negative = s.startsWith('-');
  const digits = negative ? s.slice(1) : s;
  if (!/^[0-9a-f]+$/.test(digits)) throw new CorruptRecordError('invalid bigint');
  const v = BigInt(`0x${digits}`);
  return negative ? -v : v;
}
