/** What a sample line is within its family, decided from the TYPE lines seen so far. */
export type SampleRole =
  | { readonly role: 'plain'; readonly counter: boolean }
  | { readonly role: 'bucket' | 'sum' | 'count'; readonly family: string; readonly summary: false }
  | { readonly role: 'quantile' | 'sum' | 'count'; readonly family: string; readonly summary: true }
  | { readonly role: 'skip' };

const PLAIN_GAUGE: SampleRole = { role: 'plain', counter: false };
const PLAIN_COUNTER: SampleRole = { role: 'plain', counter: true };
const SKIP: SampleRole = { role: 'skip' };

/**
 * Maps a sample name to its role: histogram buckets/sum/count and summary quantiles/sum/count
 * are parts of one reassembled series; counters are counters under their sample name (`x_total`
 * in both formats, so re-exporting yields the same name); OpenMetrics `_created` samples are
 * dropped; everything else (gauge, untyped, info, stateset, gaugehistogram) is a plain gauge.
 */
export function sampleRole(name: string, types: ReadonlyMap<string, string>): SampleRole {
  const own = types.get(name);
  if (own !== undefined) {
    if (own === 'counter') return PLAIN_COUNTER;
    if (own === 'summary') return { role: 'quantile', family: name, summary: true };
    return PLAIN_GAUGE;
  }
  const us = name.lastIndexOf('_');
  if (us <= 0) return PLAIN_GAUGE;
  const base = name.slice(0, us);
  const baseType = types.get(base);
  if (baseType === undefined) return PLAIN_GAUGE;
  switch (name.slice(us + 1)) {
    case 'bucket':
      return baseType === 'histogram' ? { role: 'bucket', family: base, summary: false } : PLAIN_GAUGE;
    case 'sum':
    case 'count': {
      const role = name.endsWith('_sum') ? 'sum' : 'count';
      if (baseType === 'histogram') return { role, family: base, summary: false };
      if (baseType === 'summary') return { role, family: base, summary: true };
      return PLAIN_GAUGE;
    }
    case 'total':
      return baseType === 'counter' ? PLAIN_COUNTER : PLAIN_GAUGE;
    case 'created':
      return baseType === 'counter' || baseType === 'histogram' || baseType === 'summary' ? SKIP : PLAIN_GAUGE;
    default:
      return PLAIN_GAUGE;
  }
}
