import type { Counter } from '@opentelemetry/api';
import { capacityFor, growI32, growU32, parseDuration, withSeries } from '../../src/api';
import type { Batch, ConsumingInstance, MetricBatch, ProcessorContext, TimerHandle } from '../../src/api';
import { filterMetricRows } from '../../src/api';
import type { CardinalityConfig } from './config';
import { MetricLimits } from './metric-limits';
import { SeriesTracker, UNKNOWN_METRIC } from './series-tracker';

export const OVERFLOW_LABEL = 'otel_metric_overflow';

/**
 * Caps the number of series. Accepted series stay accepted while seen within `series_ttl`; a new
 * series over a limit is dropped or folded into its metric's overflow series
 * (`{otel_metric_overflow="true"}`, as OpenTelemetry SDKs do). Folding relabels the points: the
 * overflow series of a cumulative sum carries the folded series' own values, a signal that the
 * limit was hit rather than a meaningful total.
 */
export class CardinalityLimiter implements ConsumingInstance {
  readonly tracker: SeriesTracker;
  private readonly ttlSec: number;
  private overflowIds: Int32Array = new Int32Array(64).fill(-1);
  private overflowStamps: Uint32Array = new Uint32Array(64);
  private timer: TimerHandle | undefined;
  private stopListening: (() => void) | undefined;
  private readonly rejected: Counter;
  private readonly folded: Counter;
  private readonly forgotten: Counter;

  constructor(private readonly ctx: ProcessorContext<CardinalityConfig>) {
    const c = ctx.config;
    this.tracker = new SeriesTracker(ctx.series, new MetricLimits(c.metric_limits), c.max_series);
    this.ttlSec = Math.max(1, Math.ceil(parseDuration(c.series_ttl) / 1000));
    const m = ctx.meter;
    m.createObservableGauge('nissa_processor_cardinality_series', { description: 'Series currently tracked (accepted).' })
      .addCallback((r) => r.observe(this.tracker.tracked, { pipeline: ctx.pipelineId }));
    this.rejected = m.createCounter('nissa_processor_cardinality_rejected_points', { description: 'Points of series over the limit, dropped.' });
    this.folded = m.createCounter('nissa_processor_cardinality_folded_points', { description: 'Points of series over the limit, folded into the overflow series.' });
    this.forgotten = m.createCounter('nissa_processor_cardinality_forgotten_series', { description: 'Series forgotten after series_ttl without points.' });
  }

  start(): void {
    this.stopListening = this.ctx.series.onEvict((ids) => this.tracker.evicted(ids));
    // Expire at a quarter of the TTL: a series is forgotten at most 1.25 TTL after its last point.
    const every = Math.max(1000, (this.ttlSec * 1000) / 4);
    this.timer = this.ctx.clock.setInterval(() => this.expire(), every);
    this.timer.unref();
  }

  shutdown(): void {
    if (this.timer) this.ctx.clock.clear(this.timer);
    this.stopListening?.();
  }

  /** Forgets series not seen within the TTL; returns how many (the timer calls it). */
  expire(): number {
    const n = this.tracker.expire(Math.floor(this.ctx.clock.now() / 1000) - this.ttlSec);
    if (n > 0) this.forgotten.add(n);
    return n;
  }

  consume(batch: Batch): Promise<void> {
    if (batch.signal !== 'metrics') return this.ctx.next.consume(batch);
    const out = this.limit(batch);
    return out.length === 0 ? Promise.resolve() : this.ctx.next.consume(out);
  }

  private limit(batch: MetricBatch): MetricBatch {
    const { series, length } = batch;
    const tracker = this.tracker;
    const nowSec = Math.floor(this.ctx.clock.now() / 1000);
    const overflow = this.ctx.config.action === 'overflow';
    let keep: Uint8Array | undefined;
    let relabeled: Uint32Array | undefined;
    let folded = 0;
    let dropped = 0;
    for (let i = 0; i < length; i++) {
      const id = series[i]!;
      if (tracker.seen(id, nowSec)) continue;
      const m = tracker.admit(id, nowSec);
      if (m === -1) continue;
      // A metric never accepted has no overflow series: one per new name would be unbounded.
      if (overflow && m !== UNKNOWN_METRIC) {
        (relabeled ??= series.slice())[i] = this.overflowSeries(m, id);
        folded++;
      } else {
        (keep ??= new Uint8Array(length).fill(1))[i] = 0;
        dropped++;
      }
    }
    if (folded === 0 && dropped === 0) return batch;
    if (folded > 0) this.folded.add(folded);
    const out = relabeled ? withSeries(batch, relabeled) : batch;
    if (dropped === 0) return out;
    this.rejected.add(dropped);
    this.ctx.telemetry.dropped(dropped, 'cardinality_limit');
    return filterMetricRows(out, keep!);
  }

  /** The overflow series of metric `m`, interned once and cached (checked by generation). */
  private overflowSeries(m: number, sampleId: number): number {
    if (m >= this.overflowIds.length) this.growOverflow(m + 1);
    const cached = this.overflowIds[m]!;
    if (cached >= 0 && this.overflowStamps[m] === this.ctx.series.generation(cached) + 1) {
      this.ctx.series.touch(cached);
      return cached;
    }
    const info = this.ctx.series.info(sampleId);
    const id = this.ctx.series.intern(info.name, [OVERFLOW_LABEL, 'true'], info.kind, info);
    this.overflowIds[m] = id;
    this.overflowStamps[m] = this.ctx.series.generation(id) + 1;
    return id;
  }

  private growOverflow(min: number): void {
    const cap = capacityFor(this.overflowIds.length, min);
    this.overflowIds = growI32(this.overflowIds, cap, -1);
    this.overflowStamps = growU32(this.overflowStamps, cap);
  }
}
