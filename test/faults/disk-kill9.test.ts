import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnNissa } from '../cli/run-cli';
import { startCountingSink, type CountingSink } from '../helpers/counting-sink';
import { remoteWriteBody } from '../helpers/remote-write-body';
import { assertExporterReconciles } from './oracle';
import { parseMetrics } from './self-metrics';

/**
 * The crash suite: remote write in → disk queue → remote write out to a sink in this process.
 * The collector is killed with SIGKILL at random moments, 20 times, and restarted each time while
 * a load generator keeps sending. Oracle: every id that got a 2xx answer reaches the sink
 * (duplicates allowed, counted), and the last collector's exporter counters reconcile with what its
 * disk queue restored: accepted + restored = sent + dropped.
 *
 * Knobs for investigating a failure: KILL9_KILLS (default 20), KILL9_FINAL_MS (load time after the
 * last restart), KEEP_KILL9=1 (keep the work directory with each child's log and the queue).
 */
const KILLS = Number(process.env['KILL9_KILLS'] ?? 20);

/**
 * A free address for the collector: a random loopback address other than 127.0.0.1 and a port
 * below the kernel's ephemeral range (32768+ on Linux). The collector's address is free while it
 * restarts; something else listening there meanwhile (another suite's server on the same machine,
 * given the port by `listen(0)`) and answering 2xx would count as an acknowledgement that never
 * reached the collector. Other suites bind 127.0.0.1, and ephemeral ports come from above 32768.
 */
async function freeAddress(): Promise<{ host: string; port: number }> {
  for (;;) {
    const host = `127.${1 + Math.floor(Math.random() * 254)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer().listen(port, host, () => s.close(() => resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (free) return { host, port };
  }
}

function writeRequest(id: number): Buffer {
  const ts = Date.now();
  const timeseries = [{ labels: [{ name: '__name__', value: 'load' }, { name: 'id', value: String(id) }], samples: [{ value: id, timestamp: ts }] }];
  return remoteWriteBody({ timeseries });
}

/** Senders that post one id per request and keep the ids answered with success. */
function startLoad(url: string, senders: number): { acked: Map<number, number>; attempts: () => number; stop: () => Promise<void> } {
  /** Acknowledged id → when (ms), to tell on a failure whether a collector was running then. */
  const acked = new Map<number, number>();
  let next = 0;
  let attempts = 0;
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      const id = next++;
      attempts++;
      try {
        const res = await fetch(url, { method: 'POST', body: writeRequest(id), headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy', 'X-Prometheus-Remote-Write-Version': '0.1.0' }, signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.ok) acked.set(id, Date.now());
        else await sleep(20);
      } catch {
        await sleep(20); // collector down: not acknowledged, not expected at the sink
      }
    }
  };
  const loops = Array.from({ length: senders }, loop);
  return { acked, attempts: () => attempts, stop: async () => void ((running = false), await Promise.all(loops)) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  for (const end = Date.now() + timeoutMs; !done() && Date.now() < end; ) await sleep(10);
}

/** When each collector process existed (ms), to explain an acknowledgement no collector gave. */
interface Lifetime {
  from: number;
  to: number;
}

/** Starts the CLI and resolves once it logged "collector started" (with its telemetry address). */
function startNissa(config: string, cwd: string, lifetimes: Lifetime[]): Promise<{ child: ChildProcess; exited: Promise<number | null>; telemetry: string }> {
  const lifetime = { from: Date.now(), to: Infinity };
  lifetimes.push(lifetime);
  const child = spawnNissa(['run', '--config', config], cwd);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => ((lifetime.to = Date.now()), r(code))));
  let log = '';
  const logFile = join(cwd, `nissa-${Date.now()}.log`);
  child.stderr!.on('data', (d: Buffer) => fs.appendFileSync(logFile, d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start:\n${log}`)), 60_000);
    const onData = (d: Buffer): void => {
      log += d.toString();
      const started = /"msg":"collector started".*?"telemetry":"([^"]+)"/.exec(log);
      if (started) {
        clearTimeout(timer);
        resolve({ child, exited, telemetry: started[1]! });
      }
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited (${code}) before it started:\n${log}`));
    });
  });
}

describe('disk queue under kill -9 (crash suite)', function () {
  // 21 collector starts: on a machine busy with other builds, each can take seconds.
  this.timeout(300_000);
  let work: string;
  let sink: CountingSink;
  let running: ChildProcess | undefined;

  before(async () => {
    work = fs.mkdtempSync(join(tmpdir(), 'nissa-kill9-'));
    sink = await startCountingSink({ record: true });
  });
  after(async () => {
    running?.kill('SIGKILL');
    await sink.stop();
    if (!process.env['KEEP_KILL9']) fs.rmSync(work, { recursive: true, force: true });
    else console.log(work);
  });

  it(`delivers every acknowledged id after ${KILLS} kill -9 at random moments (duplicates allowed)`, async () => {
    const { host, port } = await freeAddress();
    const config = join(work, 'nissa.yaml');
    fs.writeFileSync(config, `
receivers:
  prometheus_remote_write:
    endpoint: ${host}:${port}
exporters:
  prometheus_remote_write:
    endpoint: ${sink.url}
    add_metric_suffixes: false
    num_shards: 2
    sending_queue:
      storage: disk
      directory: ${join(work, 'queue')}
      num_consumers: 4
    retry_on_failure:
      initial_interval: 50ms
      max_interval: 200ms
      max_elapsed_time: 0
service:
  shutdown_timeout: 5s
  telemetry:
    logs:
      level: warn
    metrics:
      endpoint: 127.0.0.1:0
  pipelines:
    metrics:
      receivers: [prometheus_remote_write]
      exporters: [prometheus_remote_write]
`.replace('level: warn', 'level: info'));

    const lifetimes: Lifetime[] = [];
    const load = startLoad(`http://${host}:${port}/api/v1/write`, 4);
    try {
      for (let k = 0; k < KILLS; k++) {
        const { child, exited } = await startNissa(config, work, lifetimes);
        running = child;
        const before = load.acked.size;
        // Mid-stream: once this collector acknowledged something (a starved machine can take a
        // while after "collector started"), then at a random moment.
        await waitUntil(() => load.acked.size > before, 10_000);
        await sleep(100 + Math.random() * 300);
        child.kill('SIGKILL');
        await exited;
        running = undefined;
      }
      const { child, exited, telemetry } = await startNissa(config, work, lifetimes);
      running = child;
      await sleep(Number(process.env['KILL9_FINAL_MS'] ?? 300));
      await waitUntil(() => load.acked.size > 100, 60_000);
      await load.stop();
      const want = [...load.acked.keys()];
      const arrived = (): Set<number> => new Set(sink.recorded.map((s) => Number(s.labels['id'])));
      for (let waited = 0; want.some((id) => !arrived().has(id)) && waited < 60_000; waited += 100) await sleep(100);
      // The killed collectors' counters died with them; the last one's reconcile, counting what
      // its disk queue restored from the earlier runs.
      const scrape = { metrics: async () => parseMetrics(await (await fetch(`http://${telemetry}/metrics`)).text()) };
      const counts = await assertExporterReconciles(scrape, 'prometheus_remote_write', 60_000);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, 'graceful stop');
      running = undefined;

      const got = arrived();
      const lost = want.filter((id) => !got.has(id));
      const duplicates = sink.recorded.length - got.size;
      const noCollector = lost.filter((id) => !lifetimes.some((l) => l.from <= load.acked.get(id)! && load.acked.get(id)! <= l.to));
      if (lost.length > 0) console.log('lost', lost, 'max id', load.attempts(), 'acknowledged while no collector ran', noCollector);
      assert.deepEqual(lost, [], `${lost.length} acknowledged ids never arrived (of ${want.length}; duplicates ${duplicates}; ${noCollector.length} of them acknowledged while no collector process existed)`);
      assert.ok(want.length > 100, `only ${want.length} ids were acknowledged (of ${load.attempts()} attempts)`);
      // The report of the run: visible in the test output, asserted above.
      console.log(`      kill -9 ×${KILLS}: ${want.length} acknowledged of ${load.attempts()} sent, all delivered; ${duplicates} duplicates, ${got.size - want.length} unacknowledged arrived; last collector ${JSON.stringify(counts)}`);
    } finally {
      await load.stop();
    }
  });
});
