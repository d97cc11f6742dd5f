import { Reader } from 'protobufjs/minimal';

/**
 * Checked wire primitives on top of protobufjs's Reader (its `buf` and `pos` are the cursor).
 * Every read is bounded by an explicit `end` (the enclosing message), varints by 10 bytes, and
 * groups are refused, so malformed input always ends in a {@link WireError}, never a crash or a
 * read past the message.
 */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

/** Buffer methods (compare, utf8 slices) are needed on the input; a Uint8Array is wrapped without a copy. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function readerOf(bytes: Uint8Array): Reader {
  return Reader.create(bytes);
}

/** A varint as an unsigned 32-bit number (higher bits of a longer varint are dropped, as protobuf does). */
export function varint32(r: Reader, end: number): number {
  const buf = r.buf;
  let pos = r.pos;
  let value = 0;
  for (let shift = 0; shift < 70; shift += 7) {
    if (pos >= end) throw new WireError('truncated varint');
    const b = buf[pos++]!;
    if (shift < 32) value |= (b & 0x7f) << shift;
    if (b < 0x80) {
      r.pos = pos;
      return value >>> 0;
    }
  }
  throw new WireError('varint longer than 10 bytes');
}

/**
 * A 64-bit varint as a JS number (int64 two's complement for negatives). Exact up to 2^53;
 * no Long object is made, which keeps the metric decode path allocation-free.
 */
export function varint64(r: Reader, end: number): number {
  const buf = r.buf;
  let pos = r.pos;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new WireError('truncated varint');
    const b = buf[pos++]!;
    if (i < 4) lo |= (b & 0x7f) << (7 * i);
    else if (i === 4) {
      lo |= (b & 0x0f) << 28;
      hi |= (b & 0x7f) >> 4;
    } else hi |= (b & 0x7f) << (7 * i - 32);
    if (b < 0x80) {
      r.pos = pos;
      return hi & 0x80000000 ? -((~hi >>> 0) * 4294967296 + (~lo >>> 0) + 1) : (hi >>> 0) * 4294967296 + (lo >>> 0);
    }
  }
  throw new WireError('varint longer than 10 bytes');
}

/** A 64-bit varint as bigint, for int64 attribute values that may exceed 2^53. */
export function varint64Big(r: Reader, end: number): bigint {
  const buf = r.buf;
  let pos = r.pos;
  let value = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new WireError('truncated varint');
    const b = buf[pos++]!;
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if (b < 0x80) {
      r.pos = pos;
      return BigInt.asIntN(64, value);
    }
  }
  throw new WireError('varint longer than 10 bytes');
}

export function double(r: Reader, end: number): number {
  if (r.pos + 8 > end) throw new WireError('truncated double');
  return r.double();
}

/** Reads a length prefix and returns the end offset of the field's bytes (which start at r.pos). */
export function lengthEnd(r: Reader, end: number): number {
  const len = varint32(r, end);
  const stop = r.pos + len;
  if (stop > end) throw new WireError('length past the end of the message');
  return stop;
}

/** Skips one field of the given wire type (unknown fields are allowed and ignored). */
export function skipField(r: Reader, wireType: number, end: number): void {
  switch (wireType) {
    case WIRE_VARINT:
      varint32(r, end);
      return;
    case WIRE_FIXED64:
      if (r.pos + 8 > end) throw new WireError('truncated fixed64');
      r.pos += 8;
      return;
    case WIRE_LEN:
      r.pos = lengthEnd(r, end);
      return;
    case WIRE_FIXED32:
      if (r.pos + 4 > end) throw new WireError('truncated fixed32');
      r.pos += 4;
      return;
    default:
      throw new WireError(`unsupported wire type ${wireType}`);
  }
}

/** Throws unless `wireType` is what the field needs (a known field with the wrong type is malformed). */
export function expectWire(wireType: number, want: number, field: string): void {
  if (wireType !== want) throw new WireError(`field ${field} has wire type ${wireType}, expected ${want}`);
}

/**
 * Reads a repeated double field into `out` (packed or not); returns the new length.
 * `max` bounds the element count so a hostile request cannot make us allocate much.
 */
export function repeatedDouble(r: Reader, wireType: number, end: number, out: number[], max: number, field: string): void {
  if (wireType === WIRE_FIXED64) {
    if (out.length >= max) throw new CollectionTooLarge(field);
    out.push(double(r, end));
    return;
  }
  expectWire(wireType, WIRE_LEN, field);
  const stop = lengthEnd(r, end);
  if ((stop - r.pos) % 8 !== 0) throw new WireError(`packed ${field} is not a multiple of 8 bytes`);
  if (out.length + (stop - r.pos) / 8 > max) throw new CollectionTooLarge(field);
  while (r.pos < stop) out.push(r.double());
}

/** Reads a repeated uint64 field (packed or not) as numbers. */
export function repeatedVarint(r: Reader, wireType: number, end: number, out: number[], max: number, field: string): void {
  if (wireType === WIRE_VARINT) {
    if (out.length >= max) throw new CollectionTooLarge(field);
    out.push(varint64(r, end));
    return;
  }
  expectWire(wireType, WIRE_LEN, field);
  const stop = lengthEnd(r, end);
  while (r.pos < stop) {
    if (out.length >= max) throw new CollectionTooLarge(field);
    out.push(varint64(r, stop));
  }
}

/** A repeated field with more elements than the configured limit. */
export class CollectionTooLarge extends Error {
  constructor(readonly field: string) {
    super(`${field} has too many elements`);
  }
}
