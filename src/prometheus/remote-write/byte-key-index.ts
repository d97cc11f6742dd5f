import { growI32, growU32 } from '../../api';
import { hashSeed, mixBytes } from '../../wire/byte-hash';
import { sameBytes } from '../../wire/same-bytes';

const EMPTY = -1;
const INITIAL_ARENA_BYTES = 64 * 1024;
const INITIAL_KEYS = 1024;

/**
 * Dense numbers (0, 1, 2...) for byte strings, here the raw label bytes of a TimeSeries, with no
 * JS object per key: the bytes live in one arena, the hash table is a typed array (open
 * addressing), so a million keys cost the GC nothing to trace.
 *
 * Senders repeat their series in the same order request after request, so the index also
 * remembers which key followed each key last time ({@link hint}): checking that one costs a single
 * byte comparison and no hashing. Successors rather than positions, because a sender with several
 * shards (Prometheus, vmagent, Nissa) splits its series over requests that arrive interleaved:
 * each shard's run of series repeats, but not at the same positions of "the previous request".
 * Lookups are exact (bytes compared), never hash-only, so two series can never be taken for one
 * another.
 */
export class ByteKeyIndex {
  // Set by clear(), which the constructor calls.
  private arena!: Buffer;
  private arenaView!: DataView;
  /** A view of the buffer last compared against (requests are compared many times in a row). */
  private other: Uint8Array | undefined;
  private otherView: DataView | undefined;
  private used = 0;
  private starts!: Uint32Array;
  private lengths!: Uint32Array;
  private hashes!: Int32Array;
  private slots!: Int32Array;
  /** Per key, the key settled right after it last time. */
  private successors!: Int32Array;
  /** The key that opened the last request, the hint for the first series of the next one. */
  private firstOfRequest = EMPTY;
  /** The key settled last in the current request; EMPTY before the first. */
  private previous = EMPTY;
  private count = 0;

  constructor() {
    this.clear();
  }

  /** Number of keys held. */
  get size(): number {
    return this.count;
  }

  /** Call before each request: the first hint is the key that opened the last one. */
  beginRequest(): void {
    this.previous = EMPTY;
  }

  /** Drops the view of the last buffer compared, so a request body is not kept alive. */
  endRequest(): void {
    this.other = undefined;
    this.otherView = undefined;
  }

  /** The key that followed the previously settled one last time (at a request's start: the last request's first key), or -1. */
  hint(): number {
    const prev = this.previous;
    return prev === EMPTY ? this.firstOfRequest : this.successors[prev]!;
  }

  /** Records `key` as the next one of the current request (the successor of the one before). */
  settle(key: number): void {
    const prev = this.previous;
    if (prev === EMPTY) this.firstOfRequest = key;
    else this.successors[prev] = key;
    this.previous = key;
  }

  keyLength(key: number): number {
    return this.lengths[key]!;
  }

  /** Whether `buf[start, end)` are exactly the bytes of `key`. */
  matches(key: number, buf: Uint8Array, start: number, end: number): boolean {
    const len = end - start;
    if (this.lengths[key] !== len) return false;
    return sameBytes(this.arenaView, this.starts[key]!, this.viewOf(buf), start, len);
  }

  /** The hash {@link lookup} and {@link add} use for `buf[start, end)`. */
  hash(buf: Uint8Array, start: number, end: number): number {
    const h = mixBytes(hashSeed(end - start), this.viewOf(buf), buf, start, end);
    // Slots take the low bits: fold the high ones in.
    return h ^ (h >>> 15);
  }

  /**
   * The key equal to `buf[start, end)`, or -1 (hashes, then compares bytes). A caller that adds
   * the bytes on a miss passes the same `h` ({@link hash}) to both, so they are hashed once.
   */
  lookup(buf: Uint8Array, start: number, end: number, h = this.hash(buf, start, end)): number {
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const k = this.slots[s]!;
      if (k === EMPTY) return EMPTY;
      if (this.hashes[k] === h && this.matches(k, buf, start, end)) return k;
    }
  }

  /** Adds `buf[start, end)` (absent: check with {@link lookup} first) and returns its number. */
  add(buf: Uint8Array, start: number, end: number, h = this.hash(buf, start, end)): number {
    const len = end - start;
    const k = this.count++;
    if (k >= this.starts.length) {
      const cap = this.starts.length * 2;
      this.starts = growU32(this.starts, cap);
      this.lengths = growU32(this.lengths, cap);
      this.hashes = growI32(this.hashes, cap);
      this.successors = growI32(this.successors, cap, EMPTY);
    }
    if (this.used + len > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + len));
      this.arena.copy(bigger, 0, 0, this.used);
      this.arena = bigger;
      this.arenaView = dataViewOf(bigger);
    }
    this.arena.set(buf.subarray(start, end), this.used);
    this.starts[k] = this.used;
    this.lengths[k] = len;
    this.used += len;
    this.hashes[k] = h;
    // Load factor at most one half keeps probe runs short.
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(k, h);
    return k;
  }

  /** Forgets every key and gives their memory back (a bound under label churn); numbers restart at 0. */
  clear(): void {
    this.used = 0;
    this.count = 0;
    // Back to the initial sizes: a burst of label churn must not stay resident for good.
    this.arena = Buffer.allocUnsafe(INITIAL_ARENA_BYTES);
    this.arenaView = dataViewOf(this.arena);
    this.starts = new Uint32Array(INITIAL_KEYS);
    this.lengths = new Uint32Array(INITIAL_KEYS);
    this.hashes = new Int32Array(INITIAL_KEYS);
    this.slots = new Int32Array(2 * INITIAL_KEYS).fill(EMPTY);
    this.successors = new Int32Array(INITIAL_KEYS).fill(EMPTY);
    this.firstOfRequest = EMPTY;
    this.previous = EMPTY;
  }

  /** A view of `buf`, kept for the buffer last seen (requests are read many times in a row). */
  private viewOf(buf: Uint8Array): DataView {
    if (buf !== this.other) {
      this.other = buf;
      this.otherView = dataViewOf(buf);
    }
    return this.otherView!;
  }

  private place(k: number, h: number): void {
    const mask = this.slots.length - 1;
    let s = h & mask;
    while (this.slots[s] !== EMPTY) s = (s + 1) & mask;
    this.slots[s] = k;
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity).fill(EMPTY);
    for (let k = 0; k < this.count; k++) this.place(k, this.hashes[k]!);
  }
}

function dataViewOf(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}
