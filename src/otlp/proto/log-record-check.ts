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
 * or not, is read here field by field in the reader's order with the reader's primitives, each
 * string checked where it is read, so the first fault met is the reader's and refusals and their
 * reasons are the reader's. Records come here rarely (values that are not strings, unknown
 * fields, faults), so this path has no fast paths of its own.
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

  /**
   * Reads the record's fields as the reader does, with the reader's own primitives (so every
   * structural fault is the reader's); returns its timestamp (ms), 0 when it has none.
   */
  private read(start: number, end: number): number {
    const r = this.r;
    r.pos = start;
    let timeMs = 0;
    let observedMs = 0;
    let sameKeys = true;
    while (r.pos < end) {
      const tag = r.uint32(end);
      switch (tag) {
        case 0x09: timeMs = r.fixed64(end) / 1e6; break;
        case 0x59: observedMs = r.fixed64(end) / 1e6; break;
        case 0x1a: // severity_text
        case 0x62: // event_name
        case 0x2a: // body
        case 0x32: { // attribute
          const e = r.lengthEnd(end);
          if (tag === 0x2a) this.value(r.pos, e);
          else if (tag === 0x32) sameKeys = this.attribute(r.pos, e, sameKeys);
          else this.utf8(r.pos, e);
          r.pos = e;
          break;
        }
        // trace_id, span_id: any bytes (they become hex).
        case 0x4a: case 0x52: r.pos = r.lengthEnd(end); break;
        default: r.skipUnknown(tag, LOG_RECORD_FIELDS, end);
      }
    }
    return timeMs !== 0 ? timeMs : observedMs;
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
    const r = this.r;
    let keyStart = 0;
    let keyEnd = 0;
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

  /** The AnyValue spanning [start, end) (an attribute's value or the body), read as the reader reads it. */
  private value(start: number, end: number): void {
    const r = this.r;
    // The usual value, a lone string: checked without making it.
    if (start < end && this.buf[start] === 0x0a) {
      r.pos = start + 1;
      const e = r.lengthEnd(end);
      if (e === end) return this.utf8(r.pos, e);
    }
    r.pos = start;
    readAnyValue(r, end, 1);
  }

  private utf8(start: number, end: number): void {
    if (!this.words.validUtf8(start, end)) throw new ItemFault('invalid_utf8');
  }
}
