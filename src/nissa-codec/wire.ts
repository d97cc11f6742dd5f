import { type FaultFactory, WireReader } from '../wire/wire-reader';

/**
 * The nissa codec's wire primitives, on the protobuf reader shared with the OTLP decoders
 * (src/wire: every read bounded by an explicit `end`, varints by 10 bytes, groups refused). This
 * file keeps the codec's own error type and wording: malformed input always ends in a
 * {@link WireError}, never a crash or a read past the message.
 */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

export type Reader = WireReader;

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

const nissaFault: FaultFactory = (fault, _offset, subject) => {
  switch (fault) {
    case 'truncated':
      return new WireError(`truncated ${subject}`);
    case 'varint_too_long':
      return new WireError('varint longer than 10 bytes');
    case 'length_past_end':
      return new WireError('length past the end of the message');
    case 'invalid_wire_type':
      return new WireError(`unsupported wire type ${subject}`);
    default:
      return new WireError(fault.replace(/_/g, ' '));
  }
};

/** Buffer methods (compare, utf8 slices) are needed on the input; a Uint8Array is wrapped without a copy. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function readerOf(bytes: Uint8Array): Reader {
  return new WireReader(asBuffer(bytes), nissaFault);
}

/** A varint as an unsigned 32-bit number (higher bits of a longer varint are dropped, as protobuf does). */
export function varint32(r: Reader, end: number): number {
  return r.uint32(end);
}

/** A 64-bit varint as a JS number (int64 two's complement for negatives), exact up to 2^53. */
export function varint64(r: Reader, end: number): number {
  return r.int64Number(end);
}

/** A 64-bit varint as bigint, for int64 attribute values that may exceed 2^53. */
export function varint64Big(r: Reader, end: number): bigint {
  return r.int64Big(end);
}

export function double(r: Reader, end: number): number {
  return r.double(end);
}

/** Reads a length prefix and returns the end offset of the field's bytes (which start at r.pos). */
export function lengthEnd(r: Reader, end: number): number {
  return r.lengthEnd(end);
}

/** Skips one field of the given wire type (unknown fields are allowed and ignored). */
export function skipField(r: Reader, wireType: number, end: number): void {
  r.skip(wireType, end);
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
  while (r.pos < stop) out.push(r.double(stop));
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
