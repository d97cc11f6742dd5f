import { isUtf8 } from 'node:buffer';
import { ItemFault } from '../item-fault';

interface FastSlices {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

/**
 * Decodes bytes [start, end) as a string, refusing invalid UTF-8 (protobuf `string` must be valid).
 * Short ASCII strings, the common case, are checked with a loop; the rest with node's simdutf.
 */
export function utf8String(buf: Buffer, start: number, end: number): string {
  if (end - start <= 64) {
    let i = start;
    while (i < end && buf[i]! < 0x80) i++;
    if (i < end && !isUtf8(buf.subarray(start, end))) throw new ItemFault('invalid_utf8');
  } else if (!isUtf8(buf.subarray(start, end))) throw new ItemFault('invalid_utf8');
  return (buf as unknown as FastSlices).utf8Slice(start, end);
}

/** Bytes [start, end) as a one-byte string: a cheap, exact Map key for raw bytes. */
export function bytesKey(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as FastSlices).latin1Slice(start, end);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of bytes [start, end) (trace and span ids). */
export function hexString(buf: Buffer, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += HEX[buf[i]!];
  return s;
}
