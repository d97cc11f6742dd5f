import { strict as assert } from 'node:assert';
import { startFaultBackend, type FaultBackend } from '../helpers/fault-backend';
import { assertDelivered, assertExporterReconciles, assertReceiverReconciles, summary } from './oracle';
import { scaled } from './scale';
import { faultConfig, runScenario, sleep } from './scenario';

/**
 * How late the healthy exporter's backend may be after the load stops. "On time" means while the
 * other backend is still down (it stays down until the test brings it back): an exporter held up
 * by the dead one would never get there. Normally milliseconds; generous for a loaded CI machine.
 */
const ON_TIME_MS = 20_000;

/**
 * Scenario 8: one pipeline fans out to two exporters and one backend is down. The other exporter
 * receives everything on time: the down exporter's queue absorbs its share and its breaker stops
 * it from hammering the dead backend. When that backend comes back, it gets everything too.
 */
describe('fault: two exporters, one down', function () {
  const loadMs = scaled(60_000, 3_000);
  this.timeout(loadMs + 150_000);
  let healthy: FaultBackend;
  let down: FaultBackend;
  before(async () => {
    healthy = await startFaultBackend();
    down = await startFaultBackend();
    await down.down();
  });
  after(async () => {
    await healthy.stop();
    await down.stop();
  });

  it('the healthy exporter gets every acknowledged id on time; the other catches up once its backend is back', async () => {
    const yaml = faultConfig([
      { id: 'prometheus_remote_write/healthy', url: healthy.url },
      // Room for the whole run, so the down exporter never refuses (which would make clients resend to both).
      { id: 'prometheus_remote_write/down', url: down.url, extra: '    sending_queue: { queue_size: 5000 }\n' },
    ]);
    const { collector, report } = await runScenario(yaml, { clients: 4, seriesPerClient: 5, samplesPerRequest: 100, itemsPerSecond: 2000, retry: true }, () => sleep(loadMs), 0);
    try {
      await assertDelivered(report, healthy, ON_TIME_MS);
      assert.equal(down.stored.size, 0);
      const m = await collector.metrics();
      // Open, or half-open at the moment a probe tests the backend (1); never closed (0).
      assert.ok(m.sum('nissa_breaker_state', { exporter: 'prometheus_remote_write/down' }) >= 1, 'the down exporter\'s breaker is open');
      assert.equal(m.sum('nissa_exporter_dropped_items_total'), 0);
      assertReceiverReconciles(m, 'prometheus_remote_write', report);
      assert.equal(report.items.refused + report.items.shed + report.items.error, 0);

      await down.start();
      await assertDelivered(report, down, 30_000);
      await assertExporterReconciles(collector, 'prometheus_remote_write/healthy', 30_000);
      await assertExporterReconciles(collector, 'prometheus_remote_write/down', 30_000);
      console.log(summary('one of two exporters down', report, healthy, { down: { stored: down.stored.size, duplicates: down.duplicates } }));
      assert.equal(await collector.stop(), 0);
    } finally {
      collector.kill();
    }
  });
});
