/** Raised when stored bytes do not decode: the record is skipped and counted, never a crash. */
export class CorruptRecordError extends Error {
  override readonly name = 'CorruptRecordError';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads what {@link ProtoWriter} wrote (varints, little-endian doubles, length-prefixed strings).
 * Every read is bounds-checked and throws {@link CorruptRecordError}, because the bytes come from a
 * disk that may hand back anything after a crash.
 */
export class ByteReader {
  pos: number;
  private readonly view: DataView;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  /** A non-negative varint up to 2^53. */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new CorruptRecordError('varint too long');
  }

  /** A count of things, each taking at least `minBytes`: bounded by what is left, so a bad count cannot allocate gigabytes. */
  count(minBytes = 1): number {
    const n = this.varint();
    if (n * minBytes > this.remaining) throw new CorruptRecordError(`count ${n} exceeds the record`);
    return n;
  }

  double(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  string(): string {
    const n = this.count();
    const s = this.pos;
    this.pos += n;
    try {
      return utf8.decode(this.buf.subarray(s, s + n));
    } catch {
      throw new CorruptRecordError('invalid UTF-8');
    }
  }

  /** A copy, so a decoded value does not keep the whole segment buffer alive. */
  bytes(n: number): Uint8Array {
    this.need(n);
    // Not `slice`: on a Buffer that returns a view, and a Buffer rather than a Uint8Array.
    const out = new Uint8Array(n);
    out.set(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  float64Array(n: number): Float64Array {
    const out = new Float64Array(n);
    const src = this.view8(n * 8);
    if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(src);
    else for (let i = 0; i < n; i++) out[i] = dataView(src).getFloat64(8 * i, true);
    return out;
  }

  uint32Array(n: number): Uint32Array {
    const out = new Uint32Array(n);
    const src = this.view8(n * 4);
    if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(src);
    else for (let i = 0; i < n; i++) out[i] = dataView(src).getUint32(4 * i, true);
    return out;
  }

  private view8(n: number): Uint8Array {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new CorruptRecordError('record ends early');
  }
}

/** Typed arrays use the host's byte order; the files are little-endian, so bulk copies only on LE hosts. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function dataView(a: Uint8Array): DataView {
  return new DataView(a.buffer, a.byteOffset, a.byteLength);
}
