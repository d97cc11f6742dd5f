import type { Clock } from '../api/clock';
import type { Consumer } from '../api/consumer';
import { RetryableError, isPermanent, retryAfterOf } from '../api/errors';
import type { Logger } from '../api/logger';
import type { ConsumingInstance } from '../api/plugin';
import type { ExporterHelperConfig } from '../config/types';
import type { Batch } from '../model/batch';
import { batchSize } from '../model/batch';
import { markAttributed } from './attribution';
import type { ExporterDrops } from './batch-drops';
import type { QueuedBatch, SendingQueue } from './batch-queue';
import { mergeBatches } from '../processing/merge-batches';
import type { CircuitBreaker } from './breaker';
import { Sleeper, withTimeout } from './sleeper';
import type { StageStats } from './stage-stats';

/**
 * The exporter helper: what the runtime wraps around every exporter, as the OpenTelemetry
 * Collector's exporterhelper does. `consume` puts the batch in the sending queue and resolves
 * (the queue now owns it); `num_consumers` workers take from the queue and send with the
 * exporter's breaker, a per-attempt `timeout` and retries with exponential backoff and jitter.
 * While the breaker is open, batches wait in the queue and one probe at a time tests the backend.
 * Without a queue, `consume` sends once and a failure travels back upstream as back-pressure.
 * With `merge_max_items`, a worker joins the batches already waiting behind the one it takes into
 * one call (memory queue), as the Collector's queue batching does but without waiting for more: a
 * sender posting small requests otherwise costs one export call each (and a request per shard).
 */
export class ExporterStage implements Consumer {
  private readonly sleeper: Sleeper;
  private workers: Promise<void>[] = [];
  private aborted = false;

  constructor(
    private readonly id: string,
    private readonly exporter: ConsumingInstance,
    private readonly helper: ExporterHelperConfig,
    private readonly queue: SendingQueue | undefined,
    private readonly stats: StageStats,
    private readonly breaker: CircuitBreaker,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly drops: ExporterDrops,
  ) {
    this.sleeper = new Sleeper(clock);
    if (queue) {
      stats.queueSize = () => queue.size;
      stats.queueCapacity = queue.capacity;
    }
  }

  start(): void {
    if (!this.queue) return;
    for (let i = 0; i < this.helper.sending_queue.num_consumers; i++) this.workers.push(this.work(this.queue));
  }

  async consume(batch: Batch): Promise<void> {
    const n = batchSize(batch);
    if (!this.queue) return this.sendOnce(batch, n);
    if (await this.queue.offer(batch)) {
      this.stats.accepted += n;
      return;
    }
    switch (this.helper.sending_queue.when_full) {
      case 'drop_newest':
        this.stats.accepted += n;
        this.stats.drop(n, 'queue_full');
        return;
      case 'drop_oldest': {
        const oldest = this.queue.dropOldest();
        if (oldest) this.stats.drop(batchSize(oldest), 'queue_full');
        if (await this.queue.offer(batch)) {
          this.stats.accepted += n;
          return;
        }
        break;
      }
      case 'block':
        break;
    }
    this.stats.refused += n;
    throw markAttributed(new RetryableError(`sending queue of ${this.id} is full`, { code: 'ERR_QUEUE_FULL', retryAfterMs: 1000 }));
  }

  /** Lets the queue drain until `deadline`, then gives up on what is left (persisting it if durable). */
  async shutdown(deadline: number): Promise<void> {
    if (this.queue) {
      this.queue.close();
      const drained = Promise.all(this.workers).then(() => true);
      const timedOut = this.sleeper.sleep(Math.max(0, deadline - this.clock.now())).then(() => false);
      const done = await Promise.race([drained, timedOut]);
      if (!done) {
        this.aborted = true;
        this.sleeper.wakeAll();
        if (this.queue.persist) await this.queue.persist();
        else if (this.queue.size > 0) {
          let lost = 0;
          for (let b = this.queue.dropOldest(); b; b = this.queue.dropOldest()) lost += batchSize(b);
          this.stats.drop(lost, 'shutdown_timeout');
          this.logger.error('shutdown timeout: in-memory queue not drained', { exporter: this.id, items_lost: lost });
        }
      }
      this.sleeper.wakeAll();
    }
  }

  private async work(queue: SendingQueue): Promise<void> {
    for (let first = await queue.take(); first; first = await queue.take()) {
      const group = this.joinWaiting(queue, first);
      // Merged in queue order, so each series' points keep their order within the call.
      const batch = group.length === 1 ? first.batch : mergeBatches(group.map((g) => g.batch));
      if (await this.deliver(batch)) for (const g of group) g.done();
      // Not acknowledged: a durable queue sends it again after a restart; a memory queue loses it.
      else if (!queue.persist) {
        this.stats.drop(this.unsent(batch, batchSize(batch)), 'shutdown_timeout');
        for (const g of group) g.done();
      }
    }
  }

  /**
   * `first` and, with `merge_max_items`, the batches waiting behind it of the same signal while
   * their items stay within the bound: a call never waits for more, and a batch that does not fit
   * stays in the queue for the next call.
   */
  private joinWaiting(queue: SendingQueue, first: QueuedBatch): QueuedBatch[] {
    const group = [first];
    const max = this.helper.sending_queue.merge_max_items;
    if (max === 0 || queue.takeIf === undefined) return group;
    let items = batchSize(first.batch);
    const fits = (b: Batch): boolean => b.signal === first.batch.signal && items + batchSize(b) <= max;
    for (let more = queue.takeIf(fits); more; more = queue.takeIf(fits)) {
      group.push(more);
      items += batchSize(more.batch);
    }
    return group;
  }

  private async sendOnce(batch: Batch, n: number): Promise<void> {
    if (!this.breaker.tryAcquire()) {
      this.stats.refused += n;
      throw markAttributed(new RetryableError(`circuit breaker of ${this.id} is open`, { code: 'ERR_CIRCUIT_OPEN', retryAfterMs: this.breaker.retryAfterMs() }));
    }
    try {
      await this.attempt(batch);
      this.breaker.success();
      this.stats.accepted += n;
      this.stats.sent += this.unsent(batch, n);
    } catch (err) {
      this.stats.refused += n;
      this.judge(err);
      throw markAttributed(err);
    }
  }

  /**
   * What a failed call says about the backend's health. Bad data says nothing; a throttling
   * answer (a retryable error with a Retry-After hint, e.g. 429) says the backend is alive and
   * when to come back, which the retry honours: neither trips the breaker. Everything else does.
   */
  private judge(err: unknown): void {
    if (isPermanent(err) || retryAfterOf(err) !== undefined) this.breaker.neutral();
    else this.breaker.failure(messageOf(err));
  }

  /** Of `batch` (`n` items), which settled, the items the exporter did not already count as dropped itself. */
  private unsent(batch: Batch, n: number): number {
    return n - this.drops.charge(batch, n);
  }

  /** One export call, bounded by `timeout`. */
  private attempt(batch: Batch): Promise<void> {
    return this.bounded(this.call(batch));
  }

  /** The exporter's call itself, which goes on after its timeout until the exporter settles it. */
  private call(batch: Batch): Promise<void> {
    try {
      return this.exporter.consume(batch);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private bounded(call: Promise<void>): Promise<void> {
    return withTimeout(call, this.helper.timeout_ms, this.clock, () => new RetryableError(`${this.id} timed out after ${this.helper.timeout_ms} ms`, { code: 'ERR_TIMEOUT' }));
  }

  /**
   * Sends one queued batch until it is delivered, refused for good, or retries run out (true),
   * or until a shutdown gives up on it (false). Items the exporter dropped itself are neither sent
   * nor dropped again here (see {@link ExporterDrops}), so accepted = sent + dropped holds.
   */
  private async deliver(batch: Batch): Promise<boolean> {
    const n = batchSize(batch);
    const retry = this.helper.retry_on_failure;
    const started = this.clock.now();
    let interval = retry.initial_interval_ms;
    let call: Promise<void> | undefined;
    while (!this.aborted) {
      if (!this.breaker.tryAcquire()) {
        await this.sleeper.sleep(Math.max(this.breaker.retryAfterMs(), 10));
        continue;
      }
      try {
        call = this.call(batch);
        await this.bounded(call);
        this.breaker.success();
        this.stats.sent += this.unsent(batch, n);
        return true;
      } catch (err) {
        if (isPermanent(err)) {
          this.breaker.neutral();
          this.stats.drop(this.unsent(batch, n), 'rejected');
          this.logger.warn('batch refused for good by the exporter', { exporter: this.id, items: n, error: messageOf(err) });
          return true;
        }
        this.judge(err);
        this.stats.sendFailed += n;
        const elapsed = this.clock.now() - started;
        if (!retry.enabled || (retry.max_elapsed_time_ms > 0 && elapsed >= retry.max_elapsed_time_ms)) {
          // A timed-out call may still be sending: the next batch waits for it, or the two could
          // overlap (out of order per series, which an ordered backend refuses). Charged after it,
          // so what it still drops is counted once.
          await call?.catch(() => undefined);
          this.stats.drop(this.unsent(batch, n), retry.enabled ? 'retries_exhausted' : 'send_failed');
          this.logger.error('dropping batch after failed delivery', { exporter: this.id, items: n, error: messageOf(err) });
          return true;
        }
        const jitter = 1 + retry.randomization_factor * (2 * Math.random() - 1);
        const delay = retryAfterOf(err) ?? interval * jitter;
        interval = Math.min(interval * retry.multiplier, retry.max_interval_ms);
        await this.sleeper.sleep(retry.max_elapsed_time_ms > 0 ? Math.min(delay, Math.max(0, started + retry.max_elapsed_time_ms - this.clock.now())) : delay);
      }
    }
    return false;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
