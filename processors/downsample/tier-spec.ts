import { parseDuration } from '../../src/api';
import type { AggSpec } from './aggregations';
import { hasQuantile, parseAgg } from './aggregations';
import type { TierConfig } from './config';

/** A tier after validation: intervals in ms, aggregations parsed, the cascade resolved. */
export interface TierSpec {
  readonly index: number;
  readonly name: string;
  readonly intervalMs: number;
  /** Index of the source tier, -1 for raw. */
  readonly source: number;
  readonly gaugeAggs: readonly AggSpec[];
  readonly counterAggs: readonly AggSpec[];
  /** Tiers rolled up from this one. */
  readonly children: readonly number[];
  /** Whether this tier keeps sketches: it emits a percentile, or a tier built from it does. */
  readonly needsSketch: boolean;
}

/** Validates the tier list (names unique, sources earlier, intervals multiples) and resolves it. */
export function resolveTiers(tiers: readonly TierConfig[]): TierSpec[] {
  const names = new Map<string, number>();
  const partial = tiers.map((t, index) => {
    if (t.name === 'raw' || names.has(t.name)) throw new Error(`tier name "${t.name}" is reserved or used twice`);
    names.set(t.name, index);
    const intervalMs = parseDuration(t.interval);
    if (!(intervalMs >= 1) || !Number.isInteger(intervalMs)) throw new Error(`tier ${t.name}: interval must be a whole number of ms >= 1`);
    const sourceName = t.source === '' || t.source === undefined ? (index === 0 ? 'raw' : tiers[index - 1]!.name) : t.source;
    const source = sourceName === 'raw' ? -1 : names.get(sourceName);
    if (source === undefined || source === index) throw new Error(`tier ${t.name}: source "${sourceName}" must be raw or an earlier tier`);
    if (source >= 0) {
      const sourceMs = parseDuration(tiers[source]!.interval);
      if (intervalMs % sourceMs !== 0) throw new Error(`tier ${t.name}: interval ${intervalMs}ms is not a multiple of its source ${sourceName} (${sourceMs}ms)`);
    }
    const gaugeAggs = t.aggregations.map(parseAgg);
    const counterAggs = (t.counter_aggregations ?? ['increase', 'rate', 'last']).map(parseAgg);
    return { index, name: t.name, intervalMs, source, gaugeAggs, counterAggs };
  });
  const children: number[][] = partial.map(() => []);
  for (const t of partial) if (t.source >= 0) children[t.source]!.push(t.index);
  const needs: boolean[] = partial.map((t) => hasQuantile(t.gaugeAggs));
  // Children come after their source, so a reverse pass propagates "a descendant needs sketches".
  for (let i = partial.length - 1; i >= 0; i--) for (const c of children[i]!) if (needs[c]) needs[i] = true;
  return partial.map((t) => ({ ...t, children: children[t.index]!, needsSketch: needs[t.index]! }));
}
