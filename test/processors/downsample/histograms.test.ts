import assert from 'node:assert/strict';
import type { ExplicitHistogram, ExponentialHistogram } from '../../../src/api';
import { MetricBatchBuilder, MetricKind } from '../../../src/api';
import { FakeClock } from '../../../src/testing';
import { decode, dsConfig, makeProcessor, SMALL_TIERS } from './helpers';
import { distributionOf } from '../../../processors/downsample/histogram-distribution';

const BASE = Date.UTC(2026, 0, 1);

function explicit(counts: number[], sum: number): ExplicitHistogram {
  return { type: 'histogram', bounds: Float64Array.from([1, 5, 10]), counts: Float64Array.from(counts), count: counts.reduce((a, b) => a + b, 0), sum };
}

function near(actual: number | undefined, expected: number): boolean {
  return actual !== undefined && Math.abs(actual - expected) <= 0.01 * Math.abs(expected);
}

describe('downsample histograms', () => {
  it('merges cumulative explicit buckets across windows; percentiles come from the merged buckets', async () => {
    const clock = new FakeClock(BASE);
    const { proc, sink, series } = makeProcessor(dsConfig({ tiers: SMALL_TIERS, flush_on_shutdown: true }), clock);
    const sid = series.intern('latency', [], MetricKind.HISTOGRAM);
    const b = new MetricBatchBuilder();
    b.push(sid, BASE + 1100, 10, explicit([1, 2, 0, 0], 10)); // baseline
    b.push(sid, BASE + 2200, 30, explicit([3, 2, 1, 0], 30)); // + [2,0,1,0], sum +20
    b.push(sid, BASE + 7000, 80, explicit([3, 4, 1, 1], 80)); // + [0,2,0,1], sum +50
    await proc.start();
    await proc.consume(b.build());
    await proc.shutdown();
    const got = decode(sink, series);
    const at = (tier: string, agg: string, end: number) => got.get(`latency{}|${tier}|${agg}|${BASE + end}`);
    // Merged 15s window: buckets [2,2,1,1] represented by 1, 3, 7.5, 10 → sorted 1,1,3,3,7.5,10.
    assert.equal(at('15s', 'count', 15000), 6);
    assert.equal(at('15s', 'sum', 15000), 70);
    assert.equal(at('15s', 'mean', 15000), 70 / 6);
    assert.ok(near(at('15s', 'p50', 15000), 3));
    assert.ok(near(at('15s', 'p99', 15000), 7.5));
    assert.equal(at('15s', 'max', 15000), 10);
    assert.equal(at('15s', 'stddev', 15000), undefined, 'no made-up stddev from buckets');
    assert.equal(at('5s', 'count', 5000), 3);
    assert.equal(at('5s', 'count', 10000), 3);
    assert.equal(at('1s', 'count', 2000), undefined, 'the baseline point adds nothing');
  });

  it('merges delta exponential histograms, using their min and max', async () => {
    const clock = new FakeClock(BASE);
    const { proc, sink, series } = makeProcessor(dsConfig({ tiers: SMALL_TIERS, flush_on_shutdown: true, histogram_temporality: 'delta' }), clock);
    const sid = series.intern('size', [], MetricKind.EXP_HISTOGRAM);
    const h = (positive: number[], min: number, max: number, sum: number): ExponentialHistogram => ({
      type: 'exp_histogram', scale: 0, zeroCount: 1, positiveOffset: 0, positive: Float64Array.from(positive),
      negativeOffset: 0, negative: new Float64Array(0), count: 1 + positive.reduce((a, b) => a + b, 0), sum, min, max,
    });
    const b = new MetricBatchBuilder();
    b.push(sid, BASE + 100, 5, h([1, 2], 0, 3.9, 9));
    b.push(sid, BASE + 3100, 5, h([0, 0, 4], 0, 7.5, 24));
    await proc.start();
    await proc.consume(b.build());
    await proc.shutdown();
    const got = decode(sink, series);
    const at = (agg: string) => got.get(`size{}|5s|${agg}|${BASE + 5000}`);
    assert.equal(at('count'), 2 + 3 + 4);
    assert.equal(at('sum'), 33);
    assert.equal(at('min'), 0);
    assert.equal(at('max'), 7.5);
    // Values: 0, 0, 2^0.5, 2^1.5 ×2, 2^2.5 ×4 → the median (rank 4) is 2^1.5, p95 is 2^2.5.
    assert.ok(near(at('p50'), 2 ** 1.5));
    assert.ok(near(at('p95'), 2 ** 2.5));
  });

  it('diffs cumulative exponential histograms across a scale reduction', () => {
    const prev: ExponentialHistogram = { type: 'exp_histogram', scale: 1, zeroCount: 0, positiveOffset: 0, positive: Float64Array.from([1, 1, 2, 0]), negativeOffset: 0, negative: new Float64Array(0), count: 4, sum: 8 };
    const cur: ExponentialHistogram = { type: 'exp_histogram', scale: 0, zeroCount: 0, positiveOffset: 0, positive: Float64Array.from([3, 3]), negativeOffset: 0, negative: new Float64Array(0), count: 6, sum: 14 };
    const d = distributionOf(cur, prev)!;
    // prev at scale 0: bucket 0 = 1+1, bucket 1 = 2+0 → differences [1, 1].
    assert.deepEqual(d.counts, [1, 1]);
    assert.equal(d.count, 2);
    assert.equal(d.sum, 6);
  });

  it('takes a histogram whose count went down as a reset', () => {
    const d = distributionOf(explicit([1, 0, 0, 0], 1), explicit([5, 5, 0, 0], 20))!;
    assert.equal(d.count, 1);
    assert.deepEqual(d.counts, [1]);
  });
});
