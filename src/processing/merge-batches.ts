import { batchSize, concatMetricColumns, recordsBatch, sliceMetricBatch } from '../api';
import { withItems } from './batch-filter';
import { recordsRange } from './records-range';
import type { Batch, EventBatch, EventRecords, MetricBatch } from '../api';

/** Concatenates batches of one signal in order; one batch is returned as is (zero copy). */
export function mergeBatches(batches: readonly Batch[]): Batch {
  if (batches.length === 1) return batches[0]!;
  const signal = batches[0]!.signal;
  if (signal === 'metrics') return concatMetricColumns(batches as MetricBatch[]);
  if (signal === 'events') {
    const records = mergedRecords(batches as EventBatch[]);
    if (records !== undefined) return recordsBatch(records);
  }
  const items: unknown[] = [];
  for (const b of batches) for (const item of (b as Exclude<Batch, MetricBatch>).items) items.push(item);
  return withItems(signal, items);
}

/**
 * The records of event batches that all hold records (empty batches aside), so merging passes
 * them on unbuilt; undefined when some batch holds events as objects, which must be built anyway.
 */
function mergedRecords(batches: readonly EventBatch[]): EventRecords[] | undefined {
  const out: EventRecords[] = [];
  for (const b of batches) {
    if (b.records !== undefined) for (const r of b.records) out.push(r);
    else if (b.items.length > 0) return undefined;
  }
  return out;
}

/** Splits a batch into consecutive parts of at most `max` items (views for metrics and records). */
export function splitBatch(batch: Batch, max: number): Batch[] {
  const n = batchSize(batch);
  if (max <= 0 || n <= max) return [batch];
  const parts: Batch[] = [];
  for (let start = 0; start < n; start += max) {
    const end = Math.min(n, start + max);
    parts.push(part(batch, start, end));
  }
  return parts;
}

function part(batch: Batch, start: number, end: number): Batch {
  if (batch.signal === 'metrics') return sliceMetricBatch(batch, start, end);
  if (batch.signal === 'events' && batch.records !== undefined) return recordsBatch(recordsRange(batch.records, start, end));
  return withItems(batch.signal, batch.items.slice(start, end));
}
