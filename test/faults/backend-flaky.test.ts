import { strict as assert } from 'node:assert';
import { startFaultBackend, type FaultBackend } from '../helpers/fault-backend';
import { assertDelivered, assertExporterReconciles, assertReceiverReconciles, summary } from './oracle';
import { scaled } from './scale';
import { faultConfig, runScenario, sleep } from './scenario';

/** A small deterministic generator, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Scenario 2: half of the requests, at random, answered 503 or 429 with Retry-After. */
describe('fault: backend answering 503 and 429 at random', function () {
  const loadMs = scaled(60_000, 2_000);
  this.timeout(loadMs + 120_000);
  let backend: FaultBackend;
  before(async () => {
    const random = seeded(42);
    backend = await startFaultBackend({
      answer: () => {
        const r = random();
        if (r < 0.25) return { status: 503 };
        if (r < 0.5) return { status: 429, retryAfterSeconds: 1 };
        return undefined;
      },
    });
  });
  after(() => backend.stop());

  it('retries honouring Retry-After until every acknowledged id arrives; counters reconcile', async () => {
    // Remote write is an ordered exporter: one queue consumer, and a batch is done only once every
    // shard's request went through, so each retry (Retry-After 1 s, or the backoff) holds up the
    // whole stream. Requests of 100 samples would then drain at about one a second; batches of a
    // few seconds of load (as a real deployment has) keep up. The breaker opens after 5 failed
    // attempts in a row, which happens all the time here (an attempt fails when any of its shard
    // requests does): that adds nothing to this scenario (retries and Retry-After), so it is made patient.
    const yaml = faultConfig([{ id: 'prometheus_remote_write', url: backend.url, breaker: '{ failure_threshold: 1000, reset_timeout: 1s }' }], {
      processors: `  batch: { send_batch_size: 10000, timeout: ${scaled('3s', '300ms')} }`,
      pipelineProcessors: ['batch'],
    });
    const { collector, report } = await runScenario(yaml, { clients: 4, seriesPerClient: 5, samplesPerRequest: 100, itemsPerSecond: 1000, retry: true, maxRetryWaitMs: 1000 }, () => sleep(loadMs), 30_000);
    try {
      await assertDelivered(report, backend, 60_000);
      const exporter = await assertExporterReconciles(collector, 'prometheus_remote_write', 30_000);
      const m = await collector.metrics();
      assertReceiverReconciles(m, 'prometheus_remote_write', report);
      assert.ok((backend.answered.get(429) ?? 0) > 0 && (backend.answered.get(503) ?? 0) > 0, 'both failures were injected');
      assert.ok(m.sum('nissa_exporter_send_failed_items_total', { exporter: 'prometheus_remote_write' }) > 0, 'failed attempts are counted');
      assert.equal(exporter.dropped, 0, `nothing dropped: ${JSON.stringify(exporter.droppedBy)}`);
      console.log(summary('503/429 at random', report, backend, { ...exporter, answered: Object.fromEntries(backend.answered) }));
      assert.equal(await collector.stop(), 0);
    } finally {
      collector.kill();
    }
  });
});
