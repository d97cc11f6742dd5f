import { strict as assert } from 'node:assert';
import { startFaultBackend, type FaultBackend } from '../helpers/fault-backend';
import type { CollectorProcess } from './collector-process';
import { assertDelivered, assertExporterReconciles, assertReceiverReconciles, summary } from './oracle';
import { scaled } from './scale';
import { faultConfig, runScenario, sleep } from './scenario';

const MIB = 1024 * 1024;
/** Above the idle collector's heap + array buffers (about 18 MiB), so only the overload crosses them. */
const SOFT_LIMIT_MIB = 22;
const LIMIT_MIB = 27;
/** The supervisor looks every check_interval (200 ms here): allow what one interval of load adds. */
const OVERSHOOT_MIB = 24;

interface MemoryPeaks {
  idleRss: number;
  rss: number;
  governed: number;
  modes: Set<number>;
}

/** Samples the collector's memory and mode until `ms` have passed. */
async function watch(collector: CollectorProcess, ms: number, peaks: MemoryPeaks): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const m = await collector.metrics();
    const rss = m.sum('nissa_process_memory_bytes', { type: 'rss' }) / MIB;
    peaks.idleRss ||= rss;
    peaks.rss = Math.max(peaks.rss, rss);
    // What memory.limit_mib governs: the JS heap plus typed-array buffers (within `external`).
    peaks.governed = Math.max(peaks.governed, (m.sum('nissa_process_memory_bytes', { type: 'heap_used' }) + m.sum('nissa_process_memory_bytes', { type: 'external' })) / MIB);
    peaks.modes.add(m.sum('nissa_mode'));
    await sleep(100);
  }
}

/**
 * Scenario 6: twice the load the backend accepts, with a large queue so that memory, not the
 * queue, is what stops the collector: it goes conservative then emergency and refuses (503 before
 * reading the body); clients that retry get everything delivered.
 */
describe('fault: overload at twice the backend capacity, with memory limits', function () {
  const loadMs = scaled(60_000, 6_000);
  const capacity = 30_000;
  this.timeout(loadMs * 4 + 120_000);
  let backend: FaultBackend;
  before(async () => (backend = await startFaultBackend({ samplesPerSecond: capacity })));
  after(() => backend.stop());

  it('stays under the memory limit, refuses with 429/503, and loses nothing acknowledged once clients retry', async () => {
    const yaml = faultConfig([{ id: 'prometheus_remote_write', url: backend.url, extra: '    sending_queue: { queue_size: 100000 }\n' }], {
      service: `  memory: { soft_limit_mib: ${SOFT_LIMIT_MIB}, limit_mib: ${LIMIT_MIB}, check_interval: 200ms }`,
    });
    const peaks: MemoryPeaks = { idleRss: 0, rss: 0, governed: 0, modes: new Set() };
    const load = { clients: 4, seriesPerClient: 10, samplesPerRequest: 1000, itemsPerSecond: 2 * capacity, retry: true, maxRetryWaitMs: scaled(5000, 1000) };
    const { collector, report } = await runScenario(yaml, load, (c) => watch(c, loadMs, peaks), loadMs * 3);
    try {
      assert.equal(report.abandoned, 0, 'every refused request was retried until acknowledged');
      await assertDelivered(report, backend, loadMs * 2 + 30_000);
      const exporter = await assertExporterReconciles(collector, 'prometheus_remote_write', 30_000);
      assertReceiverReconciles(await collector.metrics(), 'prometheus_remote_write', report);
      assert.ok(peaks.modes.has(2), `emergency mode was reached (modes seen: ${[...peaks.modes].join(', ')})`);
      assert.ok(report.items.shed + report.items.refused > 0, 'clients were refused with 429/503');
      assert.ok(peaks.governed <= LIMIT_MIB + OVERSHOOT_MIB, `heap + buffers peaked at ${peaks.governed.toFixed(1)} MiB, limit ${LIMIT_MIB} MiB`);
      assert.ok(peaks.rss <= peaks.idleRss + LIMIT_MIB + OVERSHOOT_MIB, `resident memory grew from ${peaks.idleRss.toFixed(1)} to ${peaks.rss.toFixed(1)} MiB, limit ${LIMIT_MIB} MiB`);
      assert.equal(exporter.dropped, 0);
      console.log(summary('overload', report, backend, { ...exporter, peaks: { ...peaks, modes: [...peaks.modes] } }));
      assert.equal(await collector.stop(), 0);
    } finally {
      collector.kill();
    }
  });
});
