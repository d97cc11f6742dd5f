import { Writer } from 'protobufjs/minimal';
import type { ComplexValue } from '../model/complex-value';
import type { MetricBatch } from '../model/metric-batch';
import { MetricKind } from '../model/metric-kind';
import type { SeriesTable } from '../model/series-table';

export interface EncodedMetrics {
  readonly bytes: Uint8Array;
  /** Rows the format cannot carry (exponential histograms), left out. */
  readonly skipped: number;
}

/** Encodes a columnar batch as a `nissa.v1.MetricBatch`; names and labels come from the series table. */
export function encodeMetrics(batch: MetricBatch, series: SeriesTable): EncodedMetrics {
  const w = Writer.create();
  let skipped = 0;
  for (let i = 0; i < batch.length; i++) {
    const info = series.info(batch.series[i]!);
    if (info.kind === MetricKind.EXP_HISTOGRAM) {
      skipped++;
      continue;
    }
    w.uint32(10).fork();
    w.uint32(10).string(info.name);
    const labels = info.labels;
    for (let j = 0; j < labels.length; j += 2) {
      w.uint32(18).fork().uint32(10).string(labels[j]!).uint32(18).string(labels[j + 1]!).ldelim();
    }
    w.uint32(25).double(batch.values[i]!);
    w.uint32(32).int64(Math.round(batch.timestamps[i]!));
    w.uint32(40).uint32(info.kind + 1);
    const complex = batch.complex?.[i];
    if (complex) writeComplex(w, complex);
    const epoch = batch.epochs?.[i];
    if (epoch) w.uint32(64).uint64(epoch);
    const requestId = batch.requestIds?.[i];
    if (requestId) w.uint32(74).string(requestId);
    const start = batch.startTimes?.[i];
    if (start) w.uint32(80).int64(Math.round(start));
    w.ldelim();
  }
  return { bytes: w.finish(), skipped };
}

function writeComplex(w: Writer, c: ComplexValue): void {
  if (c.type === 'histogram') {
    w.uint32(50).fork();
    packedDoubles(w, 10, c.bounds);
    w.uint32(18).fork();
    for (const n of c.counts) w.uint64(n);
    w.ldelim();
    w.uint32(25).double(c.sum).uint32(32).uint64(c.count);
    if (c.min !== undefined) w.uint32(41).double(c.min);
    if (c.max !== undefined) w.uint32(49).double(c.max);
    w.ldelim();
  } else if (c.type === 'summary') {
    w.uint32(58).fork();
    packedDoubles(w, 10, c.quantiles);
    packedDoubles(w, 18, c.values);
    w.uint32(25).double(c.sum).uint32(32).uint64(c.count);
    w.ldelim();
  }
}

function packedDoubles(w: Writer, tag: number, values: Float64Array): void {
  if (values.length === 0) return;
  w.uint32(tag).fork();
  for (const v of values) w.double(v);
  w.ldelim();
}
