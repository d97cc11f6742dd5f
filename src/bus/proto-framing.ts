/**
 * Top-level protobuf framing checks on raw bytes, without decoding: enough to tell a batch
 * message (only field 1, length-delimited) from a single item, to tell a metric point from an
 * event, and to refuse a payload whose framing is broken before it joins a shared buffer.
 */
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

/** How a payload is framed: a batch message, a single item, or null when the framing is broken. */
export type Shape = 'batch' | 'item' | null;

/** Reads a varint at `pos`; returns the value (up to 2^53) and the next position, or -1 when truncated. */
function varint(buf: Buffer, pos: number, end: number): [number, number] {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 10 && pos < end; i++) {
    const b = buf[pos++]!;
    value += (b & 0x7f) * mul;
    if (b < 0x80) return [value, pos];
    mul *= 128;
  }
  return [0, -1];
}

/** Position after the field's value, or -1 when it does not fit in [pos, end). */
function skip(buf: Buffer, wt: number, pos: number, end: number): number {
  switch (wt) {
    case WIRE_VARINT: return varint(buf, pos, end)[1];
    case WIRE_FIXED64: return pos + 8 <= end ? pos + 8 : -1;
    case WIRE_FIXED32: return pos + 4 <= end ? pos + 4 : -1;
    case WIRE_LEN: {
      const [len, at] = varint(buf, pos, end);
      return at >= 0 && at + len <= end ? at + len : -1;
    }
    default: return -1; // groups are not part of the format
  }
}

/**
 * `batch` when every top-level field is field 1 length-delimited (each item type of the format
 * has a required field other than 1, so a single item never looks like this), `item` otherwise.
 */
export function shapeOf(buf: Buffer, start = 0, end = buf.length): Shape {
  if (end <= start) return null; // an empty payload carries nothing: treated as undecodable
  let batch = true;
  let pos = start;
  while (pos < end) {
    const [tag, at] = varint(buf, pos, end);
    if (at < 0 || tag >>> 3 === 0) return null;
    if ((tag & 7) !== WIRE_LEN || tag >>> 3 !== 1) batch = false;
    pos = skip(buf, tag & 7, at, end);
    if (pos < 0) return null;
  }
  return batch ? 'batch' : 'item';
}

/**
 * A metric point has a varint field 4 (`timestamp_ms`, required); an event's field 4 is the
 * length-delimited `event_type`. For a batch, the first item decides.
 */
export function isMetricMessage(buf: Buffer, shape: 'batch' | 'item'): boolean {
  let start = 0;
  let end = buf.length;
  if (shape === 'batch') {
    const [len, at] = varint(buf, 1, end);
    if (at < 0) return false;
    [start, end] = [at, Math.min(end, at + len)];
  }
  for (let pos = start; pos < end;) {
    const [tag, at] = varint(buf, pos, end);
    if (at < 0) return false;
    if (tag >>> 3 === 4) return (tag & 7) === WIRE_VARINT;
    pos = skip(buf, tag & 7, at, end);
    if (pos < 0) return false;
  }
  return false;
}

/** The prefix that turns one item's bytes into field 1 of a batch message (tag 1, length). */
export function itemPrefix(length: number): Buffer {
  const bytes = [0x0a];
  let n = length;
  while (n >= 0x80) {
    bytes.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

/** The items of a batch message (its field 1 values) as views of `batch`, without copies. */
export function splitBatch(batch: Buffer): Buffer[] {
  const items: Buffer[] = [];
  for (let pos = 0; pos < batch.length;) {
    const [tag, at] = varint(batch, pos, batch.length);
    if (at < 0) throw new Error('broken protobuf framing');
    if (tag !== 0x0a) {
      pos = skip(batch, tag & 7, at, batch.length);
      if (pos < 0) throw new Error('broken protobuf framing');
      continue;
    }
    const [len, start] = varint(batch, at, batch.length);
    if (start < 0 || start + len > batch.length) throw new Error('broken protobuf framing');
    items.push(batch.subarray(start, start + len));
    pos = start + len;
  }
  return items;
}
