import type { ProtoWriter } from '../wire/proto-writer';
import { LITTLE_ENDIAN } from './byte-reader';

const encoder = new TextEncoder();

/** Length-prefixed UTF-8. */
export function writeString(w: ProtoWriter, s: string): void {
  // Short strings: encode straight into the buffer after a worst-case reservation.
  w.ensure(s.length * 3 + 5);
  const at = w.pos;
  const lenBytes = s.length * 3 < 0x80 ? 1 : 5;
  const { written } = encoder.encodeInto(s, w.buf.subarray(at + lenBytes));
  if (lenBytes === 1) {
    w.buf[at] = written;
    w.pos = at + 1 + written;
    return;
  }
  // Long strings: a fixed 5-byte varint keeps the bytes where they were encoded.
  let v = written;
  for (let i = 0; i < 4; i++, v = Math.floor(v / 128)) w.buf[at + i] = (v & 0x7f) | 0x80;
  w.buf[at + 4] = v;
  w.pos = at + 5 + written;
}

export function writeFloat64Array(w: ProtoWriter, a: Float64Array): void {
  if (LITTLE_ENDIAN) w.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  else for (let i = 0; i < a.length; i++) w.double(a[i]!);
}

export function writeUint32Array(w: ProtoWriter, a: Uint32Array): void {
  if (LITTLE_ENDIAN) return w.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  w.ensure(a.length * 4);
  const view = new DataView(w.buf.buffer);
  for (let i = 0; i < a.length; i++, w.pos += 4) view.setUint32(w.pos, a[i]!, true);
}
