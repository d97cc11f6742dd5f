import type { ConnectorDefinition } from '../api/plugin';
import type { Signal } from '../api/signals';
import type { DefinedComponent } from './components';
import type { Diagnostics } from './diagnostics';
import type { PipelineDraft } from './graph';
import { formatPath, type YamlPath } from './locate';

/** One mention of a connector in a pipeline list. */
export interface ConnectorUse {
  readonly connector: DefinedComponent;
  readonly pipeline: PipelineDraft;
  readonly role: 'receivers' | 'processors' | 'exporters';
  readonly path: YamlPath;
}

interface Edge {
  readonly to: PipelineDraft;
  readonly via: string;
  readonly path: YamlPath;
}

/**
 * A connector must appear on both sides (an exporter of one pipeline, a receiver of another), each
 * use must pair with a use on the other side through one of its `[from, to]` signal pairs, and the
 * pipelines it links must not form a cycle.
 */
export function checkConnectors(uses: readonly ConnectorUse[], pipelines: readonly PipelineDraft[], diags: Diagnostics): void {
  const byConnector = new Map<DefinedComponent, ConnectorUse[]>();
  for (const use of uses) byConnector.set(use.connector, [...(byConnector.get(use.connector) ?? []), use]);
  const edges = new Map<PipelineDraft, Edge[]>();
  for (const [connector, list] of byConnector) {
    const def = connector.def?.kind === 'connector' ? connector.def : undefined;
    const exporting = list.filter((u) => u.role === 'exporters');
    const receiving = list.filter((u) => u.role === 'receivers');
    if (receiving.length === 0) {
      for (const u of exporting) diags.error(u.path, `connector "${connector.id}" is not a receiver of any pipeline`, 'a connector is the exporter of one pipeline and a receiver of another');
    } else if (exporting.length === 0) {
      for (const u of receiving) diags.error(u.path, `connector "${connector.id}" is not an exporter of any pipeline`, 'a connector is the exporter of one pipeline and a receiver of another');
    } else if (def) {
      checkPairs(def, connector.id, exporting, receiving, diags);
      for (const from of exporting) {
        for (const to of receiving) {
          if (allowed(def, from.pipeline.signal, to.pipeline.signal)) {
            edges.set(from.pipeline, [...(edges.get(from.pipeline) ?? []), { to: to.pipeline, via: connector.id, path: from.path }]);
          }
        }
      }
    }
  }
  reportCycles(pipelines, edges, diags);
}

function checkPairs(def: ConnectorDefinition, id: string, exporting: ConnectorUse[], receiving: ConnectorUse[], diags: Diagnostics): void {
  const hint = `it connects: ${def.signals.map(([from, to]) => `${from} -> ${to}`).join(', ')}`;
  for (const u of exporting) {
    const from = u.pipeline.signal;
    if (from && !receiving.some((r) => allowed(def, from, r.pipeline.signal))) {
      diags.error(u.path, `connector "${id}" cannot connect ${from} to ${signalsOf(receiving)}`, hint);
    }
  }
  for (const u of receiving) {
    const to = u.pipeline.signal;
    if (to && !exporting.some((e) => allowed(def, e.pipeline.signal, to))) {
      diags.error(u.path, `connector "${id}" cannot connect ${signalsOf(exporting)} to ${to}`, hint);
    }
  }
}

function allowed(def: ConnectorDefinition, from: Signal | undefined, to: Signal | undefined): boolean {
  return def.signals.some(([a, b]) => a === from && b === to);
}

function signalsOf(uses: readonly ConnectorUse[]): string {
  return [...new Set(uses.map((u) => u.pipeline.signal).filter((s) => s !== undefined))].join(' or ');
}

/** Depth-first search over pipelines linked by connectors; each back edge closes one cycle, reported once at its first connector. */
function reportCycles(pipelines: readonly PipelineDraft[], edges: ReadonlyMap<PipelineDraft, readonly Edge[]>, diags: Diagnostics): void {
  const state = new Map<PipelineDraft, 'active' | 'done'>();
  const stack: PipelineDraft[] = [];
  const trail: Edge[] = [];
  const seen = new Set<string>();

  const visit = (pipeline: PipelineDraft): void => {
    state.set(pipeline, 'active');
    stack.push(pipeline);
    for (const edge of edges.get(pipeline) ?? []) {
      const status = state.get(edge.to);
      if (status === 'active') {
        const start = stack.indexOf(edge.to);
        report([...trail.slice(start), edge], stack[start]!);
      } else if (status === undefined) {
        trail.push(edge);
        visit(edge.to);
        trail.pop();
      }
    }
    stack.pop();
    state.set(pipeline, 'done');
  };

  const report = (cycle: Edge[], first: PipelineDraft): void => {
    const key = cycle.map((e) => formatPath(e.path)).sort().join(' ');
    if (seen.has(key)) return;
    seen.add(key);
    const text = cycle.reduce((acc, e) => `${acc} -[${e.via}]-> ${e.to.id}`, first.id);
    diags.error(cycle[0]!.path, `connectors form a cycle: ${text}`, 'data would loop forever: break the cycle');
  };

  // In file order, so a cycle is named from the pipeline written first.
  for (const pipeline of pipelines) if (!state.has(pipeline)) visit(pipeline);
}
