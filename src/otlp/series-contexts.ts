import type { Attributes } from '../model/attributes';
import type { MetricKind } from '../model/metric-kind';
import type { ItemReason } from './item-fault';
import type { PointSequence } from './point-sequence';

/** One distinct resource (by its raw bytes or canonical JSON), decoded once and cached. */
export interface ResourceContext {
  readonly attributes: Attributes;
  /** Labels datapoint attributes may override. */
  readonly promoted: readonly string[];
  /** `job`/`instance`, which override datapoint attributes. */
  readonly identity: readonly string[];
  /** Labels of this resource's `target_info` series; undefined when it gets none. */
  readonly targetLabels: readonly string[] | undefined;
  /** The `target_info` series id once resolved (-1 before), with the table generation it had. */
  targetId: number;
  targetGen: number;
  /** Set when the resource itself is invalid: every item under it is refused for this reason. */
  readonly fault: ItemReason | undefined;
  readonly scopes: Map<string, ScopeContext>;
}

/** One instrumentation scope under one resource (by the scope's raw bytes or canonical JSON). */
export interface ScopeContext {
  readonly resource: ResourceContext;
  /** `otel_scope_*` labels, which override datapoint attributes (empty when scope labels are off). */
  readonly labels: readonly string[];
  /** The resource's fault, else the scope's own (e.g. duplicate scope attribute keys). */
  readonly fault: ItemReason | undefined;
  /** Metrics by name (the first kind seen under that name). */
  readonly metrics: Map<string, MetricContext>;
  /** Metrics whose name came first with another kind, by `kind NUL name`. */
  readonly otherKinds: Map<string, MetricContext>;
}

/** One metric (name + kind) under one resource and scope: caches attribute bytes → series id. */
export interface MetricContext {
  readonly name: string;
  readonly kind: MetricKind;
  readonly meta: { description?: string; unit?: string };
  readonly scope: ScopeContext;
  readonly series: Map<string, CachedSeries>;
  /** Attribute bytes and series of the n-th point of this metric in the last request (see SeriesResolver.predicted). */
  readonly seq: PointSequence;
}

interface CachedSeries {
  readonly id: number;
  readonly gen: number;
}
