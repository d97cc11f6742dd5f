import type { Consumer } from '../api/consumer';
import { PermanentError, RetryableError, isPermanent, retryAfterOf } from '../api/errors';
import type { Batch } from '../model/batch';
import { markAttributed } from './attribution';

/**
 * Sends one batch to several consumers at once. Accepted only when all accepted; otherwise the
 * caller sees one refusal: retryable if any branch refused transiently (the caller retries, and
 * the branches that accepted see the batch again: at-least-once), permanent if all were permanent.
 * Branches share the batch; the consumer contract forbids mutating it.
 */
export class FanOut implements Consumer {
  constructor(private readonly consumers: readonly Consumer[]) {}

  consume(batch: Batch): Promise<void> {
    if (this.consumers.length === 1) return this.consumers[0]!.consume(batch);
    return Promise.allSettled(this.consumers.map((c) => c.consume(batch))).then((results) => {
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
      if (failures.length === 0) return;
      if (failures.length === 1) throw failures[0];
      const transient = failures.filter((e) => !isPermanent(e));
      const message = failures.map((e) => (e instanceof Error ? e.message : String(e))).join('; ');
      // Already counted by the branches that raised them: upstream breakers must not count them again.
      if (transient.length === 0) throw markAttributed(new PermanentError(message));
      const retryAfterMs = Math.max(0, ...transient.map((e) => retryAfterOf(e) ?? 0));
      throw markAttributed(new RetryableError(message, retryAfterMs > 0 ? { retryAfterMs } : {}));
    });
  }
}
