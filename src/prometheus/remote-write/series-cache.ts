import { isComplexKind, type Labels, type MetricKind, type SeriesTable } from '../../api';
import { LabelArena } from './label-arena';
import { exposedLabels, reservedLabelOf } from '../exposed-labels';
import { encodeLabelSet } from './label-set';
import { encodeMetadata, metadataTypeOf } from './metadata';
import { prometheusMetricName } from './naming';

export interface SeriesCacheOptions {
  /** Sorted flat pairs added to every series that does not set them. */
  readonly externalLabels: Labels;
  /** Append unit words and `_total` (OTel naming); off for a pure Prometheus relay. */
  readonly addSuffixes: boolean;
}

/** What the encoder needs of one series, computed once per series id and generation. */
export interface EncodedSeries {
  readonly gen: number;
  readonly kind: MetricKind;
  /** Prometheus family name (after sanitising and suffixes). */
  readonly family: string;
  /** Sorted label pairs; kept only for histograms and summaries, whose derived series need them. */
  readonly pairs: readonly string[] | undefined;
  /** Label bytes of the series itself (gauges, counters); derived series use {@link SeriesCache.derived}. */
  plain: Uint8Array | undefined;
  derivedBytes: Map<string, Uint8Array> | undefined;
  metadata: Uint8Array | undefined;
}

/**
 * Caches each series' encoded label bytes by series id. An entry is valid while the table's
 * generation of the id is unchanged; evicted ids are forgotten through `onEvict`.
 */
export class SeriesCache {
  private entries: (EncodedSeries | undefined)[] = [];
  private readonly arena = new LabelArena();
  private readonly unsubscribe: () => void;

  constructor(private readonly table: SeriesTable, private readonly opts: SeriesCacheOptions) {
    this.unsubscribe = table.onEvict((ids) => {
      for (const id of ids) this.entries[id] = undefined;
    });
  }

  get(id: number): EncodedSeries {
    const e = this.entries[id];
    if (e !== undefined && e.gen === this.table.generation(id)) return e;
    return this.build(id);
  }

  /** Label bytes of the series itself. */
  plain(e: EncodedSeries): Uint8Array {
    return (e.plain ??= this.arena.copy(encodeLabelSet(e.family, e.pairs ?? [])));
  }

  /** Label bytes of a derived series: `family + suffix`, with an extra label (`le`, `quantile`) when given. */
  derived(e: EncodedSeries, suffix: string, extraName?: string, extraValue?: string): Uint8Array {
    const key = extraName === undefined ? suffix : `${suffix}\u0000${extraValue}`;
    const map = (e.derivedBytes ??= new Map());
    let bytes = map.get(key);
    if (bytes === undefined) {
      bytes = this.arena.copy(encodeLabelSet(e.family + suffix, e.pairs ?? [], extraName, extraValue));
      map.set(key, bytes);
    }
    return bytes;
  }

  /** The `metadata` field (3) of the series' family, with tag and length. */
  metadata(e: EncodedSeries, help: string | undefined, unit: string | undefined): Uint8Array {
    return (e.metadata ??= encodeMetadata(metadataTypeOf(e.kind), e.family, help ?? '', unit ?? ''));
  }

  dispose(): void {
    this.unsubscribe();
    this.entries = [];
  }

  private build(id: number): EncodedSeries {
    const info = this.table.info(id);
    const family = prometheusMetricName(info.name, info.kind, info.unit, this.opts.addSuffixes);
    const pairs = exposedLabels(info.labels, this.opts.externalLabels, reservedLabelOf(info.kind));
    const complex = isComplexKind(info.kind);
    const e: EncodedSeries = {
      gen: this.table.generation(id),
      kind: info.kind,
      family,
      pairs: complex ? pairs : undefined,
      plain: complex ? undefined : this.arena.copy(encodeLabelSet(family, pairs)),
      derivedBytes: undefined,
      metadata: undefined,
    };
    this.entries[id] = e;
    return e;
  }
}
