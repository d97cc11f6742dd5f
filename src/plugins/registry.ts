import type { ComponentKind, PluginDefinition } from '../api/plugin';
import { NissaError } from '../api/errors';

/**
 * Plugin types by kind. Built-ins and user plugins register the same way; tests build their own
 * registry so they stay isolated.
 */
export class Registry {
  private readonly defs = new Map<string, PluginDefinition>();

  register(def: PluginDefinition): void {
    if (!def || typeof def !== 'object' || typeof def.type !== 'string' || typeof def.create !== 'function') {
      throw new NissaError('ERR_PLUGIN_LOAD', 'a plugin definition needs a kind, a type, a configSchema and a create function');
    }
    const key = `${def.kind}:${def.type}`;
    if (this.defs.has(key)) throw new NissaError('ERR_PLUGIN_LOAD', `${def.kind} type "${def.type}" is registered twice`);
    this.defs.set(key, def);
  }

  get(kind: ComponentKind, type: string): PluginDefinition | undefined {
    return this.defs.get(`${kind}:${type}`);
  }

  types(kind: ComponentKind): string[] {
    return this.list().filter((d) => d.kind === kind).map((d) => d.type).sort();
  }

  list(): PluginDefinition[] {
    return [...this.defs.values()];
  }
}
