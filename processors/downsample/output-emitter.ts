import type { SeriesTable, SeriesVariant } from '../../src/api';
import { MetricKind, NO_LABELS, normalizeLabels } from '../../src/api';
import { M_COUNT, M_LAST, M_MAX, M_MIN, M_SUM } from '../../src/sketch/moments';
import type { AggSpec } from './aggregations';
import type { AggregateSink } from './output-chunks';
import { Agg } from './aggregations';
import type { OpenWindow, TierState } from './tier-state';
import { SeriesClass } from './tier-state';

export interface NamingOptions {
  readonly naming: 'labels' | 'suffix';
  readonly resolutionLabel: string;
  readonly aggregationLabel: string;
}

/** Output id cache of one tier: `[sid * nAggs + a]`, with generations to notice reused ids. */
interface IdCache {
  readonly nAggs: number;
  /** Series-table variant of each aggregation (gauge aggregations, then counter ones). */
  readonly variants: readonly number[];
  ids: Uint32Array;
  /** Generation + 1 of the output id when cached (0 = empty). */
  outGen: Uint32Array;
  /** Generation + 1 of the input id the row was filled for. */
  inGen: Uint32Array;
}

/**
 * Turns closed states into output points. Output series are derived series of the input series
 * (one table variant per tier and aggregation: no name, labels or key string per output series,
 * see `SeriesTable.derive`), cached in typed arrays; a cached id is trusted only while both its
 * generation and the input's match, so ids freed and reused by the table are derived again.
 */
export class OutputEmitter {
  private readonly caches: IdCache[];

  constructor(
    private readonly series: SeriesTable,
    naming: NamingOptions,
    tiers: readonly TierState[],
  ) {
    this.caches = tiers.map((t) => {
      const variants = [...t.spec.gaugeAggs, ...t.spec.counterAggs].map((a) => series.variant(outputVariant(naming, t.spec.name, a.name)));
      const nAggs = variants.length;
      return { nAggs, variants, ids: new Uint32Array(1024 * nAggs), outGen: new Uint32Array(1024 * nAggs), inGen: new Uint32Array(1024) };
    });
  }

  /** Bytes of the output id caches. */
  get byteSize(): number {
    let n = 0;
    for (const c of this.caches) n += c.ids.byteLength + c.outGen.byteLength + c.inGen.byteLength;
    return n;
  }

  /** Appends the aggregates of every state of a closed window, stamped with its end. */
  emitWindow(tier: TierState, w: OpenWindow, out: AggregateSink): void {
    for (let j = 0; j < w.count; j++) this.emit(tier, w.members[j]!, w.end, out);
  }

  /** Appends the aggregates of one closed state, stamped with the window end. */
  emit(tier: TierState, slot: number, endMs: number, out: AggregateSink): number {
    const sid = tier.sidOf[slot]!;
    const isCounter = tier.classOf[slot] === SeriesClass.COUNTER;
    const aggs = isCounter ? tier.spec.counterAggs : tier.spec.gaugeAggs;
    const base = isCounter ? tier.spec.gaugeAggs.length : 0;
    let emitted = 0;
    for (let a = 0; a < aggs.length; a++) {
      const v = valueOf(tier, slot, aggs[a]!);
      if (Number.isNaN(v)) continue;
      out.push(this.outputId(tier, sid, base + a), endMs, v);
      emitted++;
    }
    return emitted;
  }

  private outputId(tier: TierState, sid: number, a: number): number {
    const cache = this.caches[tier.spec.index]!;
    if (sid >= cache.inGen.length) grow(cache, sid + 1);
    const inGen = this.series.generation(sid) + 1;
    const k = sid * cache.nAggs + a;
    if (cache.inGen[sid] !== inGen) {
      cache.outGen.fill(0, sid * cache.nAggs, (sid + 1) * cache.nAggs);
      cache.inGen[sid] = inGen;
    } else if (cache.outGen[k] !== 0 && cache.outGen[k] === this.series.generation(cache.ids[k]!) + 1) {
      this.series.touch(cache.ids[k]!);
      return cache.ids[k]!;
    }
    const id = this.series.derive(sid, cache.variants[a]!);
    cache.ids[k] = id;
    cache.outGen[k] = this.series.generation(id) + 1;
    return id;
  }

}

/** Output series of one tier and aggregation: `<name>:<tier>:<agg>`, or resolution/agg labels. */
function outputVariant(naming: NamingOptions, tierName: string, aggName: string): SeriesVariant {
  if (naming.naming === 'suffix') return { nameSuffix: `:${tierName}:${aggName}`, labels: NO_LABELS, kind: MetricKind.GAUGE };
  return { nameSuffix: '', labels: normalizeLabels([naming.resolutionLabel, tierName, naming.aggregationLabel, aggName]), kind: MetricKind.GAUGE };
}

/** The value of one aggregation of a state; NaN when it does not apply (then nothing is emitted). */
export function valueOf(tier: TierState, slot: number, spec: AggSpec): number {
  const m = tier.moments;
  const count = m.get(slot, M_COUNT);
  switch (spec.agg) {
    case Agg.MEAN: return count > 0 ? m.get(slot, M_SUM) / count : NaN;
    case Agg.MIN: return m.get(slot, M_MIN);
    case Agg.MAX: return m.get(slot, M_MAX);
    case Agg.COUNT: return count;
    case Agg.SUM: return m.get(slot, M_SUM);
    case Agg.LAST: return m.get(slot, M_LAST);
    case Agg.STDDEV: return m.stddev(slot);
    case Agg.INCREASE: return m.get(slot, M_SUM);
    case Agg.RATE: return m.get(slot, M_SUM) / (tier.spec.intervalMs / 1000);
    case Agg.QUANTILE: {
      const q = tier.sketches?.quantile(slot, spec.q) ?? NaN;
      // The sketch's answer is within the relative error; the true extremes are known exactly.
      return Math.min(Math.max(q, m.get(slot, M_MIN)), m.get(slot, M_MAX));
    }
  }
  return NaN;
}

function grow(cache: IdCache, min: number): void {
  let size = cache.inGen.length * 2;
  while (size < min) size *= 2;
  const ids = new Uint32Array(size * cache.nAggs);
  ids.set(cache.ids);
  cache.ids = ids;
  const outGen = new Uint32Array(size * cache.nAggs);
  outGen.set(cache.outGen);
  cache.outGen = outGen;
  const inGen = new Uint32Array(size);
  inGen.set(cache.inGen);
  cache.inGen = inGen;
}
