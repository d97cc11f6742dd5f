import { startLoad, type LoadOptions, type LoadReport } from '../helpers/load-generator';
import { startCollectorProcess, type CollectorProcess } from './collector-process';

/** Runtime keys of one remote write exporter in a scenario's config (YAML flow mappings). */
export interface ExporterSpec {
  readonly id: string;
  readonly url: string;
  /** The exporter's `num_shards` (concurrent requests); 2 unless given. */
  readonly shards?: number;
  /** The exporter's `breaker` (a YAML flow mapping); `{ reset_timeout: 1s }` unless given. */
  readonly breaker?: string;
  /** Extra YAML lines under the exporter, indented by 4. */
  readonly extra?: string;
}

/**
 * The collector of the fault suite: remote write in (ephemeral port), one metrics pipeline that
 * fans out to every exporter, self-telemetry on an ephemeral port. Retries and the breaker are
 * shortened so a run takes seconds; the queue keeps its defaults unless `extra` says otherwise.
 */
export function faultConfig(exporters: readonly ExporterSpec[], opts: { service?: string; processors?: string; pipelineProcessors?: string[] } = {}): string {
  const exp = exporters.map((e) => `  ${e.id}:
    endpoint: ${e.url}
    add_metric_suffixes: false
    num_shards: ${e.shards ?? 2}
    retry_on_failure: { initial_interval: 100ms, max_interval: 2s }
    breaker: ${e.breaker ?? '{ reset_timeout: 1s }'}
${e.extra ?? ''}`).join('\n');
  return `receivers:
  prometheus_remote_write:
    endpoint: 127.0.0.1:0
${opts.processors ? `processors:\n${opts.processors}\n` : ''}exporters:
${exp}
service:
  shutdown_timeout: 60s
  telemetry: { metrics: { endpoint: 127.0.0.1:0 }, logs: { level: info } }
${opts.service ?? ''}
  pipelines:
    metrics:
      receivers: [prometheus_remote_write]
      processors: [${(opts.pipelineProcessors ?? []).join(', ')}]
      exporters: [${exporters.map((e) => e.id).join(', ')}]
`;
}

export interface ScenarioRun {
  readonly collector: CollectorProcess;
  readonly report: LoadReport;
}

/**
 * Starts the collector, runs the load while `faults` plays its timeline, then stops producing and
 * lets refused requests be retried for `retryForMs`. The collector is left running for the checks.
 */
export async function runScenario(yaml: string, load: Omit<LoadOptions, 'url'>, faults: (collector: CollectorProcess) => Promise<void>, retryForMs: number): Promise<ScenarioRun> {
  const collector = await startCollectorProcess(yaml);
  try {
    const base = collector.receivers.get('prometheus_remote_write');
    if (!base) throw new Error(`no remote write receiver address in the log:\n${collector.log()}`);
    const generator = startLoad({ ...load, url: `${base}/api/v1/write` });
    await faults(collector);
    const report = await generator.stop(retryForMs);
    return { collector, report };
  } catch (err) {
    collector.kill();
    throw err;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
