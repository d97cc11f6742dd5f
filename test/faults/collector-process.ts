import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnNissa } from '../cli/run-cli';
import { parseMetrics, type SelfMetrics } from './self-metrics';

/** A `nissa run` child process with its receiver address and self-telemetry endpoint. */
export interface CollectorProcess {
  readonly pid: number;
  /** Base URL (`http://host:port`) of each HTTP receiver, by component id, from its "listening" log line. */
  readonly receivers: ReadonlyMap<string, string>;
  /** Scrapes `/metrics`. */
  metrics(): Promise<SelfMetrics>;
  /** Everything the process wrote so far (its JSON log lines, and what V8 traces to stdout). */
  log(): string;
  /** SIGTERM (graceful stop); resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, for cleanup after a failed test. */
  kill(): void;
}

/** Starting node and loading the collector can take many seconds on a loaded CI machine. */
const START_TIMEOUT_MS = 60_000;

/**
 * Writes `yaml` to a fresh directory and runs `nissa run` on it, with `nodeFlags` after the
 * launcher's. Receivers and the telemetry endpoint should bind `127.0.0.1:0`; their ports are read
 * from the logs once the collector started.
 */
export async function startCollectorProcess(yaml: string, nodeFlags: readonly string[] = []): Promise<CollectorProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'nissa-faults-'));
  writeFileSync(join(dir, 'nissa.yaml'), yaml);
  const child = spawnNissa(['run', '--config', 'nissa.yaml'], dir, { nodeFlags });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then(() => rmSync(dir, { recursive: true, force: true }));
  await waitForStart(child, () => log, exited);

  const receivers = new Map<string, string>();
  let telemetry: string | undefined;
  for (const line of log.split('\n')) {
    const rec = parseLine(line);
    if (rec?.['msg'] === 'listening' && typeof rec['component'] === 'string') receivers.set(rec['component'], `http://${String(rec['endpoint'])}`);
    if (rec?.['msg'] === 'collector started' && typeof rec['telemetry'] === 'string') telemetry = rec['telemetry'];
  }
  if (!telemetry || telemetry === 'off') throw new Error('the fault suite needs service.telemetry.metrics.endpoint');
  let stopping: Promise<number | null> | undefined;
  return {
    pid: child.pid!,
    receivers,
    async metrics() {
      const res = await fetch(`http://${telemetry}/metrics`);
      return parseMetrics(await res.text());
    },
    log: () => log,
    stop() {
      stopping ??= (child.kill('SIGTERM'), exited);
      return stopping;
    },
    kill: () => void child.kill('SIGKILL'),
  };
}

function waitForStart(child: ChildProcess, log: () => string, exited: Promise<number | null>): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`collector did not start:\n${log()}`));
    }, START_TIMEOUT_MS);
    const check = (): void => {
      if (!log().includes('"collector started"')) return;
      clearTimeout(timer);
      child.stderr!.off('data', check);
      resolve();
    };
    child.stderr!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited (${code}) before it started:\n${log()}`));
    });
  });
}

function parseLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
