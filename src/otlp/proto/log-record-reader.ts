import type { AttributeValue } from '../../model/attributes';
import type { TelemetryEvent } from '../../model/events';
import { AttributeShapes, type AttributeShape } from '../attribute-shapes';
import { ItemFault } from '../item-fault';
import { LOG_FIELD_KEYS, logEventWith, type LogFields, type LogScope } from '../log-event';
import { readAnyValue, readKeyValuePair, type KeyValuePair } from './any-value';
import { hexString, repeatedString } from './strings';
import { sameBytes } from '../../wire/same-bytes';
import { BufferWords, MAX_CACHED_BYTES } from '../../wire/string-cache';
import { fieldTypes, type WireReader } from '../../wire/wire-reader';

export const LOG_RECORD_FIELDS = fieldTypes({ 1: 1, 2: 0, 3: 2, 5: 2, 6: 2, 7: 0, 8: 5, 9: 2, 10: 2, 11: 1, 12: 2 });

/** Shapes of log attribute sets, shared by all requests: a sender keeps its key sets. */
const shapes = new AttributeShapes(LOG_FIELD_KEYS);
/** The shape of the last record decoded, where the next request most likely starts. */
let recentShape: AttributeShape | undefined;

/** Attribute positions whose key and string value are remembered from the previous record. */
const MEMO_POSITIONS = 16;
const SEVERITY_SLOT = MEMO_POSITIONS;
const EVENT_NAME_SLOT = SEVERITY_SLOT + 1;
const TRACE_SLOT = SEVERITY_SLOT + 2;
const SPAN_SLOT = SEVERITY_SLOT + 3;
const SLOTS = SEVERITY_SLOT + 4;

/**
 * Decodes the LogRecords of one request into events. Consecutive records of a request repeat
 * most of their strings at the same place: the attribute keys in the same order, many values
 * (service, topic, host), the severity text, the trace and span of one operation. Each such field
 * remembers where it was read last in this request; when the new bytes equal the old ones the
 * string made then is reused: a compare of a few words, cheaper than even a cache lookup. The
 * key list equal to the previous record's also skips the duplicate-key check and the shape
 * lookup, and the attributes object comes from the shape's compiled literal (see
 * attribute-shapes). Everything else goes the general way (readAnyValue, the string cache), with
 * the same results and the same refusals as before.
 */
export class LogRecordReader {
  private readonly buf: Buffer;
  private readonly view: DataView;
  private readonly words: BufferWords;
  private readonly memoStart = new Int32Array(SLOTS);
  private readonly memoLen = new Int32Array(SLOTS).fill(-1);
  private readonly memoString: string[] = new Array<string>(SLOTS).fill('');
  /** Whole KeyValues by position: where the last one was read, its key and (primitive) value. */
  private readonly pairStart = new Int32Array(MEMO_POSITIONS);
  private readonly pairLen = new Int32Array(MEMO_POSITIONS).fill(-1);
  private readonly pairKey: string[] = new Array<string>(MEMO_POSITIONS).fill('');
  private readonly pairValue: AttributeValue[] = new Array<AttributeValue>(MEMO_POSITIONS).fill(null);
  /** The current record's attribute keys and values, by position. */
  private readonly keys: string[] = [];
  private readonly values: AttributeValue[] = [];
  private readonly pair: KeyValuePair = { key: '', value: null };
  private readonly fields: LogFields = { timeMs: 0, observedMs: 0, severityNumber: 0, severityText: '', body: null, attributes: {}, traceId: '', spanId: '', eventName: '' };
  private shape: AttributeShape | undefined = recentShape;

  constructor(private readonly r: WireReader) {
    this.buf = r.buf;
    this.view = r.view;
    this.words = new BufferWords(r.buf);
  }

  /** The event of the LogRecord spanning [r.pos, end); throws ItemFault when it is refused. */
  read(end: number, scope: LogScope, latestMs: number): TelemetryEvent {
    const r = this.r;
    const f = this.fields;
    f.timeMs = 0;
    f.observedMs = 0;
    f.severityNumber = 0;
    f.severityText = '';
    f.body = null;
    f.traceId = '';
    f.spanId = '';
    f.eventName = '';
    const keys = this.keys;
    const known = this.shape?.keys;
    let n = 0;
    let sameKeys = known !== undefined;
    while (r.pos < end) {
      const tag = r.uint32(end);
      switch (tag) {
        case 0x09: f.timeMs = r.fixed64(end) / 1e6; break;
        case 0x59: f.observedMs = r.fixed64(end) / 1e6; break;
        case 0x10: f.severityNumber = r.uint32(end) | 0; break;
        case 0x1a: { const e = r.lengthEnd(end); f.severityText = this.memo(SEVERITY_SLOT, r.pos, e, false); r.pos = e; break; }
        case 0x2a: { const e = r.lengthEnd(end); f.body = this.body(r.pos, e); r.pos = e; break; }
        case 0x32: {
          const e = r.lengthEnd(end);
          this.attribute(r.pos, e, n);
          r.pos = e;
          // The previous record's keys, in order so far: distinct, as they were checked then.
          if (!(sameKeys && n < known!.length && known![n] === keys[n])) {
            sameKeys = false;
            for (let j = 0; j < n; j++) if (keys[j] === keys[n]) throw new ItemFault('duplicate_attribute_key');
          }
          n++;
          break;
        }
        case 0x4a: { const e = r.lengthEnd(end); f.traceId = this.memo(TRACE_SLOT, r.pos, e, true); r.pos = e; break; }
        case 0x52: { const e = r.lengthEnd(end); f.spanId = this.memo(SPAN_SLOT, r.pos, e, true); r.pos = e; break; }
        case 0x62: { const e = r.lengthEnd(end); f.eventName = this.memo(EVENT_NAME_SLOT, r.pos, e, false); r.pos = e; break; }
        default: r.skipUnknown(tag, LOG_RECORD_FIELDS, end);
      }
    }
    let shape = this.shape;
    if (!sameKeys || shape === undefined || n !== shape.keys.length) {
      this.shape = recentShape = shape = shapes.get(keys, n);
      // Memos hand out the shape's own key strings from now on: the check above is then a pointer compare.
      for (let k = 0; k < n && k < MEMO_POSITIONS; k++) {
        if (this.memoLen[k]! >= 0) this.memoString[k] = shape.keys[k]!;
        if (this.pairLen[k]! >= 0) this.pairKey[k] = shape.keys[k]!;
      }
    }
    const values = this.values;
    f.attributes = shape.make(values);
    const at = shape.wellKnown; // LOG_FIELD_KEYS order: epoch, request_id, topic, event.name, event_type
    return logEventWith(f, scope, latestMs, at[0]! < 0 ? undefined : values[at[0]!], at[1]! < 0 ? undefined : values[at[1]!], at[2]! < 0 ? undefined : values[at[2]!], at[3]! < 0 ? undefined : values[at[3]!], at[4]! < 0 ? undefined : values[at[4]!]);
  }

  /** The string of bytes [start, end), reusing the slot's previous string when the bytes are equal. */
  private memo(slot: number, start: number, end: number, hex: boolean): string {
    const len = end - start;
    if (this.memoLen[slot] === len && sameBytes(this.view, this.memoStart[slot]!, this.view, start, len)) return this.memoString[slot]!;
    const s = hex ? hexString(this.buf, this.view, start, end) : repeatedString(this.buf, this.view, start, end);
    this.memoStart[slot] = start;
    this.memoLen[slot] = len;
    this.memoString[slot] = s;
    return s;
  }

  /**
   * The KeyValue spanning [start, end) as keys[n], values[n]. The same bytes as the previous
   * record's n-th KeyValue (service, topic, epoch...) give its key and value at once. Only
   * primitive values are shared that way: an array, map or bytes value is an object of its own
   * per record, as a consumer may change it.
   */
  private attribute(start: number, end: number, n: number): void {
    const len = end - start;
    if (n < MEMO_POSITIONS && this.pairLen[n] === len && sameBytes(this.view, this.pairStart[n]!, this.view, start, len)) {
      this.keys[n] = this.pairKey[n]!;
      this.values[n] = this.pairValue[n]!;
      return;
    }
    const buf = this.buf;
    // The usual layout: key (field 1) then value (field 2), each with a one-byte length.
    if (len >= 4 && buf[start] === 0x0a && buf[start + 1]! < 0x80) {
      const keyEnd = start + 2 + buf[start + 1]!;
      if (keyEnd + 2 <= end && buf[keyEnd] === 0x12 && buf[keyEnd + 1]! < 0x80 && keyEnd + 2 + buf[keyEnd + 1]! === end) {
        // The key memo moves to this KeyValue now; the pair slot must not describe an older one
        // if the value is refused (a later pair hit would then pair old bytes with this key).
        if (n < MEMO_POSITIONS) this.pairLen[n] = -1;
        const key = n < MEMO_POSITIONS ? this.memo(n, start + 2, keyEnd, false) : repeatedString(buf, this.view, start + 2, keyEnd);
        const value = this.value(keyEnd + 2, end);
        this.values[n] = value;
        this.keys[n] = key;
        if (n < MEMO_POSITIONS) {
          const shared = value === null || typeof value !== 'object';
          this.pairLen[n] = shared ? len : -1;
          this.pairStart[n] = start;
          this.pairKey[n] = key;
          this.pairValue[n] = shared ? value : null;
        }
        return;
      }
    }
    // The slots must describe this record's n-th KeyValue, or nothing.
    if (n < MEMO_POSITIONS) this.memoLen[n] = this.pairLen[n] = -1;
    this.r.pos = start;
    readKeyValuePair(this.r, end, 1, this.pair);
    this.keys[n] = this.pair.key;
    this.values[n] = this.pair.value;
  }

  /** The AnyValue spanning [start, end) of an attribute. */
  private value(start: number, end: number): AttributeValue {
    const buf = this.buf;
    if (end - start >= 2 && buf[start + 1]! < 0x80) {
      const tag = buf[start];
      if (tag === 0x0a && start + 2 + buf[start + 1]! === end) return repeatedString(buf, this.view, start + 2, end);
      // Small int_value and bool_value: a one-byte varint.
      if (end - start === 2 && tag === 0x18) return buf[start + 1]!;
      if (end - start === 2 && tag === 0x10) return buf[start + 1]! !== 0;
    }
    this.r.pos = start;
    return readAnyValue(this.r, end, 1);
  }

  /** The body AnyValue spanning [start, end): usually one string, often past the string cache's length. */
  private body(start: number, end: number): AttributeValue {
    const buf = this.buf;
    if (end - start >= 2 && buf[start] === 0x0a) {
      let len = buf[start + 1]!;
      let from = start + 2;
      if (len >= 0x80) {
        // A two-byte length (bodies up to 16 KiB); longer ones go the general way.
        len = end - start >= 3 && buf[start + 2]! < 0x80 ? (len & 0x7f) | (buf[start + 2]! << 7) : -1;
        from++;
      }
      if (len >= 0 && from + len === end) {
        if (len <= MAX_CACHED_BYTES) return repeatedString(buf, this.view, from, end);
        const s = this.words.utf8(from, end);
        if (s === undefined) throw new ItemFault('invalid_utf8');
        return s;
      }
    }
    this.r.pos = start;
    return readAnyValue(this.r, end, 1);
  }
}
