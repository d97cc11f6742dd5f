import { defineProcessor } from '../../src/api';
import { configSchema } from './config';
import type { BatchConfig } from './config';
import { Batcher } from './batcher';

export const plugin = defineProcessor<BatchConfig>({
  type: 'batch',
  description: 'Buffers items and sends them in batches by size or timeout, in order, with back-pressure when downstream refuses.',
  signals: ['metrics', 'events', 'alerts', 'control'],
  configSchema,
  create: (ctx) => new Batcher(ctx),
});
