import assert from 'node:assert/strict';
import fc from 'fast-check';
import { labelsFromRecord, MetricBatchBuilder, MetricKind } from '../../../src/api';
import { FakeClock } from '../../../src/testing';
import { decode, dsConfig, makeProcessor, SMALL_TIERS } from './helpers';

const BASE = Date.UTC(2026, 0, 1);
const INTERVALS = [1000, 5000, 15000, 60000];

describe('downsample counters', () => {
  it('cumulative counters: increase, rate, last and count per tier, resets included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ gap: fc.integer({ min: 1, max: 4000 }), step: fc.integer({ min: 0, max: 100 }), reset: fc.boolean() }), { minLength: 1, maxLength: 120 }),
        async (rows) => {
          const clock = new FakeClock(BASE);
          const { proc, sink, series } = makeProcessor(dsConfig({ tiers: SMALL_TIERS, flush_on_shutdown: true }), clock);
          const sid = series.intern('requests_total', labelsFromRecord({ job: 'api' }), MetricKind.COUNTER);
          let ts = BASE;
          let v = 0;
          const points = rows.map((r) => {
            v = r.reset ? r.step : v + r.step;
            return { ts: (ts += r.gap), v };
          });
          const b = new MetricBatchBuilder();
          for (const p of points) b.push(sid, p.ts, p.v);
          await proc.start();
          await proc.consume(b.build());
          await proc.shutdown();

          const got = decode(sink, series);
          SMALL_TIERS.forEach((tier, t) => {
            const iv = INTERVALS[t]!;
            const windows = new Map<number, { increase: number; last: number; count: number }>();
            points.forEach((p, i) => {
              const prev = points[i - 1];
              const inc = prev === undefined ? 0 : p.v < prev.v ? p.v : p.v - prev.v;
              const end = Math.floor(p.ts / iv) * iv + iv;
              const w = windows.get(end) ?? { increase: 0, last: 0, count: 0 };
              windows.set(end, { increase: w.increase + inc, last: p.v, count: w.count + 1 });
            });
            for (const [end, w] of windows) {
              const key = (agg: string) => `requests_total{job,api}|${tier.name}|${agg}|${end}`;
              assert.equal(got.get(key('increase')), w.increase, key('increase'));
              assert.equal(got.get(key('rate')), w.increase / (iv / 1000), key('rate'));
              assert.equal(got.get(key('last')), w.last, key('last'));
              assert.equal(got.get(key('count')), w.count, key('count'));
              assert.equal(got.get(key('mean')), undefined, 'no mean of a cumulative value');
            }
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('treats a newer start time as a reset even when the value did not go down', async () => {
    const clock = new FakeClock(BASE);
    const { proc, sink, series } = makeProcessor(dsConfig({ tiers: SMALL_TIERS, flush_on_shutdown: true }), clock);
    const sid = series.intern('c', [], MetricKind.COUNTER);
    const b = new MetricBatchBuilder();
    b.push(sid, BASE + 1000, 100, undefined, BASE);
    b.push(sid, BASE + 2000, 150, undefined, BASE);
    b.push(sid, BASE + 3000, 200, undefined, BASE + 2500); // restarted at 2.5s, counted 200 since
    await proc.start();
    await proc.consume(b.build());
    await proc.shutdown();
    const got = decode(sink, series);
    assert.equal(got.get(`c{}|60s|increase|${BASE + 60000}`), 50 + 200);
  });

  it('delta counters sum their values', async () => {
    const clock = new FakeClock(BASE);
    const { proc, sink, series } = makeProcessor(dsConfig({ tiers: SMALL_TIERS, flush_on_shutdown: true }), clock);
    const sid = series.intern('bytes', [], MetricKind.DELTA_COUNTER);
    const b = new MetricBatchBuilder();
    for (let i = 0; i < 30; i++) b.push(sid, BASE + i * 500, i);
    await proc.start();
    await proc.consume(b.build());
    await proc.shutdown();
    const got = decode(sink, series);
    assert.equal(got.get(`bytes{}|60s|increase|${BASE + 60000}`), (29 * 30) / 2);
    assert.equal(got.get(`bytes{}|5s|increase|${BASE + 5000}`), (9 * 10) / 2);
    assert.equal(got.get(`bytes{}|60s|rate|${BASE + 60000}`), (29 * 30) / 2 / 60);
  });
});
