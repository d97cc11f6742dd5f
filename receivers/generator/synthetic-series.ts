import { labelsFromRecord, MetricKind, type MetricBatchBuilder, type SeriesTable } from '../../src/api';
import type { GeneratorConfig } from './config';
import { syntheticLabels } from './synthetic-labels';

const WAVE_PERIOD_MS = 60_000;

/**
 * The generator's series, interned once at start and pinned in the table while it runs. Points are
 * written straight into builder columns: per point there is no object, only numbers.
 */
export class SyntheticSeries {
  readonly ids: Uint32Array;
  private readonly counters: Float64Array;
  private readonly lastTimestamps: Float64Array;
  private readonly isCounter: boolean;
  private cursor = 0;

  constructor(
    private readonly table: SeriesTable,
    config: GeneratorConfig['metrics'],
    private readonly startMs: number,
  ) {
    const kind = config.kind === 'counter' ? MetricKind.COUNTER : MetricKind.GAUGE;
    this.isCounter = config.kind === 'counter';
    this.ids = new Uint32Array(config.series);
    this.counters = new Float64Array(config.series);
    this.lastTimestamps = new Float64Array(config.series);
    const names = config.metric_names;
    for (let i = 0; i < config.series; i++) {
      const id = table.intern(names[i % names.length]!, labelsFromRecord(syntheticLabels(i)), kind);
      table.retain(id);
      this.ids[i] = id;
    }
  }

  /** Appends `count` points, visiting the series round-robin across calls. */
  fill(builder: MetricBatchBuilder, count: number, nowMs: number): void {
    const n = this.ids.length;
    for (let k = 0; k < count; k++) {
      const i = this.cursor;
      this.cursor = i + 1 === n ? 0 : i + 1;
      const id = this.ids[i]!;
      this.table.touch(id);
      // Several points of one series in one tick get distinct, increasing timestamps, as a real
      // source's would: equal timestamps would be duplicates to `ttl` and to Prometheus.
      const last = this.lastTimestamps[i]!;
      const ts = nowMs > last ? nowMs : last + 1;
      this.lastTimestamps[i] = ts;
      if (this.isCounter) {
        // Increments differ per series so that rates differ too; cumulative, so with a start time.
        this.counters[i] = this.counters[i]! + 1 + (i % 10);
        builder.push(id, ts, this.counters[i]!, undefined, this.startMs);
      } else {
        builder.push(id, ts, gauge(i, n, ts));
      }
    }
  }

  /** Unpins the series so the table may sweep them once they go quiet. */
  release(): void {
    for (const id of this.ids) this.table.release(id);
  }
}

/** A deterministic wave between 10 and 90, phase-shifted per series. */
function gauge(i: number, n: number, nowMs: number): number {
  return 50 + 40 * Math.sin((2 * Math.PI * nowMs) / WAVE_PERIOD_MS + (2 * Math.PI * i) / n);
}
