import { PermanentError } from '../../api';

/** A cursor over protobuf bytes; every read checks bounds and throws PermanentError on malformed input. */
export class ProtoReader {
  buf: Buffer;
  pos = 0;

  constructor(buf: Buffer) {
    this.buf = buf;
  }

  /** A varint up to 2^53 (more bits lose precision; 10-byte negatives go through BigInt). */
  varint(end: number): number {
    const buf = this.buf;
    let p = this.pos;
    if (p >= end) throw malformed('truncated varint');
    let b = buf[p++]!;
    if (b < 0x80) {
      this.pos = p;
      return b;
    }
    let v = b & 0x7f;
    let mul = 128;
    for (let i = 1; i < 10; i++) {
      if (p >= end) throw malformed('truncated varint');
      b = buf[p++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = p;
        return i === 9 ? this.negative(p - 10) : v;
      }
      mul *= 128;
    }
    throw malformed('varint longer than 10 bytes');
  }

  /** Skips a field of the given wire type (after its tag). */
  skip(wireType: number, end: number): void {
    switch (wireType) {
      case 0:
        this.varint(end);
        return;
      case 1:
        this.pos += 8;
        break;
      case 2: {
        // Read the length first: `this.pos += this.varint()` would add to the old position.
        const len = this.varint(end);
        this.pos += len;
        break;
      }
      case 5:
        this.pos += 4;
        break;
      default:
        throw malformed(`unsupported wire type ${wireType}`);
    }
    if (this.pos > end) throw malformed('field runs past its message');
  }

  /**
   * Skips fields up to the next length-delimited field with `tag` and returns that field's end
   * (its value starts at `pos`), or -1 once `end` is reached.
   */
  nextDelimited(tag: number, end: number): number {
    while (this.pos < end) {
      const t = this.varint(end);
      if (t === tag) return this.delimitedEnd(end);
      this.skip(t & 7, end);
    }
    return -1;
  }

  /** Reads a length prefix and returns the end offset of the delimited field. */
  delimitedEnd(end: number): number {
    const len = this.varint(end);
    const stop = this.pos + len;
    if (stop > end) throw malformed('length-delimited field runs past its message');
    return stop;
  }

  private negative(start: number): number {
    let u = 0n;
    for (let i = 9; i >= 0; i--) u = (u << 7n) | BigInt(this.buf[start + i]! & 0x7f);
    return Number(BigInt.asIntN(64, u));
  }
}

export function malformed(reason: string): PermanentError {
  return new PermanentError(`malformed remote write request: ${reason}`);
}
