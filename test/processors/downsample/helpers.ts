import type { MetricBatch, SeriesTable } from '../../../src/api';
import { getLabel, MetricBatchBuilder, withLabel } from '../../../src/api';
import type { CollectingConsumer, FakeClock } from '../../../src/testing';
import { processorContext } from '../../../src/testing';
import type { DownsampleConfig, TierConfig } from '../../../processors/downsample/config';
import { DEFAULT_TIERS } from '../../../processors/downsample/config';
import { DownsampleProcessor } from '../../../processors/downsample/processor';

export const ALL_GAUGE_AGGS = ['mean', 'min', 'max', 'count', 'sum', 'last', 'stddev', 'p50', 'p95', 'p99', 'p99.9'];

/** Short tiers for tests: 1s from raw, 5s, 15s, 60s, every aggregation everywhere. */
export const SMALL_TIERS: TierConfig[] = [
  { name: '1s', interval: '1s', source: '', retention: '', aggregations: ALL_GAUGE_AGGS, counter_aggregations: ['increase', 'rate', 'last', 'count'] },
  { name: '5s', interval: '5s', source: '', retention: '', aggregations: ALL_GAUGE_AGGS, counter_aggregations: ['increase', 'rate', 'last', 'count'] },
  { name: '15s', interval: '15s', source: '', retention: '', aggregations: ALL_GAUGE_AGGS, counter_aggregations: ['increase', 'rate', 'last', 'count'] },
  { name: '60s', interval: '60s', source: '', retention: '', aggregations: ALL_GAUGE_AGGS, counter_aggregations: ['increase', 'rate', 'last', 'count'] },
];

/** The default tiers with every aggregation, to check 1d built through the whole cascade. */
export const DEFAULT_TIERS_ALL_AGGS: TierConfig[] = DEFAULT_TIERS.map((t) => ({ ...t, aggregations: ALL_GAUGE_AGGS, counter_aggregations: ['increase', 'rate', 'last', 'count'] }));

/** A config as the schema defaults would complete it. */
export function dsConfig(over: Partial<DownsampleConfig> = {}): DownsampleConfig {
  return {
    tiers: DEFAULT_TIERS,
    allowed_lateness: '5s',
    idle_timeout: '30s',
    forward_raw: false,
    naming: 'labels',
    resolution_label: 'resolution',
    aggregation_label: 'agg',
    histogram_temporality: 'cumulative',
    relative_accuracy: 0.01,
    max_bins: 1024,
    flush_on_shutdown: false,
    checkpoint: { directory: '', interval: '1m' },
    ...over,
  };
}

export function makeProcessor(config: DownsampleConfig, clock: FakeClock, series?: SeriesTable) {
  const ctx = processorContext({ config, clock, ...(series ? { series } : {}) });
  const proc = new DownsampleProcessor(ctx);
  return { proc, ctx, sink: ctx.next as CollectingConsumer, series: ctx.series };
}

export interface RawPoint {
  sid: number;
  ts: number;
  v: number;
}

export function batchOf(points: readonly RawPoint[]): MetricBatch {
  const b = new MetricBatchBuilder(Math.max(1, points.length));
  for (const p of points) b.push(p.sid, p.ts, p.v);
  return b.build();
}

/** Output points as `name{series}|tier|agg|ts` → value, with the resolution/agg labels lifted out. */
export function decode(sink: CollectingConsumer, series: SeriesTable): Map<string, number> {
  const out = new Map<string, number>();
  for (const batch of sink.batches) {
    if (batch.signal !== 'metrics') continue;
    for (let i = 0; i < batch.length; i++) {
      const info = series.info(batch.series[i]!);
      const tier = getLabel(info.labels, 'resolution');
      const agg = getLabel(info.labels, 'agg');
      const labels = withLabel(withLabel(info.labels, 'resolution', undefined), 'agg', undefined);
      const key = `${info.name}{${labels.join(',')}}|${tier}|${agg}|${batch.timestamps[i]}`;
      assert(!out.has(key), `duplicate output ${key}`);
      out.set(key, batch.values[i]!);
    }
  }
  return out;
}

function assert(ok: boolean, msg: string): void {
  if (!ok) throw new Error(msg);
}

const sortedCache = new WeakMap<readonly number[], number[]>();

/** Exact aggregates of raw gauge values, the reference every tier must match. */
export function exactAggregate(values: readonly number[], lastValue: number, agg: string): number {
  const n = values.length;
  const sum = values.reduce((a, b) => a + b, 0);
  const mean = sum / n;
  switch (agg) {
    case 'mean': return mean;
    case 'min': return values.reduce((a, b) => Math.min(a, b));
    case 'max': return values.reduce((a, b) => Math.max(a, b));
    case 'count': return n;
    case 'sum': return sum;
    case 'last': return lastValue;
    case 'stddev': return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
    default: {
      const q = Number(agg.slice(1)) / 100;
      let sorted = sortedCache.get(values);
      if (sorted === undefined) sortedCache.set(values, (sorted = [...values].sort((a, b) => a - b)));
      return sorted[Math.floor(q * (n - 1))]!;
    }
  }
}

/** Whether `actual` matches the exact `expected` for this aggregation (1% for percentiles). */
export function matches(agg: string, actual: number, expected: number, scale: number): boolean {
  if (agg.startsWith('p')) return Math.abs(actual - expected) <= 0.01 * Math.abs(expected) * (1 + 1e-9) + 1e-12;
  if (agg === 'min' || agg === 'max' || agg === 'count' || agg === 'last') return actual === expected;
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, scale);
}
