import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { EMERGENCY_ONSET } from '../../src/runtime/load-supervisor';
import { startFaultBackend, type FaultBackend } from '../helpers/fault-backend';
import { startCollectorProcess, type CollectorProcess } from './collector-process';
import { assertDelivered, assertExporterReconciles, assertReceiverReconciles, summary } from './oracle';
import { scaled } from './scale';
import { faultConfig, runScenario, sleep } from './scenario';

/**
 * `memory.limit_mib` bounds the collector's resident memory (RSS), set this far above the idle
 * collector's, measured first on the same config: idle memory moves with Node, V8 and the
 * launcher's options (the heap floor of src/cli/node-flags.ts added 7 MiB, the remote write
 * receiver's inflate thread 11 MiB, to about 103 MiB). Without limits, this load took resident
 * memory 35 MiB over idle (to 138 MiB) in 12 s, so the limit only holds if the collector sheds
 * load. The load is heavier than when the limit was calibrated on garbage: since the load
 * supervisor collects before memory raises the mode, the lighter load (8,000 samples/s at the
 * backend) rose only 10 MiB over idle once collected.
 */
const LIMIT_ABOVE_IDLE_MIB = 20;
/** The soft limit (conservative mode) this far under the limit. */
const SOFT_UNDER_LIMIT_MIB = 12;
/**
 * Emergency clears below 95 % of where it starts (the tighter of that and hysteresis × limit),
 * about 3 MiB over idle memory here: once the overload ends and forced collections run.
 */
const HYSTERESIS = 0.9;

/** The child's resident set size from the kernel (MiB), 0 once it is gone. */
function residentMib(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the child's resident memory every 20 ms until stopped; keeps the first and the highest. */
function watchResident(pid: number): { idle: number; max: () => number; stop: () => void } {
  const idle = residentMib(pid);
  let max = idle;
  const timer = setInterval(() => (max = Math.max(max, residentMib(pid))), 20);
  return { idle, max: () => max, stop: () => clearInterval(timer) };
}

/** The idle collector's resident memory (MiB) on `yaml`: started, left a second, stopped. */
async function idleResidentMib(yaml: string): Promise<number> {
  const collector = await startCollectorProcess(yaml);
  try {
    await sleep(1000);
    const idle = residentMib(collector.pid);
    assert.ok(idle > 0, `the idle collector is gone:\n${collector.log()}`);
    return idle;
  } finally {
    await collector.stop();
  }
}

/** Samples the collector's mode until `ms` have passed. */
async function watchModes(collector: CollectorProcess, ms: number, modes: Set<number>): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    modes.add((await collector.metrics()).sum('nissa_mode'));
    await sleep(100);
  }
}

/**
 * Scenario 6: twice the load the backend accepts, with a large queue so that memory, not the
 * queue, is what stops the collector: it goes conservative then emergency and refuses (503 before
 * reading the body); clients that retry get everything delivered.
 */
describe('fault: overload at twice the backend capacity, with memory limits', function () {
  /** The short run (npm test) long enough for the backlog to reach emergency: in 12 s it reached it in 1 of 3 runs, in 20 s in 3 of 3. */
  const loadMs = scaled(60_000, 20_000);
  /**
   * Samples/s the backend takes; the clients are paced at twice that. Low enough that the load
   * generator and the backend, which share this test process on a 2-core machine, can keep that
   * pace until the collector pushes back (the summary prints the rate offered and the rate the
   * backend took: clients honouring `Retry-After` offer less while the collector refuses).
   */
  const capacity = 30_000;
  this.timeout(loadMs * 6 + 240_000);
  let backend: FaultBackend;
  before(async () => (backend = await startFaultBackend({ samplesPerSecond: capacity })));
  after(() => backend.stop());

  it('keeps resident memory under memory.limit_mib (set just above the idle collector), refuses with 429/503, and loses nothing acknowledged once clients retry', async () => {
    const config = (memory: string) => faultConfig([{ id: 'prometheus_remote_write', url: backend.url, extra: '    sending_queue: { queue_size: 100000 }\n' }], {
      service: `  memory: { ${memory}check_interval: 200ms }\n  conservative: { hysteresis: ${HYSTERESIS} }`,
    });
    const limitMib = Math.ceil((await idleResidentMib(config(''))) + LIMIT_ABOVE_IDLE_MIB);
    const yaml = config(`soft_limit_mib: ${limitMib - SOFT_UNDER_LIMIT_MIB}, limit_mib: ${limitMib}, `);
    const modes = new Set<number>();
    let rss: ReturnType<typeof watchResident> | undefined;
    let storedAtEnd = 0;
    const load = { clients: 4, seriesPerClient: 10, samplesPerRequest: 1000, itemsPerSecond: 2 * capacity, retry: true, maxRetryWaitMs: scaled(5000, 1000) };
    const { collector, report } = await runScenario(yaml, load, async (c) => {
      rss = watchResident(c.pid);
      await watchModes(c, loadMs, modes);
      storedAtEnd = backend.stored.size;
    }, loadMs * 3 + 60_000);
    try {
      assert.equal(report.abandoned, 0, 'every refused request was retried until acknowledged');
      await assertDelivered(report, backend, loadMs * 2 + 30_000);
      const exporter = await assertExporterReconciles(collector, 'prometheus_remote_write', 30_000);
      assertReceiverReconciles(await collector.metrics(), 'prometheus_remote_write', report);
      rss!.stop();
      const peaks = { idleRss: rss!.idle, limitMib, rss: rss!.max(), modes: [...modes], offeredPerSecond: Math.round((report.items.ok + report.items.refused + report.items.shed) / (loadMs / 1000)), backendPerSecond: Math.round(storedAtEnd / (loadMs / 1000)) };
      console.log(`overload peaks: ${JSON.stringify(peaks)}`);
      assert.ok(peaks.idleRss > 0 && peaks.idleRss < limitMib * EMERGENCY_ONSET, `idle resident memory ${peaks.idleRss.toFixed(1)} MiB is not under where emergency starts (limit ${limitMib} MiB)`);
      assert.ok(modes.has(2), `emergency mode was reached: the load would have passed the limit (modes seen: ${peaks.modes.join(', ')})`);
      assert.ok(report.items.shed + report.items.refused > 0, 'clients were refused with 429/503');
      assert.ok(peaks.rss < limitMib, `resident memory peaked at ${peaks.rss.toFixed(1)} MiB (idle ${peaks.idleRss.toFixed(1)} MiB), over the limit ${limitMib} MiB`);
      assert.equal(exporter.dropped, 0);
      console.log(summary('overload', report, backend, { ...exporter, peaks }));
      assert.equal(await collector.stop(), 0);
    } finally {
      rss?.stop();
      collector.kill();
    }
  });
});
