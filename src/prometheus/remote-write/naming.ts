import { MetricKind } from '../../api';
import { sanitizeMetricName, unitSuffix, withSuffix } from '../names';

/**
 * The Prometheus family name of a series, by the OTel → Prometheus rules shared with the pull
 * exporter (src/prometheus/names.ts). With `addSuffixes`, the unit word and, for monotonic
 * counters, `_total` are appended unless the name already ends with them.
 */
export function prometheusMetricName(name: string, kind: MetricKind, unit: string | undefined, addSuffixes: boolean): string {
  let out = sanitizeMetricName(name);
  if (!addSuffixes) return out;
  const isCounter = kind === MetricKind.COUNTER || kind === MetricKind.DELTA_COUNTER;
  if (isCounter && out.endsWith('_total')) out = out.slice(0, -'_total'.length);
  out = withSuffix(out, unitSuffix(unit));
  return isCounter ? `${out}_total` : out;
}
