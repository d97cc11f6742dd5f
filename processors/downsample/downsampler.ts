import type { ComplexValue, MetricBatch, SeriesTable } from '../../src/api';
import { isStaleMarker, MetricKind } from '../../src/api';
import { CounterTracker } from './counter-tracker';
import type { Distribution } from './histogram-distribution';
import { distributionOf } from './histogram-distribution';
import type { NamingOptions } from './output-emitter';
import { OutputEmitter } from './output-emitter';
import type { AggregateSink } from './output-chunks';
import { SeriesPins } from './series-pins';
import type { TierSpec } from './tier-spec';
import type { OpenWindow } from './tier-state';
import { SeriesClass, TierState } from './tier-state';

export interface DownsamplerOptions extends NamingOptions {
  readonly tiers: readonly TierSpec[];
  readonly allowedLatenessMs: number;
  readonly histogramTemporality: 'cumulative' | 'delta';
  readonly relativeAccuracy: number;
  readonly maxBins: number;
}

/** What one `ingest` call did with its points, for drop telemetry. */
export interface IngestResult {
  late: number;
  invalid: number;
  unsupported: number;
}

/**
 * The downsampling engine, without I/O or timers (the processor owns those).
 *
 * Raw points update only the tiers fed by raw (the finest); when a window closes its states are
 * emitted and merged into the open windows of the tiers built from it, then freed. Windows close
 * when the horizon passes their end: the horizon is the watermark (newest timestamp seen minus
 * the allowed lateness) or, after an idle period, the wall clock. A point whose window has
 * already closed is late and dropped.
 */
export class Downsampler {
  readonly tiers: TierState[];
  readonly counters: CounterTracker;
  /** Every window ending at or before this instant is closed. */
  horizon = -Infinity;
  private readonly rawTiers: TierState[];
  private readonly emitter: OutputEmitter;
  private readonly histograms = new Map<number, ComplexValue>();
  /**
   * Metric kind + 1 per input series id (0 = not looked up yet). Reading the kind from the
   * table's SeriesInfo objects costs a pointer chase into a large heap per point; this is one
   * byte load. A live id never changes kind, and evicted ids are cleared before reuse.
   */
  private kinds = new Uint8Array(1024);
  private readonly unsubscribe: () => void;

  constructor(readonly series: SeriesTable, readonly options: DownsamplerOptions) {
    const pins = new SeriesPins(series);
    const sketch = { relativeAccuracy: options.relativeAccuracy, maxBins: options.maxBins };
    this.tiers = options.tiers.map((spec) => new TierState(spec, sketch, pins));
    this.rawTiers = this.tiers.filter((t) => t.spec.source < 0);
    this.emitter = new OutputEmitter(series, options, this.tiers);
    this.counters = new CounterTracker(series);
    this.unsubscribe = series.onEvict((ids) => {
      for (let i = 0; i < ids.length; i++) {
        this.histograms.delete(ids[i]!);
        if (ids[i]! < this.kinds.length) this.kinds[ids[i]!] = 0;
      }
    });
  }

  /** Open (series, window) states over all tiers. */
  get openStates(): number {
    let n = 0;
    for (const t of this.tiers) n += t.size;
    return n;
  }

  /** Bytes of all typed arrays holding aggregation state, id caches and counter baselines. */
  get stateBytes(): number {
    let n = this.emitter.byteSize + this.counters.byteSize;
    for (const t of this.tiers) n += t.byteSize;
    return n;
  }

  /** Adds the batch's points to the finest tiers and moves the watermark. Does not close windows. */
  ingest(batch: MetricBatch): IngestResult {
    const result: IngestResult = { late: 0, invalid: 0, unsupported: 0 };
    const { series: sids, timestamps, values, startTimes } = batch;
    const lateness = this.options.allowedLatenessMs;
    // The common shape (one raw-fed tier; gauges and counters) gets a hot loop of its own.
    const only = this.rawTiers.length === 1 ? this.rawTiers[0]! : undefined;
    const iv = only?.spec.intervalMs ?? 0;
    const sketches = only?.sketches;
    const mapping = sketches?.mapping;
    // Points of a batch mostly share a window: remember the last one instead of two float `%`
    // and a window lookup per point.
    let wStart = NaN;
    let wEnd = NaN;
    let win: OpenWindow | undefined;
    let horizon = this.horizon;
    let late = 0;
    for (let i = 0; i < batch.length; i++) {
      const sid = sids[i]!;
      const ts = timestamps[i]!;
      const v = values[i]!;
      let kind = (sid < this.kinds.length ? this.kinds[sid]! : 0) - 1;
      if (kind < 0) kind = this.lookupKind(sid);
      if (!(v - v === 0) || !(ts - ts === 0)) {
        if (!isStaleMarker(v)) result.invalid++;
        continue;
      }
      const gauge = kind === K_GAUGE || kind === K_UPDOWN;
      if (only !== undefined && (gauge || kind === K_COUNTER || kind === K_DELTA_COUNTER)) {
        if (!(ts >= wStart && ts < wEnd)) {
          wStart = ts - (((ts % iv) + iv) % iv);
          wEnd = wStart + iv;
          win = undefined;
        }
        if (wEnd <= horizon) {
          late++;
        } else if (gauge) {
          win ??= only.window(wStart);
          const slot = only.slot(win, sid, SeriesClass.GAUGE);
          only.moments.add(slot, v, ts);
          // Integer arguments only: a double passed to a call that is not inlined is boxed.
          if (sketches !== undefined) sketches.addKey(slot, mapping!.keyOf(v), 1);
        } else {
          const increase = kind === K_DELTA_COUNTER ? v : this.counters.increase(sid, v, ts, startTimes?.[i] ?? 0);
          // NaN: older than the last point of a cumulative series.
          if (increase === increase) {
            win ??= only.window(wStart);
            only.moments.addIncrement(only.slot(win, sid, SeriesClass.COUNTER), increase, v, ts);
          }
        }
      } else {
        this.addGeneric(result, sid, ts, v, kind as MetricKind, batch, i, horizon);
      }
      if (ts - lateness > horizon) horizon = ts - lateness;
    }
    result.late += late;
    this.horizon = horizon;
    return result;
  }

  private lookupKind(sid: number): MetricKind {
    const kind = this.series.info(sid).kind;
    if (sid >= this.kinds.length) {
      let size = this.kinds.length * 2;
      while (size <= sid) size *= 2;
      const k = new Uint8Array(size);
      k.set(this.kinds);
      this.kinds = k;
    }
    this.kinds[sid] = kind + 1;
    return kind;
  }

  /** Raises the horizon (never lowers it) and closes every window it passed, into `out`. */
  advance(horizon: number, out: AggregateSink): void {
    if (horizon > this.horizon) this.horizon = horizon;
    this.closeUpTo(this.horizon, out);
  }

  /** Closes every open window, complete or not (flush on shutdown). The horizon stays. */
  closeAll(out: AggregateSink): void {
    this.closeUpTo(Infinity, out);
  }

  /** Releases everything: open windows are dropped (checkpoint first) and their series unpinned. */
  close(): void {
    for (const t of this.tiers) t.disposeAll();
    this.unsubscribe();
    this.counters.close();
  }

  private closeUpTo(horizon: number, out: AggregateSink): void {
    // Tiers are ordered sources first, so a window's children are already merged when it closes.
    for (const tier of this.tiers) {
      for (const w of tier.takeDue(horizon)) {
        this.emitter.emitWindow(tier, w, out);
        for (const c of tier.spec.children) {
          const child = this.tiers[c]!;
          child.mergeWindow(child.window(child.windowStart(w.start)), tier, w);
        }
        tier.dispose(w);
      }
    }
  }

  /** Any kind, any number of raw-fed tiers. */
  private addGeneric(result: IngestResult, sid: number, ts: number, v: number, kind: MetricKind, batch: MetricBatch, i: number, horizon: number): void {
    const cls = classOf(kind);
    if (cls < 0) {
      result.unsupported++;
      return;
    }
    let open = 0;
    for (const t of this.rawTiers) if (t.windowStart(ts) + t.spec.intervalMs > horizon) open++;
    if (open < this.rawTiers.length) result.late++;
    if (open === 0) return;
    if (cls === SeriesClass.GAUGE) this.addGauge(sid, ts, v, horizon);
    else if (cls === SeriesClass.COUNTER) this.addCounter(sid, ts, v, kind, batch.startTimes?.[i] ?? 0, horizon);
    else this.addHistogram(sid, ts, batch.complex?.[i], horizon);
  }

  private addGauge(sid: number, ts: number, v: number, horizon: number): void {
    for (const t of this.rawTiers) {
      const start = t.windowStart(ts);
      if (start + t.spec.intervalMs <= horizon) continue;
      const slot = t.slot(t.window(start), sid, SeriesClass.GAUGE);
      t.moments.add(slot, v, ts);
      t.sketches?.add(slot, v);
    }
  }

  private addCounter(sid: number, ts: number, v: number, kind: MetricKind, start: number, horizon: number): void {
    const increase = kind === K_DELTA_COUNTER ? v : this.counters.increase(sid, v, ts, start);
    if (Number.isNaN(increase)) return; // older than the last point of a cumulative series
    for (const t of this.rawTiers) {
      const ws = t.windowStart(ts);
      if (ws + t.spec.intervalMs <= horizon) continue;
      t.moments.addIncrement(t.slot(t.window(ws), sid, SeriesClass.COUNTER), increase, v, ts);
    }
  }

  private addHistogram(sid: number, ts: number, value: ComplexValue | undefined, horizon: number): void {
    if (value === undefined) return;
    let d: Distribution | undefined;
    if (this.options.histogramTemporality === 'delta') {
      d = distributionOf(value, undefined);
    } else {
      const prev = this.histograms.get(sid);
      this.histograms.set(sid, value);
      if (prev === undefined) return; // the first cumulative point is the baseline, like counters
      d = distributionOf(value, prev);
    }
    if (d === undefined) return;
    for (const t of this.rawTiers) {
      const ws = t.windowStart(ts);
      if (ws + t.spec.intervalMs <= horizon) continue;
      const slot = t.slot(t.window(ws), sid, SeriesClass.HISTOGRAM);
      // Bucketed data has no exact M2: NaN keeps stddev from being emitted rather than made up.
      t.moments.addGroup(slot, d.count, d.sum, d.sum / d.count, NaN, d.min, d.max, NaN, ts);
      if (t.sketches) for (let b = 0; b < d.reps.length; b++) if (d.counts[b]! > 0) t.sketches.add(slot, d.reps[b]!, d.counts[b]!);
    }
  }
}

// Plain constants: reading MetricKind through the API's re-exports costs a getter call per point.
const K_GAUGE = MetricKind.GAUGE;
const K_UPDOWN = MetricKind.UPDOWN_COUNTER;
const K_DELTA_COUNTER = MetricKind.DELTA_COUNTER;
const K_COUNTER = MetricKind.COUNTER;
const K_HISTOGRAM = MetricKind.HISTOGRAM;
const K_EXP_HISTOGRAM = MetricKind.EXP_HISTOGRAM;

/** How a kind is aggregated; -1 for summaries, whose quantiles cannot be merged. */
export function classOf(kind: MetricKind): SeriesClass | -1 {
  switch (kind) {
    case K_GAUGE:
    case K_UPDOWN:
      return SeriesClass.GAUGE;
    case K_COUNTER:
    case K_DELTA_COUNTER:
      return SeriesClass.COUNTER;
    case K_HISTOGRAM:
    case K_EXP_HISTOGRAM:
      return SeriesClass.HISTOGRAM;
    default:
      return -1;
  }
}
