import type { Consumer } from '../api/consumer';
import { CircuitOpenError, isPermanent } from '../api/errors';
import type { Batch } from '../model/batch';
import { batchSize } from '../model/batch';
import { isAttributed, markAttributed } from './attribution';
import type { CircuitBreaker } from './breaker';
import type { StageStats } from './stage-stats';

/**
 * What the runtime puts in front of every processor and connector instance: the stage's breaker
 * (fail fast while open) and its accepted/refused counters. Exporters get the sending queue
 * instead (see exporter-stage.ts), where the breaker sits between the queue and the exporter.
 */
export class StageConsumer implements Consumer {
  constructor(
    private readonly id: string,
    private readonly inner: Consumer,
    private readonly stats: StageStats,
    private readonly breaker: CircuitBreaker,
  ) {}

  consume(batch: Batch): Promise<void> {
    const n = batchSize(batch);
    if (!this.breaker.tryAcquire()) {
      this.stats.refused += n;
      return Promise.reject(markAttributed(new CircuitOpenError(this.id, this.breaker.retryAfterMs())));
    }
    let pending: Promise<void>;
    try {
      pending = this.inner.consume(batch);
    } catch (err) {
      pending = Promise.reject(err);
    }
    return pending.then(
      () => {
        this.stats.accepted += n;
        this.breaker.success();
      },
      (err: unknown) => {
        this.stats.refused += n;
        if (isAttributed(err) || isPermanent(err)) this.breaker.neutral();
        else this.breaker.failure(err instanceof Error ? err.message : String(err));
        throw markAttributed(err);
      },
    );
  }
}
