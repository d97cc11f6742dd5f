import type { ComplexValue } from './complex-value';
import type { MetricBatch } from './metric-batch';

/**
 * Column-wise row selection: the selected rows are gathered column by column (no row-by-row copy
 * through a builder), since stages split (route) or filter (validate, ttl, cardinality) every batch.
 */
export function gatherMetricRows(batch: MetricBatch, rows: Uint32Array, count: number): MetricBatch {
  const { series, timestamps, values } = allocColumns(count);
  for (let j = 0; j < count; j++) {
    const i = rows[j]!;
    series[j] = batch.series[i]!;
    timestamps[j] = batch.timestamps[i]!;
    values[j] = batch.values[i]!;
  }
  const out: { -readonly [K in keyof MetricBatch]: MetricBatch[K] } = { signal: 'metrics', length: count, series, timestamps, values };
  if (batch.complex) out.complex = pick<ComplexValue | undefined>(batch.complex, rows, count);
  if (batch.startTimes) out.startTimes = pickF64(batch.startTimes, rows, count);
  if (batch.epochs) out.epochs = pickF64(batch.epochs, rows, count);
  if (batch.requestIds) out.requestIds = pick<string | undefined>(batch.requestIds, rows, count);
  return out;
}

/** The rows where `keep[i]` is non-zero; `batch` itself when all are kept (zero copy). */
export function filterMetricRows(batch: MetricBatch, keep: Uint8Array): MetricBatch {
  const rows = new Uint32Array(batch.length);
  let count = 0;
  for (let i = 0; i < batch.length; i++) if (keep[i]) rows[count++] = i;
  return count === batch.length ? batch : gatherMetricRows(batch, rows, count);
}

/**
 * The three core columns in one ArrayBuffer: one allocation instead of three (typed-array backing
 * stores are costly to allocate and to collect). Float64 columns first, so every view is aligned.
 */
function allocColumns(n: number): { series: Uint32Array; timestamps: Float64Array; values: Float64Array } {
  const buf = new ArrayBuffer(n * 20);
  return { timestamps: new Float64Array(buf, 0, n), values: new Float64Array(buf, n * 8, n), series: new Uint32Array(buf, n * 16, n) };
}

function pickF64(column: Float64Array, rows: Uint32Array, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let j = 0; j < count; j++) out[j] = column[rows[j]!]!;
  return out;
}

function pick<T>(column: ReadonlyArray<T>, rows: Uint32Array, count: number): T[] {
  const out = new Array<T>(count);
  for (let j = 0; j < count; j++) out[j] = column[rows[j]!]!;
  return out;
}

/** Concatenates batches column by column (typed-array `set`), in order; one batch is returned as is. */
export function concatMetricColumns(batches: readonly MetricBatch[]): MetricBatch {
  if (batches.length === 1) return batches[0]!;
  let total = 0;
  for (const b of batches) total += b.length;
  const out: { -readonly [K in keyof MetricBatch]: MetricBatch[K] } = { signal: 'metrics', length: total, ...allocColumns(total) };
  const startTimes = batches.some((b) => b.startTimes) ? new Float64Array(total) : undefined;
  const epochs = batches.some((b) => b.epochs) ? new Float64Array(total) : undefined;
  const complex = batches.some((b) => b.complex) ? new Array<ComplexValue | undefined>(total) : undefined;
  const requestIds = batches.some((b) => b.requestIds) ? new Array<string | undefined>(total) : undefined;
  let at = 0;
  for (const b of batches) {
    (out.series as Uint32Array).set(b.series, at);
    (out.timestamps as Float64Array).set(b.timestamps, at);
    (out.values as Float64Array).set(b.values, at);
    if (startTimes && b.startTimes) startTimes.set(b.startTimes, at);
    if (epochs && b.epochs) epochs.set(b.epochs, at);
    for (let i = 0; i < b.length; i++) {
      if (complex) complex[at + i] = b.complex?.[i];
      if (requestIds) requestIds[at + i] = b.requestIds?.[i];
    }
    at += b.length;
  }
  if (startTimes) out.startTimes = startTimes;
  if (epochs) out.epochs = epochs;
  if (complex) out.complex = complex;
  if (requestIds) out.requestIds = requestIds;
  return out;
}
