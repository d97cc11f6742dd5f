import { MetricKind } from './metric-kind';
import { Labels, seriesKey } from './labels';
import { capacityFor, growF64, growU32 } from './typed-arrays';

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

/**
 * Interns series (metric name + sorted labels) to small numeric ids, so batches carry ids and
 * never label objects. One table per process ({@link seriesTable}), shared by every stage.
 *
 * Lifetime: every batch builder `touch`es its ids. {@link sweep} frees ids that were not touched
 * for a while and are not pinned with {@link retain}; freed ids are reused, so anything that caches
 * an id must either listen to {@link onEvict} or check {@link generation}.
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

  /** Number of live series. */
  get size(): number {
    return this.byKey.size;
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
    const id = this.free.length > 0 ? this.free.pop()! : this.infos.length;
    if (id >= this.lastSeenMs.length) this.grow(id + 1);
    const info: SeriesInfo = { name, labels, kind, ...(meta?.description ? { description: meta.description } : {}), ...(meta?.unit ? { unit: meta.unit } : {}) };
    this.infos[id] = info;
    this.keys[id] = key;
    this.byKey.set(key, id);
    this.lastSeenMs[id] = this.nowMs;
    return id;
  }

  /** The id of an existing series, or undefined. */
  lookup(name: string, labels: Labels): number | undefined {
    return this.byKey.get(seriesKey(name, labels));
  }

  info(id: number): SeriesInfo {
    const info = this.infos[id];
    if (info === undefined) throw new Error(`unknown series id ${id}`);
    return info;
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

  /** Frees every unpinned series not touched since `olderThanMs`; returns how many were freed. */
  sweep(olderThanMs: number): number {
    const evicted: number[] = [];
    for (let id = 0; id < this.infos.length; id++) {
      if (this.infos[id] !== undefined && this.refs[id] === 0 && this.lastSeenMs[id]! < olderThanMs) evicted.push(id);
    }
    if (evicted.length === 0) return 0;
    const ids = Uint32Array.from(evicted);
    for (const listener of this.listeners) listener(ids);
    for (const id of evicted) {
      this.byKey.delete(this.keys[id]!);
      this.infos[id] = undefined;
      this.keys[id] = undefined;
      this.gens[id]!++;
      this.free.push(id);
    }
    return evicted.length;
  }

  private grow(min: number): void {
    const cap = capacityFor(this.lastSeenMs.length, min);
    this.lastSeenMs = growF64(this.lastSeenMs, cap);
    this.refs = growU32(this.refs, cap);
    this.gens = growU32(this.gens, cap);
  }
}

/** The process-wide series table shared by all stages. */
export const seriesTable = new SeriesTable();
