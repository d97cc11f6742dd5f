import type { Clock, TimerHandle } from '../api/clock';
import { systemClock } from '../api/clock';
import type { ControlResult, Host, Mode, ModeLimits } from '../api/host';
import type { Logger } from '../api/logger';
import type { NissaConfig } from '../config/types';
import type { ControlCommand } from '../model/control';
import type { TelemetryEvent } from '../model/events';
import type { SeriesTable } from '../model/series-table';
import { seriesTable } from '../model/series-table';
import type { Registry } from '../plugins/registry';
import { executeControl } from './control';
import type { Graph, GraphNode } from './graph';
import { buildGraph } from './graph';
import { SEVERITY_INFO, SEVERITY_WARN, internalEvent } from './internal-events';
import { Listeners } from './listeners';
import { forceGc } from './force-gc';
import { LoadSupervisor } from './load-supervisor';
import { JsonLogger } from './logger';
import { ModeManager } from './mode-manager';
import { SelfTelemetry } from './self-telemetry';
import { withTimeout } from './sleeper';
import { StatsRegistry } from './stage-stats';

export interface CollectorOptions {
  readonly registry: Registry;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly series?: SeriesTable;
  /** Overrides `service.telemetry.metrics.endpoint` (tests pass `127.0.0.1:0` or null). */
  readonly telemetryEndpoint?: string | null;
  /** Called for the `reload` control command; the CLI passes one that re-reads the config file. */
  readonly onReload?: () => void;
}

const MODE_VALUE: Record<Mode, number> = { normal: 0, conservative: 1, emergency: 2 };

/**
 * A running Nissa: the graph built from a config, its lifecycle, self-telemetry, the mode
 * manager and the control commands. Starts exporters first and receivers last; stops in the
 * opposite order so that every stage flushes into stages that are still running.
 */
export class Collector {
  readonly stats = new StatsRegistry();
  readonly modes = new ModeManager();
  readonly logger: Logger;
  private readonly clock: Clock;
  private readonly series: SeriesTable;
  private readonly telemetry: SelfTelemetry;
  private readonly events = new Listeners<TelemetryEvent>();
  private readonly graph: Graph;
  private readonly supervisor: LoadSupervisor;
  private readonly started = new Set<GraphNode>();
  private readonly timers: TimerHandle[] = [];
  private state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  private stopping: Promise<void> | undefined;

  constructor(
    readonly config: NissaConfig,
    private readonly opts: CollectorOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.series = opts.series ?? seriesTable;
    this.logger = opts.logger ?? new JsonLogger(config.service.telemetry.logs.level);
    this.telemetry = new SelfTelemetry(this.stats, () => this.readiness(), () => MODE_VALUE[this.modes.mode]);
    const transitions = this.telemetry.meter.createCounter('nissa_breaker_transitions', { description: 'Circuit breaker state changes, by stage and new state.' });
    const batchSizes = this.telemetry.meter.createHistogram('nissa_receiver_batch_size_items', {
      description: 'Items per batch a receiver hands to its pipelines.',
      advice: { explicitBucketBoundaries: [1, 10, 100, 1000, 10_000, 100_000] },
    });
    this.modes.onChange(({ mode, reason }) => {
      this.logger.warn('mode changed', { mode, reason });
      this.events.emit(internalEvent('nissa.mode_changed', 'mode_changed', mode === 'normal' ? SEVERITY_INFO : SEVERITY_WARN, `mode is now ${mode}: ${reason}`, { mode, reason }, this.clock.now()));
    });
    this.graph = buildGraph(config, {
      registry: opts.registry,
      clock: this.clock,
      logger: this.logger,
      meter: this.telemetry.meter,
      series: this.series,
      host: this.host(),
      stats: this.stats,
      onBreakerChange: (node, from, to, reason) => {
        const attrs = { component: node.id, ...(node.pipeline ? { pipeline: node.pipeline } : {}), from, to, reason };
        (to === 'open' ? this.logger.warn : this.logger.info).call(this.logger, 'circuit breaker state changed', attrs);
        transitions.add(1, { component: node.id, to });
        this.events.emit(internalEvent('circuit_breaker.state_changed', 'state_changed', to === 'open' ? SEVERITY_WARN : SEVERITY_INFO, `breaker of ${node.id} ${from} -> ${to}: ${reason}`, attrs, this.clock.now()));
      },
      onReceiverBatch: (receiver, signal, items) => batchSizes.record(items, { receiver, signal }),
      processingDelayMs: () => this.limits().processingDelayMs,
    });
    this.supervisor = new LoadSupervisor(config.service.memory, config.service.conservative, this.modes, {
      // Resident memory, not the JS heap: batches keep their columns in typed arrays outside the
      // heap, and the limit is what a container's memory limit and the OOM killer see.
      residentBytes: () => process.memoryUsage.rss(),
      liveBytes: () => {
        const m = process.memoryUsage();
        return m.heapUsed + m.arrayBuffers;
      },
      reclaim: forceGc,
      queueFill: () => Math.max(0, ...this.stats.stages.filter((s) => s.queueCapacity > 0).map((s) => s.queueSize() / s.queueCapacity)),
      openBreakers: () => this.graph.nodes.filter((n) => n.breaker?.state === 'open').map((n) => n.key),
    });
  }

  /** The plugin instance of a component (the first one for processors), for tests and tools. */
  instance(componentId: string): GraphNode['instance'] | undefined {
    return this.graph.nodes.find((n) => n.id === componentId)?.instance;
  }

  get nodes(): readonly GraphNode[] {
    return this.graph.nodes;
  }

  telemetryAddress(): string | undefined {
    return this.telemetry.address();
  }

  async start(): Promise<void> {
    if (this.state !== 'new') return;
    this.state = 'starting';
    const endpoint = this.opts.telemetryEndpoint !== undefined ? this.opts.telemetryEndpoint : this.config.service.telemetry.metrics.endpoint;
    try {
      if (endpoint) await this.telemetry.listen(endpoint);
      // Downstream first: a receiver must never send into a stage that is not running.
      for (const node of [...this.graph.nodes].reverse()) {
        await node.instance.start?.();
        node.exporterStage?.start();
        this.started.add(node);
      }
    } catch (err) {
      this.logger.error('start failed, stopping what was started', { error: err });
      await this.shutdown();
      throw err;
    }
    this.startHousekeeping();
    this.state = 'running';
    this.logger.info('collector started', { pipelines: this.config.service.pipelines.map((p) => p.id), telemetry: this.telemetry.address() ?? 'off' });
  }

  /** Stops every stage within `service.shutdown_timeout`, upstream first, flushing as it goes. Safe to call twice. */
  shutdown(): Promise<void> {
    this.stopping ??= this.stop();
    return this.stopping;
  }

  execute(command: ControlCommand): Promise<ControlResult> {
    return executeControl(command, { nodes: this.graph.nodes, modes: this.modes, reload: this.opts.onReload });
  }

  private async stop(): Promise<void> {
    this.state = 'stopping';
    for (const t of this.timers) this.clock.clear(t);
    const deadline = this.clock.now() + this.config.service.shutdown_timeout_ms;
    for (const node of this.graph.nodes) {
      if (!this.started.has(node)) continue;
      const remaining = Math.max(1, deadline - this.clock.now());
      try {
        await node.exporterStage?.shutdown(deadline);
        const stopped = Promise.resolve(node.instance.shutdown?.());
        await withTimeout(stopped, remaining, this.clock, () => new Error(`shutdown of ${node.key} timed out`));
      } catch (err) {
        this.logger.error('stage shutdown failed', { stage: node.key, error: err });
      }
    }
    await this.telemetry.shutdown();
    this.state = 'stopped';
    this.logger.info('collector stopped');
  }

  /** What the current mode holds back. */
  limits(): ModeLimits {
    return this.modes.mode === 'normal'
      ? { batchSizeFactor: 1, processingDelayMs: 0 }
      : { batchSizeFactor: this.config.service.conservative.batch_size_factor, processingDelayMs: this.config.service.conservative.processing_delay_ms };
  }

  private readiness(): { ready: boolean; reason: string } {
    if (this.state !== 'running') return { ready: false, reason: this.state };
    const open = this.graph.nodes.filter((n) => n.breaker?.state === 'open').map((n) => (n.pipeline ? `${n.id} in ${n.pipeline}` : n.id));
    return open.length > 0 ? { ready: false, reason: `breaker open: ${open.join(', ')}` } : { ready: true, reason: 'running' };
  }

  /** Coarse clock for series lifetimes, and the sweep that forgets series nobody has seen for `series_ttl`. */
  private startHousekeeping(): void {
    const ttl = this.config.service.series_ttl_ms;
    this.series.setNow(this.clock.now());
    const tick = this.clock.setInterval(() => this.series.setNow(this.clock.now()), 1000);
    const sweep = this.clock.setInterval(() => {
      const freed = this.series.sweep(this.clock.now() - ttl);
      if (freed > 0) this.logger.debug('forgot idle series', { freed, live: this.series.size });
    }, Math.max(1000, Math.min(60_000, ttl / 4)));
    const supervise = this.clock.setInterval(() => this.supervisor.check(), this.config.service.memory.check_interval_ms);
    tick.unref();
    sweep.unref();
    supervise.unref();
    this.timers.push(tick, sweep, supervise);
  }

  private host(): Host {
    return {
      mode: () => this.modes.mode,
      limits: () => this.limits(),
      onModeChange: (listener) => this.modes.onChange(({ mode }) => listener(mode)),
      execute: (command) => this.execute(command),
      onInternalEvent: (listener) => this.events.add(listener),
    };
  }
}
