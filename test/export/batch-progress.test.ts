import { strict as assert } from 'node:assert';
import { BatchProgress } from '../../src/export/batch-progress';

/** A fake endpoint: each request waits until the test answers it; records what was in flight. */
class Endpoint {
  readonly delivered: number[] = [];
  private readonly waiting: { chunk: number; settle: (ok: boolean) => void }[] = [];
  private inFlight = 0;
  maxInFlight = 0;
  requests = 0;

  send(chunk: number): Promise<void> {
    this.requests++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise((resolve, reject) => {
      this.waiting.push({
        chunk,
        settle: (ok) => {
          this.inFlight--;
          if (ok) {
            this.delivered.push(chunk);
            resolve();
          } else reject(new Error(`chunk ${chunk} refused (retryable)`));
        },
      });
    });
  }

  /** Answers the oldest pending request once it has arrived. */
  async answer(ok: boolean): Promise<void> {
    while (this.waiting.length === 0) await new Promise((r) => setImmediate(r));
    this.waiting.shift()!.settle(ok);
  }

  get pending(): number {
    return this.waiting.length;
  }
}

interface State {
  done: number;
}

/** An exporter's attempt: sends the chunks left, in order, advancing `done` after each success. */
function sendChunks(endpoint: Endpoint, chunks: number) {
  return async (s: State): Promise<void> => {
    while (s.done < chunks) {
      await endpoint.send(s.done);
      s.done++;
    }
  };
}

describe('BatchProgress', () => {
  it('runs concurrent timed-out retries of one batch one at a time: no chunk skipped, none sent twice at once', async () => {
    const endpoint = new Endpoint();
    const progress = new BatchProgress<State>();
    const batch = {};
    const attempt = sendChunks(endpoint, 4);
    // The runtime's timeout fired twice while the first attempt was still sending: three calls.
    const calls = Promise.allSettled([0, 1, 2].map(() => progress.run(batch, () => ({ done: 0 }), attempt)));
    // Request 1 (chunk 0) fails, the retry that wakes first sends chunks 0 and 1, then chunk 2 fails
    // once; the last retry finishes. An `if` instead of the loop would let both waiting retries
    // send chunk 0 together and, the failing one still advancing, skip a chunk.
    for (const ok of [false, true, true, false, true, true]) await endpoint.answer(ok);
    const results = await calls;
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'fulfilled']);
    assert.deepEqual(endpoint.delivered, [0, 1, 2, 3], 'every chunk delivered once, in order');
    assert.equal(endpoint.maxInFlight, 1, 'never two requests of the batch at once');
    assert.equal(endpoint.pending, 0);
  });

  it('keeps progress across a failure, so a retry skips what went through', async () => {
    const endpoint = new Endpoint();
    const progress = new BatchProgress<State>();
    const batch = {};
    const attempt = sendChunks(endpoint, 3);
    const first = assert.rejects(progress.run(batch, () => ({ done: 0 }), attempt), /chunk 1 refused/);
    await endpoint.answer(true);
    await endpoint.answer(false);
    await first;
    const retry = progress.run(batch, () => ({ done: 0 }), attempt);
    await endpoint.answer(true);
    await endpoint.answer(true);
    await retry;
    assert.deepEqual(endpoint.delivered, [0, 1, 2]);
    assert.equal(endpoint.requests, 4, 'chunk 0 is not sent again');
  });

  it('forgets a batch when `keep` says so: it starts over on the next run', async () => {
    const endpoint = new Endpoint();
    const progress = new BatchProgress<State>({ keep: (err) => err !== undefined });
    const batch = {};
    const attempt = sendChunks(endpoint, 1);
    let created = 0;
    const create = (): State => {
      created++;
      return { done: 0 };
    };
    for (let i = 0; i < 2; i++) {
      const run = progress.run(batch, create, attempt);
      await endpoint.answer(true);
      await run;
    }
    assert.equal(created, 2, 'a batch that succeeded is sent again if consumed again');
    assert.deepEqual(endpoint.delivered, [0, 0]);
  });

  it('runs different batches concurrently', async () => {
    const endpoint = new Endpoint();
    const progress = new BatchProgress<State>();
    const attempt = sendChunks(endpoint, 1);
    const runs = [progress.run({}, () => ({ done: 0 }), attempt), progress.run({}, () => ({ done: 0 }), attempt)];
    while (endpoint.pending < 2) await new Promise((r) => setImmediate(r));
    assert.equal(endpoint.maxInFlight, 2);
    await endpoint.answer(true);
    await endpoint.answer(true);
    await Promise.all(runs);
  });
});
