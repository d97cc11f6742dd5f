/**
 * A growable byte buffer for hand-written protobuf encoding. One instance is reused request after
 * request, so steady-state encoding allocates nothing but the occasional growth.
 */
export class ByteWriter {
  buf: Uint8Array;
  private view: DataView;
  pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = new Uint8Array(initialBytes);
    this.view = new DataView(this.buf.buffer);
  }

  reset(): void {
    this.pos = 0;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  /** A non-negative integer up to 2^53 as a varint; negative values as 10-byte two's complement (int64). */
  varint(v: number): void {
    this.ensure(10);
    if (v < 0) return this.negativeVarint(v);
    const b = this.buf;
    let p = this.pos;
    while (v > 0x7f) {
      // `& 0x7f` is exact for integers up to 2^53: ToInt32 keeps the low bits.
      b[p++] = (v & 0x7f) | 0x80;
      v = v > 0xffffffff ? Math.floor(v / 128) : v >>> 7;
    }
    b[p++] = v;
    this.pos = p;
  }

  /** Little-endian IEEE 754 double (protobuf `double`, wire type 1). */
  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** A string as UTF-8; `byteLength` is its encoded length (the caller computed it for a length prefix). */
  utf8(s: string, byteLength: number): void {
    this.ensure(byteLength);
    Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.length).write(s, this.pos, byteLength, 'utf8');
    this.pos += byteLength;
  }

  /** The bytes written so far (a view, valid until the next write). */
  written(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  private negativeVarint(v: number): void {
    let u = BigInt.asUintN(64, BigInt(Math.trunc(v)));
    for (let i = 0; i < 9; i++) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }
}

/** Bytes taken by `varint(v)`. */
export function varintSize(v: number): number {
  if (v < 0) return 10;
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  if (v < 0x800000000) return 5;
  if (v < 0x40000000000) return 6;
  if (v < 0x2000000000000) return 7;
  return 8;
}
