import { defineProcessor } from '../../src/api';
import { configSchema } from './config';
import type { CardinalityConfig } from './config';
import { CardinalityLimiter } from './limiter';

export const plugin = defineProcessor<CardinalityConfig>({
  type: 'cardinality',
  description: 'Caps the number of metric series (overall and per metric); new series over the limit are dropped or folded into an overflow series.',
  signals: ['metrics'],
  configSchema,
  create: (ctx) => new CardinalityLimiter(ctx),
});
