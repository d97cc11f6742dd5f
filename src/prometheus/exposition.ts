import type { ComplexValue, ExplicitHistogram } from '../api';
import { expToExplicit } from './exp-histogram';
import type { LatestValues } from './latest-values';
import { escapeHelp, formatValue } from './names';
import type { FamilyType, SeriesMetaCache } from './series-meta';

export interface RenderOptions {
  readonly openMetrics: boolean;
  /** Append each sample's own timestamp (off by default: Prometheus then stamps scrape time and handles staleness). */
  readonly sendTimestamps: boolean;
}

interface Family {
  readonly type: FamilyType;
  readonly help: string;
  readonly ids: number[];
}

/**
 * Renders every held series as one exposition. Runs synchronously from start to end, so the
 * result is a snapshot: no update can land half-way through (updates are synchronous too).
 * Families are sorted by name; series keep id order inside a family. A series whose family
 * name is already taken by another type, or renders like another family's, is left out (a valid
 * exposition has one TYPE per name).
 */
export function renderExposition(values: LatestValues, metas: SeriesMetaCache, opts: RenderOptions): string {
  const families = new Map<string, Family>();
  values.forEach((id) => {
    const m = metas.get(id);
    const f = families.get(m.family);
    if (f === undefined) families.set(m.family, { type: m.type, help: m.help, ids: [id] });
    else if (f.type === m.type) f.ids.push(id);
  });
  const names = [...families.keys()].sort();
  let out = '';
  // Names a family's lines use: a counter `x` writes `x_total`, which a gauge `x_total` would too.
  // Two families naming the same metric make scrapers refuse the whole exposition: the later
  // one (in name order, so always the same) is left out.
  const taken = new Set<string>();
  for (const name of names) {
    const f = families.get(name)!;
    const uses = f.type === 'counter' ? [name, `${name}_total`] : [name];
    if (uses.some((u) => taken.has(u))) continue;
    for (const u of uses) taken.add(u);
    out += renderFamily(name, f, values, metas, opts);
  }
  if (opts.openMetrics) out += '# EOF\n';
  return out;
}

function renderFamily(name: string, f: Family, values: LatestValues, metas: SeriesMetaCache, opts: RenderOptions): string {
  const typeName = f.type === 'counter' && !opts.openMetrics ? `${name}_total` : name;
  let out = `# HELP ${typeName} ${escapeHelp(f.help, opts.openMetrics)}\n# TYPE ${typeName} ${f.type}\n`;
  // Series can render alike: names that sanitise alike (`http.requests`, `http_requests`) share a
  // family, and labels with empty values or a `__name__` attribute are left out. A second series
  // with the same labels would be a duplicate sample, which scrapers drop or refuse: the one with
  // the lowest id (the oldest) is written.
  const written = new Set<string>();
  for (const id of f.ids) {
    const labels = metas.get(id).labelText;
    if (written.has(labels)) continue;
    written.add(labels);
    const ts = opts.sendTimestamps ? timestampText(values.timestamp(id), opts.openMetrics) : '';
    if (f.type === 'histogram' || f.type === 'summary') {
      const c = values.complexValue(id);
      if (c !== undefined) out += renderComplex(name, labels, c, ts, opts.openMetrics);
      continue;
    }
    const sample = f.type === 'counter' ? `${name}_total` : name;
    out += `${sample}${labels ? `{${labels}}` : ''} ${formatValue(values.value(id))}${ts}\n`;
  }
  return out;
}

function renderComplex(name: string, labels: string, c: ComplexValue, ts: string, openMetrics: boolean): string {
  const sep = labels ? `${labels},` : '';
  const plain = labels ? `{${labels}}` : '';
  let out = '';
  // OpenMetrics makes _sum a counter: it must not be negative or NaN, and a histogram with a
  // negative bucket threshold must not have one at all. The text format has no such rule.
  let sumIsCounter = c.sum >= 0;
  if (c.type === 'summary') {
    for (let q = 0; q < c.quantiles.length; q++) {
      out += `${name}{${sep}quantile="${formatValue(c.quantiles[q]!)}"} ${formatValue(c.values[q]!)}${ts}\n`;
    }
  } else {
    const h: ExplicitHistogram = c.type === 'exp_histogram' ? expToExplicit(c) : c;
    if (h.bounds.length > 0 && h.bounds[0]! < 0) sumIsCounter = false;
    let cumulative = 0;
    for (let b = 0; b < h.bounds.length; b++) {
      cumulative += h.counts[b]!;
      out += `${name}_bucket{${sep}le="${formatValue(h.bounds[b]!)}"} ${formatValue(cumulative)}${ts}\n`;
    }
    out += `${name}_bucket{${sep}le="+Inf"} ${formatValue(h.count)}${ts}\n`;
  }
  if (sumIsCounter || !openMetrics) out += `${name}_sum${plain} ${formatValue(c.sum)}${ts}\n`;
  out += `${name}_count${plain} ${formatValue(c.count)}${ts}\n`;
  return out;
}

function timestampText(ms: number, openMetrics: boolean): string {
  return openMetrics ? ` ${formatValue(ms / 1000)}` : ` ${Math.round(ms)}`;
}
