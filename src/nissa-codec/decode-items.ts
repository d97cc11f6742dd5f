import type { Reader } from './wire';
import { framing, Rejections } from './rejections';
import { expectWire, lengthEnd, readerOf, skipField, varint32, WIRE_LEN } from './wire';

/**
 * Walks a batch message whose items are the repeated field 1, calling `readItem` for each item
 * within its own bounds. An item that throws is counted in `rej` and skipped; broken framing of
 * the batch itself is a {@link MalformedMessage}.
 */
export function forEachItem(bytes: Uint8Array, what: string, rej: Rejections, readItem: (r: Reader, end: number) => void): void {
  const r = readerOf(bytes);
  let index = 0;
  framing(() => {
    while (r.pos < r.len) {
      const tag = varint32(r, r.len);
      if (tag >>> 3 !== 1) {
        skipField(r, tag & 7, r.len);
        continue;
      }
      expectWire(tag & 7, WIRE_LEN, what);
      const stop = lengthEnd(r, r.len);
      try {
        readItem(r, stop);
      } catch (err) {
        rej.add(err, index);
      }
      r.pos = stop;
      index++;
    }
  });
}

/** {@link forEachItem} collecting one object per item (events, alerts, commands). */
export function decodeItems<T>(bytes: Uint8Array, what: string, readItem: (r: Reader, end: number) => T): { items: T[]; rej: Rejections } {
  const items: T[] = [];
  const rej = new Rejections();
  forEachItem(bytes, what, rej, (r, end) => void items.push(readItem(r, end)));
  return { items, rej };
}
