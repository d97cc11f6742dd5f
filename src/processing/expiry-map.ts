import { KeyRecords } from './key-records';

/**
 * A set of keys `(epoch, text)` that expire, bounded in size, for de-duplication. Every key of one
 * map has the same TTL, so insertion order is expiry order: the records form a FIFO ring
 * ({@link KeyRecords}) whose head is both the next to expire and the first to evict. An
 * open-addressing table (linear probing, backward-shift deletion) of `[hash, record + 1]` pairs
 * finds a key's record.
 *
 * Why not a `Map<string, expiry>`: a million string keys in the old generation are a million
 * objects for the garbage collector, every new key written into the old Map's table is an
 * old-to-new reference every scavenge revisits, and keys built by concatenation had to be
 * flattened before being kept. That cost about 2 µs and 107 bytes per key and halved the bus
 * pipeline's throughput; typed arrays cost a hash over the text, one or two cache misses, and
 * about 80 bytes per key (`npm run bench processors` prints it).
 */
export class ExpiryMap {
  private readonly records: KeyRecords;
  /** Pairs `[hash, record index + 1]`; 0 in the second marks a free slot. */
  private table = new Int32Array(0);
  private mask = -1;
  /** Of the key last hashed: its text needs two bytes per character. */
  private wide = false;
  private cleaning: Promise<number> | undefined;
  evicted = 0;
  cleaned = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {
    this.records = new KeyRecords(maxEntries);
    this.reindex();
  }

  get size(): number {
    return this.records.live;
  }

  /** Memory held, all of it in typed arrays (outside the JS heap). */
  get byteLength(): number {
    return this.records.byteLength + this.table.byteLength;
  }

  /**
   * Records `(epoch, key)` as seen at `nowMs`. Returns false when it was already seen and has not
   * expired (a duplicate), true when it is new (and now remembered).
   */
  add(key: string, nowMs: number, epoch = 0): boolean {
    const hash = this.hash(key, epoch);
    const found = this.find(hash, key, epoch);
    const r = this.records;
    if (found >= 0) {
      if (r.expiry[found]! * 1000 > nowMs) return false;
      // Expired but not yet cleaned: re-inserted at the tail so the FIFO stays in expiry order.
      this.remove(found);
      r.kill(found);
    }
    if (r.live >= this.maxEntries) this.evictOldest();
    if (r.ensureRoom(this.wide ? key.length * 2 : key.length)) this.reindex();
    this.place(hash, r.append(hash, epoch, key, this.wide, Math.ceil((nowMs + this.ttlMs) / 1000)));
    return true;
  }

  /** Forgets a key (a refused batch must pass when it is retried). */
  delete(key: string, epoch = 0): void {
    const found = this.find(this.hash(key, epoch), key, epoch);
    if (found < 0) return;
    this.remove(found);
    this.records.kill(found);
  }

  has(key: string, nowMs: number, epoch = 0): boolean {
    const found = this.find(this.hash(key, epoch), key, epoch);
    return found >= 0 && this.records.expiry[found]! * 1000 > nowMs;
  }

  /**
   * Removes expired keys, `chunk` at a time, awaiting `yieldFn` between chunks. Concurrent calls
   * share one run. Resolves with the number of keys removed.
   */
  cleanup(nowMs: number, chunk: number, yieldFn: () => Promise<void>): Promise<number> {
    this.cleaning ??= this.runCleanup(nowMs, chunk, yieldFn).finally(() => (this.cleaning = undefined));
    return this.cleaning;
  }

  clear(): void {
    this.records.clear();
    this.reindex();
  }

  private async runCleanup(nowMs: number, chunk: number, yieldFn: () => Promise<void>): Promise<number> {
    let removed = 0;
    let inChunk = 0;
    const r = this.records;
    // Indices are read afresh every round: adds during a yield may lay the records out again.
    for (let i = r.oldest(); i >= 0 && r.expiry[i]! * 1000 <= nowMs; i = r.oldest()) {
      this.remove(i);
      r.popOldest();
      removed++;
      if (++inChunk >= chunk) {
        inChunk = 0;
        await yieldFn();
      }
    }
    this.cleaned += removed;
    // After a large expiry the arrays are laid out smaller, so their memory is returned at once.
    if (r.shrink()) this.reindex();
    return removed;
  }

  private evictOldest(): void {
    const i = this.records.oldest();
    if (i < 0) return;
    this.remove(i);
    this.records.popOldest();
    this.evicted++;
  }

  /**
   * FNV-1a over the UTF-16 code units, seeded with the epoch, then murmur3's finalizer so that
   * the low bits (the slot) depend on every character. Notes in {@link wide} whether the text
   * has characters beyond Latin-1.
   */
  private hash(key: string, epoch: number): number {
    let h = (0x811c9dc5 ^ (epoch | 0) ^ Math.imul(Math.floor(epoch / 4294967296) | 0, 0x9e3779b1)) | 0;
    let all = 0;
    const n = key.length;
    for (let k = 0; k < n; k++) {
      const c = key.charCodeAt(k);
      all |= c;
      h = Math.imul(h ^ c, 0x01000193);
    }
    this.wide = all > 0xff;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return h ^ (h >>> 16);
  }

  /** The record of `(epoch, key)`, or -1. */
  private find(hash: number, key: string, epoch: number): number {
    const t = this.table;
    for (let s = hash & this.mask; ; s = (s + 1) & this.mask) {
      const ref = t[2 * s + 1]!;
      if (ref === 0) return -1;
      if (t[2 * s] === hash && this.records.matches(ref - 1, epoch, key, this.wide)) return ref - 1;
    }
  }

  private place(hash: number, index: number): void {
    const t = this.table;
    let s = hash & this.mask;
    while (t[2 * s + 1] !== 0) s = (s + 1) & this.mask;
    t[2 * s] = hash;
    t[2 * s + 1] = index + 1;
  }

  /** Takes record `index` out of the table, shifting later entries of its probe run back (no tombstones). */
  private remove(index: number): void {
    const t = this.table;
    const mask = this.mask;
    let hole = this.records.hashes[index]! & mask;
    while (t[2 * hole + 1] !== index + 1) hole = (hole + 1) & mask;
    for (let s = (hole + 1) & mask; t[2 * s + 1] !== 0; s = (s + 1) & mask) {
      const home = t[2 * s]! & mask;
      // The entry at s may fill the hole unless its home slot lies cyclically in (hole, s].
      const stays = hole <= s ? home > hole && home <= s : home > hole || home <= s;
      if (stays) continue;
      t[2 * hole] = t[2 * s]!;
      t[2 * hole + 1] = t[2 * s + 1]!;
      hole = s;
    }
    t[2 * hole] = 0;
    t[2 * hole + 1] = 0;
  }

  /** Indexes every record again (after the records were laid out afresh): two slots per record of capacity. */
  private reindex(): void {
    const slots = this.records.cap * 2;
    if (this.table.length === slots * 2) this.table.fill(0);
    else this.table = new Int32Array(slots * 2);
    this.mask = slots - 1;
    for (let i = 0; i < this.records.live; i++) this.place(this.records.hashes[i]!, i);
  }
}
