/**
 * A minimal bounds-checked protobuf wire reader over one Buffer, shared by the OTLP decoders and
 * the nissa codec. Nested messages do not get their own reader: callers pass the `end` offset of
 * the message they are in, every length prefix is checked against it (so a lying length can never
 * read past its parent), varints are bounded to 10 bytes and groups (wire types 3, 4) are refused.
 *
 * Structural faults throw the error made by the reader's {@link FaultFactory}: by default a
 * {@link WireError}; a codec with its own error type and wording passes its own factory, which is
 * only ever called on the (cold) fault path.
 */
export type WireFault = 'truncated' | 'wrong_wire_type' | 'length_past_end' | 'varint_too_long' | 'invalid_wire_type';

/**
 * Makes the error thrown for a fault at byte `offset`. `subject` says what was being read: for
 * `truncated` the primitive ('varint', 'fixed64', 'fixed32', 'double'), for `invalid_wire_type`
 * the wire type; otherwise ''.
 */
export type FaultFactory = (fault: WireFault, offset: number, subject: string | number) => Error;

export class WireError extends Error {
  constructor(readonly fault: WireFault, readonly offset: number) {
    super(`malformed protobuf: ${fault.replace(/_/g, ' ')} at byte ${offset}`);
    this.name = 'WireError';
  }
}

const wireError: FaultFactory = (fault, offset) => new WireError(fault, offset);

export const WT_VARINT = 0;
export const WT_I64 = 1;
export const WT_LEN = 2;
export const WT_I32 = 5;

const TWO_32 = 4294967296;

export class WireReader {
  pos = 0;
  /** The same bytes as {@link buf}, for unaligned 32/64-bit reads (TurboFan inlines DataView access). */
  readonly view: DataView;

  /** End of the outermost message (the whole buffer). */
  readonly len: number;

  constructor(readonly buf: Buffer, private readonly fail: FaultFactory = wireError) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.len = buf.length;
  }

  /** Reads a varint that must fit 32 bits unsigned (tags, lengths, enums, flags); higher bits are dropped. */
  uint32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= end) throw this.fail('truncated', pos, 'varint');
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let value = b & 0x7f;
    for (let shift = 7; shift < 35; shift += 7) {
      if (pos >= end) throw this.fail('truncated', pos, 'varint');
      b = buf[pos++]!;
      value |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    // Bits above 32 (a negative int32 takes 10 bytes): consume, bounded to 10 bytes in all.
    for (let i = 5; i < 10; i++) {
      if (pos >= end) throw this.fail('truncated', pos, 'varint');
      if (buf[pos++]! < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    throw this.fail('varint_too_long', this.pos, '');
  }

  /**
   * {@link uint32} at `pos` (< `end`), for loops that keep their position in a local: a one-byte
   * varint (every tag of a small field number) is read in place. Leaves `this.pos` after it.
   */
  uint32At(pos: number, end: number): number {
    const b = this.buf[pos]!;
    if (b < 0x80) {
      this.pos = pos + 1;
      return b;
    }
    this.pos = pos;
    return this.uint32(end);
  }

  /**
   * Skips fields up to the next one with `tag` (length-delimited), checking the others against
   * `known` (see {@link skipUnknown}); returns that field's end with `pos` at its data, or -1 once
   * `end` is reached. The loop over a message's repeated field.
   */
  nextDelimited(tag: number, known: Int8Array, end: number): number {
    while (this.pos < end) {
      const t = this.uint32(end);
      if (t === tag) return this.lengthEnd(end);
      this.skipUnknown(t, known, end);
    }
    return -1;
  }

  /** Reads a 64-bit varint as [lo, hi] halves into `out`. */
  varint64(end: number, out: Uint32Array): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw this.fail('truncated', pos, 'varint');
      const b = buf[pos++]!;
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) {
        this.pos = pos;
        out[0] = lo;
        out[1] = hi;
        return;
      }
    }
    throw this.fail('varint_too_long', this.pos, '');
  }

  /** An unsigned 64-bit varint as the closest double. */
  uint64Number(end: number): number {
    this.varint64(end, halves);
    return halves[1]! * TWO_32 + halves[0]!;
  }

  /**
   * A 64-bit varint as a JS number, negatives as int64 two's complement. Exact up to 2^53; no Long
   * object is made, which keeps metric decoding allocation-free.
   */
  int64Number(end: number): number {
    this.varint64(end, halves);
    const lo = halves[0]!;
    const hi = halves[1]!;
    return hi & 0x80000000 ? -((~hi >>> 0) * TWO_32 + (~lo >>> 0) + 1) : hi * TWO_32 + lo;
  }

  /** A 64-bit varint as a signed bigint, for int64 values that may exceed 2^53. */
  int64Big(end: number): bigint {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw this.fail('truncated', pos, 'varint');
      const b = buf[pos++]!;
      value |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) {
        this.pos = pos;
        return BigInt.asIntN(64, value);
      }
    }
    throw this.fail('varint_too_long', this.pos, '');
  }

  /** A zigzag-encoded sint32. */
  sint32(end: number): number {
    const n = this.uint32(end);
    return (n >>> 1) ^ -(n & 1);
  }

  /** Reads a little-endian fixed64 as an unsigned double (exact below 2^53). */
  fixed64(end: number): number {
    const pos = this.pos;
    if (pos + 8 > end) throw this.fail('truncated', pos, 'fixed64');
    this.pos = pos + 8;
    return this.view.getUint32(pos + 4, true) * TWO_32 + this.view.getUint32(pos, true);
  }

  /** Reads a little-endian sfixed64 as the closest double. */
  sfixed64(end: number): number {
    const pos = this.pos;
    if (pos + 8 > end) throw this.fail('truncated', pos, 'fixed64');
    this.pos = pos + 8;
    return this.view.getInt32(pos + 4, true) * TWO_32 + this.view.getUint32(pos, true);
  }

  double(end: number): number {
    const pos = this.pos;
    if (pos + 8 > end) throw this.fail('truncated', pos, 'double');
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  /** Reads a length prefix and returns the end offset of the field, checked against `end`. */
  lengthEnd(end: number): number {
    const len = this.uint32(end);
    const fieldEnd = this.pos + len;
    if (fieldEnd > end) throw this.fail('length_past_end', this.pos, '');
    return fieldEnd;
  }

  /** Skips a field of an unknown number, by wire type. Groups (3, 4) and types 6, 7 are refused. */
  skip(wireType: number, end: number): void {
    switch (wireType) {
      case WT_VARINT:
        this.varint64(end, halves);
        return;
      case WT_I64:
        if (this.pos + 8 > end) throw this.fail('truncated', this.pos, 'fixed64');
        this.pos += 8;
        return;
      case WT_LEN:
        this.pos = this.lengthEnd(end);
        return;
      case WT_I32:
        if (this.pos + 4 > end) throw this.fail('truncated', this.pos, 'fixed32');
        this.pos += 4;
        return;
      default:
        throw this.fail('invalid_wire_type', this.pos, wireType);
    }
  }

  /**
   * Skips a field the call site does not read. `expected` gives each field number of the message
   * its wire type (see {@link fieldTypes}); a known number with another wire type is a fault.
   */
  skipUnknown(tag: number, expected: Int8Array, end: number): void {
    const field = tag >>> 3;
    if (field === 0) throw this.fail('invalid_wire_type', this.pos, tag & 7);
    if (field < expected.length && expected[field]! >= 0 && expected[field] !== (tag & 7)) throw this.fail('wrong_wire_type', this.pos, '');
    this.skip(tag & 7, end);
  }
}

const halves = new Uint32Array(2);

/** Expected wire type by field number, for {@link WireReader.skipUnknown} (unlisted numbers: -1, anything goes). */
export function fieldTypes(spec: Record<number, number>): Int8Array {
  const max = Math.max(...Object.keys(spec).map(Number));
  const out = new Int8Array(max + 1).fill(-1);
  for (const [field, wt] of Object.entries(spec)) out[Number(field)] = wt;
  return out;
}
