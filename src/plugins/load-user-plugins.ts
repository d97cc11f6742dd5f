import { isAbsolute, resolve, dirname } from 'node:path';
import type { PluginDefinition, PluginModule } from '../api/plugin';
import { NissaError } from '../api/errors';
import type { Registry } from './registry';

/**
 * Loads the modules named in `service.plugins`: a path (relative to the config file) or an npm
 * package name. This is the only code Nissa runs because of the config, and only what it names.
 */
export function loadUserPlugins(specs: readonly string[], configFile: string, registry: Registry): void {
  for (const spec of specs) {
    const target = spec.startsWith('.') || isAbsolute(spec) ? resolve(dirname(configFile), spec) : spec;
    let mod: PluginModule;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require(require.resolve(target, { paths: [dirname(resolve(configFile)), process.cwd()] })) as PluginModule;
    } catch (err) {
      throw new NissaError('ERR_PLUGIN_LOAD', `cannot load plugin module "${spec}": ${(err as Error).message}`);
    }
    const defs: readonly PluginDefinition[] | undefined =
      mod.plugins ?? (Array.isArray(mod.default) ? mod.default : mod.default ? [mod.default as PluginDefinition] : undefined);
    if (!defs || defs.length === 0) {
      throw new NissaError('ERR_PLUGIN_LOAD', `plugin module "${spec}" exports no plugins (export "plugins" or a default definition)`);
    }
    for (const def of defs) registry.register(def);
  }
}
