import type { Labels } from '../api';
import { normalizeLabels } from '../api';

/**
 * Merges a scraped sample's labels with its target's labels (`job`, `instance`, static labels),
 * as Prometheus does: with `honorLabels` the scraped value wins; without, the target's wins and
 * the scraped one is kept as `exported_<name>`. Empty values mean "no label" and are dropped.
 */
export function mergeTargetLabels(scraped: readonly string[], target: Labels, honorLabels: boolean): Labels {
  const pairs: string[] = [];
  if (honorLabels) {
    pairs.push(...target, ...scraped);
  } else {
    for (let i = 0; i < scraped.length; i += 2) {
      const k = scraped[i]!;
      pairs.push(hasKey(target, k) ? `exported_${k}` : k, scraped[i + 1]!);
    }
    pairs.push(...target);
  }
  const out: string[] = [];
  const merged = normalizeLabels(pairs);
  for (let i = 0; i < merged.length; i += 2) if (merged[i + 1] !== '') out.push(merged[i]!, merged[i + 1]!);
  return out.length === merged.length ? merged : Object.freeze(out);
}

function hasKey(labels: Labels, key: string): boolean {
  for (let i = 0; i < labels.length; i += 2) if (labels[i] === key) return true;
  return false;
}
