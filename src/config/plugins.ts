import { loadUserPlugins } from '../plugins/load-user-plugins';
import { Registry } from '../plugins/registry';
import type { Diagnostics } from './diagnostics';

/**
 * Loads each module of `service.plugins` into `registry`; a failure is an error at that list item.
 * Modules load into a scratch registry first so that loading the same config twice into one
 * registry (a reload) does not fail on definitions that are already there.
 */
export function loadServicePlugins(specs: unknown, file: string, registry: Registry, diags: Diagnostics): void {
  if (!Array.isArray(specs)) return;
  specs.forEach((spec, index) => {
    if (typeof spec !== 'string' || spec === '') return; // the schema has reported it
    const path = ['service', 'plugins', index];
    try {
      const scratch = new Registry();
      loadUserPlugins([spec], file, scratch);
      for (const def of scratch.list()) {
        if (registry.get(def.kind, def.type) !== def) registry.register(def);
      }
    } catch (err) {
      // Node's require errors append a multi-line require stack; the first line says it all.
      diags.error(path, (err as Error).message.split('\n')[0]!);
    }
  });
}
