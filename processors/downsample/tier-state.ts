import { MomentsArray } from '../../src/sketch/moments';
import { SketchPool } from '../../src/sketch/sketch-pool';
import type { SeriesPins } from './series-pins';
import type { TierSpec } from './tier-spec';

/** How a series is aggregated, from its metric kind. */
export const SeriesClass = { GAUGE: 0, COUNTER: 1, HISTOGRAM: 2 } as const;
export type SeriesClass = (typeof SeriesClass)[keyof typeof SeriesClass];

/** One open window of a tier: which state slot each series has in it. */
export interface OpenWindow {
  readonly start: number;
  readonly end: number;
  /** Slot of each series id in this window, -1 when none. Grows with the largest id seen. */
  stateOf: Int32Array;
  /** Slots opened in this window, in order. */
  members: Int32Array;
  count: number;
}

/**
 * The aggregation state of one tier: a slot per (series, open window) holding moments and, when
 * the tier needs percentiles, a sketch; all in typed arrays indexed by slot.
 */
export class TierState {
  readonly moments = new MomentsArray();
  readonly sketches: SketchPool | undefined;
  sidOf: Uint32Array = new Uint32Array(64);
  classOf = new Uint8Array(64);
  readonly windows = new Map<number, OpenWindow>();
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  private cached: OpenWindow | undefined;
  private readonly spare: Int32Array[] = [];
  private activeSlots = 0;

  constructor(
    readonly spec: TierSpec,
    sketchOptions: { relativeAccuracy: number; maxBins: number },
    private readonly pins: SeriesPins,
  ) {
    this.sketches = spec.needsSketch ? new SketchPool(sketchOptions) : undefined;
  }

  /** Number of open (series, window) states. */
  get size(): number {
    return this.activeSlots;
  }

  /** Bytes of the typed arrays holding this tier's state (memory reports). */
  get byteSize(): number {
    let n = this.moments.byteSize + (this.sketches?.byteSize ?? 0) + this.sidOf.byteLength + this.classOf.byteLength;
    for (const w of this.windows.values()) n += w.stateOf.byteLength + w.members.byteLength;
    for (const a of this.spare) n += a.byteLength;
    return n;
  }

  /** Start of the window containing `ts` (UTC-aligned multiples of the interval). */
  windowStart(ts: number): number {
    const iv = this.spec.intervalMs;
    return ts - (((ts % iv) + iv) % iv);
  }

  /** The open window starting at `start`, created when absent. */
  window(start: number): OpenWindow {
    const c = this.cached;
    if (c !== undefined && c.start === start) return c;
    let w = this.windows.get(start);
    if (w === undefined) {
      const stateOf = this.spare.pop() ?? new Int32Array(1024).fill(-1);
      w = { start, end: start + this.spec.intervalMs, stateOf, members: new Int32Array(64), count: 0 };
      this.windows.set(start, w);
    }
    this.cached = w;
    return w;
  }

  /** The slot of series `sid` in window `w`, opened (empty) when absent. */
  slot(w: OpenWindow, sid: number, cls: SeriesClass): number {
    if (sid < w.stateOf.length) {
      const s = w.stateOf[sid]!;
      if (s >= 0) return s;
    } else {
      w.stateOf = growFilled(w.stateOf, sid + 1);
    }
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.nextSlot++;
    if (slot >= this.sidOf.length) {
      this.sidOf = growU32(this.sidOf, slot + 1);
      const classes = new Uint8Array(this.sidOf.length);
      classes.set(this.classOf);
      this.classOf = classes;
    }
    this.sidOf[slot] = sid;
    this.classOf[slot] = cls;
    this.moments.reset(slot);
    w.stateOf[sid] = slot;
    if (w.count === w.members.length) {
      const m = new Int32Array(w.members.length * 2);
      m.set(w.members);
      w.members = m;
    }
    w.members[w.count++] = slot;
    this.activeSlots++;
    this.pins.acquire(sid);
    return slot;
  }

  /** Removes and returns the windows whose end is at or before `horizon`, oldest first. */
  takeDue(horizon: number): OpenWindow[] {
    const due: OpenWindow[] = [];
    for (const w of this.windows.values()) if (w.end <= horizon) due.push(w);
    if (due.length === 0) return due;
    due.sort((a, b) => a.start - b.start);
    for (const w of due) this.windows.delete(w.start);
    this.cached = undefined;
    return due;
  }

  /** Frees every slot of a taken window and recycles its index array. */
  dispose(w: OpenWindow): void {
    for (let j = 0; j < w.count; j++) {
      const slot = w.members[j]!;
      const sid = this.sidOf[slot]!;
      w.stateOf[sid] = -1;
      this.sketches?.clear(slot);
      this.freeSlots.push(slot);
      this.activeSlots--;
      this.pins.release(sid);
    }
    w.count = 0;
    this.spare.push(w.stateOf);
  }

  /** Drops every open window (their data is checkpointed or abandoned) and unpins their series. */
  disposeAll(): void {
    for (const w of this.windows.values()) this.dispose(w);
    this.windows.clear();
    this.cached = undefined;
  }

  /** Merges every state of window `w` of tier `from` into the same series' states in `target`. */
  mergeWindow(target: OpenWindow, from: TierState, w: OpenWindow): void {
    for (let j = 0; j < w.count; j++) {
      const src = w.members[j]!;
      this.mergeFrom(this.slot(target, from.sidOf[src]!, from.classOf[src]! as SeriesClass), from, src);
    }
  }

  /** Merges slot `src` of tier `from` into slot `dst` of this tier (Chan moments + sketch bins). */
  mergeFrom(dst: number, from: TierState, src: number): void {
    this.moments.mergeFrom(dst, from.moments, src);
    if (this.sketches !== undefined && from.sketches !== undefined) this.sketches.mergeFrom(dst, from.sketches, src);
  }
}

function growFilled(a: Int32Array, min: number): Int32Array {
  let size = a.length * 2;
  while (size < min) size *= 2;
  const b = new Int32Array(size).fill(-1);
  b.set(a);
  return b;
}

function growU32(a: Uint32Array, min: number): Uint32Array {
  let size = a.length * 2;
  while (size < min) size *= 2;
  const b = new Uint32Array(size);
  b.set(a);
  return b;
}
