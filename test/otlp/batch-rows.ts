import type { ComplexValue, MetricBatch, SeriesTable } from '../../src/api';
import { labelsToRecord } from '../../src/api';

/** One batch row with its series resolved, for exact comparisons in tests. */
export interface Row {
  name: string;
  labels: Record<string, string>;
  kind: number;
  t: number;
  v: number;
  start: number;
  complex: ComplexValue | undefined;
}

export function rows(batch: MetricBatch, series: SeriesTable): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < batch.length; i++) {
    const info = series.info(batch.series[i]!);
    out.push({
      name: info.name,
      labels: labelsToRecord(info.labels),
      kind: info.kind,
      t: batch.timestamps[i]!,
      v: batch.values[i]!,
      start: batch.startTimes?.[i] ?? 0,
      complex: batch.complex?.[i],
    });
  }
  return out;
}
