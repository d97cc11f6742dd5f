import { metrics } from '@opentelemetry/api';
import type { Clock } from '../api/clock';
import { systemClock } from '../api/clock';
import type { Batch } from '../model/batch';
import type { TelemetryEvent } from '../model/events';
import type { Consumer, Output } from '../api/consumer';
import type { Host, Mode } from '../api/host';
import type { Logger } from '../api/logger';
import type { ComponentContext, ComponentKind, ConnectorContext, ProcessorContext, ReceiverContext } from '../api/plugin';
import type { Signal } from '../api/signals';
import { PermanentError } from '../api/errors';
import { SeriesTable } from '../model/series-table';
import { CollectingConsumer } from './collecting-consumer';

/** A logger that keeps lines in memory (tests assert on them, e.g. that secrets are absent). */
export class MemoryLogger implements Logger {
  constructor(readonly lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [], private readonly base: Record<string, unknown> = {}) {}
  debug(msg: string, fields?: Record<string, unknown>): void { this.lines.push({ level: 'debug', msg, fields: { ...this.base, ...fields } }); }
  info(msg: string, fields?: Record<string, unknown>): void { this.lines.push({ level: 'info', msg, fields: { ...this.base, ...fields } }); }
  warn(msg: string, fields?: Record<string, unknown>): void { this.lines.push({ level: 'warn', msg, fields: { ...this.base, ...fields } }); }
  error(msg: string, fields?: Record<string, unknown>): void { this.lines.push({ level: 'error', msg, fields: { ...this.base, ...fields } }); }
  child(fields: Record<string, unknown>): Logger { return new MemoryLogger(this.lines, { ...this.base, ...fields }); }
}

/** Drop counts a test can read back, by reason. */
export class RecordingTelemetry {
  readonly drops = new Map<string, number>();
  dropped(count: number, reason: string): void {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + count);
  }
}

export class TestHost implements Host {
  current: Mode = 'normal';
  readonly executed: unknown[] = [];
  private listeners: ((m: Mode) => void)[] = [];
  mode(): Mode { return this.current; }
  limits(): { batchSizeFactor: number; processingDelayMs: number } {
    return this.current === 'normal' ? { batchSizeFactor: 1, processingDelayMs: 0 } : { batchSizeFactor: 0.5, processingDelayMs: 10 };
  }
  setMode(mode: Mode): void { this.current = mode; for (const l of this.listeners) l(mode); }
  onModeChange(listener: (mode: Mode) => void): () => void {
    this.listeners.push(listener);
    return () => { this.listeners = this.listeners.filter((l) => l !== listener); };
  }
  private eventListeners: ((e: TelemetryEvent) => void)[] = [];
  onInternalEvent(listener: (e: TelemetryEvent) => void): () => void {
    this.eventListeners.push(listener);
    return () => { this.eventListeners = this.eventListeners.filter((l) => l !== listener); };
  }
  emitInternalEvent(event: TelemetryEvent): void { for (const l of this.eventListeners) l(event); }
  async execute(command: unknown): Promise<{ ok: boolean; message: string }> {
    this.executed.push(command);
    return { ok: true, message: 'recorded' };
  }
}

export interface TestContextOptions<C> {
  id?: string;
  kind?: ComponentKind;
  config: C;
  clock?: Clock;
  series?: SeriesTable;
}

export interface TestContext<C> extends ComponentContext<C> {
  readonly logger: MemoryLogger;
  readonly telemetry: RecordingTelemetry;
  readonly host: TestHost;
}

/** A component context for unit tests of a plugin, without the runtime. */
export function createTestContext<C>(opts: TestContextOptions<C>): TestContext<C> {
  return {
    id: opts.id ?? 'test',
    kind: opts.kind ?? 'processor',
    config: opts.config,
    logger: new MemoryLogger(),
    telemetry: new RecordingTelemetry(),
    meter: metrics.getMeter('nissa-test'),
    series: opts.series ?? new SeriesTable(),
    clock: opts.clock ?? systemClock,
    host: new TestHost(),
  };
}

export function processorContext<C>(opts: TestContextOptions<C> & { signal?: Signal; next?: Consumer }): ProcessorContext<C> & TestContext<C> & { next: Consumer } {
  return { ...createTestContext({ kind: 'processor', ...opts }), pipelineId: opts.signal ?? 'metrics', signal: opts.signal ?? 'metrics', next: opts.next ?? new CollectingConsumer() };
}

/** An Output that collects per signal, as if one pipeline per signal took the data. */
export class CollectingOutput implements Output {
  readonly sinks = new Map<string, CollectingConsumer>();
  constructor(readonly signals: readonly Signal[] = ['metrics', 'events', 'alerts', 'control']) {
    for (const s of signals) this.sinks.set(s, new CollectingConsumer());
  }
  sink(pipelineId: string): CollectingConsumer {
    const s = this.sinks.get(pipelineId);
    if (!s) throw new Error(`no pipeline ${pipelineId}`);
    return s;
  }
  consume(batch: Batch): Promise<void> {
    const sink = this.sinks.get(batch.signal);
    if (!sink) return Promise.reject(new PermanentError(`no pipeline takes ${batch.signal}`));
    return sink.consume(batch);
  }
  pipelines(signal: Signal): readonly string[] {
    return [...this.sinks.keys()].filter((id) => id.split('/')[0] === signal);
  }
  consumeTo(pipelineId: string, batch: Batch): Promise<void> {
    return this.sink(pipelineId).consume(batch);
  }
  /** Adds a named pipeline (e.g. `events/errors`) for routing tests. */
  addPipeline(pipelineId: string): CollectingConsumer {
    const c = new CollectingConsumer();
    this.sinks.set(pipelineId, c);
    return c;
  }
}

export function receiverContext<C>(opts: TestContextOptions<C> & { output?: Output }): ReceiverContext<C> & TestContext<C> & { output: Output } {
  return { ...createTestContext({ kind: 'receiver', ...opts }), output: opts.output ?? new CollectingOutput() };
}

export function connectorContext<C>(opts: TestContextOptions<C> & { output?: Output }): ConnectorContext<C> & TestContext<C> & { output: Output } {
  return { ...createTestContext({ kind: 'connector', ...opts }), output: opts.output ?? new CollectingOutput() };
}
