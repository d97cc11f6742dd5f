import { strict as assert } from 'node:assert';
import { RetryableError, eventBatch, type ConsumingInstance } from '../../src/api';
import type { ExporterHelperConfig } from '../../src/config/types';
import { ExporterDrops } from '../../src/runtime/batch-drops';
import { CircuitBreaker } from '../../src/runtime/breaker';
import { MemoryQueue } from '../../src/runtime/batch-queue';
import { ExporterStage } from '../../src/runtime/exporter-stage';
import { StageStats } from '../../src/runtime/stage-stats';
import { systemClock } from '../../src/api/clock';
import { FakeClock } from '../../src/testing';
import { MemoryLogger } from '../../src/testing/test-context';
import { event } from '../processing/fixtures';
import { waitUntil } from '../helpers/wait-until';

const NO_QUEUE: ExporterHelperConfig = {
  timeout_ms: 5000,
  sending_queue: { enabled: false, queue_size: 10, num_consumers: 1, when_full: 'block', merge_max_items: 0 },
  retry_on_failure: { enabled: false, initial_interval_ms: 10, max_interval_ms: 100, max_elapsed_time_ms: 0, multiplier: 1.5, randomization_factor: 0 },
};

const batchOf = (n: number) => eventBatch(Array.from({ length: n }, (_, i) => event({ requestId: `r${i}` })));

describe('exporter stage: items an exporter drops itself', () => {
  it('are neither sent nor charged to another batch when reported with theirs, also when the attempt that dropped them was refused', async () => {
    const clock = new FakeClock();
    const drops = new ExporterDrops();
    const stats = new StageStats('exporter', 'x', '');
    let call = 0;
    // Call 1 drops 2 items of its batch and succeeds; call 2 drops 1 and is refused; call 3 drops
    // nothing; call 4 retries call 2's batch (resumed: its drop is not reported again); call 5
    // drops 1 without saying of which batch.
    const exporter: ConsumingInstance = {
      consume: async (batch) => {
        call++;
        if (call === 1) drops.note(2, batch);
        if (call === 2) {
          drops.note(1, batch);
          throw new RetryableError('backend busy', { retryAfterMs: 100 });
        }
        if (call === 5) drops.note(1);
      },
    };
    const breaker = new CircuitBreaker({ failure_threshold: 5, reset_timeout_ms: 1000, half_open_max_calls: 1 }, clock);
    const stage = new ExporterStage('x', exporter, NO_QUEUE, undefined, stats, breaker, clock, new MemoryLogger(), drops);
    await stage.consume(batchOf(5));
    assert.equal(stats.sent, 3);
    const refused = batchOf(4);
    await assert.rejects(stage.consume(refused), /backend busy/);
    assert.equal(stats.refused, 4);
    await stage.consume(batchOf(6));
    assert.equal(stats.sent, 3 + 6, 'the refused attempt\'s drop is not taken off another batch');
    await stage.consume(refused);
    assert.equal(stats.sent, 3 + 6 + 3, 'it is charged to its batch when that batch is sent');
    await stage.consume(batchOf(2));
    assert.equal(stats.sent, 3 + 6 + 3 + 1, 'a drop without its batch is charged to the batch that settles next');
    assert.equal(stats.accepted, 17);
  });

  it('does not start the next batch while the call of a batch dropped after timing out is still sending, and counts what that call drops once', async () => {
    const calls: { batch: number; start: number; end: number }[] = [];
    const ids = new Map<object, number>();
    const stats = new StageStats('exporter', 'x', '');
    const drops = new ExporterDrops();
    // The first batch's calls answer after 150 ms, long past the 20 ms timeout; the first of them
    // then drops one item of it (as a backend's 400 to one request would), late.
    const exporter: ConsumingInstance = {
      consume: async (batch) => {
        const call = { batch: ids.get(batch)!, start: Date.now(), end: Infinity };
        calls.push(call);
        if (call.batch === 1) {
          const first = calls.length === 1;
          await new Promise((r) => setTimeout(r, 150));
          if (first) {
            stats.drop(1, 'http_4xx');
            drops.note(1, batch);
          }
        }
        call.end = Date.now();
      },
    };
    const helper: ExporterHelperConfig = {
      timeout_ms: 20,
      sending_queue: { enabled: true, queue_size: 10, num_consumers: 1, when_full: 'block', merge_max_items: 0 },
      retry_on_failure: { enabled: true, initial_interval_ms: 5, max_interval_ms: 5, max_elapsed_time_ms: 40, multiplier: 1, randomization_factor: 0 },
    };
    const breaker = new CircuitBreaker({ failure_threshold: 1000, reset_timeout_ms: 1000, half_open_max_calls: 1 }, systemClock);
    const stage = new ExporterStage('x', exporter, helper, new MemoryQueue(10), stats, breaker, systemClock, new MemoryLogger(), drops);
    stage.start();
    const [first, second] = [batchOf(2), batchOf(3)];
    ids.set(first, 1).set(second, 2);
    await stage.consume(first);
    await stage.consume(second);
    await waitUntil(() => calls.some((c) => c.batch === 2 && c.end !== Infinity), 'the second batch to be sent');
    assert.equal(stats.dropped.get('retries_exhausted'), 1, 'the first batch ran out of retries; its late drop is not counted twice');
    assert.equal(stats.sent + (stats.dropped.get('retries_exhausted') ?? 0) + (stats.dropped.get('http_4xx') ?? 0), stats.accepted);
    const lastOfFirst = Math.max(...calls.filter((c) => c.batch === 1).map((c) => c.end));
    const startOfSecond = calls.find((c) => c.batch === 2)!.start;
    assert.ok(startOfSecond >= lastOfFirst, `the second batch started ${lastOfFirst - startOfSecond} ms before the first batch's last call ended`);
    await stage.shutdown(Date.now() + 1000);
  });
});
