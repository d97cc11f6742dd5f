import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labelsFromRecord, MetricBatchBuilder, MetricKind, SeriesTable } from '../../../src/api';
import { FakeClock } from '../../../src/testing';
import type { RawPoint } from './helpers';
import { decode, dsConfig, makeProcessor } from './helpers';

const T0 = Date.UTC(2026, 0, 1);

/** Two gauges and a counter over 3 hours, every 10s. */
function workload(series: SeriesTable): RawPoint[] {
  const g1 = series.intern('cpu', labelsFromRecord({ host: 'a' }), MetricKind.GAUGE);
  const g2 = series.intern('cpu', labelsFromRecord({ host: 'b' }), MetricKind.GAUGE);
  const c = series.intern('reqs', [], MetricKind.COUNTER);
  const out: RawPoint[] = [];
  for (let i = 0; i < 1080; i++) {
    const ts = T0 + i * 10_000;
    out.push({ sid: g1, ts, v: Math.sin(i / 50) * 10 + (i % 17) }, { sid: g2, ts, v: (i * 7) % 31 }, { sid: c, ts, v: i < 500 ? i * 3 : (i - 500) * 2 });
  }
  return out;
}

async function feed(proc: { consume(b: never): Promise<void> }, points: RawPoint[]): Promise<void> {
  for (let i = 0; i < points.length; i += 100) {
    const b = new MetricBatchBuilder();
    for (const p of points.slice(i, i + 100)) b.push(p.sid, p.ts, p.v);
    await proc.consume(b.build() as never);
  }
}

describe('downsample checkpoints', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nissa-downsample-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('restores open windows in a new instance (new series table) with the same results', async () => {
    const clock = new FakeClock(T0);
    // Reference: one uninterrupted run.
    const ref = makeProcessor(dsConfig({ flush_on_shutdown: true }), clock);
    const refPoints = workload(ref.series);
    await ref.proc.start();
    await feed(ref.proc, refPoints);
    await ref.proc.shutdown();
    const expected = decode(ref.sink, ref.series);

    // Same data, with a restart in the middle of the second hour.
    const cfg = dsConfig({ checkpoint: { directory: dir, interval: '1m' } });
    const a = makeProcessor(cfg, clock);
    const first = workload(a.series);
    await a.proc.start();
    await feed(a.proc, first.slice(0, 1500));
    await a.proc.shutdown();
    assert.equal(readdirSync(dir).length, 1, 'one checkpoint file, no temp file left');

    const series = new SeriesTable();
    series.intern('unrelated', [], MetricKind.GAUGE); // shifts ids: restore must go by name + labels
    const b = makeProcessor(dsConfig({ checkpoint: { directory: dir, interval: '1m' }, flush_on_shutdown: true }), clock, series);
    const second = workload(b.series);
    await b.proc.start();
    assert.ok(b.ctx.logger.lines.some((l) => l.msg === 'downsample checkpoint restored'));
    await feed(b.proc, second.slice(1500));
    await b.proc.shutdown();

    const got = decode(a.sink, a.series);
    for (const [k, v] of decode(b.sink, b.series)) got.set(k, v);
    assert.equal(got.size, expected.size);
    for (const [k, v] of expected) {
      const actual = got.get(k);
      assert.ok(actual !== undefined && Math.abs(actual - v) <= 1e-9 * Math.max(1, Math.abs(v)), `${k}: ${actual} vs ${v}`);
    }
  });

  it('writes checkpoints periodically on the clock', async () => {
    const clock = new FakeClock(T0);
    const { proc, series } = makeProcessor(dsConfig({ checkpoint: { directory: dir, interval: '1m' } }), clock);
    await proc.start();
    await feed(proc, workload(series).slice(0, 30));
    await clock.tick(61_000, 61_000);
    await proc.checkpoint(); // waits for the one the timer started
    const files = readdirSync(dir);
    assert.equal(files.length, 1);
    const text = readFileSync(join(dir, files[0]!), 'utf8');
    assert.match(text.split('\n')[0]!, /"format":"nissa-downsample-checkpoint","version":1,"sha256":"[0-9a-f]{64}"/);
    await proc.shutdown();
  });

  it('logs and ignores a corrupt checkpoint instead of crashing', async () => {
    const clock = new FakeClock(T0);
    const cfg = dsConfig({ checkpoint: { directory: dir, interval: '1m' } });
    const a = makeProcessor(cfg, clock);
    await a.proc.start();
    await feed(a.proc, workload(a.series).slice(0, 30));
    await a.proc.shutdown();
    const file = join(dir, readdirSync(dir)[0]!);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, -10) + 'corrupted!');
    const b = makeProcessor(cfg, clock);
    await b.proc.start();
    assert.ok(b.ctx.logger.lines.some((l) => l.level === 'warn' && /checksum mismatch/.test(String(l.fields?.error))));
    assert.equal(b.proc.engine.openStates, 0);
    writeFileSync(file, 'garbage');
    const c = makeProcessor(cfg, clock);
    await c.proc.start();
    assert.ok(c.ctx.logger.lines.some((l) => l.level === 'warn'));
    await b.proc.shutdown();
    await c.proc.shutdown();
  });
});
