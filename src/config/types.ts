import type { ComponentKind } from '../api/plugin';
import type { Signal } from '../api/signals';

/** Where something stands in a config file. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * One config problem. Printed as `file:line:col: path: message (hint)`, e.g.
 * `pipelines.yaml:14:5: processors.cardinality.max_series: must be integer`.
 */
export interface ConfigDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly location: SourceLocation;
  /** YAML path with dots, e.g. `service.pipelines.metrics.receivers[0]`. */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

export interface BreakerConfig {
  readonly failure_threshold: number;
  readonly reset_timeout_ms: number;
  readonly half_open_max_calls: number;
}

/** The runtime's exporter helper settings (sending queue, retries, timeout) for an exporter. */
export interface ExporterHelperConfig {
  readonly timeout_ms: number;
  readonly sending_queue: {
    readonly enabled: boolean;
    readonly queue_size: number;
    readonly num_consumers: number;
    readonly when_full: 'block' | 'drop_oldest' | 'drop_newest';
    /** Most items of one export call made of batches waiting together in the queue; 0 sends each alone. */
    readonly merge_max_items: number;
    /** Present when `storage: disk`; absent means the in-memory queue. */
    readonly disk?: DiskQueueConfig;
  };
  readonly retry_on_failure: {
    readonly enabled: boolean;
    readonly initial_interval_ms: number;
    readonly max_interval_ms: number;
    readonly max_elapsed_time_ms: number;
    readonly multiplier: number;
    readonly randomization_factor: number;
  };
}

/** `sending_queue` keys of `storage: disk`, resolved (directory filled in, durations in ms). */
export interface DiskQueueConfig {
  readonly directory: string;
  readonly sizer: 'batches' | 'items';
  readonly fsync: 'batch' | 'group';
  readonly group_commit_interval_ms: number;
}

export interface ComponentConfig {
  /** `type[/name]` */
  readonly id: string;
  readonly type: string;
  readonly kind: ComponentKind;
  /** The plugin's own config, validated against its schema, defaults filled in. */
  readonly config: unknown;
  /** The breaker for this component: service.breaker overridden by the component's `breaker:` key. */
  readonly breaker: BreakerConfig;
  /** Exporters only. */
  readonly exporter?: ExporterHelperConfig;
  readonly location: SourceLocation;
}

export interface PipelineConfig {
  /** `<signal>[/name]` */
  readonly id: string;
  readonly signal: Signal;
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
  readonly location: SourceLocation;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ServiceConfig {
  readonly pipelines: readonly PipelineConfig[];
  readonly plugins: readonly string[];
  readonly breaker: BreakerConfig;
  readonly shutdown_timeout_ms: number;
  readonly telemetry: {
    readonly logs: { readonly level: LogLevel };
    /** `endpoint: null` turns the self-telemetry server off. */
    readonly metrics: { readonly endpoint: string | null };
  };
  /** Series not seen for this long (and not pinned) are forgotten by the series table. */
  readonly series_ttl_ms: number;
  readonly memory: MemoryConfig;
  readonly conservative: ConservativeConfig;
}

/** Heap limits in MiB (0 = off) that drive the load-shedding mode. */
export interface MemoryConfig {
  readonly soft_limit_mib: number;
  readonly limit_mib: number;
  readonly check_interval_ms: number;
}

export interface ConservativeConfig {
  readonly queue_high_watermark: number;
  readonly processing_delay_ms: number;
  readonly batch_size_factor: number;
  readonly hysteresis: number;
}

/** A validated config, ready for the runtime. */
export interface NissaConfig {
  readonly file: string;
  readonly receivers: ReadonlyMap<string, ComponentConfig>;
  readonly processors: ReadonlyMap<string, ComponentConfig>;
  readonly exporters: ReadonlyMap<string, ComponentConfig>;
  readonly connectors: ReadonlyMap<string, ComponentConfig>;
  readonly service: ServiceConfig;
}

export interface LoadResult {
  /** Present only when there are no errors. */
  readonly config?: NissaConfig;
  readonly errors: readonly ConfigDiagnostic[];
  readonly warnings: readonly ConfigDiagnostic[];
}
