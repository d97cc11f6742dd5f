import { strict as assert } from 'node:assert';
import { startFaultBackend, type FaultBackend } from '../helpers/fault-backend';
import { assertDelivered, assertExporterReconciles, assertReceiverReconciles, summary } from './oracle';
import { scaled } from './scale';
import { faultConfig, runScenario, sleep } from './scenario';

/** Scenario 1: the backend is down for 30 s (3 s shortened) under steady load, then back. */
describe('fault: backend down, then back', function () {
  const outageMs = scaled(30_000, 3_000);
  this.timeout(outageMs + 90_000);
  let backend: FaultBackend;
  before(async () => (backend = await startFaultBackend()));
  after(() => backend.stop());

  it(`queues through a ${outageMs / 1000} s outage: every acknowledged id arrives, in order per series, counters reconcile`, async () => {
    const yaml = faultConfig([{ id: 'prometheus_remote_write', url: backend.url, extra: '    sending_queue: { num_consumers: 1 }\n' }]);
    const { collector, report } = await runScenario(yaml, { clients: 4, seriesPerClient: 5, samplesPerRequest: 100, itemsPerSecond: 2000, retry: true, maxRetryWaitMs: 1000 }, async () => {
      await sleep(1000);
      await backend.down();
      await sleep(outageMs);
      await backend.start();
      await sleep(1000);
    }, 30_000);
    try {
      await assertDelivered(report, backend, 60_000);
      const exporter = await assertExporterReconciles(collector, 'prometheus_remote_write', 30_000);
      assertReceiverReconciles(await collector.metrics(), 'prometheus_remote_write', report);
      assert.equal(report.items.refused + report.items.shed + report.items.error, 0, 'the queue absorbed the outage: no client was refused');
      assert.equal(exporter.dropped, 0, `nothing dropped: ${JSON.stringify(exporter.droppedBy)}`);
      assert.equal(backend.outOfOrder, 0, 'one queue consumer and per-series shards keep each series in order');
      console.log(summary('backend down', report, backend, exporter));
      assert.equal(await collector.stop(), 0);
    } finally {
      collector.kill();
    }
  });
});
