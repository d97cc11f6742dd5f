import { defineReceiver } from '../../src/api';
import { configSchema, type GeneratorConfig } from './config';
import { GeneratorReceiver } from './generator';

/** Synthetic metrics and events for demos and benchmarks. */
export const plugin = defineReceiver<GeneratorConfig>({
  type: 'generator',
  description: 'Generates synthetic metric series and health events at a configured rate (demos, benchmarks).',
  signals: ['metrics', 'events'],
  configSchema,
  create: (ctx) => new GeneratorReceiver(ctx),
});
