import { isUtf8 } from 'node:buffer';
import { ItemFault } from '../item-fault';

interface FastSlices {
  latin1Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
}

/** Strings up to this many bytes are looked up in {@link shortStrings} instead of being decoded again. */
const SHORT = 24;
const MAX_SHORT_STRINGS = 8192;

interface ShortString {
  readonly bytes: DataView;
  readonly value: string;
}

/**
 * Attribute keys and low-cardinality values repeat in every record. Returning the same string
 * object for the same bytes saves the decode and, for keys, lets V8 reuse the internalized
 * property name (objects built with the same keys then share hidden classes).
 */
const shortStrings = new Map<number, ShortString>();

/** FNV-style hash over 32-bit words (byte loops cost several times more). */
function shortHash(view: DataView, start: number, len: number): number {
  let h = len;
  let i = 0;
  for (; i + 4 <= len; i += 4) h = Math.imul(h ^ view.getInt32(start + i), 0x01000193);
  for (; i < len; i++) h = Math.imul(h ^ view.getUint8(start + i), 0x01000193);
  return h;
}

/** True when bytes [start, end) are all ASCII (checked four at a time). */
function isAscii(view: DataView, start: number, end: number): boolean {
  let i = start;
  for (; i + 4 <= end; i += 4) if (view.getInt32(i) & 0x80808080) return false;
  for (; i < end; i++) if (view.getUint8(i) & 0x80) return false;
  return true;
}

/**
 * Decodes bytes [start, end) as a string, refusing invalid UTF-8 (protobuf `string` must be
 * valid). ASCII, the common case, is checked in JS and sliced as latin1 (the same string, cheaper);
 * anything else is checked by node's simdutf.
 */
export function utf8String(buf: Buffer, view: DataView, start: number, end: number): string {
  return end === start ? '' : decode(buf, view, start, end);
}

/**
 * {@link utf8String} for strings that repeat (attribute keys, severity texts, metric names):
 * short ones come from a small cache keyed by their bytes, so the same bytes give the same string
 * object without decoding, and V8 reuses the internalized property name when it is a key (objects
 * built with the same keys then share hidden classes). Unique values would only churn the cache.
 */
export function repeatedString(buf: Buffer, view: DataView, start: number, end: number): string {
  const len = end - start;
  if (len === 0) return '';
  if (len > SHORT) return decode(buf, view, start, end);
  const h = shortHash(view, start, len);
  const hit = shortStrings.get(h);
  if (hit !== undefined && sameBytes(hit.bytes, view, start, len)) return hit.value;
  const value = decode(buf, view, start, end);
  if (shortStrings.size >= MAX_SHORT_STRINGS) shortStrings.clear();
  const copy = buf.slice(start, end);
  shortStrings.set(h, { bytes: new DataView(copy.buffer, copy.byteOffset, len), value });
  return value;
}

function sameBytes(a: DataView, view: DataView, start: number, len: number): boolean {
  if (a.byteLength !== len) return false;
  let i = 0;
  for (; i + 4 <= len; i += 4) if (a.getInt32(i) !== view.getInt32(start + i)) return false;
  for (; i < len; i++) if (a.getUint8(i) !== view.getUint8(start + i)) return false;
  return true;
}

function decode(buf: Buffer, view: DataView, start: number, end: number): string {
  if (isAscii(view, start, end)) return (buf as unknown as FastSlices).latin1Slice(start, end);
  if (!isUtf8(buf.subarray(start, end))) throw new ItemFault('invalid_utf8');
  return buf.toString('utf8', start, end);
}

/** Bytes [start, end) as a one-byte string: a cheap, exact Map key for raw bytes. */
export function bytesKey(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as FastSlices).latin1Slice(start, end);
}

/** Lower-case hex of bytes [start, end) (trace and span ids). */
export function hexString(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as FastSlices).hexSlice(start, end);
}
