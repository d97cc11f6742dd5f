import { alertBatch, controlBatch, eventBatch } from '../api';
import type { Batch } from '../api';
import { filterMetricRows, gatherMetricRows } from '../api';

/**
 * Keeps the items where `keep[i]` is non-zero, for any signal. Returns `batch` itself when every
 * item is kept (zero copy) and never mutates it.
 */
export function filterBatch(batch: Batch, keep: Uint8Array): Batch {
  if (batch.signal === 'metrics') return filterMetricRows(batch, keep);
  const items = batch.items;
  let kept = 0;
  for (let i = 0; i < items.length; i++) if (keep[i]) kept++;
  if (kept === items.length) return batch;
  const out = [];
  for (let i = 0; i < items.length; i++) if (keep[i]) out.push(items[i]);
  return withItems(batch.signal, out);
}

/** A batch of a non-metric signal holding `items` (which must be of that signal). */
export function withItems(signal: Exclude<Batch['signal'], 'metrics'>, items: readonly unknown[]): Batch {
  switch (signal) {
    case 'events':
      return eventBatch(items as never);
    case 'alerts':
      return alertBatch(items as never);
    case 'control':
      return controlBatch(items as never);
  }
}

/** The items at `rows[0..count)`, in that order, as a new batch of the same signal. */
export function pickRows(batch: Batch, rows: Uint32Array, count: number): Batch {
  if (batch.signal === 'metrics') return gatherMetricRows(batch, rows, count);
  const out = [];
  for (let j = 0; j < count; j++) out.push(batch.items[rows[j]!]);
  return withItems(batch.signal, out);
}

/** The complement of `keep` (1 where keep is 0), for the rows a stage takes out. */
export function invertMask(keep: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = keep[i] ? 0 : 1;
  return out;
}
