import { isAscii, isUtf8 } from 'node:buffer';

/**
 * Decoding of protobuf `string` bytes (and hex ids), shared by the OTLP decoders and the nissa
 * codec. Invalid UTF-8 is never substituted: the functions return `undefined` and the caller
 * refuses the item with its own error.
 *
 * Telemetry repeats the same short strings in every item (topics, event types, attribute keys,
 * service names, severity texts) and the same ids in consecutive records (records of one span).
 * A {@link ByteStringCache} returns the string made earlier from the same bytes, compared word for
 * word, so a repeat costs a hash over a few 32-bit words: no decode, no allocation, no validation
 * (the cached bytes were validated when first seen). Keys then stay the same (internalized)
 * string object, so V8 also skips re-hashing property names.
 */
interface FastSlices {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
}

/** Longest byte run kept in a cache; longer ones are decoded every time. */
export const MAX_CACHED_BYTES = 32;

const WORDS = MAX_CACHED_BYTES / 4;
/** The words of the bytes being looked up, filled by the hash pass and reused by the compare. */
const scratch = new Int32Array(WORDS);

/** Strings up to this length have their ASCII-ness checked in JS (no view made); longer ones by node (simdutf). */
const JS_ASCII_CHECK = 128;

/**
 * A direct-mapped table of strings by their bytes (a slot per hash, a newcomer replaces the
 * occupant): bounded by construction, no eviction pass, no allocation on a miss beyond the string.
 */
export class ByteStringCache {
  private readonly mask: number;
  private readonly lengths: Int32Array;
  private readonly words: Int32Array;
  private readonly values: string[];

  /** `hex`: the strings are the lower-case hex of the bytes (ids) rather than their UTF-8 text. */
  constructor(slots: number, private readonly hex: boolean) {
    if ((slots & (slots - 1)) !== 0) throw new Error('slots must be a power of two');
    this.mask = slots - 1;
    this.lengths = new Int32Array(slots).fill(-1);
    this.words = new Int32Array(slots * WORDS);
    this.values = new Array<string>(slots).fill('');
  }

  /**
   * The string of bytes [start, end) of `buf` (`view` covers the same bytes), from the cache when
   * at most {@link MAX_CACHED_BYTES} long; `undefined` when a UTF-8 cache meets invalid UTF-8.
   */
  get(buf: Buffer, view: DataView, start: number, end: number): string | undefined {
    const len = end - start;
    if (len > MAX_CACHED_BYTES) return this.hex ? hexOf(buf, start, end) : utf8(buf, view, start, end);
    if (len <= 0) return '';
    // One pass: the words into `scratch`, their FNV-style hash, and whether any byte is >= 0x80.
    let h = len;
    let high = 0;
    let i = 0;
    let w = 0;
    for (; i + 4 <= len; i += 4) {
      const word = view.getInt32(start + i, true);
      scratch[w++] = word;
      high |= word;
      h = Math.imul(h ^ word, 0x01000193);
    }
    if (i < len) {
      let word = 0;
      // The tail: the last four bytes as one word, overlapping the previous one (with the length,
      // the words still tell every byte string apart); shorter strings byte by byte.
      if (len >= 4) word = view.getInt32(end - 4, true);
      else for (let shift = 0; i < len; i++, shift += 8) word |= view.getUint8(start + i) << shift;
      scratch[w++] = word;
      high |= word;
      h = Math.imul(h ^ word, 0x01000193);
    }
    const slot = (h ^ (h >>> 15)) & this.mask;
    const base = slot * WORDS;
    const words = this.words;
    if (this.lengths[slot] === len) {
      let k = 0;
      while (k < w && words[base + k] === scratch[k]) k++;
      if (k === w) return this.values[slot];
    }
    let value: string;
    if (this.hex) value = hexOf(buf, start, end);
    else if ((high & 0x80808080) === 0) value = asciiOf(buf, start, end);
    else if (isUtf8(buf.subarray(start, end))) value = (buf as unknown as FastSlices).utf8Slice(start, end);
    else return undefined;
    this.lengths[slot] = len;
    for (let k = 0; k < w; k++) words[base + k] = scratch[k]!;
    this.values[slot] = value;
    return value;
  }
}

/** One cache per process for UTF-8 strings: the same keys and values recur across requests and receivers. */
const utf8Strings = new ByteStringCache(4096, false);

/**
 * Ids (trace, span): records of a span or trace carry the same bytes. Smaller: unique ids pass
 * through it without evicting much worth keeping.
 */
const hexIds = new ByteStringCache(1024, true);

/** ASCII codes of the high and low hex digit of each byte value. */
const HEX_HIGH = new Uint8Array(256);
const HEX_LOW = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  HEX_HIGH[b] = '0123456789abcdef'.charCodeAt(b >> 4);
  HEX_LOW[b] = '0123456789abcdef'.charCodeAt(b & 15);
}

/**
 * The string of ASCII bytes [start, end). Short ones are built in JS: String.fromCharCode with a
 * fixed count of arguments costs about a third of a native latin1Slice call.
 */
function asciiOf(b: Buffer, p: number, end: number): string {
  switch (end - p) {
    case 1: return String.fromCharCode(b[p]!);
    case 2: return String.fromCharCode(b[p]!, b[p + 1]!);
    case 3: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!);
    case 4: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!);
    case 5: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!);
    case 6: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!);
    case 7: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!);
    case 8: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!);
    case 9: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!);
    case 10: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!);
    case 11: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!);
    case 12: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!);
    default: return (b as unknown as FastSlices).latin1Slice(p, end);
  }
}

/**
 * Lower-case hex of bytes [start, end). Span (8 bytes) and trace (16 bytes) ids are built in JS:
 * one String.fromCharCode costs about 60% of a native hexSlice call, whose binding dominates for
 * so few bytes.
 */
function hexOf(buf: Buffer, start: number, end: number): string {
  const b = buf;
  const p = start;
  const h = HEX_HIGH;
  const l = HEX_LOW;
  if (end - start === 8) {
    return String.fromCharCode(h[b[p]!]!, l[b[p]!]!, h[b[p + 1]!]!, l[b[p + 1]!]!, h[b[p + 2]!]!, l[b[p + 2]!]!, h[b[p + 3]!]!, l[b[p + 3]!]!, h[b[p + 4]!]!, l[b[p + 4]!]!, h[b[p + 5]!]!, l[b[p + 5]!]!, h[b[p + 6]!]!, l[b[p + 6]!]!, h[b[p + 7]!]!, l[b[p + 7]!]!);
  }
  if (end - start === 16) {
    return (
      String.fromCharCode(h[b[p]!]!, l[b[p]!]!, h[b[p + 1]!]!, l[b[p + 1]!]!, h[b[p + 2]!]!, l[b[p + 2]!]!, h[b[p + 3]!]!, l[b[p + 3]!]!, h[b[p + 4]!]!, l[b[p + 4]!]!, h[b[p + 5]!]!, l[b[p + 5]!]!, h[b[p + 6]!]!, l[b[p + 6]!]!, h[b[p + 7]!]!, l[b[p + 7]!]!,
        h[b[p + 8]!]!, l[b[p + 8]!]!, h[b[p + 9]!]!, l[b[p + 9]!]!, h[b[p + 10]!]!, l[b[p + 10]!]!, h[b[p + 11]!]!, l[b[p + 11]!]!, h[b[p + 12]!]!, l[b[p + 12]!]!, h[b[p + 13]!]!, l[b[p + 13]!]!, h[b[p + 14]!]!, l[b[p + 14]!]!, h[b[p + 15]!]!, l[b[p + 15]!]!)
    );
  }
  return (buf as unknown as FastSlices).hexSlice(start, end);
}

/** The string of UTF-8 bytes [start, end), through the shared cache; `undefined` when not valid UTF-8. */
export function cachedUtf8(buf: Buffer, view: DataView, start: number, end: number): string | undefined {
  return utf8Strings.get(buf, view, start, end);
}

/** Lower-case hex of bytes [start, end) (trace and span ids), through the shared id cache. */
export function cachedHex(buf: Buffer, view: DataView, start: number, end: number): string {
  return hexIds.get(buf, view, start, end)!;
}

/**
 * The string of UTF-8 bytes [start, end) without the cache (unique values: request ids, bodies);
 * `undefined` when not valid UTF-8. ASCII, the common case, is sliced as latin1 (the same string,
 * cheaper than a UTF-8 decode).
 */
export function utf8(buf: Buffer, view: DataView, start: number, end: number): string | undefined {
  const len = end - start;
  if (len <= 0) return '';
  if (len <= JS_ASCII_CHECK ? asciiRun(view, start, end) : isAscii(buf.subarray(start, end))) return (buf as unknown as FastSlices).latin1Slice(start, end);
  if (!isUtf8(buf.subarray(start, end))) return undefined;
  return (buf as unknown as FastSlices).utf8Slice(start, end);
}

/** True when bytes [start, end) are all ASCII (checked four at a time). */
function asciiRun(view: DataView, start: number, end: number): boolean {
  let i = start;
  for (; i + 4 <= end; i += 4) if (view.getInt32(i) & 0x80808080) return false;
  for (; i < end; i++) if (view.getUint8(i) & 0x80) return false;
  return true;
}

/**
 * Where the string of an AnyValue (OTLP's and Nissa's share the layout: field 1 `string_value`)
 * spanning [pos, end) starts, when the value is only a string under 128 bytes (tag 0x0a, a
 * one-byte length, the string up to `end`): the common attribute value, which callers then read
 * without their general AnyValue decoder. -1 for any other shape (the general decoder's case).
 */
export function soleStringStart(buf: Buffer, pos: number, end: number): number {
  if (end - pos < 2 || buf[pos] !== 0x0a) return -1;
  const len = buf[pos + 1]!;
  return len < 0x80 && pos + 2 + len === end ? pos + 2 : -1; // else a longer length varint, or more fields
}

/**
 * Word-at-a-time scans over one buffer (a request body), made once per request. An Int32Array
 * over the buffer's 4-byte-aligned words is several times faster than byte or DataView loops,
 * which matters for the one scan every unique string needs: is it ASCII (then a latin1 slice is
 * its exact, cheapest decode)?
 */
export class BufferWords {
  private readonly words: Int32Array;
  /** How far the buffer's first byte lies past the first aligned word. */
  private readonly shift: number;

  constructor(private readonly buf: Buffer) {
    const base = buf.byteOffset & ~3;
    this.shift = buf.byteOffset - base;
    this.words = new Int32Array(buf.buffer, base, (this.shift + buf.byteLength) >>> 2);
  }

  /** True when bytes [start, end) are all below 0x80. */
  isAscii(start: number, end: number): boolean {
    const buf = this.buf;
    const shift = this.shift;
    const first = (start + shift + 3) >>> 2; // first whole word inside the range
    const last = (end + shift) >>> 2; // one past the last whole word
    let acc = 0;
    if (last - first < 2) {
      for (let i = start; i < end; i++) acc |= buf[i]!;
      return acc < 0x80;
    }
    for (let i = start; i < first * 4 - shift; i++) acc |= buf[i]!;
    const words = this.words;
    let k = first;
    for (; k + 3 < last; k += 4) acc |= words[k]! | words[k + 1]! | words[k + 2]! | words[k + 3]!;
    for (; k < last; k++) acc |= words[k]!;
    for (let i = last * 4 - shift; i < end; i++) acc |= buf[i]!;
    return (acc & 0x80808080) === 0;
  }

  /** True when bytes [start, end) are valid UTF-8, without making a string. */
  validUtf8(start: number, end: number): boolean {
    return this.isAscii(start, end) || isUtf8(this.buf.subarray(start, end));
  }

  /**
   * The string of UTF-8 bytes [start, end) without the cache (bodies, unique ids); `undefined`
   * when not valid UTF-8. The same result as {@link utf8}, with the faster ASCII scan.
   */
  utf8(start: number, end: number): string | undefined {
    const buf = this.buf as Buffer & FastSlices;
    if (this.isAscii(start, end)) return buf.latin1Slice(start, end);
    return isUtf8(buf.subarray(start, end)) ? buf.utf8Slice(start, end) : undefined;
  }
}
