import type { Batch, ConsumingInstance, MetricBatch, ProcessorContext, TimerHandle } from '../../src/api';
import { isPermanent, parseDuration } from '../../src/api';
import { readCheckpoint, restore, snapshot, writeCheckpoint } from './checkpoint';
import type { DownsampleConfig } from './config';
import { Downsampler } from './downsampler';
import type { AggregateSink } from './output-chunks';
import { OutputChunks } from './output-chunks';
import { resolveTiers } from './tier-spec';

/** Aggregate batches waiting for downstream beyond this many are dropped (oldest first). */
const MAX_PENDING_BATCHES = 1000;
/** Points per aggregate batch sent downstream. */
const MAX_OUTPUT_BATCH = 8192;

/**
 * The `downsample` processor: raw points in (forwarded too when `forward_raw`), closed windows
 * out as aggregate points. Owns the timers (idle close, checkpoint) and the checkpoint file;
 * the engine ({@link Downsampler}) does the aggregation.
 */
export class DownsampleProcessor implements ConsumingInstance {
  readonly engine: Downsampler;
  private readonly idleTimeoutMs: number;
  private readonly checkpointIntervalMs: number;
  private readonly checkpointName: string;
  private lastDataAt: number;
  private readonly timers: TimerHandle[] = [];
  /** Aggregates not yet accepted downstream, retried in order. */
  private readonly pending: MetricBatch[] = [];
  private readonly out = new OutputChunks(MAX_OUTPUT_BATCH);
  private sending: Promise<void> = Promise.resolve();
  private checkpointing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly ctx: ProcessorContext<DownsampleConfig>) {
    const c = ctx.config;
    this.engine = new Downsampler(ctx.series, {
      tiers: resolveTiers(c.tiers),
      allowedLatenessMs: parseDuration(c.allowed_lateness),
      histogramTemporality: c.histogram_temporality,
      relativeAccuracy: c.relative_accuracy,
      maxBins: c.max_bins,
      naming: c.naming,
      resolutionLabel: c.resolution_label,
      aggregationLabel: c.aggregation_label,
    });
    this.idleTimeoutMs = parseDuration(c.idle_timeout);
    this.checkpointIntervalMs = parseDuration(c.checkpoint?.interval ?? '1m');
    this.checkpointName = `${`${ctx.pipelineId}-${ctx.id}`.replace(/[^A-Za-z0-9_.-]/g, '_')}.checkpoint`;
    this.lastDataAt = ctx.clock.now();
  }

  private get checkpointDir(): string {
    return this.ctx.config.checkpoint?.directory ?? '';
  }

  async start(): Promise<void> {
    if (this.checkpointDir !== '') await this.restoreCheckpoint();
    const check = Math.min(Math.max(this.idleTimeoutMs / 4, 100), 5000);
    this.timers.push(this.ctx.clock.setInterval(() => this.onIdleCheck(), check));
    if (this.checkpointDir !== '') this.timers.push(this.ctx.clock.setInterval(() => void this.checkpoint(), this.checkpointIntervalMs));
    for (const t of this.timers) t.unref();
  }

  async consume(batch: Batch): Promise<void> {
    if (batch.signal !== 'metrics') return this.ctx.next.consume(batch);
    // Raw goes first: if downstream refuses it the caller retries, and nothing was aggregated yet.
    if (this.ctx.config.forward_raw) await this.ctx.next.consume(batch);
    const r = this.engine.ingest(batch);
    if (r.late > 0) this.ctx.telemetry.dropped(r.late, 'late');
    if (r.invalid > 0) this.ctx.telemetry.dropped(r.invalid, 'non_finite');
    if (r.unsupported > 0 && !this.ctx.config.forward_raw) this.ctx.telemetry.dropped(r.unsupported, 'summary_not_downsampled');
    this.lastDataAt = this.ctx.clock.now();
    await this.emit((out) => this.engine.advance(this.engine.horizon, out));
  }

  /** Retries aggregates that downstream refused earlier. */
  async flush(): Promise<void> {
    await this.send();
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) this.ctx.clock.clear(t);
    if (this.ctx.config.flush_on_shutdown) await this.emit((out) => this.engine.closeAll(out));
    else await this.send();
    await this.checkpoint();
    this.engine.close();
  }

  /** Writes the checkpoint now (no-op without a directory). Errors are logged, never thrown. */
  checkpoint(): Promise<void> {
    if (this.checkpointDir === '') return Promise.resolve();
    this.checkpointing = this.checkpointing.then(async () => {
      try {
        const started = this.ctx.clock.now();
        const bytes = await writeCheckpoint(this.checkpointDir, this.checkpointName, snapshot(this.engine));
        this.ctx.logger.debug('downsample checkpoint written', { bytes, states: this.engine.openStates, ms: this.ctx.clock.now() - started });
      } catch (err) {
        this.ctx.logger.warn('downsample checkpoint failed', { error: String(err) });
      }
    });
    return this.checkpointing;
  }

  private async restoreCheckpoint(): Promise<void> {
    try {
      const snap = await readCheckpoint(this.checkpointDir, this.checkpointName);
      if (snap === undefined) return;
      const r = restore(this.engine, snap);
      this.ctx.logger.info('downsample checkpoint restored', { states: r.states, ...(r.skippedTiers.length ? { skipped_tiers: r.skippedTiers } : {}) });
    } catch (err) {
      this.ctx.logger.warn('downsample checkpoint ignored: unreadable', { error: String(err) });
    }
  }

  private onIdleCheck(): void {
    if (this.stopped) return;
    const now = this.ctx.clock.now();
    if (now - this.lastDataAt < this.idleTimeoutMs) return;
    void this.emit((out) => this.engine.advance(now, out));
  }

  /**
   * Collects closed windows through `close` and queues them for sending, in batches of bounded
   * size (not one burst of every series at a boundary). The chunk builder lives as long as the
   * instance, so a batch that closes nothing allocates nothing.
   */
  private emit(close: (out: AggregateSink) => void): Promise<void> {
    close(this.out);
    if (this.out.length > 0) this.enqueue(this.out.take());
    return this.pending.length > 0 ? this.send() : this.sending;
  }

  private enqueue(batches: readonly MetricBatch[]): void {
    for (const b of batches) this.pending.push(b);
    while (this.pending.length > MAX_PENDING_BATCHES) {
      const dropped = this.pending.shift()!;
      this.ctx.telemetry.dropped(dropped.length, 'aggregates_refused_downstream');
    }
  }

  /** Sends pending aggregates in order; one sender at a time so batches never overtake each other. */
  private send(): Promise<void> {
    this.sending = this.sending.then(async () => {
      while (this.pending.length > 0) {
        try {
          await this.ctx.next.consume(this.pending[0]!);
          this.pending.shift();
        } catch (err) {
          if (!isPermanent(err)) return; // back-pressure: keep them for the next attempt
          const dropped = this.pending.shift()!;
          this.ctx.telemetry.dropped(dropped.length, 'aggregates_rejected');
          this.ctx.logger.warn('downsample aggregates rejected downstream', { points: dropped.length, error: String(err) });
        }
      }
    });
    return this.sending;
  }
}
