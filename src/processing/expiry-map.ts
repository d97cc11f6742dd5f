/**
 * A set of keys that expire, bounded in size, for de-duplication. One `Map<key, expiry>` doubles
 * as the FIFO: Maps iterate in insertion order, and every key of one instance has the same TTL,
 * so insertion order is expiry order. Expiry is stored in whole seconds so V8 keeps it as a small
 * integer (no heap number per entry).
 *
 * The oldest entry is found through one long-lived iterator (the cursor): deleting from the front
 * of a V8 Map leaves holes until the next rehash, and a fresh iterator per eviction would re-skip
 * them all (quadratic). Cleanup walks the cursor in chunks, yielding between chunks.
 */
export type MapKey = string | number;

/**
 * Keys built by concatenation are V8 cons-string trees (a node per piece, ~155 bytes for a typical
 * request key); a JSON round trip yields one flat string (~85 bytes with its Map entry). Paid once
 * per remembered key, never for duplicates.
 */
function flat<K extends MapKey>(key: K): K {
  return typeof key === 'string' ? (JSON.parse(JSON.stringify(key)) as K) : key;
}

export class ExpiryMap<K extends MapKey = string> {
  private map = new Map<K, number>();
  private cursor: Iterator<[K, number]> = this.map.entries();
  private head: [K, number] | undefined;
  private peak = 0;
  private cleaning: Promise<number> | undefined;
  evicted = 0;
  cleaned = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /**
   * Records `key` as seen at `nowMs`. Returns false when it was already seen and has not expired
   * (a duplicate), true when it is new (and now remembered).
   */
  add(key: K, nowMs: number): boolean {
    const expiry = this.map.get(key);
    if (expiry !== undefined) {
      if (expiry * 1000 > nowMs) return false;
      // Expired but not yet cleaned: re-insert at the end so the FIFO stays in expiry order.
      this.map.delete(key);
    }
    if (this.map.size >= this.maxEntries) this.evictOldest();
    this.map.set(flat(key), Math.ceil((nowMs + this.ttlMs) / 1000));
    if (this.map.size > this.peak) this.peak = this.map.size;
    return true;
  }

  /** Forgets a key (a refused batch must pass when it is retried). */
  delete(key: K): void {
    this.map.delete(key);
  }

  has(key: K, nowMs: number): boolean {
    const expiry = this.map.get(key);
    return expiry !== undefined && expiry * 1000 > nowMs;
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
    this.reset(new Map());
  }

  private async runCleanup(nowMs: number, chunk: number, yieldFn: () => Promise<void>): Promise<number> {
    let removed = 0;
    let inChunk = 0;
    for (let oldest = this.oldest(); oldest !== undefined && oldest[1] * 1000 <= nowMs; oldest = this.oldest()) {
      this.map.delete(oldest[0]);
      this.head = undefined;
      removed++;
      if (++inChunk >= chunk) {
        inChunk = 0;
        await yieldFn();
      }
    }
    this.cleaned += removed;
    this.compact();
    return removed;
  }

  /** The live entry that was inserted first, or undefined when empty. */
  private oldest(): [K, number] | undefined {
    for (let fresh = false; ; ) {
      while (this.head === undefined) {
        const next = this.cursor.next();
        if (next.done) break;
        // Skip entries deleted or re-inserted since the cursor passed them (a re-insert is visited again later).
        if (this.map.get(next.value[0]) === next.value[1]) this.head = next.value;
      }
      if (this.head !== undefined && this.map.get(this.head[0]) === this.head[1]) return this.head;
      this.head = undefined;
      if (fresh || this.map.size === 0) return undefined;
      // An exhausted iterator stays exhausted in JavaScript: start a new one over what was added since.
      this.cursor = this.map.entries();
      fresh = true;
    }
  }

  /**
   * V8 shrinks a Map's table only down to what its deletions allow; after a large expiry, copying
   * the survivors into a fresh Map returns the old table's memory at once.
   */
  private compact(): void {
    if (this.peak > 1024 && this.map.size < this.peak / 4) this.reset(new Map(this.map));
  }

  private reset(map: Map<K, number>): void {
    this.map = map;
    this.cursor = map.entries();
    this.head = undefined;
    this.peak = map.size;
  }

  private evictOldest(): void {
    const oldest = this.oldest();
    if (oldest === undefined) return;
    this.map.delete(oldest[0]);
    this.head = undefined;
    this.evicted++;
  }
}
