import { strict as assert } from 'node:assert';
import { startFaultBackend, type FaultBackend } from '../helpers/fault-backend';
import { assertDelivered, assertExporterReconciles, assertReceiverReconciles, summary } from './oracle';
import { scaled } from './scale';
import { faultConfig, runScenario, sleep } from './scenario';

/** Scenario 3: the backend answers 400 to one request; that batch is dropped and counted, the rest flows. */
describe('fault: backend answering 400 for one batch', function () {
  const loadMs = scaled(30_000, 3_000);
  this.timeout(loadMs + 90_000);
  let backend: FaultBackend;
  let refusedRequest = 0;
  before(async () => {
    backend = await startFaultBackend({
      answer: (req) => {
        if (refusedRequest === 0 && req.n >= 5) refusedRequest = req.n;
        return req.n === refusedRequest ? { status: 400 } : undefined;
      },
    });
  });
  after(() => backend.stop());

  it('drops exactly that batch (counted as rejected), delivers every other acknowledged id', async () => {
    const yaml = faultConfig([{ id: 'prometheus_remote_write', url: backend.url }]);
    const { collector, report } = await runScenario(yaml, { clients: 4, seriesPerClient: 5, samplesPerRequest: 100, itemsPerSecond: 2000, retry: true }, () => sleep(loadMs), 30_000);
    try {
      assert.ok(backend.rejected.size > 0, 'the 400 was injected');
      await assertDelivered(report, backend, 60_000);
      const exporter = await assertExporterReconciles(collector, 'prometheus_remote_write', 30_000);
      assertReceiverReconciles(await collector.metrics(), 'prometheus_remote_write', report);
      assert.equal(exporter.dropped, backend.rejected.size, `dropped ${JSON.stringify(exporter.droppedBy)} vs ${backend.rejected.size} refused by the backend`);
      assert.ok([...backend.stored.keys()].some((id) => id > Math.max(...backend.rejected)), 'later batches still flowed');
      console.log(summary('one 400', report, backend, exporter));
      assert.equal(await collector.stop(), 0);
    } finally {
      collector.kill();
    }
  });
});
