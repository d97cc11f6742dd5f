import { strict as assert } from 'node:assert';
import { MetricBatchBuilder, MetricKind, SeriesTable, getLabel, labelsFromRecord } from '../../../src/api';
import type { MetricBatch } from '../../../src/api';
import { CollectingConsumer, FakeClock, pluginConfig, processorContext } from '../../../src/testing';
import { plugin } from '../../../processors/cardinality';
import type { CardinalityLimiter } from '../../../processors/cardinality/limiter';
import { metricBatch } from '../../processing/fixtures';

function setup(config: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const series = new SeriesTable();
  series.setNow(clock.now());
  const next = new CollectingConsumer();
  const ctx = processorContext({ config: pluginConfig(plugin, config), clock, series, next });
  return { clock, series, next, ctx, proc: plugin.create(ctx) as CardinalityLimiter };
}

/** `n` points of metric `name`, one per distinct value of label `user`. */
function distinctUsers(series: SeriesTable, name: string, n: number, ts: number): MetricBatch {
  const b = new MetricBatchBuilder(n);
  for (let i = 0; i < n; i++) b.push(series.intern(name, labelsFromRecord({ user: `u${i}` }), MetricKind.COUNTER), ts, 1);
  return b.build();
}

describe('cardinality processor', () => {
  it('caps 100,000 distinct values of one label and folds the rest into one overflow series', async () => {
    const { clock, series, next, proc } = setup({ max_series: 1000, action: 'overflow' });
    await proc.consume(distinctUsers(series, 'logins_total', 100_000, clock.now()));
    const out = next.batches[0] as MetricBatch;
    assert.equal(out.length, 100_000, 'folded, not dropped');
    const ids = new Set(out.series);
    assert.equal(ids.size, 1001);
    const overflow = [...ids].map((id) => series.info(id)).filter((i) => getLabel(i.labels, 'otel_metric_overflow') === 'true');
    assert.equal(overflow.length, 1);
    assert.equal(overflow[0]!.name, 'logins_total');
    assert.equal(overflow[0]!.kind, MetricKind.COUNTER);
    assert.equal(proc.tracker.tracked, 1000);
  });

  it('in overflow mode, drops (not folds) series of metric names never accepted once the limit is full, and does not remember those names', async () => {
    const { clock, series, next, proc, ctx } = setup({ max_series: 10, action: 'overflow' });
    const b = new MetricBatchBuilder(5000);
    for (let i = 0; i < 5000; i++) b.push(series.intern(`name_${i}`, labelsFromRecord({ k: 'v' }), MetricKind.GAUGE), clock.now(), i);
    await proc.consume(b.build());
    // A known metric's new series still folds into its overflow series.
    await proc.consume(distinctUsers(series, 'name_0', 3, clock.now()));
    const out = next.batches.flatMap((batch) => [...(batch as MetricBatch).series]);
    assert.equal(new Set(out).size, 10 + 1, 'ten accepted series and the one overflow series of name_0');
    assert.equal(ctx.telemetry.drops.get('cardinality_limit'), 4990);
    assert.equal(proc.tracker.metrics.names.length, 10, 'names of refused series are not kept');
  });

  it('drops points of new series over the limit, counted, while known series stay accepted', async () => {
    const { clock, series, next, proc, ctx } = setup({ max_series: 2 });
    const t = clock.now();
    await proc.consume(metricBatch(series, [{ name: 'a', ts: t, value: 1 }, { name: 'b', ts: t, value: 1 }, { name: 'c', ts: t, value: 1 }]));
    await proc.consume(metricBatch(series, [{ name: 'a', ts: t + 1, value: 2 }, { name: 'c', ts: t + 1, value: 2 }]));
    assert.equal(next.items, 3);
    assert.equal(ctx.telemetry.drops.get('cardinality_limit'), 2);
  });

  it('passes the batch through untouched when every series is accepted', async () => {
    const { clock, series, next, proc } = setup();
    const b = metricBatch(series, [{ name: 'a', ts: clock.now(), value: 1 }]);
    await proc.consume(b);
    await proc.consume(b);
    assert.equal(next.batches[1], b);
  });

  it('applies per-metric limits by glob', async () => {
    const { clock, series, next, proc } = setup({ metric_limits: { 'http_*': 10 } });
    await proc.consume(distinctUsers(series, 'http_requests_total', 50, clock.now()));
    await proc.consume(distinctUsers(series, 'http_errors_total', 50, clock.now()));
    await proc.consume(distinctUsers(series, 'jobs_total', 50, clock.now()));
    assert.equal(next.items, 10 + 10 + 50);
  });

  it('forgets series not seen for series_ttl and frees their slots', async () => {
    const { clock, series, next, proc } = setup({ max_series: 100, series_ttl: '10m' });
    await proc.start?.();
    await proc.consume(distinctUsers(series, 'old', 100, clock.now()));
    assert.equal(proc.tracker.tracked, 100);
    clock.advance(5 * 60_000);
    await proc.consume(metricBatch(series, [{ name: 'old', labels: { user: 'u0' }, ts: clock.now(), value: 1 }]));
    clock.advance(8 * 60_000); // expiry runs every 2.5m
    assert.equal(proc.tracker.tracked, 1, 'only the series seen recently is still tracked');
    await proc.consume(distinctUsers(series, 'new', 99, clock.now()));
    assert.equal(next.items, 100 + 1 + 99);
    await proc.shutdown?.();
  });

  it('forgets series the series table evicts, and never confuses a reused id', async () => {
    const { clock, series, next, proc } = setup({ max_series: 1 });
    await proc.start?.();
    const a = metricBatch(series, [{ name: 'a', ts: clock.now(), value: 1 }]);
    await proc.consume(a);
    series.setNow(clock.now() + 60_000);
    assert.equal(series.sweep(clock.now() + 1000), 1);
    assert.equal(proc.tracker.tracked, 0);
    const b = metricBatch(series, [{ name: 'b', ts: clock.now(), value: 1 }]);
    assert.equal(b.series[0], a.series[0]);
    await proc.consume(b);
    assert.equal(next.items, 2);
    await proc.shutdown?.();
  });
});
