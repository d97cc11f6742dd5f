import assert from 'node:assert/strict';
import fc from 'fast-check';
import { labelsFromRecord, MetricKind } from '../../../src/api';
import { FakeClock } from '../../../src/testing';
import type { TierConfig } from '../../../processors/downsample/config';
import type { RawPoint } from './helpers';
import { ALL_GAUGE_AGGS, batchOf, decode, DEFAULT_TIERS_ALL_AGGS, dsConfig, exactAggregate, makeProcessor, matches, SMALL_TIERS } from './helpers';

const BASE = Date.UTC(2026, 0, 1);

const value = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.integer({ min: -50, max: 50 }),
  fc.double({ min: 0.001, max: 1000, noNaN: true }),
);

/** Points the processor accepts (not late), by replaying the watermark rule on the finest tier. */
function acceptedPoints(points: readonly RawPoint[], latenessMs: number, finestMs: number): { accepted: RawPoint[]; late: number } {
  let horizon = -Infinity;
  const accepted: RawPoint[] = [];
  let late = 0;
  for (const p of points) {
    if (Math.floor(p.ts / finestMs) * finestMs + finestMs <= horizon) late++;
    else accepted.push(p);
    horizon = Math.max(horizon, p.ts - latenessMs);
  }
  return { accepted, late };
}

/** Runs points through a processor (closing everything at the end) and checks every tier against the raw points. */
async function checkAgainstReference(tiers: TierConfig[], intervalsMs: number[], points: RawPoint[], batchSize: number, latenessMs: number): Promise<void> {
  const clock = new FakeClock(BASE);
  const { proc, sink, series, ctx } = makeProcessor(dsConfig({ tiers, flush_on_shutdown: true, allowed_lateness: latenessMs }), clock);
  const sids = [0, 1, 2].map((i) => series.intern('cpu', labelsFromRecord({ host: `h${i}` }), MetricKind.GAUGE));
  const pts = points.map((p) => ({ ...p, sid: sids[p.sid]! }));
  await proc.start();
  for (let i = 0; i < pts.length; i += batchSize) await proc.consume(batchOf(pts.slice(i, i + batchSize)));
  await proc.shutdown();

  const { accepted, late } = acceptedPoints(pts, latenessMs, intervalsMs[0]!);
  assert.equal(ctx.telemetry.drops.get('late') ?? 0, late);
  const got = decode(sink, series);
  let expectedOutputs = 0;
  tiers.forEach((tier, t) => {
    const iv = intervalsMs[t]!;
    const groups = new Map<string, RawPoint[]>();
    for (const p of accepted) {
      const key = `${p.sid}|${Math.floor(p.ts / iv) * iv + iv}`;
      (groups.get(key) ?? groups.set(key, []).get(key)!).push(p);
    }
    for (const [key, group] of groups) {
      const [sid, end] = key.split('|');
      const values = group.map((p) => p.v);
      const last = group.reduce((a, b) => (b.ts >= a.ts ? b : a)).v;
      const scale = values.reduce((a, v) => Math.max(a, Math.abs(v)), 1) * values.length;
      const labels = series.info(Number(sid)).labels.join(',');
      for (const agg of ALL_GAUGE_AGGS) {
        const k = `cpu{${labels}}|${tier.name}|${agg}|${end}`;
        const actual = got.get(k);
        const expected = exactAggregate(values, last, agg);
        assert.ok(actual !== undefined, `missing ${k}`);
        assert.ok(matches(agg, actual, expected, scale), `${k}: got ${actual}, exact ${expected} over ${values.length} points`);
        expectedOutputs++;
      }
    }
  });
  assert.equal(got.size, expectedOutputs, 'no output beyond the reference');
}

describe('downsample gauges against an exact reference', () => {
  it('matches every aggregation at 1s/5s/15s/60s tiers, points in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ sid: fc.integer({ min: 0, max: 2 }), gap: fc.integer({ min: 1, max: 3000 }), v: value }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 64 }),
        async (rows, batchSize) => {
          let ts = BASE + 123;
          const points = rows.map((r) => ({ sid: r.sid, ts: (ts += r.gap), v: r.v }));
          await checkAgainstReference(SMALL_TIERS, [1000, 5000, 15000, 60000], points, batchSize, 5000);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('matches with out-of-order points, dropping exactly the late ones', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 150 }),
        fc.array(fc.record({ sid: fc.integer({ min: 0, max: 2 }), v: value }), { minLength: 150, maxLength: 150 }),
        fc.integer({ min: 0, max: 8000 }),
        fc.integer({ min: 1, max: 40 }),
        async (offsets, rows, lateness, batchSize) => {
          const points = offsets.map((o, i) => ({ sid: rows[i]!.sid, ts: BASE + o, v: rows[i]!.v }));
          await checkAgainstReference(SMALL_TIERS, [1000, 5000, 15000, 60000], points, batchSize, lateness);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('matches at the default 1m/5m/1h/1d tiers, 1d built through the cascade (synthetic timestamps)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ sid: fc.integer({ min: 0, max: 2 }), gap: fc.integer({ min: 1, max: 3 * 3_600_000 }), v: value }), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 32 }),
        async (rows, batchSize) => {
          let ts = BASE - 7 * 3_600_000;
          const points = rows.map((r) => ({ sid: r.sid, ts: (ts += r.gap), v: r.v }));
          await checkAgainstReference(DEFAULT_TIERS_ALL_AGGS, [60_000, 300_000, 3_600_000, 86_400_000], points, batchSize, 5000);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('holds for a day of one series at 10s resolution fed in milliseconds', async () => {
    const points: RawPoint[] = [];
    for (let i = 0; i < 8640 * 1.5; i++) points.push({ sid: i % 3, ts: BASE + i * 10_000 + (i % 7), v: 50 + 40 * Math.sin(i / 100) + (i % 13) });
    await checkAgainstReference(DEFAULT_TIERS_ALL_AGGS, [60_000, 300_000, 3_600_000, 86_400_000], points, 1000, 5000);
  });
});
