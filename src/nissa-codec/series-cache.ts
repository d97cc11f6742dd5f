import type { SeriesTable } from '../model/series-table';

/** Entries kept before the cache starts over (a bound on memory under series churn). */
const MAX_ENTRIES = 200_000;

interface Entry {
  readonly key: Buffer;
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
 * The key is a list of byte ranges of `buf` (`ranges[2i]`..`ranges[2i+1]`), so name and labels
 * need not be contiguous in the message.
 */
export class SeriesCache {
  private readonly map = new Map<number, Entry>();

  constructor(private readonly series: SeriesTable) {}

  static hash(buf: Uint8Array, ranges: Int32Array, n: number, kind: number): number {
    let h = (0x811c9dc5 ^ kind) | 0;
    for (let i = 0; i < n; i += 2) {
      for (let p = ranges[i]!, e = ranges[i + 1]!; p < e; p++) h = Math.imul(h ^ buf[p]!, 0x01000193);
    }
    return h;
  }

  /** The live id for these bytes, or -1. */
  find(hash: number, buf: Uint8Array, ranges: Int32Array, n: number, kind: number): number {
    for (let e = this.map.get(hash); e !== undefined; e = e.next) {
      if (e.kind !== kind || !sameBytes(e.key, buf, ranges, n)) continue;
      if (this.series.generation(e.id) !== e.gen || !this.series.has(e.id)) return -1;
      this.series.touch(e.id);
      return e.id;
    }
    return -1;
  }

  add(hash: number, buf: Uint8Array, ranges: Int32Array, n: number, kind: number, id: number): void {
    if (this.map.size >= MAX_ENTRIES) this.map.clear();
    let len = 0;
    for (let i = 0; i < n; i += 2) len += ranges[i + 1]! - ranges[i]!;
    const key = Buffer.allocUnsafe(len);
    let off = 0;
    for (let i = 0; i < n; i += 2) {
      key.set(buf.subarray(ranges[i]!, ranges[i + 1]!), off);
      off += ranges[i + 1]! - ranges[i]!;
    }
    // Drop a stale entry for the same bytes (its id was evicted) so chains do not grow.
    let head = this.map.get(hash);
    while (head !== undefined && head.kind === kind && sameBytes(head.key, buf, ranges, n)) head = head.next;
    this.map.set(hash, { key, kind, id, gen: this.series.generation(id), next: head });
  }

  get size(): number {
    return this.map.size;
  }
}

function sameBytes(key: Buffer, buf: Uint8Array, ranges: Int32Array, n: number): boolean {
  let off = 0;
  // A plain loop: the ranges are short (a label is tens of bytes), so native compare calls cost more.
  for (let i = 0; i < n; i += 2) {
    const e = ranges[i + 1]!;
    let s = ranges[i]!;
    if (off + (e - s) > key.length) return false;
    while (s < e) if (key[off++] !== buf[s++]) return false;
  }
  return off === key.length;
}
