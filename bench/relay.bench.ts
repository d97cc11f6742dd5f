import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { compressSync } from 'snappy';
import { MetricBatchBuilder, NO_LABELS, SeriesTable, type Output } from '../src/api';
import { WriteRequestEncoder } from '../src/prometheus/remote-write';
import { createTestContext, pluginConfig, receiverContext } from '../src/testing';
import { startCollector } from '../src/testing/collector';
import { plugin as exporterPlugin } from '../exporters/prometheus_remote_write';
import type { RemoteWriteExporterConfig } from '../exporters/prometheus_remote_write/config';
import { plugin as receiverPlugin } from '../receivers/prometheus_remote_write';
import type { RemoteWriteReceiverConfig } from '../receivers/prometheus_remote_write/config';
import { spawnNissa } from '../test/cli/run-cli';
import { freePort } from '../test/helpers/free-port';
import { standardSeries } from './remote-write.bench';
import { report } from './report';

export const title = 'relay: remote write in → Nissa → remote write out to a counting sink, side by side with vmagent';

const SERIES = 10_000;
const REQUESTS = 200;
const TOTAL = SERIES * REQUESTS;
/**
 * Requests relayed before the timed window (earlier timestamps, same series), for every relay
 * alike: a relay that runs for days is measured warm. Nissa's JIT compiles its hot paths in the
 * first second, which otherwise weighed on a window of a few seconds (the same relay measured
 * 15-25% faster over a window three times as long).
 */
const WARMUP_REQUESTS = 100;
const WARMUP_TOTAL = SERIES * WARMUP_REQUESTS;
/** Connections of the parallel load: each carries a fixed quarter of the series. */
const PARALLEL_SENDERS = 4;
/** Upper bound of the warm-up and of the timed window; a relay that has not delivered everything by then is reported as such. */
const RUN_LIMIT_MS = 15_000;
const T0 = Date.now() - 3_600_000;
/** After the timed window, how long the relay may take to deliver what it acknowledged. */
const DRAIN_LIMIT_MS = 20_000;
/** The sending queue of Nissa's queued relays. */
const QUEUED = '{ num_consumers: 1, queue_size: 50, merge_max_items: 20000 }';

interface Relay {
  url: string;
  cpuSeconds(): number;
  stop(): Promise<void>;
}

interface RunResult {
  /** Delivered within the timed window (after the warm-up). */
  samples: number;
  /** Acknowledged by the relay (2xx) after the warm-up, and delivered to the sink in the end. */
  accepted: number;
  delivered: number;
  seconds: number;
  /**
   * The relay's CPU from the end of the warm-up until everything it acknowledged was delivered (or the drain
   * limit), to be divided by `delivered`: a relay that acknowledges ahead of delivery (a queue)
   * is not charged for samples it decoded in the window but delivered after it.
   */
  cpuSeconds: number;
  /** The sink's CPU over the same span: what the relay's output costs its receiver. */
  sinkCpuSeconds: number;
  outOfOrder: number;
  /** Why the relay was not measured (it did not start, did not deliver its warm-up, or left requests unanswered); the rest is then zero. */
  failed?: string;
}

// ---- children: the sink and the load generator run in their own processes, so the relay's CPU is its own.

/** Entry point of the child processes (`node -e "require(<this file>).child()"`). */
export function child(): void {
  const role = process.env['NISSA_RELAY_ROLE'];
  if (role === 'sink') void sinkChild();
  else if (role === 'load') void loadChild(process.env['NISSA_RELAY_TARGET']!, Number(process.env['NISSA_RELAY_SENDERS'] ?? 1));
}

/** CPU seconds (user + system) this process used so far: the in-process relays', the sink's. */
function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function sinkChild(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startCountingSink } = require(join(__dirname, '..', 'test', 'helpers', 'counting-sink')) as typeof import('../test/helpers/counting-sink');
  const sink = await startCountingSink();
  process.on('message', (m) => {
    if (m !== 'stats') return;
    process.send!({ samples: sink.samples, outOfOrder: sink.outOfOrder, series: sink.series, cpuSeconds: ownCpuSeconds() });
  });
  process.send!({ url: sink.url });
}

/**
 * Pre-builds the requests (10k series × 1 sample, timestamps 1 s apart), then sends the warm-up
 * ones on 'warm' and the timed ones on 'go': one at a time, or with `senders` connections each
 * sending its share of the series one request at a time (as Prometheus's shards do: a series
 * always goes through the same one, in order).
 */
async function loadChild(target: string, senders: number): Promise<void> {
  const table = new SeriesTable();
  const ids = standardSeries(table);
  const encoder = new WriteRequestEncoder(table, { externalLabels: NO_LABELS, addSuffixes: false, sendMetadata: false });
  const share = SERIES / senders;
  const bodies: Buffer[][] = Array.from({ length: senders }, () => []);
  for (let s = 0; s < senders; s++) {
    const rows = Uint32Array.from({ length: share }, (_, i) => i);
    for (let r = 0; r < WARMUP_REQUESTS + REQUESTS; r++) {
      const b = new MetricBatchBuilder(share);
      for (let i = s * share; i < (s + 1) * share; i++) b.push(ids[i]!, T0 + r * 1000, r * 10 + (i % 7));
      bodies[s]!.push(compressSync(encoder.encode(b.build(), rows)));
    }
  }
  const agent = new Agent({ keepAlive: true, maxSockets: senders });
  const url = new URL(target);
  // A network error answers 0: retried like a refusal (the relay may be restarting), until killed.
  const post = (body: Buffer) => new Promise<number>((resolve) => {
    const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy', 'X-Prometheus-Remote-Write-Version': '0.1.0', 'Content-Length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
  let stopping = false;
  let accepted = 0;
  const sendAll = (from: number, to: number) => Promise.all(bodies.map(async (own) => {
    for (const body of own.slice(from, to)) {
      if (stopping) break;
      // Back-pressure (429/503) is answered by sending the same request again, as Prometheus does.
      let status = await post(body);
      for (; (status < 200 || status >= 300) && !stopping; status = await post(body)) await delay(20);
      if (status >= 200 && status < 300) accepted += share;
    }
  }));
  process.on('message', async (m) => {
    if (m === 'stop') stopping = true;
    else if (m === 'warm') {
      await sendAll(0, WARMUP_REQUESTS);
      process.send!({ warm: true });
    } else if (m === 'go') {
      accepted = 0;
      await sendAll(WARMUP_REQUESTS, WARMUP_REQUESTS + REQUESTS);
      process.send!({ accepted });
    }
  });
  process.send!({ ready: true });
}

// ---- parent side

function spawnChild(role: string, env: Record<string, string> = {}): ChildProcess {
  // NISSA_RELAY_CHILD_ARGS passes node options to the sink and the load generator (e.g. `--cpu-prof`).
  const nodeArgs = (process.env['NISSA_RELAY_CHILD_ARGS'] ?? '').split(' ').filter((a) => a !== '');
  return spawn(process.execPath, [...nodeArgs, '-e', `require(${JSON.stringify(__filename)}).child()`], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NISSA_RELAY_ROLE: role, ...env },
  });
}

function nextMessage<T>(proc: ChildProcess, pick: (m: any) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => {
      proc.off('message', onMessage);
      reject(new Error(`relay bench child exited (${code})`));
    };
    const onMessage = (m: unknown): void => {
      if (!pick(m)) return;
      proc.off('message', onMessage);
      proc.off('exit', onExit);
      resolve(m as T);
    };
    proc.on('message', onMessage);
    proc.once('exit', onExit);
  });
}

async function measureRelay(startRelay: (sinkUrl: string) => Promise<Relay>, senders = 1): Promise<RunResult> {
  const sink = spawnChild('sink');
  let relay: Relay | undefined;
  let load: ChildProcess | undefined;
  try {
    const { url: sinkUrl } = await nextMessage<{ url: string }>(sink, (m) => 'url' in m);
    try {
      relay = await startRelay(sinkUrl);
    } catch (err) {
      return notMeasured(`did not start: ${(err as Error).message}`);
    }
    load = spawnChild('load', { NISSA_RELAY_TARGET: relay.url, NISSA_RELAY_SENDERS: String(senders) });
    await nextMessage(load, (m) => 'ready' in m);
    const stats = async () => {
      sink.send('stats');
      const s = await nextMessage<{ samples: number; outOfOrder: number; cpuSeconds: number }>(sink, (m) => 'samples' in m);
      // The timed window counts what arrives after the warm-up.
      return { ...s, samples: s.samples - WARMUP_TOTAL };
    };
    // Bounded: a relay that keeps refusing or loses samples is reported, and the bench goes on.
    let warmSent = false;
    load.send('warm');
    nextMessage(load, (m) => 'warm' in m).then(() => (warmSent = true), () => undefined);
    const warmUntil = Date.now() + RUN_LIMIT_MS;
    while (!warmSent || (await stats()).samples < 0) {
      if (Date.now() > warmUntil) return notMeasured(`warm-up of ${WARMUP_TOTAL} samples not delivered within ${RUN_LIMIT_MS / 1000}s`);
      await delay(20);
    }
    const cpu0 = relay.cpuSeconds();
    const sinkCpu0 = (await stats()).cpuSeconds;
    const start = Date.now();
    load.send('go');
    let last = await stats();
    while (last.samples < TOTAL && Date.now() - start < RUN_LIMIT_MS) {
      await delay(20);
      last = await stats();
    }
    const seconds = (Date.now() - start) / 1000;
    const inWindow = last.samples;
    // Then let the relay deliver what it accepted, to tell "slow" from "lost".
    const done = nextMessage<{ accepted: number }>(load, (m) => 'accepted' in m).catch(() => undefined);
    load.send('stop');
    // Bounded too: requests the relay never answers would hold the load generator forever.
    const finished = await Promise.race([done, delay(DRAIN_LIMIT_MS, undefined)]);
    if (!finished) return notMeasured(`requests left unanswered ${DRAIN_LIMIT_MS / 1000}s after the window`);
    const { accepted } = finished;
    const drainUntil = Date.now() + DRAIN_LIMIT_MS;
    while (last.samples < accepted && Date.now() < drainUntil) {
      await delay(50);
      last = await stats();
    }
    const cpuSeconds = relay.cpuSeconds() - cpu0;
    return { samples: inWindow, seconds, cpuSeconds, sinkCpuSeconds: last.cpuSeconds - sinkCpu0, outOfOrder: last.outOfOrder, accepted, delivered: last.samples };
  } finally {
    load?.kill();
    // Stop the relay while the sink still answers, so it can drain and stop promptly.
    await relay?.stop();
    sink.kill();
  }
}

/**
 * The relay as users run it: a collector from YAML, the exporter behind the runtime's sending
 * queue, which joins the requests waiting in it into one export call (senders with several shards
 * post small requests; forwarded one for one, each would cost an outgoing request per shard).
 */
function nissaRelay(sinkUrl: string): Promise<Relay> {
  return collectorRelay(sinkUrl, QUEUED);
}

/**
 * The same collector without a sending queue: the exporter's back-pressure reaches the sender
 * (429/503), which holds and resends the data, as Prometheus does; receiving and sending then
 * alternate instead of competing for the one event loop.
 */
function nissaUnqueuedRelay(sinkUrl: string): Promise<Relay> {
  return collectorRelay(sinkUrl, '{ enabled: false }');
}

/** The relay's pipelines.yaml: remote write in at `endpoint`, out to the sink through the exporter's `sendingQueue`. */
function relayYaml(sinkUrl: string, endpoint: string, sendingQueue: string, telemetry = ''): string {
  return `
receivers:
  prometheus_remote_write:
    endpoint: ${endpoint}
exporters:
  prometheus_remote_write:
    endpoint: ${sinkUrl}
    add_metric_suffixes: false
    num_shards: 4
    timeout: 30s
    request_timeout: 30s
    sending_queue: ${sendingQueue}
service:
  shutdown_timeout: 5s${telemetry}
  pipelines:
    metrics:
      receivers: [prometheus_remote_write]
      exporters: [prometheus_remote_write]
`;
}

async function collectorRelay(sinkUrl: string, sendingQueue: string): Promise<Relay> {
  const collector = await startCollector(relayYaml(sinkUrl, '127.0.0.1:0', sendingQueue));
  const address = (collector.instance('prometheus_remote_write') as { address(): string }).address();
  return { url: `http://${address}/api/v1/write`, cpuSeconds: ownCpuSeconds, stop: () => collector.shutdown() };
}

/**
 * The queued relay as its own process, as the `nissa` launcher starts it (`nissa run` on a
 * pipelines.yaml, with the launcher's V8 options).
 */
async function nissaProcessRelay(sinkUrl: string): Promise<Relay> {
  const dir = mkdtempSync(join(tmpdir(), 'nissa-relay-'));
  const port = await freePort();
  const telemetryPort = await freePort();
  const config = join(dir, 'pipelines.yaml');
  const telemetry = `
  telemetry:
    logs: { level: warn }
    metrics: { endpoint: 127.0.0.1:${telemetryPort} }`;
  writeFileSync(config, relayYaml(sinkUrl, `127.0.0.1:${port}`, QUEUED, telemetry));
  const proc = spawnNissa(['run', '--config', config], dir, { stdio: ['ignore', 'ignore', 'inherit'] });
  return processRelay(proc, `http://127.0.0.1:${port}/api/v1/write`, `http://127.0.0.1:${telemetryPort}/readyz`, dir);
}

/** The same plugins wired directly (receiver output → exporter.consume), without the runtime's queue. */
async function nissaDirectRelay(sinkUrl: string): Promise<Relay> {
  const series = new SeriesTable();
  const exporterCtx = createTestContext({ kind: 'exporter', series, config: pluginConfig<RemoteWriteExporterConfig>(exporterPlugin, { endpoint: sinkUrl, add_metric_suffixes: false, num_shards: 4, request_timeout: '30s' }) });
  const exporter = exporterPlugin.create(exporterCtx);
  const output: Output = { signals: ['metrics'], consume: (b) => exporter.consume(b), pipelines: () => ['metrics'], consumeTo: (_, b) => exporter.consume(b) };
  const receiver = receiverPlugin.create(receiverContext({ series, output, config: pluginConfig<RemoteWriteReceiverConfig>(receiverPlugin, { endpoint: '127.0.0.1:0' }) }));
  await receiver.start!();
  return {
    url: `http://${receiver.address!()}/api/v1/write`,
    cpuSeconds: ownCpuSeconds,
    stop: async () => {
      await receiver.shutdown!();
      await exporter.shutdown!();
    },
  };
}

async function vmagentRelay(sinkUrl: string): Promise<Relay> {
  const dir = mkdtempSync(join(tmpdir(), 'nissa-vmagent-'));
  const port = await freePort();
  const proc = spawn('/usr/bin/vmagent', [
    `-remoteWrite.url=${sinkUrl}`, `-httpListenAddr=127.0.0.1:${port}`, '-remoteWrite.queues=1',
    `-remoteWrite.tmpDataPath=${dir}`, '-loggerLevel=ERROR',
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  return processRelay(proc, `http://127.0.0.1:${port}/api/v1/write`, `http://127.0.0.1:${port}/health`, dir);
}

/** A relay running as `proc`: up once `readyUrl` answers 2xx; its CPU read from /proc; stopped with SIGTERM, then `dir` removed. */
async function processRelay(proc: ChildProcess, url: string, readyUrl: string, dir: string): Promise<Relay> {
  let spawnError: Error | undefined;
  proc.on('error', (err) => (spawnError = err));
  const exited = () => proc.exitCode !== null || proc.signalCode !== null || spawnError !== undefined;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await fetch(readyUrl)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || exited()) {
      proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`relay process did not come up at ${readyUrl}${spawnError ? `: ${spawnError.message}` : ''}`);
    }
    await delay(50);
  }
  const ticks = Number(process.env['CLK_TCK'] ?? 100);
  let lastCpu = 0;
  const cpu = () => {
    try {
      // Fields after the command name: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${proc.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      lastCpu = (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      // Gone: its last reading stands.
    }
    return lastCpu;
  };
  return {
    url,
    cpuSeconds: cpu,
    stop: async () => {
      if (!exited()) {
        const gone = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        const kill = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(kill);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function notMeasured(failed: string): RunResult {
  return { samples: 0, accepted: 0, delivered: 0, seconds: 1, cpuSeconds: 0, sinkCpuSeconds: 0, outOfOrder: 0, failed };
}

function describe(r: RunResult): Record<string, string | number> {
  if (r.failed) return { 'not measured': r.failed };
  return {
    'CPU s per 1M samples': ((r.cpuSeconds / Math.max(1, r.delivered)) * 1e6).toFixed(2),
    'sink CPU s per 1M': ((r.sinkCpuSeconds / Math.max(1, r.delivered)) * 1e6).toFixed(2),
    'in window': `${r.samples}/${TOTAL}${r.samples < TOTAL ? ` (run bounded at ${RUN_LIMIT_MS / 1000}s)` : ''}`,
    lost: r.accepted - r.delivered === 0 ? `none (${r.accepted} acknowledged, all delivered)` : `${r.accepted - r.delivered} of ${r.accepted} acknowledged`,
    'per-series order': r.outOfOrder === 0 ? 'kept' : `${r.outOfOrder} samples out of order`,
  };
}

/** No relay: the load generator posts straight to the sink (the ceiling of this setup). */
async function directRelay(sinkUrl: string): Promise<Relay> {
  return { url: sinkUrl, cpuSeconds: () => 0, stop: async () => undefined };
}

/**
 * `NISSA_RELAY_ONLY=nissa,wired` runs only the named relays (direct, vmagent, nissa, run,
 * unqueued, wired, senders, senders-run), e.g. to profile one with `--cpu-prof`; ratios are then printed only when vmagent ran too.
 */
function wanted(name: string): boolean {
  const only = process.env['NISSA_RELAY_ONLY'];
  return !only || only.split(',').includes(name);
}

export async function run(): Promise<void> {
  if (wanted('direct')) {
    const direct = await measureRelay(directRelay);
    const extra = direct.failed ? describe(direct) : { 'sink CPU s per 1M': ((direct.sinkCpuSeconds / Math.max(1, direct.delivered)) * 1e6).toFixed(2) };
    report({ name: 'direct: load generator → sink, no relay (ceiling of this setup)', rate: direct.samples / direct.seconds, unit: 'samples', extra });
  }
  await sideBySide(1, [
    ['nissa', 'nissa relay (receiver → queue → exporter, 4 shards)', nissaRelay],
    ['run', 'nissa run as its own process', nissaProcessRelay],
    ['unqueued', 'nissa relay without sending queue (back-pressure to the sender), 4 shards', nissaUnqueuedRelay],
    ['wired', 'nissa relay wired directly (receiver → exporter, no runtime queue)', nissaDirectRelay],
  ]);
  // Senders with several shards (Prometheus, vmagent, Nissa itself) keep requests in flight on
  // several connections: the relay then receives one while it decodes another.
  if (wanted('senders') || wanted('senders-run')) {
    await sideBySide(PARALLEL_SENDERS, [
      ['senders', 'nissa relay (receiver → queue → exporter, 4 shards)', nissaRelay],
      ['senders-run', 'nissa run as its own process', nissaProcessRelay],
    ]);
  }
}

/** vmagent, then each wanted Nissa relay, with `senders` connections of load; ratios to vmagent when it ran. */
async function sideBySide(senders: number, relays: [string, string, (sinkUrl: string) => Promise<Relay>][]): Promise<void> {
  const load = senders === 1 ? `${REQUESTS} requests × ${SERIES} series after ${WARMUP_REQUESTS} of warm-up` : `${senders} senders`;
  const measuredVm = wanted('vmagent') ? await measureRelay(vmagentRelay, senders) : undefined;
  if (measuredVm) report({ name: `vmagent relay (1 queue), ${load}`, rate: measuredVm.samples / measuredVm.seconds, unit: 'samples', extra: describe(measuredVm) });
  // Ratios only to a vmagent that was measured.
  const vm = measuredVm?.failed ? undefined : measuredVm;
  for (const [key, name, start] of relays) {
    if (!wanted(key)) continue;
    const r = await measureRelay(start, senders);
    report({
      name: senders === 1 ? name : `${name}, ${load}`,
      rate: r.samples / r.seconds,
      unit: 'samples',
      ...(vm && !r.failed ? { baseline: { name: 'vmagent', rate: vm.samples / vm.seconds } } : {}),
      ...(r.failed ? {} : { target: 1_000_000 }),
      extra: { ...describe(r), ...(vm && !r.failed ? { 'CPU ratio to vmagent': (r.cpuSeconds / r.delivered / (vm.cpuSeconds / vm.delivered)).toFixed(2) } : {}) },
    });
  }
}
