import { strict as assert } from 'node:assert';
import { MetricBatchBuilder, RetryableError, SeriesTable, eventBatch, type Batch, type ConsumingInstance, type MetricBatch } from '../../src/api';
import type { ExporterHelperConfig } from '../../src/config/types';
import { ExporterDrops } from '../../src/runtime/batch-drops';
import { MemoryQueue } from '../../src/runtime/batch-queue';
import { CircuitBreaker } from '../../src/runtime/breaker';
import { ExporterStage } from '../../src/runtime/exporter-stage';
import { StageStats } from '../../src/runtime/stage-stats';
import { systemClock } from '../../src/api/clock';
import { MemoryLogger } from '../../src/testing/test-context';
import { event } from '../processing/fixtures';
import { waitUntil } from '../helpers/wait-until';

function helper(mergeMax: number): ExporterHelperConfig {
  return {
    timeout_ms: 5000,
    sending_queue: { enabled: true, queue_size: 100, num_consumers: 1, when_full: 'block', merge_max_items: mergeMax },
    retry_on_failure: { enabled: true, initial_interval_ms: 5, max_interval_ms: 10, max_elapsed_time_ms: 0, multiplier: 1, randomization_factor: 0 },
  };
}

/** A metric batch of `n` points of series `id`, timestamps `t0, t0 + 1, ...` (order is visible in them). */
function points(id: number, t0: number, n: number): MetricBatch {
  const b = new MetricBatchBuilder();
  for (let i = 0; i < n; i++) b.push(id, t0 + i, i);
  return b.build();
}

/**
 * An exporter whose first call waits until `release()`, so that the batches offered meanwhile
 * wait together in the queue; it records what each call carried.
 */
function gatedExporter(failFirstAfterGate = false, onFail?: () => void) {
  const calls: Batch[] = [];
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  let failed = false;
  const exporter: ConsumingInstance = {
    consume: async (batch) => {
      calls.push(batch);
      if (calls.length === 1) await gate;
      else if (failFirstAfterGate && !failed) {
        failed = true;
        onFail?.();
        throw new RetryableError('backend busy');
      }
    },
  };
  return { exporter, calls, release: () => open() };
}

function stageOf(exporter: ConsumingInstance, mergeMax: number, table?: SeriesTable) {
  const stats = new StageStats('exporter', 'x', '');
  const queue = new MemoryQueue(100, table);
  const breaker = new CircuitBreaker({ failure_threshold: 5, reset_timeout_ms: 1000, half_open_max_calls: 1 }, systemClock);
  const stage = new ExporterStage('x', exporter, helper(mergeMax), queue, stats, breaker, systemClock, new MemoryLogger(), new ExporterDrops());
  stage.start();
  return { stage, stats, queue };
}

const timestamps = (b: Batch): number[] => Array.from((b as MetricBatch).timestamps);

describe('exporter stage: merge_max_items joins the batches waiting in the queue', () => {
  it('sends the batches that waited together as one call, in queue order, up to merge_max_items', async () => {
    const { exporter, calls, release } = gatedExporter();
    const { stage, stats } = stageOf(exporter, 25);
    await stage.consume(points(1, 0, 10)); // taken at once; its call waits at the gate
    await waitUntil(() => calls.length === 1);
    for (let k = 1; k <= 4; k++) await stage.consume(points(1, k * 10, 10)); // 4 batches wait
    release();
    await waitUntil(() => stats.sent === 50);
    // 10 alone (taken before the others came), then 10 + 10 (a third would pass 25), then 10 + 10.
    assert.deepEqual(calls.map((c) => (c as MetricBatch).length), [10, 20, 20]);
    assert.deepEqual(calls.flatMap(timestamps), Array.from({ length: 50 }, (_, i) => i), 'every point once, in order');
    assert.equal(stats.accepted, 50);
  });

  it('sends each batch alone when merge_max_items is 0 (the default)', async () => {
    const { exporter, calls, release } = gatedExporter();
    const { stage, stats } = stageOf(exporter, 0);
    await stage.consume(points(1, 0, 10));
    await waitUntil(() => calls.length === 1);
    for (let k = 1; k <= 3; k++) await stage.consume(points(1, k * 10, 10));
    release();
    await waitUntil(() => stats.sent === 40);
    assert.deepEqual(calls.map((c) => (c as MetricBatch).length), [10, 10, 10, 10]);
  });

  it('never merges batches of different signals, and keeps the one that did not fit for the next call', async () => {
    const { exporter, calls, release } = gatedExporter();
    const { stage, stats } = stageOf(exporter, 1000);
    await stage.consume(points(1, 0, 2));
    await waitUntil(() => calls.length === 1);
    await stage.consume(points(1, 2, 2));
    await stage.consume(eventBatch([event({ requestId: 'a' })]));
    await stage.consume(eventBatch([event({ requestId: 'b' })]));
    await stage.consume(points(1, 4, 2));
    release();
    await waitUntil(() => stats.sent === 8);
    assert.deepEqual(calls.map((c) => c.signal), ['metrics', 'metrics', 'events', 'metrics']);
    assert.deepEqual(calls[2]!.signal === 'events' ? calls[2]!.items.map((e) => e.requestId) : [], ['a', 'b']);
    assert.deepEqual(calls.filter((c) => c.signal === 'metrics').flatMap(timestamps), [0, 1, 2, 3, 4, 5]);
  });

  it('retries a merged call whole, and gives every merged batch back to the queue (series unpinned) only once delivered', async () => {
    const table = new SeriesTable();
    const id = table.intern('m', [], 0);
    let freedWhileFailing = -1;
    const { exporter, calls, release } = gatedExporter(true, () => (freedWhileFailing = table.sweep(Infinity)));
    const { stage, stats, queue } = stageOf(exporter, 100, table);
    await stage.consume(points(id, 0, 3));
    await waitUntil(() => calls.length === 1);
    await stage.consume(points(id, 3, 3));
    await stage.consume(points(id, 6, 3));
    release();
    await waitUntil(() => stats.sent === 9);
    // The merged call failed once and was sent again with the same points.
    assert.equal(calls.length, 3);
    assert.deepEqual(timestamps(calls[1]!), timestamps(calls[2]!));
    assert.deepEqual(timestamps(calls[2]!), [3, 4, 5, 6, 7, 8]);
    assert.equal(freedWhileFailing, 0, 'while the merged call is refused, its batches keep their series pinned');
    assert.equal(queue.size, 0);
    assert.equal(table.sweep(Infinity), 1, 'every merged batch acknowledged: its pins given back, the series can be freed');
    await stage.shutdown(Date.now() + 1000);
  });
});
