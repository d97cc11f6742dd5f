import { strict as assert } from 'node:assert';
import { RetryableError, eventBatch, type ConsumingInstance } from '../../src/api';
import type { ExporterHelperConfig } from '../../src/config/types';
import { ExporterDrops } from '../../src/runtime/batch-drops';
import { MemoryQueue } from '../../src/runtime/batch-queue';
import { CircuitBreaker } from '../../src/runtime/breaker';
import { ExporterStage } from '../../src/runtime/exporter-stage';
import { StageStats } from '../../src/runtime/stage-stats';
import { FakeClock } from '../../src/testing';
import { MemoryLogger } from '../../src/testing/test-context';
import { event } from '../processing/fixtures';

type Retry = ExporterHelperConfig['retry_on_failure'];

/**
 * A queued stage on a fake clock whose exporter answers each call with the next of `answers`
 * (an error to throw, or undefined to succeed) and records the clock time of every call.
 * No per-call timeout (its timer would share the clock) and a breaker that never opens, so the
 * only waits between calls are the retry waits.
 */
function setup(retry: Partial<Retry>, answers: (Error | undefined)[]) {
  const clock = new FakeClock();
  const calls: number[] = [];
  const exporter: ConsumingInstance = {
    consume: async () => {
      calls.push(clock.now());
      const answer = answers[calls.length - 1];
      if (answer) throw answer;
    },
  };
  const helper: ExporterHelperConfig = {
    timeout_ms: 0,
    sending_queue: { enabled: true, queue_size: 10, num_consumers: 1, when_full: 'block', merge_max_items: 0 },
    retry_on_failure: { enabled: true, initial_interval_ms: 100, max_interval_ms: 800, max_elapsed_time_ms: 0, multiplier: 2, randomization_factor: 0, ...retry },
  };
  const stats = new StageStats('exporter', 'x', '');
  const breaker = new CircuitBreaker({ failure_threshold: 1_000_000, reset_timeout_ms: 1000, half_open_max_calls: 1 }, clock);
  const stage = new ExporterStage('x', exporter, helper, new MemoryQueue(10), stats, breaker, clock, new MemoryLogger(), new ExporterDrops());
  stage.start();

  /** Moves the clock 1 ms at a time until the exporter has been called `n` times in all. */
  const untilCall = async (n: number, limitMs = 60_000): Promise<void> => {
    for (let waited = 0; calls.length < n; waited++) {
      if (waited > limitMs) throw new Error(`call ${n} did not happen within ${limitMs} ms (calls so far: ${calls.length})`);
      await clock.tick(1);
    }
  };
  /** Time between successive calls, i.e. the retry waits. */
  const waits = (): number[] => calls.slice(1).map((t, i) => t - calls[i]!);
  return { clock, calls, stage, stats, untilCall, waits };
}

const busy = (retryAfterMs?: number) => new RetryableError('backend busy', retryAfterMs === undefined ? {} : { retryAfterMs });
const batch = () => eventBatch([event({ requestId: 'r' })]);

describe('exporter stage: retry waits', () => {
  let realRandom: () => number;
  beforeEach(() => (realRandom = Math.random));
  afterEach(() => (Math.random = realRandom));

  it('grow by the multiplier from initial_interval and stop growing at max_interval', async () => {
    // randomization_factor 0 takes jitter out, so the waits are exact.
    const failures = Array.from({ length: 7 }, () => busy());
    const { calls, stage, stats, untilCall, waits } = setup({}, failures);
    await stage.consume(batch());
    await untilCall(8);
    assert.deepEqual(waits(), [100, 200, 400, 800, 800, 800, 800]);
    assert.equal(stats.sent, 1, 'delivered on the 8th call');
    assert.equal(calls.length, 8);
    await stage.shutdown(0);
  });

  it('jitter scales each wait by 1 ± randomization_factor, within those bounds', async () => {
    // The stage draws from Math.random; pinning it to chosen values (0 is the low end, just under 1
    // the high end) makes the waits exact. f = 0.5: wait = interval × (1 + 0.5 × (2r − 1)).
    const draws = [0, 0.999999, 0.25, 0.75, 0.5];
    let next = 0;
    Math.random = () => draws[next++ % draws.length]!;
    const { stage, untilCall, waits } = setup({ randomization_factor: 0.5 }, Array.from({ length: 5 }, () => busy()));
    await stage.consume(batch());
    await untilCall(6);
    Math.random = realRandom;
    const intervals = [100, 200, 400, 800, 800];
    const expected = intervals.map((iv, i) => iv * (1 + 0.5 * (2 * draws[i]! - 1)));
    // The fake clock is moved in whole ms, so a fractional wait is seen rounded up.
    waits().forEach((w, i) => {
      assert.ok(w >= expected[i]! && w < expected[i]! + 1, `wait ${i + 1}: ${w} ms, expected ${expected[i]} ms`);
      assert.ok(w >= intervals[i]! * 0.5 && w <= Math.ceil(intervals[i]! * 1.5), `wait ${i + 1}: ${w} ms outside [0.5, 1.5] × ${intervals[i]} ms`);
    });
    assert.ok(next >= 5, 'a draw per retry');
    await stage.shutdown(0);
  });

  it('with the real random source, keeps every wait within interval × [1 − f, 1 + f]', async () => {
    // Not exact, but whatever is drawn the bounds hold: the documented contract, independent of
    // how the stage draws its randomness.
    const { stage, untilCall, waits } = setup({ randomization_factor: 0.3 }, Array.from({ length: 8 }, () => busy()));
    await stage.consume(batch());
    await untilCall(9);
    const intervals = [100, 200, 400, 800, 800, 800, 800, 800];
    waits().forEach((w, i) => {
      assert.ok(w >= intervals[i]! * 0.7 && w <= Math.ceil(intervals[i]! * 1.3), `wait ${i + 1}: ${w} ms outside [0.7, 1.3] × ${intervals[i]} ms`);
    });
    await stage.shutdown(0);
  });

  it('a Retry-After carried by the error replaces the backoff, also when longer than max_interval', async () => {
    // Call 1 is throttled for 5 s (far above the 100 ms backoff and the 800 ms max_interval); call 2
    // for 20 ms (below the backoff); call 3 fails without a hint, so the backoff applies again.
    // Jitter is on (f = 0.5) to show it does not touch a Retry-After wait.
    const { calls, stage, stats, untilCall, waits } = setup({ randomization_factor: 0.5 }, [busy(5000), busy(20), busy()]);
    await stage.consume(batch());
    await untilCall(1);
    await untilCall(2);
    assert.equal(waits()[0], 5000, 'the second call waits the full Retry-After, not the backoff');
    await untilCall(3);
    assert.equal(waits()[1], 20, 'a shorter Retry-After is honoured too');
    await untilCall(4);
    // The backoff kept growing behind the hints: the third retry is interval 400 ± 50%.
    assert.ok(waits()[2]! >= 200 && waits()[2]! <= 600, `third wait ${waits()[2]} ms`);
    assert.equal(calls.length, 4);
    assert.equal(stats.sent, 1);
    await stage.shutdown(0);
  });

  it('does not call again before the Retry-After has passed', async () => {
    // The "not before" side on its own: one ms short of the hint, still one call.
    const { clock, calls, stage, untilCall } = setup({}, [busy(3000)]);
    await stage.consume(batch());
    await untilCall(1);
    await clock.tick(2999, 1);
    assert.equal(calls.length, 1, 'no call before Retry-After (backoff alone would have retried at 100 ms)');
    await clock.tick(1);
    assert.equal(calls.length, 2);
    await stage.shutdown(0);
  });
});
