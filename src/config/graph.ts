import type { ComponentKind } from '../api/plugin';
import { isSignal, SIGNALS, type Signal } from '../api/signals';
import { asRecord, type Components, type DefinedComponent } from './components';
import { checkConnectors, type ConnectorUse } from './connectors';
import type { Diagnostics } from './diagnostics';
import { suggest } from './did-you-mean';
import type { YamlPath } from './locate';
import { SECTIONS } from './schema';

/** A pipeline as written; `signal` is undefined when its id is invalid (already reported). */
export interface PipelineDraft {
  readonly id: string;
  readonly signal: Signal | undefined;
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
}

type Role = 'receivers' | 'processors' | 'exporters';
const ROLES: readonly Role[] = ['receivers', 'processors', 'exporters'];

/** Which sections a pipeline list may name: a connector is an exporter on one side, a receiver on the other. */
const ROLE_KINDS: Readonly<Record<Role, readonly ComponentKind[]>> = {
  receivers: ['receiver', 'connector'],
  processors: ['processor'],
  exporters: ['exporter', 'connector'],
};

/**
 * Checks `service.pipelines` against the defined components: pipeline ids, empty pipelines,
 * references, signals, connectors (pairing and cycles); warns about unused components.
 */
export function checkPipelines(pipelines: unknown, components: Components, diags: Diagnostics): PipelineDraft[] {
  checkConnectorIds(components, diags);
  const used = new Set<DefinedComponent>();
  const uses: ConnectorUse[] = [];
  const drafts: PipelineDraft[] = [];
  for (const [id, raw] of Object.entries(asRecord(pipelines) ?? {})) {
    const at = ['service', 'pipelines', id];
    const body = asRecord(raw) ?? {};
    const draft: PipelineDraft = {
      id,
      signal: pipelineSignal(id, at, diags),
      receivers: stringList(body['receivers']),
      processors: stringList(body['processors']),
      exporters: stringList(body['exporters']),
    };
    if (draft.receivers.length === 0) diags.error(at, 'pipeline has no receivers', 'a pipeline needs at least one receiver and one exporter');
    if (draft.exporters.length === 0) diags.error(at, 'pipeline has no exporters', 'a pipeline needs at least one receiver and one exporter');
    for (const role of ROLES) {
      draft[role].forEach((ref, index) => {
        const component = resolve(draft, role, ref, index, [...at, role, index], components, diags);
        if (!component) return;
        used.add(component);
        if (component.kind === 'connector') uses.push({ connector: component, pipeline: draft, role, path: [...at, role, index] });
      });
    }
    drafts.push(draft);
  }
  checkConnectors(uses, drafts, diags);
  warnUnused(components, used, diags);
  return drafts;
}

function pipelineSignal(id: string, at: YamlPath, diags: Diagnostics): Signal | undefined {
  const slash = id.indexOf('/');
  const signal = slash < 0 ? id : id.slice(0, slash);
  const name = slash < 0 ? undefined : id.slice(slash + 1);
  if (!isSignal(signal)) {
    diags.error(at, `unknown signal "${signal}" in pipeline id "${id}"`, suggest(signal, SIGNALS, 'signals'));
    return undefined;
  }
  if (name !== undefined && !/^[^/\s]+$/.test(name)) {
    diags.error(at, `invalid pipeline id "${id}"`, 'a pipeline id is <signal>[/name], e.g. metrics or metrics/raw');
    return undefined;
  }
  return signal;
}

function resolve(
  draft: PipelineDraft, role: Role, ref: string, index: number, at: YamlPath, components: Components, diags: Diagnostics,
): DefinedComponent | undefined {
  if (draft[role].indexOf(ref) < index) {
    diags.error(at, `"${ref}" is listed twice in ${role}`);
    return undefined;
  }
  const kinds = ROLE_KINDS[role];
  const component = kinds.map((kind) => components[kind].get(ref)).find((c) => c !== undefined);
  if (!component) {
    const defined = kinds.flatMap((kind) => [...components[kind].keys()]);
    const what = kinds.map((kind) => SECTIONS[kind]).join(' or ');
    diags.error(at, `"${ref}" is not defined in ${what}`, suggest(ref, defined, 'defined'));
    return undefined;
  }
  const signals = component.def?.kind === 'connector' ? undefined : component.def?.signals;
  if (draft.signal && signals && !signals.includes(draft.signal)) {
    diags.error(at, `${component.kind} "${ref}" does not support ${draft.signal}`, `it supports: ${signals.join(', ')}`);
  }
  return component;
}

/** Pipelines name receivers and connectors alike, so one id must not be both. */
function checkConnectorIds(components: Components, diags: Diagnostics): void {
  for (const id of components.connector.keys()) {
    for (const kind of ['receiver', 'exporter'] as const) {
      if (components[kind].has(id)) {
        diags.error(['connectors', id], `connector id "${id}" is also defined under ${SECTIONS[kind]}`, 'pipelines could not tell them apart: rename one');
      }
    }
  }
}

function warnUnused(components: Components, used: ReadonlySet<DefinedComponent>, diags: Diagnostics): void {
  for (const byId of Object.values(components)) {
    for (const component of byId.values()) {
      if (!used.has(component)) diags.warning([SECTIONS[component.kind], component.id], `${component.kind} "${component.id}" is defined but not used in any pipeline`);
    }
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
