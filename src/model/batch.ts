import type { AlertBatch } from './alerts';
import type { ControlBatch } from './control';
import { eventCount, type EventBatch } from './events';
import type { MetricBatch } from './metric-batch';

/** What flows between stages: one batch of one signal. */
export type Batch = MetricBatch | EventBatch | AlertBatch | ControlBatch;

/** Items in a batch (metric points, events, alerts or commands). */
export function batchSize(batch: Batch): number {
  if (batch.signal === 'metrics') return batch.length;
  return batch.signal === 'events' ? eventCount(batch) : batch.items.length;
}
