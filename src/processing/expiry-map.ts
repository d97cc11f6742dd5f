/**
 * A set of keys that expire, bounded in size, for de-duplication. One `Map<key, expiry>` doubles
 * as the FIFO: Maps iterate in insertion order, and every key of one instance has the same TTL,
 * so insertion order is expiry order. Expiry is stored in whole seconds so V8 keeps it as a small
 * integer (no heap number per entry).
 *
 * Cleanup walks from the oldest key and stops at the first live one, in chunks, yielding to the
 * event loop between chunks so ingestion never stalls behind it.
 */
export interface ExpiryMapStats {
  readonly cleaned: number;
  readonly evicted: number;
}

export class ExpiryMap {
  private map = new Map<string, number>();
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
  add(key: string, nowMs: number): boolean {
    const nowSec = Math.floor(nowMs / 1000);
    const expiry = this.map.get(key);
    if (expiry !== undefined) {
      if (expiry > nowSec) return false;
      // Expired but not yet cleaned: re-insert at the end so the FIFO stays in expiry order.
      this.map.delete(key);
    }
    if (this.map.size >= this.maxEntries) this.evictOldest();
    this.map.set(key, Math.ceil((nowMs + this.ttlMs) / 1000));
    if (this.map.size > this.peak) this.peak = this.map.size;
    return true;
  }

  has(key: string, nowMs: number): boolean {
    const expiry = this.map.get(key);
    return expiry !== undefined && expiry > Math.floor(nowMs / 1000);
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
    this.map = new Map();
    this.peak = 0;
  }

  private async runCleanup(nowMs: number, chunk: number, yieldFn: () => Promise<void>): Promise<number> {
    const nowSec = Math.floor(nowMs / 1000);
    let removed = 0;
    // One live iterator across yields: Map iterators survive deletions and rehashing, and a fresh
    // one per chunk would re-skip every hole left by the chunks before.
    const it = this.map.entries();
    let inChunk = 0;
    for (let next = it.next(); !next.done; next = it.next()) {
      const [key, expiry] = next.value;
      if (expiry > nowSec) break;
      this.map.delete(key);
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

  /**
   * V8 shrinks a Map's table only down to what its deletions allow; after a large expiry, copying
   * the survivors into a fresh Map returns the old table's memory at once.
   */
  private compact(): void {
    if (this.peak > 1024 && this.map.size < this.peak / 4) {
      this.map = new Map(this.map);
      this.peak = this.map.size;
    }
  }

  private evictOldest(): void {
    const oldest = this.map.keys().next();
    if (oldest.done) return;
    this.map.delete(oldest.value);
    this.evicted++;
  }
}
