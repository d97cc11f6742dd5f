import { alertBatch, controlBatch, eventBatch, filterMetricBatch } from '../api';
import type { Batch } from '../api';

/**
 * Keeps the items where `keep[i]` is non-zero, for any signal. Returns `batch` itself when every
 * item is kept (zero copy) and never mutates it.
 */
export function filterBatch(batch: Batch, keep: Uint8Array): Batch {
  if (batch.signal === 'metrics') return filterMetricBatch(batch, keep);
  const items = batch.items;
  let kept = 0;
  for (let i = 0; i < items.length; i++) if (keep[i]) kept++;
  if (kept === items.length) return batch;
  const out = [];
  for (let i = 0; i < items.length; i++) if (keep[i]) out.push(items[i]);
  switch (batch.signal) {
    case 'events':
      return eventBatch(out as typeof batch.items[number][]);
    case 'alerts':
      return alertBatch(out as typeof batch.items[number][]);
    case 'control':
      return controlBatch(out as typeof batch.items[number][]);
  }
}

/** The complement of `keep` (1 where keep is 0), for the rows a stage takes out. */
export function invertMask(keep: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = keep[i] ? 0 : 1;
  return out;
}

/** Items in the batch (points for metrics). */
export function itemCount(batch: Batch): number {
  return batch.signal === 'metrics' ? batch.length : batch.items.length;
}
