import {
  batchSize,
  eventBatch,
  isPermanent,
  MetricBatchBuilder,
  parseDuration,
  retryAfterOf,
  type Batch,
  type ReceiverContext,
  type ReceiverInstance,
  type TelemetryEvent,
  type TimerHandle,
} from '../../src/api';
import type { GeneratorConfig } from './config';
import { SyntheticEvents } from './synthetic-events';
import { SyntheticSeries } from './synthetic-series';
import { ThrottledLog } from './throttled-log';

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 30_000;

/**
 * Emits synthetic metrics and events. Each interval tick sends what is due at the configured rates
 * (fractions carry over to the next tick); with `points_per_second: 0` metrics are instead sent
 * back to back, each batch after the previous one was accepted. A transient refusal drops the
 * batch (the data is synthetic), counts it as `refused` (`rejected` for a PermanentError) and pauses sending with exponential backoff
 * (or the error's retry hint); ticks that fall inside the pause send nothing.
 */
export class GeneratorReceiver implements ReceiverInstance {
  private readonly intervalMs: number;
  private readonly wantMetrics: boolean;
  private readonly wantEvents: boolean;
  private readonly warnings: ThrottledLog;
  private readonly events = new SyntheticEvents();
  private series: SyntheticSeries | undefined;
  private timer: TimerHandle | undefined;
  private running = false;
  private tickInFlight: Promise<void> | undefined;
  private loop: Promise<void> | undefined;
  private wakeLoop: (() => void) | undefined;
  private pointCarry = 0;
  private eventCarry = 0;
  private pausedUntilMs = 0;
  private backoffMs = MIN_BACKOFF_MS;

  constructor(private readonly ctx: ReceiverContext<GeneratorConfig>) {
    const config = ctx.config;
    this.intervalMs = Math.max(1, parseDuration(config.interval));
    this.wantMetrics = config.metrics.enabled && ctx.output.signals.includes('metrics');
    this.wantEvents = config.events.enabled && config.events.per_second > 0 && ctx.output.signals.includes('events');
    this.warnings = new ThrottledLog(ctx.logger, ctx.clock);
  }

  start(): void {
    this.running = true;
    if (this.wantMetrics) this.series = new SyntheticSeries(this.ctx.series, this.ctx.config.metrics, this.ctx.clock.now());
    const fast = this.wantMetrics && this.ctx.config.points_per_second === 0;
    if (fast) this.loop = this.runFast();
    if (this.wantEvents || (this.wantMetrics && !fast)) {
      this.timer = this.ctx.clock.setInterval(() => this.onTick(), this.intervalMs);
      this.timer.unref();
    }
    this.ctx.logger.info('generator started', { series: this.series?.ids.length ?? 0, metrics: this.wantMetrics, events: this.wantEvents });
  }

  async shutdown(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.ctx.clock.clear(this.timer);
    this.wakeLoop?.();
    await Promise.all([this.tickInFlight, this.loop]);
    this.series?.release();
  }

  private onTick(): void {
    // A tick still sending (slow pipeline) means the pipeline sets the pace: skip this one.
    if (this.tickInFlight !== undefined || !this.running) return;
    this.tickInFlight = this.tick().finally(() => (this.tickInFlight = undefined));
  }

  private async tick(): Promise<void> {
    const seconds = this.intervalMs / 1000;
    let points = 0;
    if (this.wantMetrics && this.ctx.config.points_per_second > 0) {
      this.pointCarry += this.ctx.config.points_per_second * seconds;
      points = Math.floor(this.pointCarry);
      this.pointCarry -= points;
    }
    let events = 0;
    if (this.wantEvents) {
      this.eventCarry += this.ctx.config.events.per_second * seconds;
      events = Math.floor(this.eventCarry);
      this.eventCarry -= events;
    }
    if (this.paused()) return;
    const perBatch = this.ctx.config.batch_size;
    for (let sent = 0; sent < points && this.running; sent += perBatch) {
      if (!(await this.send(this.metricBatch(Math.min(perBatch, points - sent))))) return;
    }
    for (let sent = 0; sent < events && this.running; sent += perBatch) {
      if (!(await this.send(this.eventBatch(Math.min(perBatch, events - sent))))) return;
    }
  }

  private async runFast(): Promise<void> {
    while (this.running) {
      const waitMs = this.pausedUntilMs - this.ctx.clock.now();
      if (waitMs > 0) await this.sleep(waitMs);
      else await this.send(this.metricBatch(this.ctx.config.batch_size));
      // Yield to I/O between batches even when the pipeline accepts synchronously.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private metricBatch(n: number): Batch {
    const builder = new MetricBatchBuilder(n);
    this.series!.fill(builder, n, this.ctx.clock.now());
    return builder.build();
  }

  private eventBatch(n: number): Batch {
    const now = this.ctx.clock.now();
    const items: TelemetryEvent[] = new Array(n);
    for (let i = 0; i < n; i++) items[i] = this.events.next(now);
    return eventBatch(items);
  }

  /** Sends one batch; false when it was refused and the generator should pause. */
  private async send(batch: Batch): Promise<boolean> {
    try {
      await this.ctx.output.consume(batch);
      this.backoffMs = MIN_BACKOFF_MS;
      return true;
    } catch (err) {
      const n = batchSize(batch);
      // Bad data cannot be retried, but a pipeline that rejects everything must not make the
      // generator spin: both kinds of refusal pause it; only the reason counted differs.
      const permanent = isPermanent(err);
      this.ctx.telemetry.dropped(n, permanent ? 'rejected' : 'refused');
      const pauseMs = retryAfterOf(err) ?? this.backoffMs;
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
      this.pausedUntilMs = this.ctx.clock.now() + pauseMs;
      this.warnings.warn(permanent ? 'pipeline rejected generated data, backing off' : 'pipeline refused generated data, backing off', {
        signal: batch.signal,
        pause_ms: pauseMs,
        error: (err as Error).message,
      });
      return false;
    }
  }

  private paused(): boolean {
    return this.ctx.clock.now() < this.pausedUntilMs;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const handle = this.ctx.clock.setTimeout(() => resolve(), ms);
      handle.unref();
      this.wakeLoop = () => {
        this.ctx.clock.clear(handle);
        resolve();
      };
    });
  }
}
