import type { Batch, Consumer, MetricBatch } from '../src/api';
import { labelsFromRecord, MetricKind } from '../src/api';
import { FakeClock, processorContext } from '../src/testing';
import { configSchema } from '../processors/downsample/config';
import type { DownsampleConfig } from '../processors/downsample/config';
import { DownsampleProcessor } from '../processors/downsample/processor';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, constants as perfConstants, monitorEventLoopDelay } from 'node:perf_hooks';
import { SeriesTable } from '../src/api';
import { readCheckpoint, restore, snapshot, writeCheckpoint } from '../processors/downsample/checkpoint';
import { heapUsed, report } from './report';

export const title = 'downsample: default tiers (1m/5m/1h/1d), 100k active series, 1000-point batches';

const SERIES = 100_000;
const NAMES = 20;
const BATCH = 1000;
const SCRAPE_MS = 10_000;
const T0 = Date.UTC(2026, 0, 1);

/** Heap including ArrayBuffer backing stores, where typed-array state lives. */
function memory(): number {
  heapUsed();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** The standard payload: 20 metric names × 4 labels; 2 of the names are counters. */
function internSeries(series: import('../src/api').SeriesTable): Uint32Array {
  const ids = new Uint32Array(SERIES);
  for (let i = 0; i < SERIES; i++) {
    const name = i % NAMES;
    const j = Math.floor(i / NAMES);
    const labels = labelsFromRecord({ host: `host-${j % 500}`, region: `r${j % 7}`, service: `svc-${j % 50}`, instance: `i-${j}` });
    ids[i] = series.intern(`metric_${name}`, labels, name < 2 ? MetricKind.COUNTER : MetricKind.GAUGE);
  }
  return ids;
}

/** One scrape of every series: values per series drift slowly with noise; counters grow. */
function scrape(ids: Uint32Array, round: number): MetricBatch[] {
  const batches: MetricBatch[] = [];
  for (let start = 0; start < SERIES; start += BATCH) {
    const n = Math.min(BATCH, SERIES - start);
    const series = ids.subarray(start, start + n);
    const timestamps = new Float64Array(n);
    const values = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = start + k;
      timestamps[k] = T0 + round * SCRAPE_MS + (i % 1000);
      const base = 10 + (i % 997);
      values[k] = i % NAMES < 2 ? round * (1 + (i % 5)) : base * (1 + 0.1 * Math.sin(round / 40 + i) + 0.05 * Math.sin(round * 7.3 + i * 1.1));
    }
    batches.push({ signal: 'metrics', length: n, series, timestamps, values });
  }
  return batches;
}

/** The defaults exactly as the schema declares them. */
function defaults(): DownsampleConfig {
  const props = configSchema.properties;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) out[k] = (v as { default?: unknown }).default;
  return { ...(out as unknown as DownsampleConfig), forward_raw: false, checkpoint: { directory: '', interval: '1m' } };
}

/** CPU seconds of this process (user + system): the "one core" cost, immune to other load on the machine. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

export async function run(): Promise<void> {
  const sink: Consumer = { consume: async (_b: Batch) => {} };
  const clock = new FakeClock(T0);
  const ctx = processorContext<DownsampleConfig>({ config: defaults(), clock, next: sink });
  const ids = internSeries(ctx.series);
  const warmRounds = 40; // past the first 5m close: 1m/5m outputs interned, every tier holds state
  // Then 15 minutes of data: 1m and 5m windows close during the timing. Long enough that the
  // few full GCs the output volume triggers are counted fairly rather than by luck.
  const timedRounds = 90;

  // Baseline: a plain loop summing the same arrays, timed the same way.
  const sample = scrape(ids, 0);
  let total = 0;
  const bc = cpuSeconds();
  for (let rep = 0; rep < 50; rep++) for (const b of sample) for (let i = 0; i < b.length; i++) total += b.values[i]! + b.timestamps[i]!;
  const baselineRate = (50 * SERIES) / (cpuSeconds() - bc);

  const before = memory();
  const proc = new DownsampleProcessor(ctx);
  await proc.start();
  for (let r = 0; r < warmRounds; r++) for (const b of scrape(ids, r)) await proc.consume(b);
  // The payload is built before timing (a receiver's decoding is not part of downsampling).
  const rounds: MetricBatch[][] = [];
  for (let r = warmRounds; r < warmRounds + timedRounds; r++) rounds.push(scrape(ids, r));
  const gc = { major: 0, ms: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.ms += e.duration;
      if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) gc.major++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const c0 = cpuSeconds();
  const w0 = process.hrtime.bigint();
  for (const round of rounds) for (const b of round) await proc.consume(b);
  const wall = Number(process.hrtime.bigint() - w0) / 1e9;
  const cpu = cpuSeconds() - c0;
  await new Promise((resolve) => setTimeout(resolve, 50)); // GC entries are delivered asynchronously
  observer.disconnect();
  rounds.length = 0;
  const points = timedRounds * SERIES;
  const after = memory();
  report({
    name: 'downsample default tiers (per CPU-second)',
    rate: points / cpu,
    unit: 'datapoints',
    baseline: { name: 'plain loop summing the arrays', rate: baselineRate },
    target: 2_000_000,
    heapBytesPer: proc.engine.stateBytes / SERIES,
    memoryUnit: 'active series (typed-array state of all tiers + id caches; target 2048)',
    extra: {
      'wall-clock rate': points / wall,
      'heap+arrayBuffers delta B/series (incl. interned output series)': Math.round((after - before) / SERIES),
      'full GCs while timed': gc.major,
      'GC pause ms while timed': Math.round(gc.ms),
      'open states': proc.engine.openStates,
      'series in table': ctx.series.size,
    },
  });
  await benchCheckpoint(proc);
  await proc.shutdown();
  if (total === 42) console.log('');
}

/**
 * Checkpoint of the open windows of 100k series (all four tiers hold state after the run above):
 * snapshot (synchronous), write (hash yielding to the loop, one vectored write), read + validate,
 * restore into a fresh engine with its own series table. The longest event-loop stall during
 * the write is what a running collector would feel.
 */
async function benchCheckpoint(proc: DownsampleProcessor): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nissa-bench-ckpt-'));
  try {
    const c0 = cpuSeconds();
    const w0 = process.hrtime.bigint();
    const snap = snapshot(proc.engine);
    const snapshotCpu = cpuSeconds() - c0;
    const stall = monitorEventLoopDelay({ resolution: 1 });
    stall.enable();
    const bytes = await writeCheckpoint(dir, 'bench.checkpoint', snap);
    stall.disable();
    const writeCpu = cpuSeconds() - c0;
    const writeWall = Number(process.hrtime.bigint() - w0) / 1e3 / 1e6;
    const r0 = cpuSeconds();
    const read = await readCheckpoint(dir, 'bench.checkpoint');
    const readCpu = cpuSeconds() - r0;
    const ctx = processorContext<DownsampleConfig>({ config: defaults(), clock: new FakeClock(T0), series: new SeriesTable() });
    const fresh = new DownsampleProcessor(ctx);
    const s0 = cpuSeconds();
    const restored = restore(fresh.engine, read!);
    const restoreCpu = cpuSeconds() - s0;
    if (restored.states !== proc.engine.openStates) throw new Error(`restored ${restored.states} of ${proc.engine.openStates} states`);
    report({
      name: 'downsample checkpoint write, 100k series (states per CPU-second)',
      rate: restored.states / writeCpu,
      unit: 'states',
      extra: {
        'bytes': bytes,
        'B/series': Math.round(bytes / SERIES),
        'snapshot CPU ms (blocking)': snapshotCpu * 1000,
        'snapshot+write ms wall': writeWall,
        'write CPU ms': writeCpu * 1000,
        'longest loop stall ms during write': stall.max / 1e6,
        'read+validate CPU ms': readCpu * 1000,
        'restore CPU ms': restoreCpu * 1000,
      },
    });
    await fresh.shutdown();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
