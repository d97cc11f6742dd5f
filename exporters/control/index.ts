import { defineExporter } from '../../src/api';

export type ControlExporterConfig = Record<string, never>;

/**
 * Hands control commands (from the `nissa` receiver or the bus) to the running collector:
 * `set_mode`, `flush`, `reset_breaker`, `reload`. Each result is logged; an unsupported or
 * malformed command is logged and counted as dropped, never retried.
 */
export const plugin = defineExporter<ControlExporterConfig>({
  type: 'control',
  description: 'Executes control commands (set_mode, flush, reset_breaker, reload) on this collector.',
  signals: ['control'],
  configSchema: { type: 'object', additionalProperties: false, properties: {} },
  create(ctx) {
    return {
      async consume(batch) {
        if (batch.signal !== 'control') return;
        for (const cmd of batch.items) {
          const result = await ctx.host.execute(cmd);
          const fields = { command: cmd.command, target: cmd.target, result: result.message };
          if (result.ok) ctx.logger.info('control command executed', fields);
          else {
            ctx.logger.warn('control command not executed', fields);
            ctx.telemetry.dropped(1, 'unsupported_command', batch);
          }
        }
      },
    };
  },
});
