import { MetricBatchBuilder, MetricKind, defineProcessor, defineReceiver, labelsFromRecord, seriesTable } from '../src/api';
import type { MetricBatch, Output } from '../src/api';
import { loadConfigText } from '../src/config';
import { builtinRegistry } from '../src/plugins/builtins';
import { Collector } from '../src/runtime/collector';
import { MemoryLogger } from '../src/testing';
import { heapUsed, measure, measureAsync, report } from './report';

export const title = 'runtime: generator -> 3 pass-through processors -> nop exporter (one core)';

const BATCH = 10_000;
const RUN_MS = 3000;

const CONFIG = `
receivers:
  generator:
    points_per_second: 0
    batch_size: ${BATCH}
    metrics: { series: 1000 }
    events: { enabled: false }
processors:
  bench_pass/1: {}
  bench_pass/2: {}
  bench_pass/3: {}
exporters:
  nop: {}
service:
  telemetry: { metrics: { endpoint: null } }
  pipelines:
    metrics: { receivers: [generator], processors: [bench_pass/1, bench_pass/2, bench_pass/3], exporters: [nop] }
`;

/** A pass-through processor registered like any user plugin: the runtime's cost is all that is measured. */
const passThrough = defineProcessor<Record<string, never>>({
  type: 'bench_pass',
  description: 'Forwards every batch unchanged (benchmark only).',
  signals: ['metrics'],
  configSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: (ctx) => ({ consume: (batch) => ctx.next.consume(batch) }),
});

/** A receiver that hands its Output to the benchmark, to push pre-built batches through the graph. */
let captured: Output | undefined;
const source = defineReceiver<Record<string, never>>({
  type: 'bench_source',
  description: 'Exposes its output to the benchmark.',
  signals: ['metrics'],
  configSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: (ctx) => ((captured = ctx.output), {}),
});

function standardBatch(size: number): MetricBatch {
  const b = new MetricBatchBuilder(size);
  const ids = Array.from({ length: 1000 }, (_, i) => seriesTable.intern('bench_baseline', labelsFromRecord({ i: String(i) }), MetricKind.GAUGE));
  for (let i = 0; i < size; i++) b.push(ids[i % 1000]!, 1_700_000_000_000 + i, i * 0.5);
  return b.build();
}

/** The baseline: one plain loop over the same columns the pipeline moves. */
function baselineRate(batch: MetricBatch): number {
  let sink = 0;
  const rate = measure(BATCH, () => {
    for (let i = 0; i < batch.length; i++) sink += batch.values[i]! + batch.timestamps[i]! + batch.series[i]!;
  });
  if (sink === 42) console.log('');
  return rate;
}

async function startBenchCollector(config: string): Promise<Collector> {
  const registry = builtinRegistry();
  registry.register(passThrough);
  registry.register(source);
  const result = loadConfigText(config, 'bench.yaml', { registry, env: {} });
  if (!result.config) throw new Error(result.errors.map((e) => e.message).join('\n'));
  const collector = new Collector(result.config, { registry, logger: new MemoryLogger(), telemetryEndpoint: null });
  await collector.start();
  return collector;
}

/** The runtime alone: pre-built batches through breakers, counters, 3 processors and the exporter queue. */
async function runtimeOnly(batch: MetricBatch): Promise<void> {
  const collector = await startBenchCollector(CONFIG.replace(/generator:\n(    .*\n)+/, 'bench_source: {}\n').replace('receivers: [generator]', 'receivers: [bench_source]'));
  const output = captured!;
  const heapBefore = heapUsed();
  const rate = await measureAsync(batch.length, async () => {
    for (;;) {
      try {
        return await output.consume(batch);
      } catch {
        await new Promise((r) => setImmediate(r)); // queue full: let the exporter's workers drain
      }
    }
  }, 3000);
  const heapAfter = process.memoryUsage().heapUsed;
  await collector.shutdown();
  report({
    name: `runtime only (pre-built ${batch.length}-point batches)`,
    unit: 'datapoints',
    rate,
    baseline: { name: 'plain loop over the same arrays', rate: baselineRate(batch) },
    heapBytesPer: Math.max(0, heapAfter - heapBefore) / (rate * 3),
    memoryUnit: 'datapoint (heap growth / points)',
    target: 20_000_000,
    extra: { 'share of the 1M/s budget': `${((1_000_000 / rate) * 100).toFixed(2)}%` },
  });
}

export async function run(): Promise<void> {
  await runtimeOnly(standardBatch(1000));
  const batch = standardBatch(BATCH);
  await runtimeOnly(batch);
  const heapBefore = heapUsed();
  const collector = await startBenchCollector(CONFIG);
  const nop = collector.stats.find('nop')!;
  await new Promise((r) => setTimeout(r, 500)); // warm-up
  const sent0 = nop.sent;
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, RUN_MS));
  const points = nop.sent - sent0;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const heapDuring = process.memoryUsage().heapUsed;
  await collector.shutdown();
  report({
    name: 'with the generator building every batch',
    unit: 'datapoints',
    rate: points / seconds,
    baseline: { name: 'plain loop over the same arrays', rate: baselineRate(batch) },
    heapBytesPer: Math.max(0, heapDuring - heapBefore) / Math.max(1, points),
    memoryUnit: 'datapoint (heap growth during the run / points)',
  });
}
