import type { Meter } from '@opentelemetry/api';
import type { Clock } from '../api/clock';
import type { Consumer } from '../api/consumer';
import type { Host } from '../api/host';
import type { Logger } from '../api/logger';
import type { ComponentContext, ComponentKind, ConsumingInstance, Lifecycle, PluginDefinition } from '../api/plugin';
import type { Signal } from '../api/signals';
import type { ComponentConfig, NissaConfig, PipelineConfig } from '../config/types';
import type { SeriesTable } from '../model/series-table';
import type { Registry } from '../plugins/registry';
import { createSendingQueue } from '../queue/create-queue';
import { ExporterDrops } from './batch-drops';
import { BREAKER_STATE_VALUE, CircuitBreaker } from './breaker';
import { ExporterStage } from './exporter-stage';
import { FanOut } from './fan-out';
import { PipelineOutput } from './pipeline-output';
import { StageConsumer } from './stage-consumer';
import type { StageStats, StatsRegistry } from './stage-stats';

/** One running stage instance: a receiver, a processor in one pipeline, an exporter or a connector. */
export interface GraphNode {
  /** `receiver:otlp`, `processor:metrics/fast:batch`, ... unique in the graph. */
  readonly key: string;
  readonly kind: ComponentKind;
  readonly id: string;
  readonly pipeline: string;
  readonly instance: Lifecycle & Partial<ConsumingInstance>;
  readonly stats: StageStats;
  readonly breaker: CircuitBreaker | undefined;
  readonly exporterStage: ExporterStage | undefined;
  /** Keys of the nodes this one sends to. */
  readonly downstream: Set<string>;
}

export interface GraphDeps {
  readonly registry: Registry;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly meter: Meter;
  readonly series: SeriesTable;
  readonly host: Host;
  readonly stats: StatsRegistry;
  /** Called for every breaker transition (logging, events, counters). */
  readonly onBreakerChange: (node: GraphNode, from: string, to: string, reason: string) => void;
  readonly onReceiverBatch?: (receiver: string, signal: Signal, items: number) => void;
  /** Conservative mode's delay before each batch a receiver hands over. */
  readonly processingDelayMs: () => number;
}

/** The wired graph, with nodes in topological order (sources first). */
export interface Graph {
  readonly nodes: readonly GraphNode[];
  node(key: string): GraphNode | undefined;
}

/**
 * Builds the running graph from a validated config: one instance per receiver, exporter and
 * connector id, one processor instance per pipeline; receivers fan out to every pipeline that
 * lists them, exporters fan in from every pipeline that lists them.
 */
export function buildGraph(config: NissaConfig, deps: GraphDeps): Graph {
  const nodes = new Map<string, GraphNode>();
  const entries = new Map<string, Consumer>();
  const exporterConsumers = new Map<string, Consumer>();
  const connectorConsumers = new Map<string, Consumer>();

  const pipelinesFeeding = (componentId: string): Map<Signal, string[]> => {
    const map = new Map<Signal, string[]>();
    for (const p of config.service.pipelines) {
      if (!p.receivers.includes(componentId)) continue;
      map.set(p.signal, [...(map.get(p.signal) ?? []), p.id]);
    }
    return map;
  };

  const addNode = (kind: ComponentKind, component: ComponentConfig, pipeline: string, make: (ctx: ComponentContext<unknown>, stats: StageStats) => Lifecycle & Partial<ConsumingInstance>, withBreaker: boolean, exporterDrops?: ExporterDrops): GraphNode => {
    const key = pipeline ? `${kind}:${pipeline}:${component.id}` : `${kind}:${component.id}`;
    const stats = deps.stats.add(kind, component.id, pipeline);
    const ctx: ComponentContext<unknown> = {
      id: component.id,
      kind,
      config: component.config,
      logger: deps.logger.child({ component: component.id, kind, ...(pipeline ? { pipeline } : {}) }),
      telemetry: {
        dropped: (n, reason, batch) => {
          stats.drop(n, reason);
          exporterDrops?.note(n, batch);
        },
      },
      meter: deps.meter,
      series: deps.series,
      clock: deps.clock,
      host: deps.host,
    };
    const instance = make(ctx, stats);
    const breaker = withBreaker ? new CircuitBreaker(component.breaker, deps.clock) : undefined;
    const node: GraphNode = { key, kind, id: component.id, pipeline, instance, stats, breaker, exporterStage: undefined, downstream: new Set() };
    if (breaker) breaker.onChange((from, to, reason) => {
      stats.breakerState = BREAKER_STATE_VALUE[to];
      deps.onBreakerChange(node, from, to, reason);
    });
    nodes.set(key, node);
    return node;
  };

  const definition = (kind: ComponentKind, component: ComponentConfig): PluginDefinition => {
    const def = deps.registry.get(kind, component.type);
    if (!def) throw new Error(`no ${kind} type ${component.type}`);
    return def;
  };

  // Exporters: one instance each, behind the exporter helper (queue, retries, breaker).
  for (const component of config.exporters.values()) {
    const def = definition('exporter', component);
    if (def.kind !== 'exporter') continue;
    const drops = new ExporterDrops();
    const node = addNode('exporter', component, '', (ctx) => def.create(ctx), true, drops);
    const configured = component.exporter!;
    const helper = def.ordered ? { ...configured, sending_queue: { ...configured.sending_queue, num_consumers: 1 } } : configured;
    const queue = helper.sending_queue.enabled ? createSendingQueue(helper.sending_queue, { logger: deps.logger.child({ component: component.id, kind: 'exporter' }), stats: node.stats, series: deps.series }) : undefined;
    const stage = new ExporterStage(component.id, node.instance as ConsumingInstance, helper, queue, node.stats, node.breaker!, deps.clock, deps.logger.child({ component: component.id, kind: 'exporter' }), drops);
    (node as { exporterStage: ExporterStage | undefined }).exporterStage = stage;
    exporterConsumers.set(component.id, stage);
  }

  // Connectors: one instance each; their output feeds the pipelines that list them as receivers.
  for (const component of config.connectors.values()) {
    const def = definition('connector', component);
    if (def.kind !== 'connector') continue;
    const node = addNode('connector', component, '', (ctx) => def.create({ ...ctx, output: new PipelineOutput(component.id, pipelinesFeeding(component.id), entries, undefined) }), true);
    connectorConsumers.set(component.id, new StageConsumer(component.id, node.instance as ConsumingInstance, node.stats, node.breaker!));
  }

  // Pipelines: processors are built from the last to the first so each knows its next stage.
  for (const pipeline of config.service.pipelines) {
    const targets = pipeline.exporters.map((id) => exporterConsumers.get(id) ?? connectorConsumers.get(id)!);
    const targetKeys = pipeline.exporters.map((id) => (exporterConsumers.has(id) ? `exporter:${id}` : `connector:${id}`));
    let next: Consumer = new FanOut(targets);
    let nextKeys = targetKeys;
    for (let i = pipeline.processors.length - 1; i >= 0; i--) {
      const component = config.processors.get(pipeline.processors[i]!)!;
      const def = definition('processor', component);
      if (def.kind !== 'processor') continue;
      const downstream: Consumer = next;
      const node = addNode('processor', component, pipeline.id, (ctx) => def.create({ ...ctx, pipelineId: pipeline.id, signal: pipeline.signal, next: downstream }), true);
      for (const k of nextKeys) node.downstream.add(k);
      next = new StageConsumer(`${component.id} in ${pipeline.id}`, node.instance as ConsumingInstance, node.stats, node.breaker!);
      nextKeys = [node.key];
    }
    entries.set(pipeline.id, next);
  }

  // Receivers last: their outputs reach the pipeline entries built above.
  for (const component of config.receivers.values()) {
    const def = definition('receiver', component);
    if (def.kind !== 'receiver') continue;
    const node = addNode('receiver', component, '', (ctx, stats) => def.create({
      ...ctx,
      output: new PipelineOutput(
        component.id,
        pipelinesFeeding(component.id),
        entries,
        stats,
        deps.onReceiverBatch ? (signal, n) => deps.onReceiverBatch!(component.id, signal, n) : undefined,
        deps.processingDelayMs,
        (ms) => new Promise((resolve) => deps.clock.setTimeout(resolve, ms)),
      ),
    }), false);
    for (const p of config.service.pipelines) if (p.receivers.includes(component.id)) for (const k of firstKeys(p, config)) node.downstream.add(k);
  }
  for (const component of config.connectors.values()) {
    const node = nodes.get(`connector:${component.id}`);
    if (!node) continue;
    for (const p of config.service.pipelines) if (p.receivers.includes(component.id)) for (const k of firstKeys(p, config)) node.downstream.add(k);
  }

  const ordered = topologicalOrder(nodes);
  return { nodes: ordered, node: (key) => nodes.get(key) };
}

/** Keys of the first stage(s) of a pipeline: its first processor, or its exporters/connectors. */
function firstKeys(p: PipelineConfig, config: NissaConfig): string[] {
  if (p.processors.length > 0) return [`processor:${p.id}:${p.processors[0]}`];
  return p.exporters.map((id) => (config.exporters.has(id) ? `exporter:${id}` : `connector:${id}`));
}

/** Sources first; a stage comes after everything that sends to it. Connector cycles are rejected by config validation. */
function topologicalOrder(nodes: Map<string, GraphNode>): GraphNode[] {
  const indegree = new Map<string, number>();
  for (const n of nodes.values()) indegree.set(n.key, indegree.get(n.key) ?? 0);
  for (const n of nodes.values()) for (const d of n.downstream) if (nodes.has(d)) indegree.set(d, (indegree.get(d) ?? 0) + 1);
  const ready = [...nodes.values()].filter((n) => indegree.get(n.key) === 0);
  const out: GraphNode[] = [];
  while (ready.length > 0) {
    const n = ready.shift()!;
    out.push(n);
    for (const d of n.downstream) {
      const left = indegree.get(d)! - 1;
      indegree.set(d, left);
      if (left === 0) ready.push(nodes.get(d)!);
    }
  }
  if (out.length !== nodes.size) throw new Error('the pipeline graph has a cycle');
  return out;
}
