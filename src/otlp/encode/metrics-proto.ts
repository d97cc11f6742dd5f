import type { ExplicitHistogram, ExponentialHistogram, Summary } from '../../model/complex-value';
import type { MetricBatch } from '../../model/metric-batch';
import { MetricKind } from '../../model/metric-kind';
import { writeExpHistogramPoint, writeHistogramPoint, writeNumberPoint, writeSummaryPoint } from './point-writers';
import { ProtoWriter } from '../../wire/proto-writer';
import type { RowGroups } from './row-groups';
import { SCOPE_NAME, type MetricGroup, type SeriesEncodingCache } from './series-encoding';

export { SCOPE_NAME } from './series-encoding';

/** AggregationTemporality. */
const DELTA = 1;
const CUMULATIVE = 2;

/** Metric.data field tags: gauge 5, sum 7, histogram 9, exponential_histogram 10, summary 11. */
const DATA_TAG: Record<MetricKind, number> = {
  [MetricKind.GAUGE]: 0x2a,
  [MetricKind.COUNTER]: 0x3a,
  [MetricKind.DELTA_COUNTER]: 0x3a,
  [MetricKind.UPDOWN_COUNTER]: 0x3a,
  [MetricKind.HISTOGRAM]: 0x4a,
  [MetricKind.EXP_HISTOGRAM]: 0x52,
  [MetricKind.SUMMARY]: 0x5a,
};

/** Writes the `InstrumentationScope` every ScopeLogs carries (field 1). */
export function writeScope(w: ProtoWriter): void {
  const at = w.begin(0x0a);
  w.stringField(0x0a, SCOPE_NAME);
  w.end(at);
}

/**
 * Hand-written `ExportMetricsServiceRequest` encoding from grouped rows: one ResourceMetrics per
 * resource, one Metric per (name, kind) with all its points, point attributes copied from the
 * per-series cache. The returned bytes are a view into the encoder's buffer, valid until the
 * next `encode`: one encoder serves one request at a time.
 */
export class MetricsProtoEncoder {
  private readonly w = new ProtoWriter();

  constructor(private readonly cache: SeriesEncodingCache) {}

  encode(batch: MetricBatch, rows: RowGroups): Uint8Array {
    const w = this.w;
    w.reset();
    const groups = this.cache.groups;
    let g = 0;
    while (g < rows.groups.length) {
      const resource = groups[rows.groups[g]!]!.resource;
      const rm = w.begin(0x0a);
      const res = w.begin(0x0a);
      w.bytes(this.cache.resources[resource]!.bytes);
      w.end(res);
      const sm = w.begin(0x12);
      const scope = w.begin(0x0a);
      w.bytes(this.cache.resources[resource]!.scope);
      w.end(scope);
      for (; g < rows.groups.length && groups[rows.groups[g]!]!.resource === resource; g++) {
        this.metric(batch, rows, g, groups[rows.groups[g]!]!);
      }
      w.end(sm);
      w.end(rm);
    }
    return w.written();
  }

  private metric(batch: MetricBatch, rows: RowGroups, g: number, m: MetricGroup): void {
    const w = this.w;
    const at = w.begin(0x12);
    w.stringField(0x0a, m.name);
    if (m.description !== '') w.stringField(0x12, m.description);
    if (m.unit !== '') w.stringField(0x1a, m.unit);
    const data = w.begin(DATA_TAG[m.kind]);
    const start = rows.starts[g]!;
    const end = start + rows.counts[g]!;
    const order = rows.order;
    const complex = batch.complex;
    for (let k = start; k < end; k++) {
      const i = order[k]!;
      const attrs = this.cache.get(batch.series[i]!)!.attrs;
      switch (m.kind) {
        case MetricKind.HISTOGRAM: writeHistogramPoint(w, batch, i, attrs, complex?.[i] as ExplicitHistogram | undefined); break;
        case MetricKind.EXP_HISTOGRAM: writeExpHistogramPoint(w, batch, i, attrs, complex?.[i] as ExponentialHistogram | undefined); break;
        case MetricKind.SUMMARY: writeSummaryPoint(w, batch, i, attrs, complex?.[i] as Summary | undefined); break;
        default: writeNumberPoint(w, batch, i, attrs);
      }
    }
    this.containerFields(m.kind);
    w.end(data);
    w.end(at);
  }

  /** `aggregation_temporality` (2) and `is_monotonic` (3) of Sum, Histogram and ExponentialHistogram. */
  private containerFields(kind: MetricKind): void {
    const w = this.w;
    if (kind === MetricKind.GAUGE || kind === MetricKind.SUMMARY) return;
    w.uint32(0x10);
    w.uint32(kind === MetricKind.DELTA_COUNTER ? DELTA : CUMULATIVE);
    if (kind === MetricKind.COUNTER || kind === MetricKind.DELTA_COUNTER) {
      w.uint32(0x18);
      w.uint32(1);
    }
  }
}
