import type { Labels, SeriesTable } from '../api';
import { capacityFor, growU32, MetricKind } from '../api';
import { exposedLabels, reservedLabelOf } from './exposed-labels';
import { escapeLabelValue, sanitizeMetricName, unitSuffix, withSuffix } from './names';

export type FamilyType = 'gauge' | 'counter' | 'histogram' | 'summary';

/** How one series is exposed: its family, type, HELP text and pre-rendered labels. */
export interface SeriesMeta {
  /** Family name; for counters without `_total` (samples and the 0.0.4 TYPE line add it). */
  readonly family: string;
  readonly type: FamilyType;
  readonly help: string;
  /** `k="v",k2="v2"` without braces (sorted, sanitised, escaped, const labels merged); may be ''. */
  readonly labelText: string;
}

export interface NamingOptions {
  readonly namespace: string;
  /** Sorted flat pairs added to every series that does not set them. */
  readonly constLabels: Labels;
  readonly addMetricSuffixes: boolean;
}

/**
 * Per-series exposition metadata, computed once and cached by (id, generation): rendering a
 * scrape costs a lookup per series, not a sanitise-and-escape of every label.
 */
export class SeriesMetaCache {
  private metas: (SeriesMeta | undefined)[] = [];
  private gens: Uint32Array = new Uint32Array(256);

  constructor(private readonly series: SeriesTable, private readonly opts: NamingOptions) {}

  get(id: number): SeriesMeta {
    const gen = this.series.generation(id);
    const cached = this.metas[id];
    if (cached !== undefined && this.gens[id] === gen) return cached;
    const meta = this.compute(id);
    if (id >= this.gens.length) this.gens = growU32(this.gens, capacityFor(this.gens.length, id + 1));
    this.metas[id] = meta;
    this.gens[id] = gen;
    return meta;
  }

  private compute(id: number): SeriesMeta {
    const info = this.series.info(id);
    const type = familyType(info.kind);
    let name = sanitizeMetricName(this.opts.namespace ? `${this.opts.namespace}_${info.name}` : info.name);
    if (type === 'counter' && name.endsWith('_total')) name = name.slice(0, -'_total'.length);
    if (this.opts.addMetricSuffixes) name = withSuffix(name, unitSuffix(info.unit));
    return { family: name, type, help: info.description || info.name, labelText: this.labelText(info.labels, reservedLabelOf(info.kind)) };
  }

  /** `k="v",k2="v2"`: the labels by the rules both Prometheus exporters share, escaped. */
  private labelText(labels: Labels, reserved: string | undefined): string {
    const pairs = exposedLabels(labels, this.opts.constLabels, reserved);
    let text = '';
    for (let i = 0; i < pairs.length; i += 2) text += `${text ? ',' : ''}${pairs[i]}="${escapeLabelValue(pairs[i + 1]!)}"`;
    return text;
  }
}

function familyType(kind: MetricKind): FamilyType {
  switch (kind) {
    case MetricKind.COUNTER:
    case MetricKind.DELTA_COUNTER:
      return 'counter';
    case MetricKind.HISTOGRAM:
    case MetricKind.EXP_HISTOGRAM:
      return 'histogram';
    case MetricKind.SUMMARY:
      return 'summary';
    default:
      return 'gauge';
  }
}
