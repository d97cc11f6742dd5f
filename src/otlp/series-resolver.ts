import type { Attributes } from '../model/attributes';
import { normalizeLabels } from '../model/labels';
import type { MetricKind } from '../model/metric-kind';
import type { SeriesTable } from '../model/series-table';
import { ItemFault, type ItemReason } from './item-fault';
import type { ResourcePolicy } from './resource-policy';

/** One distinct resource (by its raw bytes or canonical JSON), decoded once and cached. */
export interface ResourceContext {
  readonly attributes: Attributes;
  /** Labels datapoint attributes may override. */
  readonly promoted: readonly string[];
  /** `job`/`instance`, which override datapoint attributes. */
  readonly identity: readonly string[];
  /** Set when the resource itself is invalid: every item under it is refused for this reason. */
  readonly fault: ItemReason | undefined;
  readonly metrics: Map<string, MetricScope>;
}

/** One metric (name + kind) under one resource: caches attribute bytes → series id. */
export interface MetricScope {
  readonly name: string;
  readonly kind: MetricKind;
  readonly meta: { description?: string; unit?: string };
  readonly resource: ResourceContext;
  readonly series: Map<string, CachedSeries>;
  /** Attribute bytes and series of the n-th point of this metric in the last request (see {@link SeriesResolver.predicted}). */
  readonly seqBytes: (DataView | undefined)[];
  readonly seqIds: number[];
  readonly seqGens: number[];
}

interface CachedSeries {
  readonly id: number;
  readonly gen: number;
}

const MAX_RESOURCES = 1024;
/** Points per metric whose position is remembered for {@link SeriesResolver.predicted}. */
const MAX_SEQUENCE = 4096;

/**
 * Maps (resource, metric, raw attributes) to series ids. A datapoint whose attribute bytes were
 * seen before costs one Map lookup and a generation check (ids evicted by the table's sweep are
 * detected and re-interned); a new one has its labels built and interned once. The cache is
 * bounded: past `maxEntries` series it is dropped whole and refills from traffic.
 */
export class SeriesResolver {
  private readonly resources = new Map<string, ResourceContext>();
  private entries = 0;

  constructor(
    private readonly table: SeriesTable,
    private readonly policy: ResourcePolicy,
    private readonly maxEntries = 100_000,
  ) {}

  /** The context of a resource identified by `key`; `decode` runs only the first time. */
  resource(key: string, decode: () => Attributes): ResourceContext {
    const found = this.resources.get(key);
    if (found !== undefined) return found;
    if (this.resources.size >= MAX_RESOURCES) this.clear();
    let ctx: ResourceContext;
    try {
      const attributes = decode();
      ctx = { attributes, promoted: this.policy.promoted(attributes), identity: this.policy.identity(attributes), fault: undefined, metrics: new Map() };
    } catch (err) {
      if (!(err instanceof ItemFault)) throw err;
      ctx = { attributes: {}, promoted: [], identity: [], fault: err.reason, metrics: new Map() };
    }
    this.resources.set(key, ctx);
    return ctx;
  }

  scope(resource: ResourceContext, name: string, kind: MetricKind, description: string, unit: string): MetricScope {
    const key = kind + '\u0000' + name;
    let scope = resource.metrics.get(key);
    if (scope === undefined) {
      const meta: { description?: string; unit?: string } = {};
      if (description !== '') meta.description = description;
      if (unit !== '') meta.unit = unit;
      scope = { name, kind, meta, resource, series: new Map(), seqBytes: [], seqIds: [], seqGens: [] };
      resource.metrics.set(key, scope);
    }
    return scope;
  }

  /** The cached series id for raw attribute bytes, or -1. Marks the series as seen. */
  cached(scope: MetricScope, key: string): number {
    const hit = scope.series.get(key);
    if (hit === undefined || this.table.generation(hit.id) !== hit.gen) return -1;
    this.table.touch(hit.id);
    return hit.id;
  }

  /**
   * The series of the `index`-th point of a metric when its attribute bytes [start, end) equal
   * those at the same position last time, else -1. Exporters send the same series in the same
   * order every interval, so a byte compare usually replaces hashing a key string.
   */
  predicted(scope: MetricScope, index: number, view: DataView, start: number, end: number): number {
    const bytes = scope.seqBytes[index];
    const len = end - start;
    if (bytes === undefined || bytes.byteLength !== len) return -1;
    // Four bytes per step: a byte loop costs several times more on ~100-byte attribute sets.
    let i = 0;
    for (; i + 8 <= len; i += 8) {
      if (bytes.getInt32(i) !== view.getInt32(start + i) || bytes.getInt32(i + 4) !== view.getInt32(start + i + 4)) return -1;
    }
    for (; i < len; i++) if (bytes.getUint8(i) !== view.getUint8(start + i)) return -1;
    const id = scope.seqIds[index]!;
    if (this.table.generation(id) !== scope.seqGens[index]) return -1;
    this.table.touch(id);
    return id;
  }

  /** Remembers the series of the `index`-th point (copies the bytes: the request buffer must not be retained). */
  remember(scope: MetricScope, index: number, buf: Uint8Array, start: number, end: number, id: number): void {
    if (index >= MAX_SEQUENCE || index > scope.seqBytes.length) return;
    if (index === scope.seqBytes.length) {
      // A new slot counts toward the bound like a map entry does.
      if (this.entries >= this.maxEntries) this.clear();
      this.entries++;
    }
    const bytes = new Uint8Array(end - start);
    bytes.set(buf.subarray(start, end));
    scope.seqBytes[index] = new DataView(bytes.buffer);
    // Filled in order from index 0, so the arrays stay packed (no holes).
    if (index > scope.seqIds.length) return;
    scope.seqIds[index] = id;
    scope.seqGens[index] = this.table.generation(id);
  }

  /** Interns the series of datapoint label `pairs` (duplicates already refused); caches it under `key` if given. */
  resolve(scope: MetricScope, pairs: readonly string[], key: string | undefined): number {
    const resource = scope.resource;
    const all = resource.promoted.length === 0 && resource.identity.length === 0 ? pairs : [...resource.promoted, ...pairs, ...resource.identity];
    const id = this.table.intern(scope.name, normalizeLabels(all), scope.kind, scope.meta);
    if (key !== undefined) {
      if (this.entries >= this.maxEntries) this.clear();
      scope.series.set(key, { id, gen: this.table.generation(id) });
      this.entries++;
    }
    return id;
  }

  private clear(): void {
    this.resources.clear();
    this.entries = 0;
  }
}
