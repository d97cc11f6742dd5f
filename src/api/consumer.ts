import type { Batch } from '../model/batch';

/**
 * The one interface between stages. `consume` resolves when the batch is accepted (the consumer
 * now owns delivering it) and rejects when it is refused: with a PermanentError for bad data,
 * with any other error for a transient refusal (back-pressure). Callers must not mutate a batch
 * after handing it over, and consumers must not mutate the batches they receive.
 */
export interface Consumer<B extends Batch = Batch> {
  consume(batch: B): Promise<void>;
}

/**
 * Where a receiver or connector sends data. The runtime fans each batch out to every pipeline
 * that lists the component for the batch's signal; the promise resolves only when all accepted.
 */
export interface Output {
  /** Signals that at least one pipeline takes from this component. */
  readonly signals: readonly import('./signals').Signal[];
  /** Sends to every pipeline of `batch.signal`. Rejects with PermanentError if none takes it. */
  consume(batch: Batch): Promise<void>;
  /** Pipeline ids fed by this component for a signal (for routing connectors). */
  pipelines(signal: import('./signals').Signal): readonly string[];
  /** Sends to one pipeline by id (routing connectors). */
  consumeTo(pipelineId: string, batch: Batch): Promise<void>;
}
