import { MetricBatchBuilder, MetricKind, SeriesTable, labelsFromRecord } from '../src/api';
import type { Batch, ConsumingInstance, MetricBatch, ProcessorDefinition } from '../src/api';
import { CollectingOutput, connectorContext, pluginConfig, processorContext } from '../src/testing';
import { ExpiryMap } from '../src/processing/expiry-map';
import { plugin as batch } from '../processors/batch';
import { plugin as cardinality } from '../processors/cardinality';
import { plugin as enrich } from '../processors/enrich';
import { plugin as ttl } from '../processors/ttl';
import { plugin as validate } from '../processors/validate';
import { plugin as route } from '../connectors/route';
import { heapUsed, measure, measureAsync, report } from './report';

export const title = 'processors: 1000-point batches, 4 labels, 20 metric names, 100,000 active series';

const SERIES = 100_000;
const BATCH = 1000;
const TARGET = 5_000_000;

/** The standard payload: batches that together cover every series once. */
function payload(series: SeriesTable): MetricBatch[] {
  const ids: number[] = [];
  for (let i = 0; i < SERIES; i++) {
    const labels = labelsFromRecord({ service: `svc${i % 50}`, host: `host-${Math.floor(i / 20) % 1000}`, region: `r${i % 7}`, status: String(200 + (i % 5) * 100) });
    ids.push(series.intern(`metric_${i % 20}`, labels, MetricKind.GAUGE));
  }
  const now = Date.now();
  const out: MetricBatch[] = [];
  for (let b = 0; b < SERIES / BATCH; b++) {
    const builder = new MetricBatchBuilder(BATCH);
    for (let i = 0; i < BATCH; i++) builder.push(ids[b * BATCH + i]!, now, i);
    out.push(builder.build());
  }
  return out;
}

const sink = { consume: (): Promise<void> => Promise.resolve() };

function baseline(batches: readonly MetricBatch[]): number {
  let k = 0;
  let acc = 0;
  return measure(BATCH, () => {
    const b = batches[k++ % batches.length]!;
    for (let i = 0; i < b.length; i++) acc += b.values[i]! + b.series[i]!;
    if (acc === -1) console.log(acc);
  });
}

/** Feeds every batch once (warm caches: the steady state), then measures. */
async function rate(inst: ConsumingInstance, batches: readonly MetricBatch[], vary?: (b: MetricBatch, round: number) => MetricBatch): Promise<number> {
  let k = 0;
  const next = (): Batch => {
    const b = batches[k % batches.length]!;
    const round = Math.floor(k++ / batches.length);
    return vary ? vary(b, round) : b;
  };
  for (let i = 0; i < batches.length; i++) await inst.consume(next());
  return measureAsync(BATCH, () => inst.consume(next()));
}

function processor<C>(def: ProcessorDefinition<C>, config: Record<string, unknown>, series: SeriesTable): ConsumingInstance {
  return def.create(processorContext({ config: pluginConfig(def, config), series, next: sink, id: def.type }));
}

export async function run(): Promise<void> {
  ttlMemory(); // first: later stages' garbage, collected meanwhile, would skew its heap figure
  const series = new SeriesTable();
  const batches = payload(series);
  const base = { name: 'plain loop', rate: baseline(batches) };
  const line = (name: string, r: number, extra?: Partial<Parameters<typeof report>[0]>): void =>
    report({ name, rate: r, unit: 'datapoints', baseline: base, target: TARGET, ...extra });

  // Memory first, before other stages leave garbage behind: heap growth from feeding every series once.
  const heapBefore = heapUsed();
  const limiter = processor(cardinality, {}, series) as ConsumingInstance & { tracker: { tracked: number; byteLength: number } };
  for (const b of batches) await limiter.consume(b);
  const limiterHeap = (heapUsed() - heapBefore) / limiter.tracker.tracked;

  line('validate (defaults)', await rate(processor(validate, {}, series), batches));
  line('enrich (insert env, upsert team)', await rate(processor(enrich, { actions: [{ key: 'env', action: 'insert', value: 'prod' }, { key: 'team', action: 'upsert', value: 'core' }] }, series), batches));

  const limiterRate = await rate(limiter, batches);
  line('cardinality (max_series 1M)', limiterRate, { heapBytesPer: limiterHeap, memoryUnit: 'tracked series (target 100)', extra: { 'typed arrays B/series': (limiter.tracker.byteLength / limiter.tracker.tracked).toFixed(1) } });

  line('batch (send_batch_size 1000)', await rate(processor(batch, {}, series), batches));

  // Every round carries new timestamps, so the ttl keeps accepting (the worst case: nothing to drop).
  const shifted = new Map<number, Float64Array>();
  const vary = (b: MetricBatch, round: number): MetricBatch => {
    let ts = shifted.get(round % 2);
    if (!ts) shifted.set(round % 2, (ts = new Float64Array(BATCH)));
    ts.fill(b.timestamps[0]! + round * 1000);
    return { ...b, timestamps: ts };
  };
  const ttlInst = processor(ttl, {}, series) as ConsumingInstance & { points: { size: number } };
  line('ttl (metrics, new timestamps)', await rate(ttlInst, batches, vary));
  const replay = processor(ttl, {}, series);
  line('ttl (metrics, replayed: all duplicates)', await rate(replay, batches));

  const output = new CollectingOutput([]);
  for (const id of ['metrics', 'metrics/errors', 'metrics/eu']) output.addPipeline(id).consume = sink.consume;
  const router = route.create(connectorContext({ id: 'route', output, series, config: pluginConfig(route, {
    table: [{ match: { metric_name: 'metric_1*', labels: { status: '/5../' } }, pipelines: ['metrics/errors'] }, { match: { labels: { region: 'r0' } }, pipelines: ['metrics/eu'] }],
    default_pipelines: ['metrics'],
  }) }));
  line('route (3 pipelines, mixed batches)', await rate(router, batches));
}

/**
 * Bytes per key of the de-duplication cache (JS heap plus its typed arrays, which live outside
 * the heap), with event-like keys `(epoch, request_id)`.
 */
function ttlMemory(): void {
  const n = 500_000;
  // Flat strings, as decoders make them (a concatenation would be flattened, and allocate, on first use).
  const keys = Array.from({ length: n }, (_, i) => Buffer.from(`${(1e15 + i * 7919).toString(16)}-4a1b-9c2d`).toString('latin1'));
  const before = heapUsed();
  const map = new ExpiryMap(3_600_000, 1_000_000);
  const now = Date.now();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) map.add(keys[i]!, now, i % 10);
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  // The typed arrays are counted from their sizes: the process's ArrayBuffer total also moves with
  // earlier benchmarks' garbage as it is swept.
  const perKey = (heapUsed() - before + map.byteLength) / map.size;
  // Uses `keys` after the measurement: were they dead by then, their collection would count against the map.
  const remembered = keys.filter((k, i) => map.has(k, now, i % 10)).length;
  report({ name: 'ttl key cache (events, 26-char request ids)', rate: n / secs, unit: 'keys', heapBytesPer: perKey, memoryUnit: 'key (target 150)', extra: { remembered } });
}
