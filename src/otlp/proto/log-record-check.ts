import { ItemFault } from '../item-fault';
import { readAnyValue } from './any-value';
import { LOG_RECORD_FIELDS } from './log-record-reader';
import { sameBytes } from '../../wire/same-bytes';
import { BufferWords } from '../../wire/string-cache';
import { fieldTypes, type WireReader } from '../../wire/wire-reader';
import { usualLogRecord } from './usual-log-record';

const KV_FIELDS = fieldTypes({ 1: 2, 2: 2 });

function doubled(a: Int32Array): Int32Array {
  const out = new Int32Array(a.length * 2);
  out.set(a);
  return out;
}

/**
 * Validates LogRecords without building them: every check {@link LogRecordReader} makes, with the
 * same refusals for the same bytes, but no event, attribute object or string is made (except for
 * the rare values read the general way, below).
 *
 * A record of the usual layout is accepted in one pass by {@link usualLogRecord}. Any other, valid
 * or not, is read here field by field in the reader's order, each string checked where it is read,
 * so the first fault met is the reader's and refusals and their reasons are the reader's.
 *
 * Attribute keys are compared as bytes (equal strings have equal UTF-8 bytes): a record whose keys
 * are the previous record's, in order, skips the duplicate check, as the reader does with its
 * shapes. Values other than strings, small integers and booleans (arrays, maps, bytes, doubles)
 * are rare: they are checked by reading them as the reader does.
 */
export class LogRecordCheck {
  private readonly buf: Buffer;
  private readonly view: DataView;
  private readonly words: BufferWords;
  /** This record's attribute keys as byte spans, and how many passed the duplicate check. */
  keyStart: Int32Array = new Int32Array(16);
  keyLen: Int32Array = new Int32Array(16);
  private keys = 0;
  /** The same of the previous record: its first `prevKeys` keys are distinct. */
  prevStart: Int32Array = new Int32Array(16);
  prevLen: Int32Array = new Int32Array(16);
  prevKeys = 0;
  /** Where the data of the field {@link fieldEnd} last read starts. */
  private data = 0;

  constructor(private readonly r: WireReader) {
    this.buf = r.buf;
    this.view = r.view;
    this.words = new BufferWords(r.buf);
  }

  /** Checks the LogRecord spanning [r.pos, end); throws ItemFault when the reader would refuse it. */
  check(end: number, latestMs: number): void {
    this.startRecord();
    const start = this.r.pos;
    const keys = usualLogRecord(this.buf, this.view, this.words, start, end, latestMs, this);
    if (keys >= 0) {
      this.keys = keys;
      return;
    }
    this.keys = 0;
    const timestampMs = this.read(start, end);
    // Last, as the reader checks them: every field was read and found valid.
    if (timestampMs === 0) throw new ItemFault('zero_timestamp');
    if (timestampMs > latestMs) throw new ItemFault('future_timestamp');
  }

  /** Reads the record's fields as the reader does; returns its timestamp (ms), 0 when it has none. */
  private read(start: number, end: number): number {
    const r = this.r;
    const buf = this.buf;
    let pos = start;
    let timeMs = 0;
    let observedMs = 0;
    let sameKeys = true;
    // Tags and lengths of one byte are read in place; anything else goes through the reader,
    // which also makes every structural fault the one the reader makes.
    while (pos < end) {
      const tag = r.uint32At(pos, end);
      pos = r.pos;
      switch (tag) {
        case 0x09: timeMs = this.fixed64(pos, end) / 1e6; pos += 8; break;
        case 0x59: observedMs = this.fixed64(pos, end) / 1e6; pos += 8; break;
        case 0x10: // severity_number
          if (pos < end && buf[pos]! < 0x80) pos++;
          else {
            r.pos = pos;
            r.uint32(end);
            pos = r.pos;
          }
          break;
        case 0x1a: // severity_text
        case 0x62: { // event_name
          const e = this.fieldEnd(pos, end);
          this.utf8(this.data, e);
          pos = e;
          break;
        }
        case 0x2a: { const e = this.fieldEnd(pos, end); this.value(this.data, e); pos = e; break; }
        case 0x32: { const e = this.fieldEnd(pos, end); sameKeys = this.attribute(this.data, e, sameKeys); pos = e; break; }
        // trace_id, span_id: any bytes (they become hex).
        case 0x4a: case 0x52: pos = this.fieldEnd(pos, end); break;
        default:
          r.pos = pos;
          r.skipUnknown(tag, LOG_RECORD_FIELDS, end);
          pos = r.pos;
      }
    }
    return timeMs !== 0 ? timeMs : observedMs;
  }

  /**
   * The end of the length-delimited field whose length starts at `pos`, checked against `end`;
   * its data starts at {@link data}.
   */
  private fieldEnd(pos: number, end: number): number {
    if (pos < end) {
      const len = this.buf[pos]!;
      if (len < 0x80 && pos + 1 + len <= end) {
        this.data = pos + 1;
        return pos + 1 + len;
      }
    }
    const r = this.r;
    r.pos = pos;
    const e = r.lengthEnd(end);
    this.data = r.pos;
    return e;
  }

  /** The fixed64 at `pos` as a double (the reader's arithmetic, and its fault past `end`). */
  private fixed64(pos: number, end: number): number {
    if (pos + 8 > end) {
      this.r.pos = pos;
      this.r.fixed64(end);
    }
    return this.view.getUint32(pos + 4, true) * 4294967296 + this.view.getUint32(pos, true);
  }

  /** The previous record's checked keys become the ones to compare with. */
  private startRecord(): void {
    const start = this.prevStart;
    const len = this.prevLen;
    this.prevStart = this.keyStart;
    this.prevLen = this.keyLen;
    this.prevKeys = this.keys;
    this.keyStart = start;
    this.keyLen = len;
    this.keys = 0;
  }

  /**
   * The KeyValue spanning [start, end): key (the last one, as the reader keeps it) and value
   * valid, key not seen before in this record. Returns whether the keys so far are still the
   * previous record's, in order.
   */
  private attribute(start: number, end: number, sameKeys: boolean): boolean {
    const buf = this.buf;
    let keyStart = start + 2;
    let keyEnd = keyStart + buf[start + 1]!;
    // The usual layout: key (field 1) then value (field 2), each with a one-byte length.
    if (end - start >= 4 && buf[start] === 0x0a && buf[start + 1]! < 0x80 && keyEnd + 2 <= end && buf[keyEnd] === 0x12 && buf[keyEnd + 1]! < 0x80 && keyEnd + 2 + buf[keyEnd + 1]! === end) {
      this.utf8(keyStart, keyEnd);
      this.value(keyEnd + 2, end);
    } else {
      const r = this.r;
      keyStart = keyEnd = 0;
      r.pos = start;
      while (r.pos < end) {
        const tag = r.uint32(end);
        if (tag === 0x0a) {
          const e = r.lengthEnd(end);
          this.utf8(r.pos, e);
          keyStart = r.pos;
          keyEnd = e;
          r.pos = e;
        } else if (tag === 0x12) {
          const e = r.lengthEnd(end);
          this.value(r.pos, e);
          r.pos = e;
        } else r.skipUnknown(tag, KV_FIELDS, end);
      }
    }
    const n = this.keys;
    const view = this.view;
    const keyLen = keyEnd - keyStart;
    if (!(sameKeys && n < this.prevKeys && this.prevLen[n] === keyLen && sameBytes(view, this.prevStart[n]!, view, keyStart, keyLen))) {
      sameKeys = false;
      for (let j = 0; j < n; j++) if (this.keyLen[j] === keyLen && sameBytes(view, this.keyStart[j]!, view, keyStart, keyLen)) throw new ItemFault('duplicate_attribute_key');
    }
    if (n === this.keyStart.length) {
      this.keyStart = doubled(this.keyStart);
      this.keyLen = doubled(this.keyLen);
    }
    this.keyStart[n] = keyStart;
    this.keyLen[n] = keyLen;
    this.keys = n + 1;
    return sameKeys;
  }

  /** The AnyValue spanning [start, end) (an attribute's value or the body). */
  private value(start: number, end: number): void {
    const buf = this.buf;
    if (buf[start] === 0x0a && end - start >= 2) {
      const e = this.fieldEnd(start + 1, end);
      if (e === end) return this.utf8(this.data, e);
    } else if (end - start === 2 && (buf[start] === 0x18 || buf[start] === 0x10) && buf[start + 1]! < 0x80) return; // small int_value, bool_value
    this.r.pos = start;
    readAnyValue(this.r, end, 1);
  }

  private utf8(start: number, end: number): void {
    if (!this.words.validUtf8(start, end)) throw new ItemFault('invalid_utf8');
  }
}
