import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { startFaultBackend, type FaultBackend } from '../helpers/fault-backend';
import type { CollectorProcess } from './collector-process';
import { assertDelivered, assertExporterReconciles, assertReceiverReconciles, summary } from './oracle';
import { scaled } from './scale';
import { faultConfig, runScenario, sleep } from './scenario';
import { mountSmallFilesystem, type SmallFilesystem } from './small-filesystem';

const RECEIVER = 'prometheus_remote_write';

async function receiverCounts(collector: CollectorProcess): Promise<{ accepted: number; refused: number }> {
  const m = await collector.metrics();
  return { accepted: m.sum('nissa_receiver_accepted_items_total', { receiver: RECEIVER }), refused: m.sum('nissa_receiver_refused_items_total', { receiver: RECEIVER }) };
}

/**
 * Scenario 7, end to end: the collector's disk queue lives on a 2 MiB filesystem and the backend
 * is down, so the queue fills the disk. Clients get 429 refusals (never a crash, never a loss);
 * when the backend comes back, the queue drains, its files are deleted, and the collector accepts
 * again without outside help. The queue's default 32 MiB segments are larger than the disk: the
 * space comes back only because a spent segment is rolled over after a failed write.
 */
describe('fault: the disk queue\'s disk full, then space back', function () {
  const fullForMs = scaled(15_000, 1_000);
  const afterMs = scaled(15_000, 3_000);
  this.timeout(fullForMs + afterMs + 180_000);
  let small: SmallFilesystem;
  let backend: FaultBackend;
  before(async () => {
    small = mountSmallFilesystem(2);
    backend = await startFaultBackend();
    await backend.down();
  });
  after(async () => {
    await backend?.stop();
    small?.unmount();
  });

  it('refuses with 429 while the disk is full, does not crash, accepts again once delivery frees the disk; every acknowledged id arrives', async () => {
    const directory = join(small.dir, 'queue');
    const yaml = faultConfig([{ id: 'prometheus_remote_write', url: backend.url, extra: `    sending_queue: { storage: disk, directory: ${directory}, queue_size: 100000 }\n` }]);
    let atRecovery = { accepted: 0, refused: 0 };
    const load = { clients: 4, seriesPerClient: 10, samplesPerRequest: 1000, itemsPerSecond: 20_000, retry: true, maxRetryWaitMs: 500 };
    const { collector, report } = await runScenario(yaml, load, async (c) => {
      // The backend is down: the queue grows until the disk is full and the receiver refuses.
      for (const end = Date.now() + 60_000; (await receiverCounts(c)).refused === 0 && Date.now() < end; ) await sleep(200);
      await sleep(fullForMs);
      atRecovery = await receiverCounts(c);
      await backend.start();
      await sleep(afterMs);
    }, 60_000);
    try {
      assert.ok(atRecovery.refused > 0, 'the full disk refused batches');
      assert.ok(report.items.refused > 0 && (report.statuses.get(429) ?? 0) > 0, 'clients were answered 429');
      assert.equal(report.abandoned, 0, 'every refused request was retried until acknowledged');
      await assertDelivered(report, backend, 60_000);
      const exporter = await assertExporterReconciles(collector, 'prometheus_remote_write', 30_000);
      const after = await receiverCounts(collector);
      assert.ok(after.accepted > atRecovery.accepted, 'accepted again once the queue drained and freed the disk');
      assertReceiverReconciles(await collector.metrics(), RECEIVER, report);
      assert.equal(exporter.dropped, 0, `nothing dropped: ${JSON.stringify(exporter.droppedBy)}`);
      // Once per episode, not per batch: with segments larger than the disk, the disk can fill
      // again under the continuing load until the queue drains completely.
      const full = collector.log().match(/disk full: the disk queue refuses/g)?.length ?? 0;
      const again = collector.log().match(/disk queue accepts batches again/g)?.length ?? 0;
      assert.ok(full >= 1 && full <= again + 1 && full < (report.statuses.get(429) ?? 0), `logged "disk full" ${full} times, "accepts again" ${again} times, for ${report.statuses.get(429)} refused requests`);
      console.log(summary('disk full', report, backend, { ...exporter, filesystem: small.kind, atRecovery }));
      assert.equal(await collector.stop(), 0, 'no crash: a graceful stop');
    } finally {
      collector.kill();
    }
  });
});
