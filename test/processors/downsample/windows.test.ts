import assert from 'node:assert/strict';
import { getLabel, labelsFromRecord, MetricKind, STALE_NAN } from '../../../src/api';
import { FakeClock } from '../../../src/testing';
import { plugin } from '../../../processors/downsample';
import { batchOf, decode, dsConfig, makeProcessor } from './helpers';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('downsample windows', () => {
  it('aligns windows to UTC multiples, closes them on the watermark and drops late points', async () => {
    const clock = new FakeClock(T0);
    const { proc, sink, series, ctx } = makeProcessor(dsConfig(), clock);
    const sid = series.intern('temp', labelsFromRecord({ room: 'a' }), MetricKind.GAUGE);
    await proc.start();
    await proc.consume(batchOf([{ sid, ts: T0 + 59_500, v: 1 }, { sid, ts: T0 + 60_200, v: 100 }]));
    await proc.consume(batchOf([{ sid, ts: T0 + 64_000, v: 3 }])); // watermark 12:00:59, still open
    assert.equal(sink.items, 0);
    await proc.consume(batchOf([{ sid, ts: T0 + 65_500, v: 5 }])); // watermark 12:01:00.5: 12:00 closes
    const got = decode(sink, series);
    assert.equal(got.get(`temp{room,a}|1m|count|${T0 + 60_000}`), 1);
    assert.equal(got.get(`temp{room,a}|1m|mean|${T0 + 60_000}`), 1);
    assert.equal(got.size, 5, 'mean, min, max, count, sum of the one closed minute');
    await proc.consume(batchOf([{ sid, ts: T0 + 30_000, v: 9 }]));
    assert.equal(ctx.telemetry.drops.get('late'), 1);
    assert.equal(sink.items, 5);
    await proc.shutdown();
    assert.equal(sink.items, 5, 'incomplete windows are not emitted on shutdown by default');
  });

  it('closes windows that ended before the wall clock after idle_timeout', async () => {
    const clock = new FakeClock(T0 + 70_000);
    const { proc, sink, series } = makeProcessor(dsConfig({ idle_timeout: '30s' }), clock);
    const sid = series.intern('temp', [], MetricKind.GAUGE);
    await proc.start();
    await proc.consume(batchOf([{ sid, ts: T0 + 10_000, v: 1 }, { sid, ts: T0 + 62_000, v: 2 }]));
    assert.equal(sink.items, 0, 'watermark 12:00:57 closes nothing');
    await clock.tick(29_000, 1000);
    assert.equal(sink.items, 0, 'not idle long enough');
    await clock.tick(2_000, 1000);
    const got = decode(sink, series);
    assert.equal(got.get(`temp{}|1m|count|${T0 + 60_000}`), 1);
    assert.equal(got.get(`temp{}|1m|count|${T0 + 120_000}`), undefined, 'the minute ending 12:02 is still running (now 12:01:41)');
    await clock.tick(20_000, 1000);
    assert.equal(decode(sink, series).get(`temp{}|1m|count|${T0 + 120_000}`), 1);
    assert.equal(decode(sink, series).get(`temp{}|5m|count|${T0 + 300_000}`), undefined, 'the 5m window has not ended');
    await proc.shutdown();
  });

  it('emits nothing for empty windows across a gap and keeps each window to its own points', async () => {
    const clock = new FakeClock(T0);
    const { proc, sink, series } = makeProcessor(dsConfig({ flush_on_shutdown: true }), clock);
    const sid = series.intern('g', [], MetricKind.GAUGE);
    await proc.start();
    await proc.consume(batchOf([{ sid, ts: T0 + 1000, v: 2 }, { sid, ts: T0 + 2000, v: 4 }]));
    await proc.consume(batchOf([{ sid, ts: T0 + 7 * 60_000 + 1000, v: 10 }]));
    await proc.shutdown();
    const got = decode(sink, series);
    const minutes = [...got.keys()].filter((k) => k.includes('|1m|count|')).map((k) => Number(k.split('|')[3]));
    assert.deepEqual(minutes.sort(), [T0 + 60_000, T0 + 8 * 60_000]);
    assert.equal(got.get(`g{}|1m|mean|${T0 + 60_000}`), 3);
    // The 5m window 12:00-12:05 holds the first minute only; 12:05-12:10 the last.
    assert.equal(got.get(`g{}|5m|mean|${T0 + 300_000}`), 3);
    assert.equal(got.get(`g{}|5m|p50|${T0 + 600_000}`), 10);
    assert.equal(got.get(`g{}|1h|stddev|${T0 + 3_600_000}`), Math.sqrt(((2 - 16 / 3) ** 2 + (4 - 16 / 3) ** 2 + (10 - 16 / 3) ** 2) / 3));
  });

  it('handles a series with a single point at every tier', async () => {
    const clock = new FakeClock(T0);
    const { proc, sink, series } = makeProcessor(dsConfig({ flush_on_shutdown: true }), clock);
    const sid = series.intern('once', [], MetricKind.GAUGE);
    await proc.start();
    await proc.consume(batchOf([{ sid, ts: T0 + 5, v: 42 }]));
    await proc.shutdown();
    const got = decode(sink, series);
    for (const [tier, end] of [['1m', 60_000], ['5m', 300_000], ['1h', 3_600_000], ['1d', 43_200_000]] as const) {
      assert.equal(got.get(`once{}|${tier}|max|${T0 + end}`), 42, tier);
    }
    assert.equal(got.get(`once{}|1d|p99|${T0 + 43_200_000}`), 42, 'percentiles are clamped to the exact min/max');
    assert.equal(got.get(`once{}|1d|stddev|${T0 + 43_200_000}`), 0);
  });

  it('forwards raw points first when forward_raw, and passes other signals through', async () => {
    const clock = new FakeClock(T0);
    const { proc, sink, series } = makeProcessor(dsConfig({ forward_raw: true, flush_on_shutdown: true }), clock);
    const sid = series.intern('g', [], MetricKind.GAUGE);
    const raw = batchOf([{ sid, ts: T0, v: 1 }, { sid, ts: T0 + 1, v: STALE_NAN }]);
    await proc.start();
    await proc.consume(raw);
    await proc.consume({ signal: 'control', items: [] });
    assert.equal(sink.batches[0], raw);
    assert.equal(sink.batches[1]!.signal, 'control');
    await proc.shutdown();
    assert.ok(sink.items > 2);
  });

  it('does not aggregate a batch whose raw forward was refused (the caller retries it)', async () => {
    const clock = new FakeClock(T0);
    const { proc, sink, series } = makeProcessor(dsConfig({ forward_raw: true, flush_on_shutdown: true }), clock);
    const sid = series.intern('g', [], MetricKind.GAUGE);
    await proc.start();
    sink.failWith = new Error('busy');
    await assert.rejects(proc.consume(batchOf([{ sid, ts: T0, v: 1 }])), /busy/);
    sink.failWith = undefined;
    await proc.consume(batchOf([{ sid, ts: T0, v: 1 }]));
    await proc.shutdown();
    assert.equal(decode(sink, series).get(`g{}|1m|count|${T0 + 60_000}`), 1);
  });

  it('names outputs with a suffix or with configurable labels', async () => {
    const clock = new FakeClock(T0);
    const suffix = makeProcessor(dsConfig({ naming: 'suffix', flush_on_shutdown: true }), clock);
    const s1 = suffix.series.intern('cpu', labelsFromRecord({ host: 'a' }), MetricKind.GAUGE);
    await suffix.proc.start();
    await suffix.proc.consume(batchOf([{ sid: s1, ts: T0, v: 1 }]));
    await suffix.proc.shutdown();
    const names = new Set<string>();
    for (const b of suffix.sink.batches) if (b.signal === 'metrics') for (const id of b.series) names.add(suffix.series.info(id).name);
    assert.ok(names.has('cpu:5m:p95') && names.has('cpu:1m:mean'));

    const custom = makeProcessor(dsConfig({ resolution_label: 'res', aggregation_label: 'stat', flush_on_shutdown: true }), clock);
    const s2 = custom.series.intern('cpu', [], MetricKind.GAUGE);
    await custom.proc.start();
    await custom.proc.consume(batchOf([{ sid: s2, ts: T0, v: 1 }]));
    await custom.proc.shutdown();
    const b = custom.sink.batches[0]!;
    assert.ok(b.signal === 'metrics');
    const info = custom.series.info(b.series[0]!);
    assert.equal(info.kind, MetricKind.GAUGE);
    assert.equal(getLabel(info.labels, 'res'), '1m');
    assert.equal(getLabel(info.labels, 'stat'), 'mean');
  });

  it('pins input series while they have open windows and re-interns evicted outputs', async () => {
    const clock = new FakeClock(T0);
    const { proc, sink, series } = makeProcessor(dsConfig(), clock);
    const sid = series.intern('g', [], MetricKind.GAUGE);
    await proc.start();
    await proc.consume(batchOf([{ sid, ts: T0, v: 1 }]));
    series.sweep(Infinity);
    assert.ok(series.has(sid), 'pinned while its windows are open');
    const other = makeProcessor(dsConfig(), clock, series);
    const sid2 = series.intern('h', [], MetricKind.GAUGE);
    await other.proc.start();
    await other.proc.consume(batchOf([{ sid: sid2, ts: T0, v: 1 }]));
    await other.proc.shutdown();
    series.sweep(Infinity);
    assert.ok(!series.has(sid2), 'unpinned once its processor shut down');
    await proc.consume(batchOf([{ sid, ts: T0 + 70_000, v: 2 }]));
    assert.equal(sink.batches.length, 1);
    // Outputs are not pinned: evict them and check the next minute re-interns a valid id.
    series.sweep(Infinity);
    await proc.consume(batchOf([{ sid, ts: T0 + 130_000, v: 3 }]));
    const again = (sink.batches[1] as { series: Uint32Array }).series[0]!;
    assert.equal(series.info(again).name, 'g');
    assert.equal(getLabel(series.info(again).labels, 'agg'), 'mean');
    await proc.shutdown();
  });

  it('refuses a cascade whose interval is not a multiple of its source', () => {
    const ctx = { config: dsConfig({ tiers: [{ name: 'a', interval: '2s', source: '', retention: '', aggregations: ['mean'], counter_aggregations: [] }, { name: 'b', interval: '3s', source: '', retention: '', aggregations: ['mean'], counter_aggregations: [] }] }) };
    assert.throws(() => plugin.create(ctx as never), /not a multiple/);
  });
});
