import type { Labels } from '../../model/labels';
import { MetricKind } from '../../model/metric-kind';
import type { SeriesTable } from '../../model/series-table';
import { writeStringKeyValue } from './any-value-writer';
import { jsonLabelPairs } from './json-values';
import { ProtoWriter } from '../../wire/proto-writer';
import { SCOPE_LABEL_PREFIX, SCOPE_NAME_LABEL, SCOPE_VERSION_LABEL } from '../scope-labels';

/** The instrumentation scope of series without `otel_scope_*` labels when labels are not moved back to OTLP. */
export const SCOPE_NAME = 'nissa';

/** Resource attributes the receiver's default `resource_to_labels` turns into `job` and `instance`. */
export const JOB_ATTRIBUTE = 'service.name';
export const INSTANCE_ATTRIBUTE = 'service.instance.id';

export interface SeriesEncodingOptions {
  /**
   * Send labels `job` and `instance` as resource attributes `service.name` and
   * `service.instance.id`, and `otel_scope_name`/`otel_scope_version`/`otel_scope_<key>` as the
   * instrumentation scope (the inverse of the OTLP receiver's mapping), not as point attributes.
   */
  readonly labelsToResource: boolean;
}

/**
 * One distinct resource and scope: the resource attributes as label pairs and as the bytes of a
 * `Resource` body, and the scope as the body of an `InstrumentationScope` and as OTLP/JSON.
 */
export interface ResourceEntry {
  readonly index: number;
  readonly pairs: readonly string[];
  readonly bytes: Uint8Array;
  readonly scope: Uint8Array;
  readonly scopeJson: Readonly<Record<string, unknown>>;
}

/** One OTLP `Metric` under one resource: the series of a name and kind share it. */
export interface MetricGroup {
  readonly index: number;
  readonly resource: number;
  readonly name: string;
  readonly kind: MetricKind;
  readonly unit: string;
  readonly description: string;
}

/** What a series encodes to, computed once per series id and generation. */
export interface EncodedSeries {
  readonly gen: number;
  readonly group: number;
  readonly kind: MetricKind;
  /** Point attributes as flat label pairs (for JSON). */
  readonly pairs: readonly string[];
  /** The same attributes as repeated `KeyValue` fields with the point type's attributes tag. */
  readonly attrs: Uint8Array;
}

/** Tag of the attributes field (field << 3 | 2) in each kind's data point message. */
export function attributesTag(kind: MetricKind): number {
  if (kind === MetricKind.HISTOGRAM) return 0x4a; // HistogramDataPoint.attributes = 9
  if (kind === MetricKind.EXP_HISTOGRAM) return 0x0a; // ExponentialHistogramDataPoint.attributes = 1
  return 0x3a; // NumberDataPoint / SummaryDataPoint.attributes = 7
}

/** Past this many metric groups the maps are dropped whole and refill from traffic (series churn). */
const MAX_GROUPS = 100_000;

/**
 * Per-series encoding state shared by the encoders of one exporter. Entries are trusted only
 * while the table's generation of the id is unchanged (swept ids are reused for other series).
 */
export class SeriesEncodingCache {
  private entries: (EncodedSeries | undefined)[] = [];
  readonly groups: MetricGroup[] = [];
  readonly resources: ResourceEntry[] = [];
  private readonly groupByKey = new Map<string, number>();
  private readonly resourceByKey = new Map<string, number>();
  private readonly scratch = new ProtoWriter(1024);

  constructor(private readonly table: SeriesTable, private readonly options: SeriesEncodingOptions) {}

  /** The encoding of a series, or undefined when the id is no longer in the table. */
  get(id: number): EncodedSeries | undefined {
    if (!this.table.has(id)) return undefined;
    const e = this.entries[id];
    if (e !== undefined && e.gen === this.table.generation(id)) return e;
    return this.build(id);
  }

  /** Drops everything when the groups outgrew their bound; only between batches (group indices change). */
  trim(): void {
    if (this.groups.length >= MAX_GROUPS) this.clear();
  }

  private build(id: number): EncodedSeries {
    const info = this.table.info(id);
    const { pairs, resourcePairs, scopePairs } = this.split(info.labels);
    const resource = this.resourceOf(resourcePairs, scopePairs);
    const groupKey = `${resource}\u0000${info.kind}\u0000${info.name}`;
    let group = this.groupByKey.get(groupKey);
    if (group === undefined) {
      group = this.groups.length;
      this.groups.push({ index: group, resource, name: info.name, kind: info.kind, unit: info.unit ?? '', description: info.description ?? '' });
      this.groupByKey.set(groupKey, group);
    }
    const w = this.scratch;
    w.reset();
    const tag = attributesTag(info.kind);
    for (let i = 0; i < pairs.length; i += 2) writeStringKeyValue(w, tag, pairs[i]!, pairs[i + 1]!);
    const entry: EncodedSeries = { gen: this.table.generation(id), group, kind: info.kind, pairs, attrs: w.written().slice() };
    this.entries[id] = entry;
    return entry;
  }

  /** Splits labels into point attributes, resource attributes (`job`, `instance`) and scope labels (`otel_scope_*`). */
  private split(labels: Labels): { pairs: readonly string[]; resourcePairs: string[]; scopePairs: string[] } {
    if (!this.options.labelsToResource) return { pairs: labels, resourcePairs: [], scopePairs: [] };
    let pairs: string[] | undefined;
    const resourcePairs: string[] = [];
    const scopePairs: string[] = [];
    for (let i = 0; i < labels.length; i += 2) {
      const k = labels[i]!;
      const toResource = k === 'job' || k === 'instance';
      if (toResource || k.startsWith(SCOPE_LABEL_PREFIX)) {
        pairs ??= labels.slice(0, i);
        if (toResource) resourcePairs.push(k === 'job' ? JOB_ATTRIBUTE : INSTANCE_ATTRIBUTE, labels[i + 1]!);
        else scopePairs.push(k, labels[i + 1]!);
      } else if (pairs !== undefined) pairs.push(k, labels[i + 1]!);
    }
    return { pairs: pairs ?? labels, resourcePairs, scopePairs };
  }

  private resourceOf(pairs: string[], scopePairs: string[]): number {
    // Unambiguous whatever the label values hold (a join on separators is not).
    const key = JSON.stringify([pairs, scopePairs]);
    let index = this.resourceByKey.get(key);
    if (index === undefined) {
      const w = this.scratch;
      w.reset();
      for (let i = 0; i < pairs.length; i += 2) writeStringKeyValue(w, 0x0a, pairs[i]!, pairs[i + 1]!);
      const bytes = w.written().slice();
      const scope = this.scopeOf(scopePairs);
      index = this.resources.length;
      this.resources.push({ index, pairs, bytes, ...scope });
      this.resourceByKey.set(key, index);
    }
    return index;
  }

  /** The scope of `otel_scope_*` labels; without any, `nissa` unless labels map back to OTLP (then empty). */
  private scopeOf(scopePairs: string[]): { scope: Uint8Array; scopeJson: Record<string, unknown> } {
    let name = this.options.labelsToResource ? '' : SCOPE_NAME;
    let version = '';
    const attributes: string[] = [];
    for (let i = 0; i < scopePairs.length; i += 2) {
      const k = scopePairs[i]!;
      const v = scopePairs[i + 1]!;
      if (k === SCOPE_NAME_LABEL) name = v;
      else if (k === SCOPE_VERSION_LABEL) version = v;
      else attributes.push(k.slice(SCOPE_LABEL_PREFIX.length), v);
    }
    const w = this.scratch;
    w.reset();
    const json: Record<string, unknown> = {};
    if (name !== '') w.stringField(0x0a, (json['name'] = name));
    if (version !== '') w.stringField(0x12, (json['version'] = version));
    for (let i = 0; i < attributes.length; i += 2) writeStringKeyValue(w, 0x1a, attributes[i]!, attributes[i + 1]!);
    if (attributes.length > 0) json['attributes'] = jsonLabelPairs(attributes);
    return { scope: w.written().slice(), scopeJson: json };
  }

  private clear(): void {
    this.entries = [];
    this.groups.length = 0;
    this.resources.length = 0;
    this.groupByKey.clear();
    this.resourceByKey.clear();
  }
}
