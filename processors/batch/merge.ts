import { batchSize, sliceMetricBatch } from '../../src/api';
import { concatMetricColumns } from '../../src/api';
import { withItems } from '../../src/processing/batch-filter';
import type { Batch, MetricBatch } from '../../src/api';

/** Concatenates batches of one signal in order; one batch is returned as is (zero copy). */
export function mergeBatches(batches: readonly Batch[]): Batch {
  if (batches.length === 1) return batches[0]!;
  const signal = batches[0]!.signal;
  if (signal === 'metrics') return concatMetricColumns(batches as MetricBatch[]);
  const items: unknown[] = [];
  for (const b of batches) for (const item of (b as Exclude<Batch, MetricBatch>).items) items.push(item);
  return withItems(signal, items);
}

/** Splits a batch into consecutive parts of at most `max` items (views for metrics). */
export function splitBatch(batch: Batch, max: number): Batch[] {
  const n = batchSize(batch);
  if (max <= 0 || n <= max) return [batch];
  const parts: Batch[] = [];
  for (let start = 0; start < n; start += max) {
    const end = Math.min(n, start + max);
    parts.push(batch.signal === 'metrics' ? sliceMetricBatch(batch, start, end) : withItems(batch.signal, batch.items.slice(start, end)));
  }
  return parts;
}
