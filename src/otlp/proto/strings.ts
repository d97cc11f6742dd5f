import { cachedHex, cachedUtf8, utf8 } from '../../wire/string-cache';
import { ItemFault } from '../item-fault';

interface FastSlices {
  latin1Slice(start: number, end: number): string;
}

/**
 * Decodes bytes [start, end) as a string, refusing invalid UTF-8 (protobuf `string` must be
 * valid). For values that rarely repeat (bodies, request ids): no cache lookup.
 */
export function utf8String(buf: Buffer, view: DataView, start: number, end: number): string {
  const s = utf8(buf, view, start, end);
  if (s === undefined) throw new ItemFault('invalid_utf8');
  return s;
}

/**
 * {@link utf8String} for strings that repeat (attribute keys, low-cardinality values, severity
 * texts, metric names): short ones come from the shared cache of decoded strings, so the same
 * bytes give the same string object without decoding (see src/wire/string-cache).
 */
export function repeatedString(buf: Buffer, view: DataView, start: number, end: number): string {
  const s = cachedUtf8(buf, view, start, end);
  if (s === undefined) throw new ItemFault('invalid_utf8');
  return s;
}

/** Bytes [start, end) as a one-byte string: a cheap, exact Map key for raw bytes. */
export function bytesKey(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as FastSlices).latin1Slice(start, end);
}

/** Lower-case hex of bytes [start, end) (trace and span ids); repeated ids come from a cache. */
export function hexString(buf: Buffer, view: DataView, start: number, end: number): string {
  return cachedHex(buf, view, start, end);
}
