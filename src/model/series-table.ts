import { MetricKind } from './metric-kind';
import { Labels, seriesKey } from './labels';
import type { SeriesVariant } from './series-variants';
import { overridesLabel, VariantRegistry, variantLabels } from './series-variants';
import { capacityFor, growF64, growI32, growU32 } from './typed-arrays';

export type { SeriesVariant } from './series-variants';

/** What a series is, as stored once in the table. */
export interface SeriesInfo {
  readonly name: string;
  readonly labels: Labels;
  readonly kind: MetricKind;
  /** Optional description and unit (from OTLP), kept once per series for exporters' HELP lines. */
  readonly description?: string;
  readonly unit?: string;
}

export type EvictListener = (ids: Uint32Array) => void;

/** Stands in `infos` for a derived series: its info is built from its parent's when asked. */
const DERIVED: SeriesInfo = Object.freeze({ name: '', labels: Object.freeze([]), kind: MetricKind.GAUGE });
/** Derived infos built recently, direct-mapped by id: bounded, and enough for per-point `info()` callers. */
const INFO_CACHE_SIZE = 2048;

/**
 * Interns series (metric name + sorted labels) to small numeric ids, so batches carry ids and
 * never label objects. One table per process ({@link seriesTable}), shared by every stage.
 *
 * Lifetime: every batch builder `touch`es its ids. {@link sweep} frees ids that were not touched
 * for a while and are not pinned with {@link retain}; freed ids are reused, so anything that caches
 * an id must either listen to {@link onEvict} or check {@link generation}.
 *
 * Derived series ({@link derive}): a series identified by a parent id and a registered
 * {@link SeriesVariant} costs a few typed-array entries and no JS object or key string; its info
 * is built from the parent's when asked. It behaves as any other series: `intern`/`lookup` of its
 * name and labels find it, a derived and a plain series never share a name and labels, and it is
 * swept, retained and released alike. A parent is not swept while it has derived series.
 */
export class SeriesTable {
  private readonly byKey = new Map<string, number>();
  private infos: (SeriesInfo | undefined)[] = [];
  private keys: (string | undefined)[] = [];
  private lastSeenMs: Float64Array = new Float64Array(1024);
  private refs: Uint32Array = new Uint32Array(1024);
  private gens: Uint32Array = new Uint32Array(1024);
  private readonly free: number[] = [];
  private readonly listeners: EvictListener[] = [];
  private nowMs = Date.now();
  // Derived series: parent and variant per id; children of a parent as a linked list (-1 ends).
  private readonly variants = new VariantRegistry();
  private parentOf: Uint32Array = new Uint32Array(1024);
  private variantOf: Uint16Array = new Uint16Array(1024);
  private firstChild: Int32Array = new Int32Array(1024).fill(-1);
  private nextSibling: Int32Array = new Int32Array(1024).fill(-1);
  private derivedCount = 0;
  /**
   * Plain series whose name and labels read as a registered variant (flag per id, and how many):
   * while there is none, {@link derive} knows no plain series can hold a derived key without
   * building the key to look.
   */
  private shadow: Uint8Array = new Uint8Array(1024);
  private shadowCount = 0;
  /** Variants were registered while plain series existed: flag shadows before the next derive. */
  private shadowScanPending = false;
  private readonly infoCacheIds = new Int32Array(INFO_CACHE_SIZE).fill(-1);
  private readonly infoCacheGens = new Uint32Array(INFO_CACHE_SIZE);
  private readonly infoCache: (SeriesInfo | undefined)[] = new Array<SeriesInfo | undefined>(INFO_CACHE_SIZE);

  /** Number of live series. */
  get size(): number {
    return this.byKey.size + this.derivedCount;
  }

  /** Sets the coarse "now" used by {@link touch}; the runtime ticks it once a second. */
  setNow(ms: number): void {
    this.nowMs = ms;
  }

  /** Returns the id of the series, creating it when new. `labels` must be normalized (sorted). */
  intern(name: string, labels: Labels, kind: MetricKind, meta?: { description?: string; unit?: string }): number {
    const key = seriesKey(name, labels);
    const found = this.byKey.get(key);
    if (found !== undefined) {
      this.lastSeenMs[found] = this.nowMs;
      return found;
    }
    let shadow = false;
    if (this.variants.size > 0) {
      const derived = this.findDerived(name, labels);
      if (derived >= 0) {
        this.lastSeenMs[derived] = this.nowMs;
        return derived;
      }
      shadow = derived === SHADOW;
    }
    const id = this.allocate();
    const info: SeriesInfo = { name, labels, kind, ...(meta?.description ? { description: meta.description } : {}), ...(meta?.unit ? { unit: meta.unit } : {}) };
    this.infos[id] = info;
    this.keys[id] = key;
    this.byKey.set(key, id);
    if (shadow) {
      this.shadow[id] = 1;
      this.shadowCount++;
    }
    return id;
  }

  /** The id of an existing series, or undefined. */
  lookup(name: string, labels: Labels): number | undefined {
    const found = this.byKey.get(seriesKey(name, labels));
    if (found !== undefined || this.variants.size === 0) return found;
    const derived = this.findDerived(name, labels);
    return derived >= 0 ? derived : undefined;
  }

  /**
   * Registers a variant (once per stage and output kind, not per series) and returns its number
   * for {@link derive}. Registering an equal variant (same suffix and labels) returns the same number.
   */
  variant(v: SeriesVariant): number {
    const { variant, isNew } = this.variants.register(v);
    // A stage registers its variants together: one scan for all of them, when first needed.
    if (isNew && this.byKey.size > 0) this.shadowScanPending = true;
    return variant;
  }

  /**
   * The id of variant `variant` of series `parent`, creating it when new; touches it. The same
   * series as `intern(parent name + suffix, parent labels + variant labels, kind)` would give, at
   * a fraction of the memory. A parent that already has one of the variant's label keys gets a
   * plain series (the variant's value overrides the parent's, as `withLabel` does).
   * Callers cache the result with {@link generation}: finding an existing child walks the parent's children.
   */
  derive(parent: number, variant: number): number {
    for (let c = this.firstChild[parent]!; c >= 0; c = this.nextSibling[c]!) {
      if (this.variantOf[c] === variant) {
        this.lastSeenMs[c] = this.nowMs;
        return c;
      }
    }
    const parentInfo = this.info(parent);
    const v = this.variants.get(variant);
    if (this.shadowScanPending) this.markShadows();
    if (overridesLabel(parentInfo.labels, v)) return this.intern(parentInfo.name + v.nameSuffix, variantLabels(parentInfo.labels, v), v.kind, parentInfo);
    if (this.shadowCount > 0) {
      const found = this.byKey.get(seriesKey(parentInfo.name + v.nameSuffix, variantLabels(parentInfo.labels, v)));
      if (found !== undefined) {
        this.lastSeenMs[found] = this.nowMs;
        return found;
      }
    }
    const id = this.allocate();
    this.infos[id] = DERIVED;
    this.parentOf[id] = parent;
    this.variantOf[id] = variant;
    this.nextSibling[id] = this.firstChild[parent]!;
    this.firstChild[parent] = id;
    this.derivedCount++;
    return id;
  }

  info(id: number): SeriesInfo {
    const info = this.infos[id];
    if (info === undefined) throw new Error(`unknown series id ${id}`);
    return info === DERIVED ? this.derivedInfo(id) : info;
  }

  has(id: number): boolean {
    return this.infos[id] !== undefined;
  }

  /** Incremented each time the id is freed; cache `(id, generation)` pairs to detect reuse. */
  generation(id: number): number {
    return this.gens[id] ?? 0;
  }

  /** Marks the id as seen now. Cheap: one typed-array store. */
  touch(id: number): void {
    this.lastSeenMs[id] = this.nowMs;
  }

  /** Pins the id so that {@link sweep} keeps it (stateful stages pin what they hold). */
  retain(id: number): void {
    this.refs[id]!++;
  }

  release(id: number): void {
    if (this.refs[id]! > 0) this.refs[id]!--;
  }

  onEvict(listener: EvictListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /**
   * Frees every unpinned series not touched since `olderThanMs`; returns how many were freed.
   * A series with derived series is kept; once they are freed it is freed in the same call when due.
   */
  sweep(olderThanMs: number): number {
    let total = 0;
    for (;;) {
      const evicted: number[] = [];
      for (let id = 0; id < this.infos.length; id++) {
        // A parent stays while it has derived series: they are built from its info.
        if (this.infos[id] !== undefined && this.refs[id] === 0 && this.firstChild[id] === -1 && this.lastSeenMs[id]! < olderThanMs) evicted.push(id);
      }
      if (evicted.length === 0) return total;
      const ids = Uint32Array.from(evicted);
      for (const listener of this.listeners) listener(ids);
      let unpinned = false;
      for (const id of evicted) unpinned = this.remove(id) || unpinned;
      total += evicted.length;
      if (!unpinned) return total;
    }
  }

  /** Forgets one id; true when that freed the last derived series of its parent. */
  private remove(id: number): boolean {
    let unpinned = false;
    if (this.infos[id] === DERIVED) {
      const parent = this.parentOf[id]!;
      this.unlinkChild(parent, id);
      unpinned = this.firstChild[parent] === -1;
      this.derivedCount--;
    } else {
      this.byKey.delete(this.keys[id]!);
      if (this.shadow[id] === 1) {
        this.shadow[id] = 0;
        this.shadowCount--;
      }
    }
    this.infos[id] = undefined;
    this.keys[id] = undefined;
    this.gens[id]!++;
    this.free.push(id);
    return unpinned;
  }

  private unlinkChild(parent: number, id: number): void {
    const next = this.nextSibling[id]!;
    this.nextSibling[id] = -1;
    if (this.firstChild[parent] === id) {
      this.firstChild[parent] = next;
      return;
    }
    for (let c = this.firstChild[parent]!; c >= 0; c = this.nextSibling[c]!) {
      if (this.nextSibling[c] === id) {
        this.nextSibling[c] = next;
        return;
      }
    }
  }

  private allocate(): number {
    const id = this.free.length > 0 ? this.free.pop()! : this.infos.length;
    if (id >= this.lastSeenMs.length) this.grow(id + 1);
    this.lastSeenMs[id] = this.nowMs;
    this.firstChild[id] = -1;
    return id;
  }

  /** The derived series named (name, labels): its id, {@link SHADOW} if only the form matches, or -1. */
  private findDerived(name: string, labels: Labels): number {
    const matches = this.variants.match(name, labels);
    if (matches === undefined) return -1;
    for (const m of matches) {
      const parent = this.lookup(m.parentName, m.parentLabels);
      if (parent === undefined) continue;
      for (let c = this.firstChild[parent]!; c >= 0; c = this.nextSibling[c]!) if (this.variantOf[c] === m.variant) return c;
    }
    return SHADOW;
  }

  /** Variants registered while plain series exist: flags the series that already have a variant's form. */
  private markShadows(): void {
    this.shadowScanPending = false;
    for (let id = 0; id < this.infos.length; id++) {
      const info = this.infos[id];
      if (info === undefined || info === DERIVED || this.shadow[id] === 1) continue;
      if (this.variants.match(info.name, info.labels) === undefined) continue;
      this.shadow[id] = 1;
      this.shadowCount++;
    }
  }

  private derivedInfo(id: number): SeriesInfo {
    const slot = id & (INFO_CACHE_SIZE - 1);
    const gen = this.gens[id]!;
    if (this.infoCacheIds[slot] === id && this.infoCacheGens[slot] === gen) return this.infoCache[slot]!;
    const parent = this.info(this.parentOf[id]!);
    const v = this.variants.get(this.variantOf[id]!);
    const info: SeriesInfo = {
      name: v.nameSuffix === '' ? parent.name : parent.name + v.nameSuffix,
      labels: variantLabels(parent.labels, v),
      kind: v.kind,
      ...(parent.description ? { description: parent.description } : {}),
      ...(parent.unit ? { unit: parent.unit } : {}),
    };
    this.infoCacheIds[slot] = id;
    this.infoCacheGens[slot] = gen;
    this.infoCache[slot] = info;
    return info;
  }

  private grow(min: number): void {
    const cap = capacityFor(this.lastSeenMs.length, min);
    this.lastSeenMs = growF64(this.lastSeenMs, cap);
    this.refs = growU32(this.refs, cap);
    this.gens = growU32(this.gens, cap);
    this.parentOf = growU32(this.parentOf, cap);
    const variantOf = new Uint16Array(cap);
    variantOf.set(this.variantOf);
    this.variantOf = variantOf;
    this.firstChild = growI32(this.firstChild, cap, -1);
    this.nextSibling = growI32(this.nextSibling, cap, -1);
    const shadow = new Uint8Array(cap);
    shadow.set(this.shadow);
    this.shadow = shadow;
  }
}

/** {@link SeriesTable.findDerived}: the name and labels have a variant's form, but no such series exists. */
const SHADOW = -2;

/** The process-wide series table shared by all stages. */
export const seriesTable = new SeriesTable();
