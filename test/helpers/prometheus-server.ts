/**
 * Starts a real Prometheus (`/usr/bin/prometheus`) for a test: temp config and TSDB dir, a free
 * port on 127.0.0.1, waits for `/-/ready`. `stop()` kills it and removes the temp dir.
 * Shared by the prometheus (pull) and remote-write tests: keep the interface stable.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { onFreePort } from './free-port';

export interface ScrapeTarget {
  job: string;
  /** `host:port` strings. */
  targets: string[];
  /** Prometheus duration, default `1s`. */
  interval?: string;
  metrics_path?: string;
}

export interface StartPrometheusOptions {
  scrapeTargets?: ScrapeTarget[];
  /** Adds `--web.enable-remote-write-receiver` (POST /api/v1/write). */
  remoteWriteReceiver?: boolean;
  /** Adds a `remote_write` section sending to this URL. */
  remoteWriteTo?: string;
  extraArgs?: string[];
}

/** One sample of an instant or range query result, as Prometheus's HTTP API returns it. */
export interface PromSeries {
  metric: Record<string, string>;
  /** Instant queries: `[unixSeconds, "value"]`. */
  value?: [number, string];
  /** Range queries: `[[unixSeconds, "value"], ...]`. */
  values?: [number, string][];
}

export interface RunningPrometheus {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Instant query; `timeMs` defaults to now. Resolves to `data.result`. */
  query(promql: string, timeMs?: number): Promise<PromSeries[]>;
  /** Range query over `[startMs, endMs]` with `stepS` seconds. Resolves to `data.result`. */
  queryRange(promql: string, startMs: number, endMs: number, stepS?: number): Promise<PromSeries[]>;
  /** Kills the process and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** Kills and starts again on the same port and data dir (data survives). */
  restart(): Promise<void>;
  dataDir: string;
}

function configYaml(opts: StartPrometheusOptions): string {
  const config: Record<string, unknown> = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    scrape_configs: (opts.scrapeTargets ?? []).map((t) => ({
      job_name: t.job,
      scrape_interval: t.interval ?? '1s',
      scrape_timeout: t.interval ?? '1s',
      metrics_path: t.metrics_path ?? '/metrics',
      static_configs: [{ targets: t.targets }],
    })),
  };
  if (opts.remoteWriteTo !== undefined) {
    config['remote_write'] = [{ url: opts.remoteWriteTo, queue_config: { batch_send_deadline: '1s' } }];
  }
  return stringify(config);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  const body = (await res.json()) as any;
  if (body.status !== 'success') throw new Error(`prometheus ${url}: ${body.error ?? res.status}`);
  return body.data;
}

export function startPrometheus(opts: StartPrometheusOptions = {}): Promise<RunningPrometheus> {
  return onFreePort((port) => startPrometheusOn(port, opts));
}

async function startPrometheusOn(port: number, opts: StartPrometheusOptions): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'nissa-prom-'));
  const dataDir = join(dir, 'data');
  const configPath = join(dir, 'prometheus.yml');
  writeFileSync(configPath, configYaml(opts));
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${configPath}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    ...(opts.remoteWriteReceiver ? ['--web.enable-remote-write-receiver'] : []),
    ...(opts.extraArgs ?? []),
  ];
  let child: ChildProcess | undefined;
  let stderr = '';
  let stopped = false;

  const launch = async (): Promise<void> => {
    stderr = '';
    const proc = spawn('/usr/bin/prometheus', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    proc.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`prometheus exited (${proc.exitCode}): ${stderr}`);
      try {
        const res = await fetch(`${url}/-/ready`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    proc.kill('SIGKILL');
    throw new Error(`prometheus not ready after 20s: ${stderr}`);
  };

  const kill = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await launch();
  } catch (err) {
    await kill();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    url,
    port,
    dataDir,
    query: async (promql, timeMs) => {
      const params = new URLSearchParams({ query: promql });
      if (timeMs !== undefined) params.set('time', String(timeMs / 1000));
      return (await getJson(`${url}/api/v1/query?${params}`)).result as PromSeries[];
    },
    queryRange: async (promql, startMs, endMs, stepS = 1) => {
      const params = new URLSearchParams({
        query: promql, start: String(startMs / 1000), end: String(endMs / 1000), step: String(stepS),
      });
      return (await getJson(`${url}/api/v1/query_range?${params}`)).result as PromSeries[];
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await kill();
      await launch();
    },
  };
}
