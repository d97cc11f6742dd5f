import { defineProcessor } from '../../src/api';
import { configSchema } from './config';
import type { ValidateConfig } from './config';
import { Validator } from './validator';

export const plugin = defineProcessor<ValidateConfig>({
  type: 'validate',
  description: 'Drops or dead-letters invalid metric points, events and alerts (names, labels, values, timestamps, required fields), counted by reason.',
  signals: ['metrics', 'events', 'alerts'],
  configSchema,
  create: (ctx) => new Validator(ctx),
});
