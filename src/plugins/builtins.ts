import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginDefinition } from '../api/plugin';
import { Registry } from './registry';

/**
 * The built-in plugins are the folders under receivers/, processors/, exporters/ and connectors/:
 * each folder's index exports `plugin`, a definition made with the public API. Adding a plugin is
 * adding a folder; this is the one place that knows where they live.
 */
const KIND_FOLDERS = ['receivers', 'processors', 'exporters', 'connectors'] as const;

/** The compiled project root (dist/), two levels above this file. */
const ROOT = join(__dirname, '..', '..');

export function builtinDefinitions(): PluginDefinition[] {
  const defs: PluginDefinition[] = [];
  for (const folder of KIND_FOLDERS) {
    const dir = join(ROOT, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const index = join(dir, name, 'index.js');
      if (!existsSync(index)) continue;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(index) as { plugin?: PluginDefinition };
      if (mod.plugin) defs.push(mod.plugin);
    }
  }
  return defs;
}

/** A registry holding every built-in plugin. */
export function builtinRegistry(): Registry {
  const registry = new Registry();
  for (const def of builtinDefinitions()) registry.register(def);
  return registry;
}
