import { defineConnector, SIGNALS, type Signal } from '../../src/api';
import { configSchema, type ForwardConfig } from './config';

const SAME_SIGNAL: readonly (readonly [Signal, Signal])[] = SIGNALS.map((s) => [s, s] as const);

/**
 * Joins pipelines: every batch that reaches it as an exporter goes on, unchanged, to every
 * pipeline that lists it as a receiver for the same signal. Refusals travel back unchanged too,
 * so back-pressure crosses the connector.
 */
export const plugin = defineConnector<ForwardConfig>({
  type: 'forward',
  description: 'Passes batches from the pipelines that export to it to the pipelines that receive from it (same signal).',
  signals: SAME_SIGNAL,
  configSchema,
  create: (ctx) => ({ consume: (batch) => ctx.output.consume(batch) }),
});
