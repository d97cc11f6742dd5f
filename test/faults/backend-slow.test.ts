import { strict as assert } from 'node:assert';
import { startFaultBackend, type FaultBackend } from '../helpers/fault-backend';
import { assertDelivered, assertExporterReconciles, assertReceiverReconciles, summary } from './oracle';
import { scaled } from './scale';
import { faultConfig, runScenario, sleep } from './scenario';

/**
 * Scenario 4: every request answered after 10 s (1 s shortened). The remote write exporter sends
 * at most `num_shards` requests at once and one batch already uses every shard, so its throughput
 * is one batch per answer: keeping up takes batches of more than rate × latency, hence a batch
 * timeout of twice the latency. An attempt of one queue consumer may still wait behind the others'
 * requests: `timeout` (the whole attempt) covers num_consumers waves, `request_timeout` (one
 * request) covers the backend's latency plus waiting for a free connection.
 */
describe('fault: backend answering slowly', function () {
  const delayMs = scaled(10_000, 1_000);
  const loadMs = scaled(30_000, 3_000);
  this.timeout(loadMs + 8 * delayMs + 60_000);
  let backend: FaultBackend;
  before(async () => (backend = await startFaultBackend({ delayMs })));
  after(() => backend.stop());

  it(`keeps up with ${delayMs / 1000} s answers: every acknowledged id arrives once, counters reconcile`, async () => {
    const s = (ms: number) => `${ms / 1000}s`;
    const yaml = faultConfig(
      [{ id: 'prometheus_remote_write', url: backend.url, shards: 4, extra: `    timeout: ${s(delayMs * 5)}\n    request_timeout: ${s(delayMs * 3)}\n    sending_queue: { num_consumers: 2 }\n` }],
      { processors: `  batch: { send_batch_size: 100000, timeout: ${s(delayMs * 2)} }`, pipelineProcessors: ['batch'] },
    );
    const { collector, report } = await runScenario(yaml, { clients: 4, seriesPerClient: 5, samplesPerRequest: 100, itemsPerSecond: 1000, retry: true }, () => sleep(loadMs), 30_000);
    try {
      await assertDelivered(report, backend, 4 * delayMs + 30_000);
      const exporter = await assertExporterReconciles(collector, 'prometheus_remote_write', 30_000);
      assertReceiverReconciles(await collector.metrics(), 'prometheus_remote_write', report);
      assert.equal(report.items.refused + report.items.shed + report.items.error, 0, 'slow answers never reached the clients');
      assert.equal(backend.duplicates, 0, 'no attempt timed out, so nothing was sent twice');
      console.log(summary('slow backend', report, backend, exporter));
      assert.equal(await collector.stop(), 0);
    } finally {
      collector.kill();
    }
  });
});
