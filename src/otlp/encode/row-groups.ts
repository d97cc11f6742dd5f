import { isStaleMarker, type MetricBatch } from '../../model/metric-batch';
import { MetricKind } from '../../model/metric-kind';
import type { ComplexValue } from '../../model/complex-value';
import type { SeriesEncodingCache } from './series-encoding';

/** Rows left out of a request, by reason (they are counted as dropped by the caller). */
export interface LeftOut {
  /** The series id is no longer in the series table. */
  unknownSeries: number;
  /** A histogram or summary row without its payload (and not a stale marker), or with another kind's. */
  invalidPoint: number;
}

const COMPLEX_TYPE: Partial<Record<MetricKind, ComplexValue['type']>> = {
  [MetricKind.HISTOGRAM]: 'histogram',
  [MetricKind.EXP_HISTOGRAM]: 'exp_histogram',
  [MetricKind.SUMMARY]: 'summary',
};

/** True when row `i` can be written as a point of `kind`. */
function validRow(batch: MetricBatch, i: number, kind: MetricKind): boolean {
  const want = COMPLEX_TYPE[kind];
  const c = batch.complex?.[i];
  if (want === undefined) return c === undefined;
  return c === undefined ? isStaleMarker(batch.values[i]!) : c.type === want;
}

/**
 * Groups the rows of a batch window by OTLP metric (resource, name, kind) with a counting sort
 * over typed arrays: after {@link group}, the rows of `groups[k]` are
 * `order[starts[k] .. starts[k] + counts[k])`, in batch order, and groups of one resource are
 * adjacent. Scratch arrays are reused from call to call.
 */
export class RowGroups {
  order = new Uint32Array(1024);
  /** Metric group indices (see {@link SeriesEncodingCache.groups}) in write order. */
  groups: number[] = [];
  starts = new Int32Array(64);
  counts = new Int32Array(64);
  /** Rows placed in groups. */
  points = 0;
  readonly leftOut: LeftOut = { unknownSeries: 0, invalidPoint: 0 };
  private rowGroup = new Int32Array(1024);
  private perGroup = new Int32Array(1024);

  constructor(private readonly cache: SeriesEncodingCache) {}

  group(batch: MetricBatch, start: number, end: number): void {
    const n = end - start;
    this.cache.trim();
    if (this.rowGroup.length < n) {
      this.rowGroup = new Int32Array(n);
      this.order = new Uint32Array(n);
    }
    this.leftOut.unknownSeries = 0;
    this.leftOut.invalidPoint = 0;
    const touched: number[] = [];
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const e = this.cache.get(batch.series[i]!);
      if (e === undefined) {
        this.leftOut.unknownSeries++;
        this.rowGroup[k] = -1;
        continue;
      }
      if (!validRow(batch, i, e.kind)) {
        this.leftOut.invalidPoint++;
        this.rowGroup[k] = -1;
        continue;
      }
      if (e.group >= this.perGroup.length) this.growPerGroup(e.group + 1);
      if (this.perGroup[e.group]++ === 0) touched.push(e.group);
      this.rowGroup[k] = e.group;
    }
    const groups = this.cache.groups;
    touched.sort((a, b) => groups[a]!.resource - groups[b]!.resource || a - b);
    if (this.starts.length < touched.length) {
      this.starts = new Int32Array(touched.length * 2);
      this.counts = new Int32Array(touched.length * 2);
    }
    // perGroup turns from a count into the next free slot of the group in `order`.
    let at = 0;
    for (let g = 0; g < touched.length; g++) {
      const idx = touched[g]!;
      const count = this.perGroup[idx]!;
      this.starts[g] = at;
      this.counts[g] = count;
      this.perGroup[idx] = at;
      at += count;
    }
    for (let k = 0; k < n; k++) {
      const g = this.rowGroup[k]!;
      if (g >= 0) this.order[this.perGroup[g]!++] = start + k;
    }
    for (const idx of touched) this.perGroup[idx] = 0;
    this.groups = touched;
    this.points = at;
  }

  private growPerGroup(min: number): void {
    let cap = this.perGroup.length * 2;
    while (cap < min) cap *= 2;
    const next = new Int32Array(cap);
    next.set(this.perGroup);
    this.perGroup = next;
  }
}
