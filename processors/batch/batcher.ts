import type { Counter } from '@opentelemetry/api';
import { RetryableError, batchSize, isPermanent, parseDuration, pinSeries, unpinSeries } from '../../src/api';
import type { Batch, ConsumingInstance, ProcessorContext, TimerHandle } from '../../src/api';
import type { BatchConfig } from './config';
import { mergeBatches, splitBatch } from '../../src/processing/merge-batches';

/**
 * Buffers incoming batches and sends them on in batches of `send_batch_size` or after `timeout`.
 * `consume` resolves once the batch is buffered. Sends are serialized, so order (and per-series
 * order) is the arrival order. When downstream refuses, the unsent parts stay at the front of the
 * buffer and are retried after `timeout`; once more than `max_buffered` items wait, new input is
 * refused with a RetryableError (back-pressure, never silent loss). Until that retry, a full
 * buffer does not send again (a send per incoming batch would merge the whole buffer each time). Buffered series are pinned, so a long wait for
 * downstream cannot let the sweep free (and reuse) their ids.
 */
export class Batcher implements ConsumingInstance {
  private buffer: Batch[] = [];
  private buffered = 0;
  private timer: TimerHandle | undefined;
  private sending: Promise<void> = Promise.resolve();
  private readonly timeoutMs: number;
  private readonly maxBuffered: number;
  private readonly sentBatches: Counter;
  private readonly sendFailures: Counter;
  private closed = false;
  /** Downstream refused: sends wait for the retry timer (or a flush). */
  private backingOff = false;

  constructor(private readonly ctx: ProcessorContext<BatchConfig>) {
    const c = ctx.config;
    this.timeoutMs = parseDuration(c.timeout);
    this.maxBuffered = c.max_buffered > 0 ? c.max_buffered : 10 * Math.max(c.send_batch_max_size, c.send_batch_size);
    this.sentBatches = ctx.meter.createCounter('nissa_processor_batch_batches_sent', { description: 'Batches sent downstream, by trigger.' });
    this.sendFailures = ctx.meter.createCounter('nissa_processor_batch_send_refused', { description: 'Sends refused by downstream (kept and retried).' });
    ctx.meter.createObservableGauge('nissa_processor_batch_buffered_items', { description: 'Items waiting in the buffer.' })
      .addCallback((r) => r.observe(this.buffered, { pipeline: ctx.pipelineId }));
  }

  async consume(batch: Batch): Promise<void> {
    const n = batchSize(batch);
    if (n === 0) return;
    if (this.closed) throw new RetryableError(`${this.ctx.id} is shutting down`, { code: 'ERR_SHUTTING_DOWN' });
    if (this.buffered >= this.maxBuffered) {
      throw new RetryableError(`${this.ctx.id}: ${this.buffered} items wait for downstream`, { retryAfterMs: this.timeoutMs, code: 'ERR_QUEUE_FULL' });
    }
    this.buffer.push(batch);
    this.buffered += n;
    pinSeries(this.ctx.series, batch);
    if (this.buffered >= this.ctx.config.send_batch_size && !this.backingOff) void this.send('size').catch(() => undefined);
    else this.arm();
  }

  /** Sends everything buffered now; rejects when downstream refused (the rest stays buffered). */
  flush(): Promise<void> {
    return this.send('flush');
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    this.disarm();
    await this.send('shutdown').catch((err: unknown) => {
      this.ctx.telemetry.dropped(this.buffered, 'shutdown');
      this.ctx.logger.error('batch buffer lost at shutdown: downstream refused', { items: this.buffered, error: String(err) });
      for (const b of this.buffer) unpinSeries(this.ctx.series, b);
      this.buffer = [];
      this.buffered = 0;
    });
  }

  /** Queues a send of the whole buffer behind any running one. */
  private send(trigger: string): Promise<void> {
    const run = this.sending.then(() => this.sendNow(trigger));
    this.sending = run.catch(() => undefined);
    return run;
  }

  private async sendNow(trigger: string): Promise<void> {
    this.disarm();
    this.backingOff = false;
    if (this.buffered === 0) return;
    const parts = splitBatch(mergeBatches(this.buffer), this.ctx.config.send_batch_max_size);
    this.buffer = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      try {
        await this.ctx.next.consume(part);
        this.buffered -= batchSize(part);
        unpinSeries(this.ctx.series, part);
        this.sentBatches.add(1, { trigger });
      } catch (err) {
        if (isPermanent(err)) {
          // Bad data cannot succeed on retry: count it and go on with the rest.
          this.buffered -= batchSize(part);
          unpinSeries(this.ctx.series, part);
          this.ctx.telemetry.dropped(batchSize(part), 'rejected_permanently');
          continue;
        }
        this.sendFailures.add(1);
        // Unsent parts go back in front of whatever arrived meanwhile; retried after timeout. Not
        // after a Retry-After: the runtime's own refusals (a full sending queue) carry one meant
        // for remote senders, and waiting it out here would idle the pipeline.
        this.buffer = [...parts.slice(i), ...this.buffer];
        if (!this.closed) {
          this.backingOff = true;
          this.arm();
        }
        throw err;
      }
    }
    if (this.buffered > 0 && !this.closed) this.arm();
  }

  private arm(): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = this.ctx.clock.setTimeout(() => {
      this.timer = undefined;
      void this.send('timeout').catch(() => undefined);
    }, this.timeoutMs);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer !== undefined) this.ctx.clock.clear(this.timer);
    this.timer = undefined;
  }
}
