import type { PluginDefinition } from '../api/plugin';
import { compileSchema } from '../config/schema-check';

/**
 * The typed config a plugin would receive for `partial`: validated against the plugin's schema
 * with defaults filled in, exactly as the config loader does. Throws on invalid config, so tests
 * also check that schema and defaults agree with the typed interface.
 */
export function pluginConfig<C>(def: PluginDefinition & { create(ctx: { config: C }): unknown }, partial: Record<string, unknown> = {}): C {
  const value = structuredClone(partial);
  const validate = compileSchema(def.configSchema);
  if (!validate(value)) throw new Error(`invalid ${def.kind} ${def.type} config: ${JSON.stringify(validate.errors)}`);
  return value as C;
}
