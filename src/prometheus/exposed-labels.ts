import { MetricKind, NO_LABELS, type Labels } from '../api';
import { sanitizeLabelName } from './names';

/**
 * The label the exporters write themselves on a kind's samples: `le` on histogram buckets,
 * `quantile` on summary quantiles. A series' own label of that name would be written twice.
 */
export function reservedLabelOf(kind: MetricKind): string | undefined {
  switch (kind) {
    case MetricKind.HISTOGRAM:
    case MetricKind.EXP_HISTOGRAM:
      return 'le';
    case MetricKind.SUMMARY:
      return 'quantile';
    default:
      return undefined;
  }
}

/**
 * A series' labels as both Prometheus exporters (pull and remote write) expose them, as sorted
 * flat pairs without `__name__`:
 * - names sanitised; two names that sanitise alike are joined with `;` (the OpenTelemetry rule),
 *   never dropped;
 * - `__name__` dropped: the metric name is the exporter's to write;
 * - empty values dropped: Prometheus reads an empty label as an absent one;
 * - the kind's reserved label (`le`, `quantile`) renamed `exported_<name>`, as Prometheus renames
 *   scraped labels that clash with its own;
 * - `added` (const or external labels, from {@link addedLabels}; their config refuses the reserved
 *   names) filled in where the series does not set the name itself.
 */
export function exposedLabels(labels: Labels, added: Labels, reserved: string | undefined): string[] {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < labels.length; i += 2) {
    const value = labels[i + 1]!;
    if (value === '') continue;
    let name = sanitizeLabelName(labels[i]!);
    if (name === '__name__') continue;
    if (name === reserved) name = `exported_${name}`;
    const prev = map.get(name);
    map.set(name, prev === undefined ? value : `${prev};${value}`);
  }
  for (let i = 0; i + 1 < added.length; i += 2) {
    const name = added[i]!;
    if (!map.has(name)) map.set(name, added[i + 1]!);
  }
  const out: string[] = [];
  for (const name of [...map.keys()].sort()) out.push(name, map.get(name)!);
  return out;
}

/** Const or external labels from the config, names sanitised once: sorted flat pairs for {@link exposedLabels}. */
export function addedLabels(record: Readonly<Record<string, string>>): Labels {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(record)) pairs.push(name, value);
  return exposedLabels(pairs, NO_LABELS, undefined);
}
