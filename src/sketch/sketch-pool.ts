import { LogMapping } from './log-mapping';

export interface SketchPoolOptions {
  /** DDSketch relative accuracy; 0.01 = every quantile within 1% of the true value. */
  readonly relativeAccuracy?: number;
  /** Upper bound of populated bins per sketch; beyond it the lowest bins collapse into one. */
  readonly maxBins?: number;
}

/**
 * Smallest block, in bins. 8 rather than 4: a 1m window at a 10s scrape holds 6 values, and
 * moving every such sketch to a bigger block once per window cost ~5% of the downsample
 * throughput; the price is at most 48 bytes more per sparse sketch.
 */
const MIN_BLOCK = 8;

/**
 * Many DDSketches in a few typed arrays. A sketch is addressed by a slot number the caller
 * manages (one per aggregation state); its populated bins live as a sorted run of
 * (key, count) pairs in a block of a shared pool, so a sketch costs 12 bytes per populated bin
 * plus 12 bytes of bookkeeping, and there is no JS object per sketch for the GC to trace.
 *
 * The store is sparse (only populated keys), which keeps negative, zero and positive values in
 * one run and costs nothing for gaps in multi-modal data. Blocks come in power-of-two sizes from
 * per-size free lists; a sketch that outgrows its block moves to a block twice as big.
 *
 * Bins are bounded by `maxBins`: past it the lowest bins are merged upward (DDSketch's
 * "collapsing lowest" store), which keeps the relative-error guarantee for all upper quantiles.
 */
export class SketchPool {
  readonly mapping: LogMapping;
  readonly maxBins: number;
  private keys = new Int32Array(1024);
  private counts = new Float64Array(1024);
  private top = 0;
  private readonly freeBlocks: number[][] = [];
  /** Per slot: start of its block (-1 = none), populated length, block capacity. */
  private start = new Int32Array(64).fill(-1);
  private len = new Int32Array(64);
  private cap = new Int32Array(64);

  constructor(options: SketchPoolOptions = {}) {
    this.mapping = new LogMapping(options.relativeAccuracy ?? 0.01);
    this.maxBins = Math.max(2, options.maxBins ?? 1024);
  }

  /** Bytes held by the pool's arrays (for memory reports). */
  get byteSize(): number {
    return this.keys.byteLength + this.counts.byteLength + this.start.byteLength * 3;
  }

  /** Number of populated bins of a slot. */
  binCount(slot: number): number {
    return slot < this.len.length ? this.len[slot]! : 0;
  }

  /** Adds `weight` observations of `value` (finite) to the sketch of `slot`. */
  add(slot: number, value: number, weight = 1): void {
    this.addKey(slot, this.mapping.keyOf(value), weight);
  }

  addKey(slot: number, key: number, weight: number): void {
    if (slot >= this.start.length) this.growSlots(slot + 1);
    let s = this.start[slot]!;
    const n = this.len[slot]!;
    if (s < 0) {
      s = this.allocBlock(MIN_BLOCK);
      this.start[slot] = s;
      this.cap[slot] = MIN_BLOCK;
    }
    const keys = this.keys;
    let lo = s;
    let hi = s + n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    if (lo < s + n && keys[lo] === key) {
      this.counts[lo]! += weight;
      return;
    }
    if (n === this.cap[slot]) {
      const moved = this.resize(slot, n * 2);
      lo += moved - s;
      s = moved;
    }
    // A hand loop beats copyWithin's call overhead for the short runs sketches have.
    const k = this.keys;
    const c = this.counts;
    for (let i = s + n; i > lo; i--) {
      k[i] = k[i - 1]!;
      c[i] = c[i - 1]!;
    }
    k[lo] = key;
    c[lo] = weight;
    this.len[slot] = n + 1;
    if (n + 1 > this.maxBins) this.collapseLowest(slot);
  }

  /** Adds every bin of `src` in `from` (possibly another pool with the same mapping) to `dst`. */
  mergeFrom(dst: number, from: SketchPool, src: number): void {
    const m = from.binCount(src);
    if (m === 0) return;
    if (dst >= this.start.length) this.growSlots(dst + 1);
    const n = this.len[dst]!;
    const bs = from.start[src]!;
    if (n === 0) {
      this.ensureCapacity(dst, m);
      const s = this.start[dst]!;
      // A loop, not set(subarray()): runs are short and views are two allocations each.
      const keys = this.keys;
      const counts = this.counts;
      for (let k = 0; k < m; k++) {
        keys[s + k] = from.keys[bs + k]!;
        counts[s + k] = from.counts[bs + k]!;
      }
      this.len[dst] = m;
    } else {
      this.mergeSorted(dst, from.keys, from.counts, bs, m);
    }
    if (this.len[dst]! > this.maxBins) this.collapseLowest(dst);
  }

  /** Total weight in the sketch. */
  count(slot: number): number {
    const n = this.binCount(slot);
    const s = this.start[slot]!;
    let total = 0;
    for (let i = s; i < s + n; i++) total += this.counts[i]!;
    return total;
  }

  /**
   * The value at quantile q in [0, 1] (DDSketch's lower rank convention: the item of rank
   * floor(q * (count - 1)) in sorted order), or NaN for an empty sketch.
   */
  quantile(slot: number, q: number): number {
    const n = this.binCount(slot);
    if (n === 0) return NaN;
    const s = this.start[slot]!;
    const rank = q * (this.count(slot) - 1);
    let cumulative = 0;
    for (let i = s; i < s + n; i++) {
      cumulative += this.counts[i]!;
      if (cumulative > rank) return this.mapping.valueOf(this.keys[i]!);
    }
    return this.mapping.valueOf(this.keys[s + n - 1]!);
  }

  /** Copies the populated bins of `slot` into the arrays at `at`; returns how many (checkpoints, no allocation). */
  copyBins(slot: number, keys: Int32Array, counts: Float64Array, at: number): number {
    const n = this.binCount(slot);
    const s = this.start[slot]!;
    for (let i = 0; i < n; i++) {
      keys[at + i] = this.keys[s + i]!;
      counts[at + i] = this.counts[s + i]!;
    }
    return n;
  }

  /**
   * Adds `n` bins, sorted by key without duplicates, from the arrays at `from` (checkpoint
   * restore). An empty slot takes them as they are; otherwise they merge like another sketch.
   */
  loadBins(slot: number, keys: Int32Array, counts: Float64Array, from: number, n: number): void {
    if (n === 0) return;
    if (slot >= this.start.length) this.growSlots(slot + 1);
    if (this.len[slot] === 0) {
      this.ensureCapacity(slot, n);
      const s = this.start[slot]!;
      // A loop, not set(subarray()): runs are short and views are two allocations each.
      for (let i = 0; i < n; i++) {
        this.keys[s + i] = keys[from + i]!;
        this.counts[s + i] = counts[from + i]!;
      }
      this.len[slot] = n;
    } else {
      this.mergeSorted(slot, keys, counts, from, n);
    }
    if (this.len[slot]! > this.maxBins) this.collapseLowest(slot);
  }

  /** Copies of the populated bins (for checkpoints and tests). */
  bins(slot: number): { keys: number[]; counts: number[] } {
    const n = this.binCount(slot);
    const s = this.start[slot]!;
    return { keys: Array.from(this.keys.subarray(s, s + n)), counts: Array.from(this.counts.subarray(s, s + n)) };
  }

  /** Empties the slot and returns its block to the pool. */
  clear(slot: number): void {
    if (slot >= this.start.length) return;
    const s = this.start[slot]!;
    if (s >= 0) this.freeBlock(s, this.cap[slot]!);
    this.start[slot] = -1;
    this.len[slot] = 0;
    this.cap[slot] = 0;
  }

  /**
   * Merges a sorted run into the slot's run in place: count the union, make room, then merge
   * from the back (writing past the end of the unread part never overwrites it). No scratch
   * copy, no views: this runs once per state per window close.
   */
  private mergeSorted(dst: number, bKeys: Int32Array, bCounts: Float64Array, bs: number, m: number): void {
    const n = this.len[dst]!;
    let as = this.start[dst]!;
    let ak = this.keys;
    let union = n + m;
    for (let i = as, j = bs; i < as + n && j < bs + m; ) {
      const ka = ak[i]!;
      const kb = bKeys[j]!;
      if (ka < kb) i++;
      else if (kb < ka) j++;
      else { union--; i++; j++; }
    }
    if (union === n) {
      // Every key is already there (the common case for a stable signal): add counts in place.
      const ac = this.counts;
      for (let i = as, j = bs; j < bs + m; i++) if (ak[i] === bKeys[j]) ac[i]! += bCounts[j++]!;
      return;
    }
    this.ensureCapacity(dst, union);
    as = this.start[dst]!;
    ak = this.keys;
    const ac = this.counts;
    let i = as + n - 1;
    let j = bs + m - 1;
    let o = as + union - 1;
    while (j >= bs) {
      const kb = bKeys[j]!;
      if (i >= as && ak[i]! > kb) { ak[o] = ak[i]!; ac[o--] = ac[i--]!; }
      else if (i >= as && ak[i] === kb) { ak[o] = kb; ac[o--] = ac[i--]! + bCounts[j--]!; }
      else { ak[o] = kb; ac[o--] = bCounts[j--]!; }
    }
    this.len[dst] = union;
  }

  /** Merges the lowest bins upward until at most maxBins remain. */
  private collapseLowest(slot: number): void {
    const s = this.start[slot]!;
    const n = this.len[slot]!;
    const excess = n - this.maxBins;
    let moved = 0;
    for (let i = s; i <= s + excess; i++) moved += this.counts[i]!;
    this.counts[s + excess] = moved;
    this.keys.copyWithin(s, s + excess, s + n);
    this.counts.copyWithin(s, s + excess, s + n);
    this.len[slot] = this.maxBins;
  }

  private ensureCapacity(slot: number, needed: number): void {
    if (this.start[slot]! >= 0 && this.cap[slot]! >= needed) return;
    let c = MIN_BLOCK;
    while (c < needed) c *= 2;
    if (this.start[slot]! < 0) {
      this.start[slot] = this.allocBlock(c);
      this.cap[slot] = c;
    } else {
      this.resize(slot, c);
    }
  }

  /** Moves the slot to a block of `capacity`; returns the new start. */
  private resize(slot: number, capacity: number): number {
    const old = this.start[slot]!;
    const n = this.len[slot]!;
    const s = this.allocBlock(capacity);
    this.keys.copyWithin(s, old, old + n);
    this.counts.copyWithin(s, old, old + n);
    this.freeBlock(old, this.cap[slot]!);
    this.start[slot] = s;
    this.cap[slot] = capacity;
    return s;
  }

  private allocBlock(capacity: number): number {
    const cls = sizeClass(capacity);
    const free = this.freeBlocks[cls];
    if (free !== undefined && free.length > 0) return free.pop()!;
    if (this.top + capacity > this.keys.length) {
      let size = this.keys.length * 2;
      while (size < this.top + capacity) size *= 2;
      const keys = new Int32Array(size);
      keys.set(this.keys.subarray(0, this.top));
      const counts = new Float64Array(size);
      counts.set(this.counts.subarray(0, this.top));
      this.keys = keys;
      this.counts = counts;
    }
    const s = this.top;
    this.top += capacity;
    return s;
  }

  private freeBlock(start: number, capacity: number): void {
    const cls = sizeClass(capacity);
    (this.freeBlocks[cls] ??= []).push(start);
  }

  private growSlots(min: number): void {
    let size = this.start.length * 2;
    while (size < min) size *= 2;
    const start = new Int32Array(size).fill(-1);
    start.set(this.start);
    this.start = start;
    const len = new Int32Array(size);
    len.set(this.len);
    this.len = len;
    const cap = new Int32Array(size);
    cap.set(this.cap);
    this.cap = cap;
  }
}

/** Free-list index of a power-of-two block size (0 for MIN_BLOCK); clz32, not a float log2. */
function sizeClass(capacity: number): number {
  return Math.clz32(MIN_BLOCK) - Math.clz32(capacity);
}
