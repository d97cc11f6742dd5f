/**
 * The records of an {@link ExpiryMap}: a FIFO ring of fixed-size fields in typed arrays, and the
 * keys' text in one byte arena, so that remembering a key creates no JS object, string or Map
 * entry the garbage collector would have to trace or promote.
 *
 * A record is (hash, epoch, text, expiry). The text takes one byte per character when every
 * character is Latin-1 (request ids are ASCII), two (UTF-16 code units) otherwise; it is compared
 * exactly, so different keys are never mistaken for one another whatever their hashes.
 *
 * Records are appended at the tail and leave from the head (the oldest), except deleted ones,
 * which are marked dead in place and skipped when they reach the head. Their text lies in the
 * arena in the same order, so the bytes of the live region are `[start of head, end)`: when the
 * arena runs out, that region is moved to the front in one copy (indices do not change); only
 * when the ring itself is full (or much too large) are the records laid out afresh, and then the
 * caller rebuilds its index.
 */
const MIN_RECORDS = 1024;
const MIN_BYTES = 16 * 1024;
/** `meta` of a deleted record. */
const DEAD = -1;
/** Flag in `meta`: the text is stored as two bytes per character. */
const WIDE = 0x40000000;
const LENGTH = WIDE - 1;

export class KeyRecords {
  /** Ring capacity, a power of two. */
  cap = MIN_RECORDS;
  hashes = new Int32Array(MIN_RECORDS);
  epochs = new Float64Array(MIN_RECORDS);
  /** Expiry in whole seconds (a small integer, so a comparison never allocates). */
  expiry = new Uint32Array(MIN_RECORDS);
  private starts = new Uint32Array(MIN_RECORDS);
  /** Byte length of the text, `| WIDE` when two bytes per character; {@link DEAD} once deleted. */
  private meta = new Int32Array(MIN_RECORDS);
  private bytes = new Uint8Array(MIN_BYTES);
  /** Arena position after the newest record's text. */
  private end = 0;
  private head = 0;
  /** Records in the ring, dead ones included. */
  private count = 0;
  /** Records not deleted. */
  live = 0;

  constructor(private readonly maxLive: number) {}

  /** Bytes of the typed arrays. */
  get byteLength(): number {
    return this.hashes.byteLength + this.epochs.byteLength + this.expiry.byteLength + this.starts.byteLength + this.meta.byteLength + this.bytes.byteLength;
  }

  /** Whether record `i` holds exactly (epoch, text); `wide` as stored by {@link append}. */
  matches(i: number, epoch: number, text: string, wide: boolean): boolean {
    const meta = this.meta[i]!;
    if (meta === DEAD || this.epochs[i] !== epoch) return false;
    const n = text.length;
    if (meta !== (wide ? (n * 2) | WIDE : n)) return false;
    const b = this.bytes;
    let p = this.starts[i]!;
    if (!wide) {
      for (let k = 0; k < n; k++) if (b[p++] !== text.charCodeAt(k)) return false;
      return true;
    }
    for (let k = 0; k < n; k++, p += 2) if ((b[p]! | (b[p + 1]! << 8)) !== text.charCodeAt(k)) return false;
    return true;
  }

  /**
   * Makes room for one more record of `byteLength` text bytes. Returns true when the records were
   * laid out afresh (their indices changed: the caller must index them again).
   */
  ensureRoom(byteLength: number): boolean {
    let relaid = false;
    if (this.count === this.cap) {
      this.relayout(this.capacityFor(this.live + 1), byteLength);
      relaid = true;
    }
    if (this.end + byteLength > this.bytes.length) this.compactBytes(byteLength);
    return relaid;
  }

  /** Appends a record at the tail (after {@link ensureRoom}); returns its index. */
  append(hash: number, epoch: number, text: string, wide: boolean, expirySec: number): number {
    const i = (this.head + this.count) & (this.cap - 1);
    this.count++;
    this.live++;
    this.hashes[i] = hash;
    this.epochs[i] = epoch;
    this.expiry[i] = expirySec;
    this.starts[i] = this.end;
    const b = this.bytes;
    const n = text.length;
    let p = this.end;
    if (wide) {
      for (let k = 0; k < n; k++) {
        const c = text.charCodeAt(k);
        b[p++] = c & 0xff;
        b[p++] = c >>> 8;
      }
      this.meta[i] = (n * 2) | WIDE;
    } else {
      for (let k = 0; k < n; k++) b[p++] = text.charCodeAt(k);
      this.meta[i] = n;
    }
    this.end = p;
    return i;
  }

  /** Marks record `i` deleted; its slot and bytes are reclaimed when it reaches the head. */
  kill(i: number): void {
    this.meta[i] = DEAD;
    this.live--;
  }

  /** Index of the oldest live record (dead records at the head are dropped), or -1 when none. */
  oldest(): number {
    while (this.count > 0) {
      if (this.meta[this.head] !== DEAD) return this.head;
      this.dropHead();
    }
    return -1;
  }

  /** Removes the record {@link oldest} returned. */
  popOldest(): void {
    this.live--;
    this.dropHead();
  }

  /**
   * After a large expiry: lays the records out in smaller arrays so their memory is returned.
   * Returns true when it did (indices changed).
   */
  shrink(): boolean {
    const cap = this.capacityFor(this.live);
    if (cap * 4 > this.cap) return false;
    this.relayout(cap, 0);
    return true;
  }

  clear(): void {
    this.count = 0;
    this.live = 0;
    this.head = 0;
    this.end = 0;
    this.relayout(MIN_RECORDS, 0);
  }

  private dropHead(): void {
    this.head = (this.head + 1) & (this.cap - 1);
    if (--this.count === 0) {
      this.head = 0;
      this.end = 0;
    }
  }

  /** Ring capacity for `n` live records with room to grow, never much above `maxLive`. */
  private capacityFor(n: number): number {
    const want = Math.max(MIN_RECORDS, n, Math.min(Math.ceil(n * 1.5), this.maxLive));
    let cap = MIN_RECORDS;
    while (cap < want) cap *= 2;
    return cap;
  }

  /** Arena size for `used` bytes: a third free, so that moving the live region is paid once per half of it appended. */
  private static arenaFor(used: number): number {
    return Math.max(MIN_BYTES, Math.ceil(used * 1.5));
  }

  /** Moves the live region of the arena to its front, in a larger arena when it would stay over three quarters full. */
  private compactBytes(extra: number): void {
    const from = this.count > 0 ? this.starts[this.head]! : this.end;
    const used = this.end - from;
    if ((used + extra) * 4 > this.bytes.length * 3) {
      const next = new Uint8Array(KeyRecords.arenaFor(used + extra));
      next.set(this.bytes.subarray(from, this.end));
      this.bytes = next;
    } else this.bytes.copyWithin(0, from, this.end);
    for (let k = 0, i = this.head; k < this.count; k++, i = (i + 1) & (this.cap - 1)) this.starts[i]! -= from;
    this.end = used;
  }

  /** Copies the live records, oldest first, to indices 0.. of arrays of `cap` records, text packed. */
  private relayout(cap: number, extra: number): void {
    const hashes = new Int32Array(cap);
    const epochs = new Float64Array(cap);
    const expiry = new Uint32Array(cap);
    const starts = new Uint32Array(cap);
    const meta = new Int32Array(cap);
    let used = 0;
    for (let k = 0, i = this.head; k < this.count; k++, i = (i + 1) & (this.cap - 1)) if (this.meta[i] !== DEAD) used += this.meta[i]! & LENGTH;
    const bytes = new Uint8Array(KeyRecords.arenaFor(used + extra));
    // Texts of consecutive live records are adjacent in the arena: copied a run at a time.
    let n = 0;
    let end = 0;
    let run = -1;
    let runEnd = -1;
    for (let k = 0, i = this.head; k < this.count; k++, i = (i + 1) & (this.cap - 1)) {
      const m = this.meta[i]!;
      if (m === DEAD) continue;
      const len = m & LENGTH;
      const from = this.starts[i]!;
      if (from !== runEnd) {
        if (run >= 0) bytes.set(this.bytes.subarray(run, runEnd), end - (runEnd - run));
        run = from;
      }
      runEnd = from + len;
      hashes[n] = this.hashes[i]!;
      epochs[n] = this.epochs[i]!;
      expiry[n] = this.expiry[i]!;
      meta[n] = m;
      starts[n] = end;
      end += len;
      n++;
    }
    if (run >= 0) bytes.set(this.bytes.subarray(run, runEnd), end - (runEnd - run));
    this.cap = cap;
    this.hashes = hashes;
    this.epochs = epochs;
    this.expiry = expiry;
    this.starts = starts;
    this.meta = meta;
    this.bytes = bytes;
    this.end = end;
    this.head = 0;
    this.count = n;
    this.live = n;
  }
}
