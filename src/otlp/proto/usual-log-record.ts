import { sameBytes } from '../../wire/same-bytes';
import type { BufferWords } from '../../wire/string-cache';

/** Keys of a record as byte spans: this record's, filled here, and the previous record's, read. */
export interface KeySpans {
  readonly keyStart: Int32Array;
  readonly keyLen: Int32Array;
  readonly prevStart: Int32Array;
  readonly prevLen: Int32Array;
  /** How many of the previous record's keys passed the duplicate check (distinct from each other). */
  readonly prevKeys: number;
}

/** The fixed64 nanoseconds at `at` in milliseconds, with the reader's arithmetic. */
function fixed64Ms(view: DataView, at: number): number {
  return (view.getUint32(at + 4, true) * 4294967296 + view.getUint32(at, true)) / 1e6;
}

/**
 * Accepts a LogRecord of the usual layout in one pass over its bytes, or declines. Accepting means
 * every check of the reader passed: each field a known one with its wire type, tags and lengths of
 * one byte (two for long strings), strings valid UTF-8, attribute values strings, small integers
 * or booleans, keys distinct, timestamp present and not past `latestMs`. Anything else, valid or
 * not (other values, unknown fields, longer varints, any fault), declines:
 * the caller then reads the record the careful way, which decides and says why. So this function
 * needs no fault handling of its own, only to never accept what the reader refuses.
 *
 * Texts are not checked one by one: the bytes from a text field's tag to the end of the last text
 * field before a binary one (timestamps, ids, flags) form a run whose tags and one-byte lengths
 * are ASCII, and one check of the run checks all its strings at once (a word-at-a-time ASCII
 * scan, else node's UTF-8 validator). That is exact: every string in the run lies between ASCII
 * bytes, so a sequence cut short at a string's end, or a stray continuation byte at its start,
 * makes the run invalid as it makes the string invalid. A string after a two-byte length (a high
 * byte) is checked alone.
 *
 * Returns the number of attribute keys (written to `keys.keyStart/keyLen`), or -1 to decline.
 */
export function usualLogRecord(buf: Buffer, view: DataView, words: BufferWords, start: number, end: number, latestMs: number, keys: KeySpans): number {
  let pos = start;
  // Where the last time and observed time fields start (-1: none); converted once, at the end.
  let timeAt = -1;
  let observedAt = -1;
  let runStart = -1;
  let runEnd = 0;
  let n = 0;
  let sameKeys = true;
  const keyStart = keys.keyStart;
  const keyLen = keys.keyLen;
  const prevStart = keys.prevStart;
  const prevLen = keys.prevLen;
  const prevKeys = keys.prevKeys;
  while (pos < end) {
    const tag = buf[pos]!;
    if (tag === 0x32) {
      // An attribute, the most frequent field: key (field 1) then value (field 2), one-byte
      // lengths throughout, so all of it is part of the text run.
      if (pos + 2 > end) return -1;
      const len = buf[pos + 1]!;
      const data = pos + 2;
      const fieldEnd = data + len;
      if (len >= 0x80 || len < 4 || fieldEnd > end || buf[data] !== 0x0a) return -1;
      const kl = buf[data + 1]!;
      const k = data + 2;
      const v = k + kl + 2;
      if (kl >= 0x80 || v > fieldEnd || buf[v - 2] !== 0x12 || buf[v - 1]! >= 0x80 || v + buf[v - 1]! !== fieldEnd) return -1;
      const vl = fieldEnd - v;
      // A string with a one-byte length, or a one-byte int_value or bool_value.
      if (!(vl >= 2 && buf[v + 1]! < 0x80 && (buf[v] === 0x0a ? v + 2 + buf[v + 1]! === fieldEnd : vl === 2 && (buf[v] === 0x18 || buf[v] === 0x10)))) return -1;
      if (!(sameKeys && n < prevKeys && prevLen[n] === kl && sameBytes(view, prevStart[n]!, view, k, kl))) {
        sameKeys = false;
        for (let j = 0; j < n; j++) if (keyLen[j] === kl && sameBytes(view, keyStart[j]!, view, k, kl)) return -1;
      }
      if (n === keyStart.length) return -1;
      keyStart[n] = k;
      keyLen[n] = kl;
      n++;
      if (runStart < 0) runStart = pos;
      runEnd = fieldEnd;
      pos = fieldEnd;
      continue;
    }
    if (tag === 0x09 || tag === 0x59 || tag === 0x45) {
      // time, observed time (fixed64), flags (fixed32): binary, they end the run.
      const size = tag === 0x45 ? 4 : 8;
      if (pos + 1 + size > end) return -1;
      if (tag === 0x09) timeAt = pos + 1;
      else if (tag === 0x59) observedAt = pos + 1;
      if (runStart >= 0 && !words.validUtf8(runStart, runEnd)) return -1;
      runStart = -1;
      pos += 1 + size;
      continue;
    }
    if (tag === 0x10 || tag === 0x38) {
      // severity number, dropped attributes count: a one-byte varint is ASCII, part of a run.
      if (pos + 2 > end || buf[pos + 1]! >= 0x80) return -1;
      pos += 2;
      continue;
    }
    if (pos + 2 > end) return -1;
    let data = pos + 2;
    let len = buf[pos + 1]!;
    if (len >= 0x80) {
      if (data >= end || buf[data]! >= 0x80) return -1;
      len = (len & 0x7f) | (buf[data++]! << 7);
    }
    const fieldEnd = data + len;
    if (fieldEnd > end) return -1;
    // A string field with a two-byte length has a high byte before its text: its text is a run of its own.
    let textFrom = data - pos === 2 ? pos : -1;
    switch (tag) {
      case 0x1a: // severity_text
      case 0x62: // event_name
        if (textFrom < 0) textFrom = data;
        break;
      case 0x2a: { // body: an AnyValue holding one string
        if (len < 2 || buf[data] !== 0x0a) return -1;
        let s = data + 2;
        let sl = buf[data + 1]!;
        if (sl >= 0x80) {
          if (s >= fieldEnd || buf[s]! >= 0x80) return -1;
          sl = (sl & 0x7f) | (buf[s++]! << 7);
        }
        if (s + sl !== fieldEnd) return -1;
        if (textFrom < 0 || s - data > 2) textFrom = s;
        break;
      }
      case 0x4a: // trace_id
      case 0x52: // span_id
        textFrom = -1;
        break;
      default:
        return -1;
    }
    if (textFrom === pos && runStart >= 0) runEnd = fieldEnd; // the run goes on
    else {
      if (runStart >= 0 && !words.validUtf8(runStart, runEnd)) return -1;
      runStart = -1;
      if (textFrom === pos) {
        runStart = textFrom;
        runEnd = fieldEnd;
      } else if (textFrom >= 0 && !words.validUtf8(textFrom, fieldEnd)) return -1; // after a two-byte length: alone
    }
    pos = fieldEnd;
  }
  // As the reader: the time, else the observed time; none (or zero) is refused, as is the future.
  let timestampMs = timeAt < 0 ? 0 : fixed64Ms(view, timeAt);
  if (timestampMs === 0) timestampMs = observedAt < 0 ? 0 : fixed64Ms(view, observedAt);
  if (timestampMs === 0 || timestampMs > latestMs) return -1;
  if (runStart >= 0 && !words.validUtf8(runStart, runEnd)) return -1;
  return n;
}
