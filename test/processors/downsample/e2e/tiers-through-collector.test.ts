import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricBatch, MetricKind as MetricKindT, ReceiverInstance } from '../../../../src/api';
import { defineReceiver, labelsFromRecord, MetricBatchBuilder, MetricKind } from '../../../../src/api';
import { builtinRegistry } from '../../../../src/plugins/builtins';
import { MemoryLogger, startCollector } from '../../../../src/testing';

/**
 * The downsample processor inside a running collector: tiers routed on the `resolution` label to
 * their own file exporters, restart durability through the checkpoint, and flush on shutdown.
 * Expected aggregates are computed here from the raw points, independently of the processor.
 */

type Running = Awaited<ReturnType<typeof startCollector>>;

/** A multiple of 15 s, so every test tier's windows start at T0. */
const T0 = 1_700_000_010_000;
const STEP_MS = 250;
const LATENESS_MS = 1000;
const TIERS = [{ name: '1s', ms: 1000 }, { name: '5s', ms: 5000 }, { name: '15s', ms: 15_000 }] as const;
const GAUGE_AGGS = ['mean', 'min', 'max', 'count', 'sum', 'p50', 'p90', 'p99'];
const COUNTER_AGGS = ['increase'];

interface SeriesDef { readonly name: string; readonly host: string; readonly kind: MetricKindT }
const SERIES: readonly SeriesDef[] = [
  { name: 'latency_ms', host: 'a', kind: MetricKind.GAUGE },
  { name: 'latency_ms', host: 'b', kind: MetricKind.GAUGE },
  { name: 'requests_total', host: 'a', kind: MetricKind.COUNTER },
];
const seriesKey = (name: string, host: string): string => `${name}{host=${host}}`;

interface Point { readonly s: number; readonly ts: number; readonly v: number }

/** Gauges spread over 1..~400 (percentiles are meaningful); the counter grows and resets once at 20 s. */
function workload(durationMs: number): Point[] {
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let counter = 1000;
  const out: Point[] = [];
  for (let ts = T0; ts < T0 + durationMs; ts += STEP_MS) {
    out.push({ s: 0, ts, v: Math.round(Math.exp(rand() * 6) * 100) / 100 });
    out.push({ s: 1, ts, v: 50 + rand() * 10 });
    counter = ts === T0 + 20_000 ? 3 : counter + Math.floor(rand() * 20);
    out.push({ s: 2, ts, v: counter });
  }
  return out;
}

/** Test receiver: the test pushes batches through `push`, as a network receiver would. */
interface TestInput extends ReceiverInstance { push(points: readonly Point[]): Promise<void> }
const testInput = defineReceiver<Record<string, never>>({
  type: 'test_points',
  description: 'Metric points pushed by the test.',
  signals: ['metrics'],
  configSchema: { type: 'object', additionalProperties: false, properties: {} },
  create(ctx) {
    const ids = SERIES.map((d) => ctx.series.intern(d.name, labelsFromRecord({ host: d.host }), d.kind));
    const instance: TestInput = { push: (points) => ctx.output.consume(batchOf(ids, points)) };
    return instance;
  },
});

function batchOf(ids: readonly number[], points: readonly Point[]): MetricBatch {
  const b = new MetricBatchBuilder(points.length);
  for (const p of points) b.push(ids[p.s]!, p.ts, p.v);
  return b.build();
}

/** Sends points in time order, one batch per second of data. */
async function feed(collector: Running, points: readonly Point[]): Promise<void> {
  const input = collector.instance('test_points') as unknown as TestInput;
  for (let i = 0; i < points.length;) {
    const second = Math.floor(points[i]!.ts / 1000);
    let j = i;
    while (j < points.length && Math.floor(points[j]!.ts / 1000) === second) j++;
    await input.push(points.slice(i, j));
    i = j;
  }
}

function configYaml(dir: string, opts: { checkpoint?: boolean; flushOnShutdown?: boolean }): string {
  const file = (name: string): string => JSON.stringify(join(dir, `${name}.jsonl`));
  const tiers = TIERS.map((t) => `      - { name: "${t.name}", interval: ${t.name}, aggregations: [${GAUGE_AGGS.join(', ')}], counter_aggregations: [${COUNTER_AGGS.join(', ')}] }`);
  const routes = TIERS.map((t) => `      - { match: { labels: { resolution: "${t.name}" } }, pipelines: [metrics/${t.name}] }`);
  return `
receivers:
  test_points: {}
processors:
  downsample:
    forward_raw: true
    allowed_lateness: ${LATENESS_MS}ms
    idle_timeout: 1h        # windows close on data time only, never on the wall clock here
    flush_on_shutdown: ${opts.flushOnShutdown === true}
    checkpoint: { directory: ${opts.checkpoint ? JSON.stringify(join(dir, 'checkpoint')) : '""'}, interval: 1h }
    tiers:
${tiers.join('\n')}
connectors:
  route/tiers:
    table:
${routes.join('\n')}
    default_pipelines: [metrics/raw]
exporters:
  file/raw: { path: ${file('raw')} }
${TIERS.map((t) => `  file/${t.name}: { path: ${file(t.name)} }`).join('\n')}
service:
  pipelines:
    metrics/in: { receivers: [test_points], processors: [downsample], exporters: [route/tiers] }
    metrics/raw: { receivers: [route/tiers], exporters: [file/raw] }
${TIERS.map((t) => `    metrics/${t.name}: { receivers: [route/tiers], exporters: [file/${t.name}] }`).join('\n')}
`;
}

async function start(dir: string, opts: { checkpoint?: boolean; flushOnShutdown?: boolean }, logger = new MemoryLogger()): Promise<Running> {
  const registry = builtinRegistry();
  registry.register(testInput);
  return startCollector(configYaml(dir, opts), { registry, logger });
}

/** Reference aggregates by `tier|series|agg|end`, for every window whose end is at or before `horizon`. */
function expectedAggregates(points: readonly Point[], horizon: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [s, def] of SERIES.entries()) {
    const own = points.filter((p) => p.s === s);
    // A counter point contributes its increase over the previous point (its value after a reset); the first is a baseline.
    const contrib = def.kind === MetricKind.COUNTER
      ? own.map((p, i) => (i === 0 ? 0 : p.v < own[i - 1]!.v ? p.v : p.v - own[i - 1]!.v))
      : own.map((p) => p.v);
    for (const tier of TIERS) {
      const windows = new Map<number, number[]>();
      own.forEach((p, i) => {
        const end = Math.floor(p.ts / tier.ms) * tier.ms + tier.ms;
        if (end <= horizon) (windows.get(end) ?? windows.set(end, []).get(end)!).push(contrib[i]!);
      });
      for (const [end, values] of windows) {
        for (const agg of def.kind === MetricKind.COUNTER ? COUNTER_AGGS : GAUGE_AGGS) {
          out.set(`${tier.name}|${seriesKey(def.name, def.host)}|${agg}|${end}`, exact(values, agg));
        }
      }
    }
  }
  return out;
}

function exact(values: readonly number[], agg: string): number {
  const sum = values.reduce((a, b) => a + b, 0);
  switch (agg) {
    case 'mean': return sum / values.length;
    case 'min': return Math.min(...values);
    case 'max': return Math.max(...values);
    case 'count': return values.length;
    case 'sum': case 'increase': return sum;
    default: {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.floor((Number(agg.slice(1)) / 100) * (sorted.length - 1))]!;
    }
  }
}

interface Line { name: string; labels: Record<string, string>; type: string; value: number; timestamp_ms: number }

function readLines(dir: string, name: string): Line[] {
  const path = join(dir, `${name}.jsonl`);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line);
}

/** A tier file as `tier|series|agg|end` → value; a duplicate point is a failure. */
function tierFile(dir: string, tier: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of readLines(dir, tier)) {
    assert.equal(l.type, 'gauge', 'aggregates are gauges');
    const key = `${l.labels['resolution']}|${seriesKey(l.name, l.labels['host']!)}|${l.labels['agg']}|${l.timestamp_ms}`;
    assert.ok(!out.has(key), `point written twice: ${key}`);
    out.set(key, l.value);
  }
  return out;
}

/** Every routed tier file holds exactly the expected windows of its tier, with values matching. */
function assertTiers(dir: string, expected: Map<string, number>): void {
  for (const tier of TIERS) {
    const got = tierFile(dir, tier.name);
    const want = [...expected].filter(([k]) => k.startsWith(`${tier.name}|`));
    assert.ok(want.length > 0, `the test expects ${tier.name} windows`);
    assert.deepEqual([...got.keys()].sort(), want.map(([k]) => k).sort(), `file ${tier.name}.jsonl holds exactly the ${tier.name} windows`);
    const wrong = want.filter(([k, v]) => !close(k.split('|')[2]!, got.get(k)!, v)).map(([k, v]) => `${k}: got ${got.get(k)}, want ${v}`);
    assert.deepEqual(wrong, [], `${tier.name} aggregates`);
  }
}

/** Percentiles within 1%; min, max and count exact; sums and means up to rounding. */
function close(agg: string, actual: number, want: number): boolean {
  if (agg.startsWith('p')) return Math.abs(actual - want) <= 0.01 * Math.abs(want) + 1e-9;
  if (agg === 'min' || agg === 'max' || agg === 'count') return actual === want;
  return Math.abs(actual - want) <= 1e-9 * Math.max(1, Math.abs(want));
}

/** The raw file holds the raw points unchanged (no tier label), each once. */
function assertRaw(dir: string, points: readonly Point[]): void {
  const got = readLines(dir, 'raw').map((l) => {
    assert.equal(l.labels['resolution'], undefined, 'raw points carry no resolution label');
    return `${seriesKey(l.name, l.labels['host']!)}|${l.timestamp_ms}|${l.value}`;
  });
  const want = points.map((p) => `${seriesKey(SERIES[p.s]!.name, SERIES[p.s]!.host)}|${p.ts}|${p.v}`);
  assert.deepEqual(got.sort(), want.sort());
}

const horizonOf = (points: readonly Point[]): number => Math.max(...points.map((p) => p.ts)) - LATENESS_MS;

describe('downsample in a running collector: tiers routed to their own file exporters', function () {
  this.timeout(20_000);
  let dir: string;
  let collector: Running | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nissa-downsample-e2e-'));
  });
  afterEach(async () => {
    await collector?.shutdown();
    collector = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('routes each tier on the resolution label to its file with aggregates equal to those of the raw points', async () => {
    const points = workload(32_000);
    collector = await start(dir, {});
    await feed(collector, points);
    await collector.shutdown();
    collector = undefined;

    assertRaw(dir, points);
    // Without flush_on_shutdown only the windows closed by the watermark come out: the watermark is 30.75 s, so every tier up to 30 s.
    assertTiers(dir, expectedAggregates(points, horizonOf(points)));
  });

  it('keeps the open windows across a graceful restart through the checkpoint', async () => {
    const points = workload(32_000);
    // Half of the first 15 s window (and of the second 5 s one) before the restart.
    const cut = points.findIndex((p) => p.ts >= T0 + 7500);
    collector = await start(dir, { checkpoint: true });
    await feed(collector, points.slice(0, cut));
    await collector.shutdown();
    collector = undefined;
    assert.equal(readdirSync(join(dir, 'checkpoint')).filter((f) => f.endsWith('.checkpoint')).length, 1, 'checkpoint written on shutdown');
    assert.equal(tierFile(dir, '15s').size, 0, 'the open 15 s window was not emitted at shutdown');

    const logger = new MemoryLogger();
    collector = await start(dir, { checkpoint: true }, logger);
    assert.ok(logger.lines.some((l) => l.msg === 'downsample checkpoint restored'), 'the new collector restored the checkpoint');
    await feed(collector, points.slice(cut));
    await collector.shutdown();
    collector = undefined;

    // Both runs appended to the same files: together they hold every closed window exactly once.
    assertRaw(dir, points);
    assertTiers(dir, expectedAggregates(points, horizonOf(points)));
  });

  it('emits the open windows on a graceful stop with flush_on_shutdown', async () => {
    const points = workload(12_000); // ends inside the second 5 s window and the first 15 s window
    collector = await start(dir, { flushOnShutdown: true });
    await feed(collector, points);
    await collector.shutdown();
    collector = undefined;

    assertRaw(dir, points);
    assertTiers(dir, expectedAggregates(points, Infinity));
  });
});
