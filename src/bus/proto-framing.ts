import { varintSize } from '../wire/proto-writer';

/**
 * Top-level protobuf framing checks on raw bytes, without decoding: enough to tell a batch
 * message (only field 1, length-delimited) from a single item, to tell a metric point from an
 * event, and to refuse a payload whose framing is broken before it joins a shared buffer.
 */
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

/**
 * Position after the last varint read, or -1 when it was truncated. A module-level cursor rather
 * than a returned tuple: this runs for every field of every entry and must not allocate.
 */
let after = 0;

/** Reads a varint at `pos` (up to 2^53); the next position is left in {@link after}. */
function varint(buf: Buffer, pos: number, end: number): number {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 10 && pos < end; i++) {
    const b = buf[pos++]!;
    value += (b & 0x7f) * mul;
    if (b < 0x80) {
      after = pos;
      return value;
    }
    mul *= 128;
  }
  after = -1;
  return 0;
}

/** Position after the field's value, or -1 when it does not fit in [pos, end). */
function skip(buf: Buffer, wt: number, pos: number, end: number): number {
  switch (wt) {
    case WIRE_VARINT: varint(buf, pos, end); return after;
    case WIRE_FIXED64: return pos + 8 <= end ? pos + 8 : -1;
    case WIRE_FIXED32: return pos + 4 <= end ? pos + 4 : -1;
    case WIRE_LEN: {
      const len = varint(buf, pos, end);
      return after >= 0 && after + len <= end ? after + len : -1;
    }
    default: return -1; // groups are not part of the format
  }
}

/** What a payload is, told from its framing alone. */
export const enum Framing {
  BROKEN = 0,
  BATCH = 1,
  ITEM = 2,
}

/** The framing of a payload and, for `auto` topics, whether it carries metric points. */
export interface Inspection {
  framing: Framing;
  metric: boolean;
}

/**
 * One walk over the top-level fields. `BATCH` when every one is field 1 length-delimited (each
 * item type of the format has a required field other than 1, so a single item never looks like
 * this), `ITEM` otherwise, `BROKEN` when a field does not fit (or the payload is empty). A metric
 * point has a varint field 4 (`timestamp_ms`, required); an event's field 4 is the length-delimited
 * `event_type`; for a batch, the first item decides. Fills `out` to stay allocation-free.
 */
export function inspect(buf: Buffer, out: Inspection): Inspection {
  const end = buf.length;
  out.framing = Framing.BROKEN;
  out.metric = false;
  if (end === 0) return out; // an empty payload carries nothing: treated as undecodable
  let batch = true;
  let field4 = -1;
  let firstItem = -1;
  let firstEnd = -1;
  for (let pos = 0; pos < end;) {
    const tag = varint(buf, pos, end);
    if (after < 0 || tag >>> 3 === 0) return out;
    const wt = tag & 7;
    const value = after;
    pos = skip(buf, wt, value, end);
    if (pos < 0) return out;
    if (wt !== WIRE_LEN || tag >>> 3 !== 1) batch = false;
    else if (firstItem < 0) {
      varint(buf, value, end); // the length, already checked by skip
      firstItem = after;
      firstEnd = pos;
    }
    if (tag >>> 3 === 4 && field4 < 0) field4 = wt;
  }
  out.framing = batch ? Framing.BATCH : Framing.ITEM;
  out.metric = batch ? field4WireType(buf, firstItem, firstEnd) === WIRE_VARINT : field4 === WIRE_VARINT;
  return out;
}

function field4WireType(buf: Buffer, start: number, end: number): number {
  for (let pos = start; pos < end;) {
    const tag = varint(buf, pos, end);
    if (after < 0) return -1;
    if (tag >>> 3 === 4) return tag & 7;
    pos = skip(buf, tag & 7, after, end);
    if (pos < 0) return -1;
  }
  return -1;
}

/** Length of the prefix that turns an item of `length` bytes into field 1 of a batch message. */
export function itemPrefixLength(length: number): number {
  return 1 + varintSize(length);
}

/** Writes that prefix (tag 1, length) at `pos` of `out`; returns the position after it. */
export function writeItemPrefix(out: Buffer, pos: number, length: number): number {
  out[pos++] = 0x0a;
  let v = length;
  while (v >= 0x80) {
    out[pos++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[pos++] = v;
  return pos;
}

/** The items of a batch message (its field 1 values) as views of `batch`, without copies. */
export function splitBatch(batch: Buffer): Buffer[] {
  const items: Buffer[] = [];
  for (let pos = 0; pos < batch.length;) {
    const tag = varint(batch, pos, batch.length);
    if (after < 0) throw new Error('broken protobuf framing');
    if (tag !== 0x0a) {
      pos = skip(batch, tag & 7, after, batch.length);
      if (pos < 0) throw new Error('broken protobuf framing');
      continue;
    }
    const len = varint(batch, after, batch.length);
    const start = after;
    if (start < 0 || start + len > batch.length) throw new Error('broken protobuf framing');
    items.push(batch.subarray(start, start + len));
    pos = start + len;
  }
  return items;
}
