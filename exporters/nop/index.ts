import { defineExporter, SIGNALS } from '../../src/api';
import { configSchema, type NopConfig } from './config';

/** Accepts and discards everything: the null sink of benchmarks and of pipelines under test. */
export const plugin = defineExporter<NopConfig>({
  type: 'nop',
  description: 'Accepts every batch and discards it.',
  signals: SIGNALS,
  configSchema,
  create: () => ({ consume: () => Promise.resolve() }),
});
