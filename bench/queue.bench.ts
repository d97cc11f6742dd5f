import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/api/clock';
import type { ConsumingInstance } from '../src/api/plugin';
import type { ExporterHelperConfig } from '../src/config/types';
import { MetricBatchBuilder, type MetricBatch } from '../src/model/metric-batch';
import { MetricKind } from '../src/model/metric-kind';
import { SeriesTable } from '../src/model/series-table';
import { DiskQueue, decodeBatch, encodeBatch } from '../src/queue';
import { ExporterDrops } from '../src/runtime/batch-drops';
import { MemoryQueue, type SendingQueue } from '../src/runtime/batch-queue';
import { CircuitBreaker } from '../src/runtime/breaker';
import { ExporterStage } from '../src/runtime/exporter-stage';
import { StageStats } from '../src/runtime/stage-stats';
import { MemoryLogger } from '../src/testing/test-context';
import { measure, report } from './report';

export const title = 'sending queue: disk vs memory, through an exporter stage into a nop exporter';

const POINTS = 1000;
const BATCHES = 3000;
const PRODUCERS = 16;

function helper(): ExporterHelperConfig {
  return {
    timeout_ms: 5000,
    sending_queue: { enabled: true, queue_size: 1000, num_consumers: 4, when_full: 'block', merge_max_items: 0 },
    retry_on_failure: { enabled: true, initial_interval_ms: 10, max_interval_ms: 100, max_elapsed_time_ms: 0, multiplier: 1.5, randomization_factor: 0 },
  };
}

function makeBatch(series: SeriesTable): MetricBatch {
  const b = new MetricBatchBuilder(POINTS);
  const ids = Array.from({ length: 100 }, (_, i) => series.intern('bench_metric', ['host', `h${i}`, 'job', 'bench'], MetricKind.GAUGE));
  for (let i = 0; i < POINTS; i++) b.push(ids[i % ids.length]!, 1_700_000_000_000 + i, i * 0.5);
  return b.build();
}

/** Batches/s through the stage: `PRODUCERS` concurrent consumers (receivers) until every batch was sent. */
async function throughput(queue: SendingQueue, batch: MetricBatch): Promise<number> {
  const nop: ConsumingInstance = { consume: () => Promise.resolve() };
  const stats = new StageStats('exporter', 'nop', '');
  const breaker = new CircuitBreaker({ failure_threshold: 5, reset_timeout_ms: 1000, half_open_max_calls: 1 }, systemClock);
  const stage = new ExporterStage('nop', nop, helper(), queue, stats, breaker, systemClock, new MemoryLogger(), new ExporterDrops());
  stage.start();
  let next = 0;
  const started = process.hrtime.bigint();
  const producer = async (): Promise<void> => {
    while (next++ < BATCHES) {
      for (;;) {
        try {
          await stage.consume(batch);
          break;
        } catch {
          await new Promise((r) => setImmediate(r)); // queue full: back-pressure, try again
        }
      }
    }
  };
  await Promise.all(Array.from({ length: PRODUCERS }, producer));
  await stage.shutdown(systemClock.now() + 60_000);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (stats.sent !== BATCHES * POINTS) throw new Error(`sent ${stats.sent}, expected ${BATCHES * POINTS}`);
  return BATCHES / seconds;
}

export async function run(): Promise<void> {
  const series = new SeriesTable();
  const batch = makeBatch(series);
  const base = fs.mkdtempSync(join(tmpdir(), 'nissa-queue-bench-'));
  try {
    const memory = await throughput(new MemoryQueue(1000), batch);
    const line = (name: string, rate: number, extra: Record<string, string | number> = {}) =>
      report({ name, rate: rate * POINTS, unit: 'datapoints', baseline: { name: 'memory queue', rate: memory * POINTS }, extra: { 'batches/s': rate, ...extra } });
    line('memory queue (baseline)', memory);
    const disk = (name: string, opts: Partial<ConstructorParameters<typeof DiskQueue>[0]>) =>
      new DiskQueue({ directory: join(base, name), capacity: 1000, series, ...opts });
    line('disk queue, fsync: batch', await throughput(disk('batch', {}), batch));
    line('disk queue, fsync: group 5ms', await throughput(disk('group', { fsync: 'group', groupCommitIntervalMs: 5 }), batch));
    line('disk queue, fsync: batch, no memory copy (every take reads and decodes)', await throughput(disk('nocache', { maxCachedItems: 0 }), batch));

    const encoded = encodeBatch(batch, series).slice();
    const encodeRate = measure(POINTS, () => void encodeBatch(batch, series), 1000);
    const decodeRate = measure(POINTS, () => void decodeBatch(encoded, series), 1000);
    report({ name: 'batch codec encode', rate: encodeRate, unit: 'datapoints', extra: { 'bytes/point': encoded.length / POINTS } });
    report({ name: 'batch codec decode (re-interning 100 series)', rate: decodeRate, unit: 'datapoints' });
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}
