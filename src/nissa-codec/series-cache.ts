import { sameBytes } from '../wire/same-bytes';
import type { SeriesTable } from '../model/series-table';
import { hashSeed, mixBytes } from '../wire/byte-hash';

/** Entries kept before the cache starts over (a bound on memory under series churn). */
const MAX_ENTRIES = 200_000;

interface Entry {
  readonly key: DataView;
  readonly kind: number;
  readonly id: number;
  readonly gen: number;
  next: Entry | undefined;
}

/**
 * Maps the raw bytes of a point's name and label fields to a series id, so that a series seen
 * before costs a hash and a byte comparison: no string, no label array, no object. Ids carry the
 * table's generation; an id the table evicted (and maybe reused) is a miss.
 *
 * The key is a list of byte ranges of the bound request (`ranges[2i]`..`ranges[2i+1]`), so name
 * and labels need not be contiguous in the message. Hashing and comparing read 4 bytes at a time
 * through a DataView (unaligned reads, so the same bytes hash the same at any offset).
 */
export class SeriesCache {
  private readonly map = new Map<number, Entry>();
  private buf: Uint8Array = new Uint8Array(0);
  private view = new DataView(this.buf.buffer);

  constructor(private readonly series: SeriesTable) {}

  /** Sets the request the ranges refer to (once per request). */
  bind(buf: Uint8Array): void {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  hash(ranges: Int32Array, n: number, kind: number): number {
    const buf = this.buf;
    const view = this.view;
    let h = hashSeed(kind);
    for (let i = 0; i < n; i += 2) h = mixBytes(h, view, buf, ranges[i]!, ranges[i + 1]!);
    return h;
  }

  /** The live id for these bytes, or -1. */
  find(hash: number, ranges: Int32Array, n: number, kind: number): number {
    for (let e = this.map.get(hash); e !== undefined; e = e.next) {
      if (e.kind !== kind || !this.matchesKey(e.key, ranges, n)) continue;
      if (this.series.generation(e.id) !== e.gen || !this.series.has(e.id)) return -1;
      this.series.touch(e.id);
      return e.id;
    }
    return -1;
  }

  add(hash: number, ranges: Int32Array, n: number, kind: number, id: number): void {
    if (this.map.size >= MAX_ENTRIES) this.map.clear();
    let len = 0;
    for (let i = 0; i < n; i += 2) len += ranges[i + 1]! - ranges[i]!;
    const key = new Uint8Array(len);
    let off = 0;
    for (let i = 0; i < n; i += 2) {
      key.set(this.buf.subarray(ranges[i]!, ranges[i + 1]!), off);
      off += ranges[i + 1]! - ranges[i]!;
    }
    // Drop a stale entry for the same bytes (its id was evicted) so chains do not grow.
    let head = this.map.get(hash);
    while (head !== undefined && head.kind === kind && this.matchesKey(head.key, ranges, n)) head = head.next;
    this.map.set(hash, { key: new DataView(key.buffer), kind, id, gen: this.series.generation(id), next: head });
  }

  get size(): number {
    return this.map.size;
  }

  /** Whether the byte ranges of the request, one after the other, are exactly `key`. */
  private matchesKey(key: DataView, ranges: Int32Array, n: number): boolean {
    let off = 0;
    for (let i = 0; i < n; i += 2) {
      const p = ranges[i]!;
      const len = ranges[i + 1]! - p;
      if (off + len > key.byteLength || !sameBytes(this.view, p, key, off, len)) return false;
      off += len;
    }
    return off === key.byteLength;
  }
}
