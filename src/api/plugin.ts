import type { Meter } from '@opentelemetry/api';
import type { Batch } from '../model/batch';
import type { SeriesTable } from '../model/series-table';
import type { Clock } from './clock';
import type { Consumer, Output } from './consumer';
import type { Host } from './host';
import type { Logger } from './logger';
import type { Signal } from './signals';

export type ComponentKind = 'receiver' | 'processor' | 'exporter' | 'connector';

/** A JSON Schema (draft-07, as ajv reads it) describing a plugin's config, with defaults. */
export type JsonSchema = Record<string, unknown>;

/** Counters a plugin reports itself; accepted/refused/sent are counted by the runtime. */
export interface StageTelemetry {
  /**
   * Items dropped on purpose (invalid, over a limit, duplicate...), by reason. An exporter passes
   * the batch it was handed when the items came from it: the runtime then knows they are not
   * sent, whatever else is in flight (otherwise it charges them to the next batch that settles).
   */
  dropped(count: number, reason: string, batch?: Batch): void;
}

/** What every plugin instance gets from the runtime. `create` must do no I/O. */
export interface ComponentContext<C> {
  /** Component id as written in the config, `type[/name]`. */
  readonly id: string;
  readonly kind: ComponentKind;
  /** The config after schema defaults; runtime keys (`breaker`, `sending_queue`...) removed. */
  readonly config: C;
  readonly logger: Logger;
  readonly telemetry: StageTelemetry;
  /** For the plugin's own instruments; names should follow `nissa_<kind>_<what>`. */
  readonly meter: Meter;
  readonly series: SeriesTable;
  readonly clock: Clock;
  readonly host: Host;
}

export interface ReceiverContext<C> extends ComponentContext<C> {
  readonly output: Output;
}

export interface ProcessorContext<C> extends ComponentContext<C> {
  /** The pipeline this instance belongs to (processors are one instance per pipeline). */
  readonly pipelineId: string;
  readonly signal: Signal;
  readonly next: Consumer;
}

export type ExporterContext<C> = ComponentContext<C>;

export interface ConnectorContext<C> extends ComponentContext<C> {
  readonly output: Output;
}

/**
 * Lifecycle. The runtime calls `start` once, then `shutdown` once; it guards both so a plugin
 * never sees a second shutdown or a shutdown without start, and bounds them in time.
 * `shutdown` must flush whatever the instance buffers.
 */
export interface Lifecycle {
  start?(): Promise<void> | void;
  shutdown?(): Promise<void> | void;
  /** `host:port` the instance listens on once started (servers only; tests use it with port 0). */
  address?(): string;
}

export type ReceiverInstance = Lifecycle;

export interface ConsumingInstance extends Lifecycle, Consumer<Batch> {
  /** Pushes out anything buffered now (the `flush` control command). */
  flush?(): Promise<void>;
}

interface DefinitionBase {
  /** The YAML type name: `otlp`, `batch`, `prometheus_remote_write`. */
  readonly type: string;
  readonly description: string;
  readonly configSchema: JsonSchema;
}

export interface ReceiverDefinition<C = any> extends DefinitionBase {
  readonly kind: 'receiver';
  readonly signals: readonly Signal[];
  create(ctx: ReceiverContext<C>): ReceiverInstance;
}

export interface ProcessorDefinition<C = any> extends DefinitionBase {
  readonly kind: 'processor';
  readonly signals: readonly Signal[];
  create(ctx: ProcessorContext<C>): ConsumingInstance;
}

export interface ExporterDefinition<C = any> extends DefinitionBase {
  readonly kind: 'exporter';
  readonly signals: readonly Signal[];
  /**
   * The backend needs each series' points in order (e.g. Prometheus remote write). The runtime
   * then drains the sending queue with one consumer, so a retried batch is never overtaken; the
   * exporter parallelizes internally, keeping each series on one lane.
   */
  readonly ordered?: boolean;
  create(ctx: ExporterContext<C>): ConsumingInstance;
}

/** A connector is the exporter of some pipelines and the receiver of others. */
export interface ConnectorDefinition<C = any> extends DefinitionBase {
  readonly kind: 'connector';
  /** Allowed `[from, to]` signal pairs. */
  readonly signals: readonly (readonly [Signal, Signal])[];
  create(ctx: ConnectorContext<C>): ConsumingInstance;
}

export type PluginDefinition = ReceiverDefinition | ProcessorDefinition | ExporterDefinition | ConnectorDefinition;

export function defineReceiver<C>(def: Omit<ReceiverDefinition<C>, 'kind'>): ReceiverDefinition<C> {
  return { kind: 'receiver', ...def };
}

export function defineProcessor<C>(def: Omit<ProcessorDefinition<C>, 'kind'>): ProcessorDefinition<C> {
  return { kind: 'processor', ...def };
}

export function defineExporter<C>(def: Omit<ExporterDefinition<C>, 'kind'>): ExporterDefinition<C> {
  return { kind: 'exporter', ...def };
}

export function defineConnector<C>(def: Omit<ConnectorDefinition<C>, 'kind'>): ConnectorDefinition<C> {
  return { kind: 'connector', ...def };
}

/** A module named in `service.plugins` exports `plugins` (or a default export) with its definitions. */
export interface PluginModule {
  readonly plugins?: readonly PluginDefinition[];
  readonly default?: PluginDefinition | readonly PluginDefinition[];
}
