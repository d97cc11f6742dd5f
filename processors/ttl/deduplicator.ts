import type { Counter, Histogram } from '@opentelemetry/api';
import { batchSize, parseDuration } from '../../src/api';
import type { Batch, ConsumingInstance, ProcessorContext, TimerHandle } from '../../src/api';
import { filterBatch } from '../../src/processing/batch-filter';
import { ExpiryMap } from '../../src/processing/expiry-map';
import { identityOf, type Identity } from '../../src/processing/identity-key';
import type { TtlConfig } from './config';
import { SeriesHighWater } from './series-high-water';

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Drops items already seen within the TTL of the pipeline's signal. Events, alerts and control
 * commands are keyed by identity in an {@link ExpiryMap}; metric points by series high-water mark.
 */
export class Deduplicator implements ConsumingInstance {
  readonly keys: ExpiryMap;
  readonly points: SeriesHighWater;
  private timer: TimerHandle | undefined;
  private readonly duplicates: Counter;
  private readonly cleaned: Counter;
  private readonly evictions: Counter;
  private readonly cleanupSeconds: Histogram;
  private reportedEvictions = 0;
  /** Reused for every item's identity (no allocation per item). */
  private readonly id: Identity = { epoch: 0, text: '' };

  constructor(private readonly ctx: ProcessorContext<TtlConfig>) {
    const c = ctx.config;
    const ttl = parseDuration({ events: c.events_ttl, metrics: c.metrics_ttl, alerts: c.alerts_ttl, control: c.control_ttl }[ctx.signal]);
    this.keys = new ExpiryMap(ttl, c.max_entries);
    this.points = new SeriesHighWater(ctx.series, ttl);
    const m = ctx.meter;
    m.createObservableGauge('nissa_processor_ttl_entries', { description: 'Remembered keys (series for metrics).' })
      .addCallback((r) => r.observe(ctx.signal === 'metrics' ? this.points.size : this.keys.size, { pipeline: ctx.pipelineId }));
    this.duplicates = m.createCounter('nissa_processor_ttl_duplicates_dropped', { description: 'Duplicate items dropped.' });
    this.cleaned = m.createCounter('nissa_processor_ttl_entries_cleaned', { description: 'Expired keys removed by cleanup.' });
    this.evictions = m.createCounter('nissa_processor_ttl_evictions', { description: 'Keys evicted (oldest first) at max_entries.' });
    this.cleanupSeconds = m.createHistogram('nissa_processor_ttl_cleanup_duration_seconds', { description: 'Duration of a cleanup run, yields included.', unit: 's' });
  }

  start(): void {
    this.timer = this.ctx.clock.setInterval(() => void this.cleanup(), parseDuration(this.ctx.config.cleanup_interval));
    this.timer.unref();
  }

  shutdown(): void {
    if (this.timer) this.ctx.clock.clear(this.timer);
    this.timer = undefined;
  }

  async consume(batch: Batch): Promise<void> {
    const { duplicates, keep } = this.check(batch);
    this.reportEvictions();
    if (duplicates > 0) {
      this.duplicates.add(duplicates);
      this.ctx.telemetry.dropped(duplicates, 'duplicate');
    }
    const rest = keep === undefined ? batch : filterBatch(batch, keep);
    if (batchSize(rest) === 0) return;
    try {
      await this.ctx.next.consume(rest);
    } catch (err) {
      this.forget(rest);
      throw err;
    }
  }

  /** Un-remembers the items of a refused batch: the sender will retry them, and they must pass. */
  private forget(batch: Batch): void {
    if (batch.signal === 'metrics') return this.points.forget(batch);
    for (const item of batch.items) if (identityOf(batch.signal, item, this.id)) this.keys.delete(this.id.text, this.id.epoch);
  }

  /** Removes expired entries in chunks; resolves with the count (the timer calls it). */
  async cleanup(): Promise<number> {
    const started = process.hrtime.bigint();
    const now = this.ctx.clock.now();
    const chunk = this.ctx.config.cleanup_batch_size;
    let removed = await this.keys.cleanup(now, chunk, yieldToEventLoop);
    for (let from = 0; from < this.points.capacity; from += chunk) {
      removed += this.points.cleanup(now, from, from + chunk);
      if (from + chunk < this.points.capacity) await yieldToEventLoop();
    }
    this.cleaned.add(removed);
    this.cleanupSeconds.record(Number(process.hrtime.bigint() - started) / 1e9);
    return removed;
  }

  private check(batch: Batch): { duplicates: number; keep: Uint8Array | undefined } {
    const now = this.ctx.clock.now();
    if (batch.signal === 'metrics') return this.points.check(batch, now);
    const { signal, items } = batch;
    const n = items.length;
    const id = this.id;
    let keep: Uint8Array | undefined;
    let duplicates = 0;
    for (let i = 0; i < n; i++) {
      // Items without an identity cannot be recognised again: they always pass.
      if (!identityOf(signal, items[i], id) || this.keys.add(id.text, now, id.epoch)) continue;
      keep ??= new Uint8Array(n).fill(1);
      keep[i] = 0;
      duplicates++;
    }
    return { duplicates, keep };
  }

  private reportEvictions(): void {
    const n = this.keys.evicted - this.reportedEvictions;
    if (n === 0) return;
    this.evictions.add(n);
    this.reportedEvictions = this.keys.evicted;
  }
}
