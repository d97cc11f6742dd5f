import type { ComponentKind, JsonSchema, PluginDefinition } from '../api/plugin';
import type { Registry } from '../plugins/registry';
import type { Diagnostics } from './diagnostics';
import { suggest } from './did-you-mean';
import { runtimeKeys, runtimeKeysSchema, SECTIONS } from './schema';
import { checkAgainst } from './schema-check';

/** A component as written in its section, checked against its plugin. */
export interface DefinedComponent {
  readonly id: string;
  readonly kind: ComponentKind;
  readonly type: string;
  /** Undefined when the type is unknown (already reported). */
  readonly def: PluginDefinition | undefined;
  /** The plugin's config with defaults, runtime keys removed. */
  readonly config: Record<string, unknown>;
  /** The runtime keys as written (exporter keys with defaults filled). */
  readonly runtime: Record<string, unknown>;
}

export type Components = Readonly<Record<ComponentKind, ReadonlyMap<string, DefinedComponent>>>;

const KINDS: readonly ComponentKind[] = ['receiver', 'processor', 'exporter', 'connector'];

/** `type[/name]`: the type is the plugin's YAML name, the optional name tells instances apart. */
const COMPONENT_ID = /^([A-Za-z][A-Za-z0-9_-]*)(?:\/([^/\s]+))?$/;

const runtimeSchemas = new Map(KINDS.map((kind) => [kind, runtimeKeysSchema(kind)] as const));

/** Checks every component of the four sections: its id, its type, its runtime keys and its plugin config. */
export function checkComponents(root: Record<string, unknown>, registry: Registry, diags: Diagnostics): Components {
  const out = {} as Record<ComponentKind, Map<string, DefinedComponent>>;
  for (const kind of KINDS) {
    const section = SECTIONS[kind];
    const entries = asRecord(root[section]) ?? {};
    const components = new Map<string, DefinedComponent>();
    for (const [id, raw] of Object.entries(entries)) {
      const component = checkComponent(kind, id, raw, registry, diags);
      if (component) components.set(id, component);
    }
    out[kind] = components;
  }
  return out;
}

function checkComponent(kind: ComponentKind, id: string, raw: unknown, registry: Registry, diags: Diagnostics): DefinedComponent | undefined {
  const section = SECTIONS[kind];
  const at = [section, id];
  const match = COMPONENT_ID.exec(id);
  if (!match) {
    diags.error(at, `invalid ${kind} id "${id}"`, 'an id is type[/name], e.g. batch or batch/fast');
    return undefined;
  }
  const type = match[1]!;
  const def = registry.get(kind, type);
  if (!def) diags.error(at, `unknown ${kind} type "${type}"`, suggest(type, registry.types(kind), `known ${kind} types`));

  // A component written with no body (`otlp:`) is the plugin's defaults.
  const written = raw === null || raw === undefined ? {} : asRecord(raw);
  if (!written) return { id, kind, type, def, config: {}, runtime: {} }; // not an object: the top-level schema said so
  const keys = runtimeKeys(kind);
  const config: Record<string, unknown> = {};
  const runtime: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(written)) (keys.includes(key) ? runtime : config)[key] = value;

  checkAgainst(runtimeSchemas.get(kind)!, runtime, diags, { at });
  if (def) checkPluginConfig(def, config, diags, at, keys);
  return { id, kind, type, def, config, runtime };
}

function checkPluginConfig(def: PluginDefinition, config: Record<string, unknown>, diags: Diagnostics, at: string[], extraKeys: string[]): void {
  try {
    checkAgainst(strictSchema(def.configSchema), config, diags, { at, extraKeys });
  } catch (err) {
    // A broken schema is the plugin author's bug, but it must not hide the other problems.
    diags.error(at, `the config schema of ${def.kind} type "${def.type}" is invalid: ${(err as Error).message}`);
  }
}

const strictSchemas = new WeakMap<JsonSchema, JsonSchema>();

/**
 * A plugin schema that forgot `additionalProperties` at its top would accept any typo silently;
 * unknown keys must be errors, so it is closed here (the plugin's object is left untouched).
 */
function strictSchema(schema: JsonSchema): JsonSchema {
  if (!schema || typeof schema !== 'object' || 'additionalProperties' in schema || !('properties' in schema)) return schema;
  let strict = strictSchemas.get(schema);
  if (!strict) {
    strict = { ...schema, additionalProperties: false };
    strictSchemas.set(schema, strict);
  }
  return strict;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
