import { parseDuration } from '../api/duration';
import type { ComponentKind } from '../api/plugin';
import type { Components, DefinedComponent } from './components';
import type { PipelineDraft } from './graph';
import type { Locator } from './locate';
import { SECTIONS } from './schema';
import type { BreakerConfig, ComponentConfig, DiskQueueConfig, ExporterHelperConfig, LogLevel, NissaConfig, ServiceConfig } from './types';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- validated by the schemas

/**
 * Turns a config that passed every check into what the runtime reads: durations in
 * milliseconds, breakers merged (service.breaker, then the component's own keys).
 * Only called when there are no errors, so the shapes are the schemas'.
 */
export function buildConfig(file: string, root: Raw, components: Components, pipelines: readonly PipelineDraft[], locator: Locator): NissaConfig {
  const service = root['service'] as Raw;
  const breaker = toBreaker(service['breaker'] as Raw);
  const section = (kind: ComponentKind): Map<string, ComponentConfig> =>
    new Map([...components[kind].values()].map((c) => [c.id, toComponent(c, breaker, locator)]));
  return {
    file,
    receivers: section('receiver'),
    processors: section('processor'),
    exporters: section('exporter'),
    connectors: section('connector'),
    service: toService(service, breaker, pipelines, locator),
  };
}

function toComponent(c: DefinedComponent, serviceBreaker: BreakerConfig, locator: Locator): ComponentConfig {
  const own = (c.runtime['breaker'] ?? {}) as Raw;
  const breaker = toBreaker({ ...fromBreaker(serviceBreaker), ...own });
  const base = { id: c.id, type: c.type, kind: c.kind, config: c.config, breaker, location: locator.locate([SECTIONS[c.kind], c.id]) };
  return c.kind === 'exporter' ? { ...base, exporter: toExporterHelper(c.runtime, c.id) } : base;
}

function toBreaker(raw: Raw): BreakerConfig {
  return {
    failure_threshold: raw['failure_threshold'] as number,
    reset_timeout_ms: parseDuration(raw['reset_timeout'] as string | number),
    half_open_max_calls: raw['half_open_max_calls'] as number,
  };
}

/** Back to the written form, so a component's partial `breaker:` can be laid over it. */
function fromBreaker(b: BreakerConfig): Raw {
  return { failure_threshold: b.failure_threshold, reset_timeout: b.reset_timeout_ms, half_open_max_calls: b.half_open_max_calls };
}

function toExporterHelper(runtime: Raw, id: string): ExporterHelperConfig {
  const queue = runtime['sending_queue'] as Raw;
  const retry = runtime['retry_on_failure'] as Raw;
  return {
    timeout_ms: parseDuration(runtime['timeout']),
    sending_queue: {
      enabled: queue['enabled'],
      queue_size: queue['queue_size'],
      num_consumers: queue['num_consumers'],
      when_full: queue['when_full'],
      merge_max_items: queue['merge_max_items'],
      ...(queue['storage'] === 'disk' ? { disk: toDiskQueue(queue, id) } : {}),
    },
    retry_on_failure: {
      enabled: retry['enabled'],
      initial_interval_ms: parseDuration(retry['initial_interval']),
      max_interval_ms: parseDuration(retry['max_interval']),
      max_elapsed_time_ms: parseDuration(retry['max_elapsed_time']),
      multiplier: retry['multiplier'],
      randomization_factor: retry['randomization_factor'],
    },
  };
}

/** The default directory is per exporter id, so two disk queues never share files. */
function toDiskQueue(queue: Raw, id: string): DiskQueueConfig {
  return {
    directory: (queue['directory'] as string | undefined) ?? `./data/queue/${id.replace(/[^A-Za-z0-9._-]/g, '_')}`,
    sizer: queue['sizer'],
    fsync: queue['fsync'],
    group_commit_interval_ms: parseDuration(queue['group_commit_interval']),
  };
}

function toService(service: Raw, breaker: BreakerConfig, pipelines: readonly PipelineDraft[], locator: Locator): ServiceConfig {
  const telemetry = service['telemetry'] as Raw;
  return {
    pipelines: pipelines.map((p) => ({
      id: p.id,
      signal: p.signal!,
      receivers: p.receivers,
      processors: p.processors,
      exporters: p.exporters,
      location: locator.locate(['service', 'pipelines', p.id]),
    })),
    plugins: service['plugins'] as string[],
    breaker,
    shutdown_timeout_ms: parseDuration(service['shutdown_timeout']),
    telemetry: {
      logs: { level: telemetry['logs']['level'] as LogLevel },
      metrics: { endpoint: telemetry['metrics']['endpoint'] as string | null },
    },
    series_ttl_ms: parseDuration(service['series_ttl']),
    memory: {
      soft_limit_mib: service['memory']['soft_limit_mib'],
      limit_mib: service['memory']['limit_mib'],
      check_interval_ms: parseDuration(service['memory']['check_interval']),
    },
    conservative: {
      queue_high_watermark: service['conservative']['queue_high_watermark'],
      processing_delay_ms: parseDuration(service['conservative']['processing_delay']),
      batch_size_factor: service['conservative']['batch_size_factor'],
      hysteresis: service['conservative']['hysteresis'],
    },
  };
}
