import { defineExporter, SIGNALS } from '../../src/api';
import { configSchema, type DebugConfig } from './config';
import { DebugExporter } from './debug-exporter';

/** Logs counts (or items) per batch, for trying a pipeline out. */
export const plugin = defineExporter<DebugConfig>({
  type: 'debug',
  description: 'Logs a count line per batch, or every item as JSON with verbosity: detailed.',
  signals: SIGNALS,
  configSchema,
  create: (ctx) => new DebugExporter(ctx),
});
