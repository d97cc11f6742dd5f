import type { EventBatch, TelemetryEvent } from '../model/events';
import type { MetricBatch } from '../model/metric-batch';
import type { RejectCounter } from './item-fault';

/** A decoded metrics request: the valid points, and the refused ones counted by reason. */
export interface MetricsDecodeResult {
  readonly batch: MetricBatch;
  readonly rejected: RejectCounter;
}

/** A decoded logs request: one event per valid log record. */
export interface LogsDecodeResult {
  readonly events: TelemetryEvent[];
  readonly rejected: RejectCounter;
}

/** A logs request as the receiver hands it on: the valid records as one batch (built lazily or not). */
export interface LogsBatchResult {
  readonly batch: EventBatch;
  readonly rejected: RejectCounter;
}
