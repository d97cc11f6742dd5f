import type { Reader } from 'protobufjs/minimal';
import { framing, Rejections } from './rejections';
import { asBuffer, expectWire, lengthEnd, readerOf, skipField, varint32, WIRE_LEN } from './wire';

/**
 * Decodes a batch message whose items are the repeated field 1 (events, alerts, commands):
 * each item is read by `readItem` within its own bounds; an invalid one is counted and skipped.
 */
export function decodeItems<T>(bytes: Uint8Array, what: string, readItem: (r: Reader, end: number) => T): { items: T[]; rej: Rejections } {
  const r = readerOf(asBuffer(bytes));
  const items: T[] = [];
  const rej = new Rejections();
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
        items.push(readItem(r, stop));
      } catch (err) {
        rej.add(err, index);
      }
      r.pos = stop;
      index++;
    }
  });
  return { items, rej };
}
