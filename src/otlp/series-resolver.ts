import type { Attributes } from '../model/attributes';
import { normalizeLabels } from '../model/labels';
import { MetricKind } from '../model/metric-kind';
import type { SeriesTable } from '../model/series-table';
import { ItemFault } from './item-fault';
import { TARGET_INFO, TARGET_INFO_HELP, type ResourcePolicy } from './resource-policy';
import { EMPTY_SCOPE, scopeLabels, type ScopeIdentity } from './scope-labels';
import { MAX_SEQUENCE, PointSequence, type RequestWords } from './point-sequence';
import type { MetricContext, ResourceContext, ScopeContext } from './series-contexts';

export type { MetricContext, ResourceContext, ScopeContext } from './series-contexts';

const MAX_RESOURCES = 1024;
/** Distinct scopes remembered per resource (a scope per request would otherwise grow without bound). */
const MAX_SCOPES = 1024;
const TARGET_META = { description: TARGET_INFO_HELP };
const NO_LABELS: readonly string[] = [];

/**
 * Maps (resource, scope, metric, raw attributes) to series ids. A datapoint whose attribute bytes were
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
    /** Add `otel_scope_*` labels (config `scope_labels`). */
    private readonly withScopeLabels = true,
  ) {}

  /** The context of a resource identified by `key`; `decode` runs only the first time. */
  resource(key: string, decode: () => Attributes): ResourceContext {
    const found = this.resources.get(key);
    if (found !== undefined) return found;
    if (this.resources.size >= MAX_RESOURCES) this.clear();
    let ctx: ResourceContext;
    try {
      const attributes = decode();
      const identity = this.policy.identity(attributes);
      const targetLabels = this.policy.targetInfo(attributes, identity);
      ctx = { attributes, promoted: this.policy.promoted(attributes), identity, targetLabels, targetId: -1, targetGen: 0, fault: undefined, scopes: new Map() };
    } catch (err) {
      if (!(err instanceof ItemFault)) throw err;
      ctx = { attributes: {}, promoted: NO_LABELS, identity: NO_LABELS, targetLabels: undefined, targetId: -1, targetGen: 0, fault: err.reason, scopes: new Map() };
    }
    this.resources.set(key, ctx);
    return ctx;
  }

  /**
   * The context of a scope under `resource`, identified by `key`; `decode` runs only the first
   * time, and not at all when scope labels are off (then every scope of a resource is one context).
   */
  scope(resource: ResourceContext, key: string, decode: () => ScopeIdentity): ScopeContext {
    const k = this.withScopeLabels ? key : '';
    const found = resource.scopes.get(k);
    if (found !== undefined) return found;
    // The whole cache, not just this resource's scopes: their series entries count toward `maxEntries`.
    if (resource.scopes.size >= MAX_SCOPES) this.clear();
    let ctx: ScopeContext;
    try {
      const labels = this.withScopeLabels && resource.fault === undefined ? scopeLabels(k === '' ? EMPTY_SCOPE : decode()) : NO_LABELS;
      ctx = { resource, labels, fault: resource.fault, metrics: new Map(), otherKinds: new Map() };
    } catch (err) {
      if (!(err instanceof ItemFault)) throw err;
      ctx = { resource, labels: NO_LABELS, fault: err.reason, metrics: new Map(), otherKinds: new Map() };
    }
    resource.scopes.set(k, ctx);
    return ctx;
  }

  /**
   * The context of a metric (name + kind) under `scope`. Looked up by name first: names come from
   * the decoded-string cache, so the lookup reuses the string's hash instead of hashing a new
   * `kind + name` key per metric per request; a name seen with two kinds takes the keyed map.
   */
  metric(scope: ScopeContext, name: string, kind: MetricKind, description: string, unit: string): MetricContext {
    const byName = scope.metrics.get(name);
    if (byName !== undefined && byName.kind === kind) return byName;
    const key = kind + '\u0000' + name;
    let metric = scope.otherKinds.get(key);
    if (metric === undefined) {
      const meta: { description?: string; unit?: string } = {};
      if (description !== '') meta.description = description;
      if (unit !== '') meta.unit = unit;
      metric = { name, kind, meta, scope, series: new Map(), seq: new PointSequence() };
      if (byName === undefined) scope.metrics.set(name, metric);
      else scope.otherKinds.set(key, metric);
    }
    return metric;
  }

  /** The series id of the resource's `target_info`, or -1 when it has none; interned once per resource. */
  targetInfo(resource: ResourceContext): number {
    const labels = resource.targetLabels;
    if (labels === undefined) return -1;
    let id = resource.targetId;
    if (id >= 0 && this.table.generation(id) === resource.targetGen) {
      this.table.touch(id);
      return id;
    }
    id = this.table.intern(TARGET_INFO, normalizeLabels(labels), MetricKind.GAUGE, TARGET_META);
    resource.targetId = id;
    resource.targetGen = this.table.generation(id);
    return id;
  }

  /** The cached series id for raw attribute bytes, or -1. Marks the series as seen. */
  cached(metric: MetricContext, key: string): number {
    const hit = metric.series.get(key);
    if (hit === undefined || this.table.generation(hit.id) !== hit.gen) return -1;
    this.table.touch(hit.id);
    return hit.id;
  }

  /**
   * The series of the `index`-th point of a metric when its attribute bytes [start, end) of the
   * request equal those at the same position last time, else -1. Exporters send the same series
   * in the same order every interval, so a byte compare usually replaces hashing a key string.
   * `request` is {@link requestWords} of the request buffer, made once per request.
   */
  predicted(metric: MetricContext, index: number, request: RequestWords, start: number, end: number): number {
    const seq = metric.seq;
    if (!seq.matches(index, request, start, end)) return -1;
    const id = seq.ids[index]!;
    if (this.table.generation(id) !== seq.gens[index]) return -1;
    this.table.touch(id);
    return id;
  }

  /** Remembers the series of the `index`-th point (copies the bytes: the request buffer must not be retained). */
  remember(metric: MetricContext, index: number, buf: Uint8Array, start: number, end: number, id: number): void {
    const seq = metric.seq;
    if (index >= MAX_SEQUENCE || index > seq.length) return;
    if (index === seq.length) {
      // A new slot counts toward the bound like a map entry does.
      if (this.entries >= this.maxEntries) this.clear();
      this.entries++;
    }
    seq.set(index, buf, start, end, id, this.table.generation(id));
  }

  /** Interns the series of datapoint label `pairs` (duplicates already refused); caches it under `key` if given. */
  resolve(metric: MetricContext, pairs: readonly string[], key: string | undefined): number {
    const resource = metric.scope.resource;
    const own = metric.scope.labels;
    const all = resource.promoted.length === 0 && own.length === 0 && resource.identity.length === 0 ? pairs : [...resource.promoted, ...pairs, ...own, ...resource.identity];
    const id = this.table.intern(metric.name, normalizeLabels(all), metric.kind, metric.meta);
    if (key !== undefined) {
      if (this.entries >= this.maxEntries) this.clear();
      metric.series.set(key, { id, gen: this.table.generation(id) });
      this.entries++;
    }
    return id;
  }

  private clear(): void {
    this.resources.clear();
    this.entries = 0;
  }
}
